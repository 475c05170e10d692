"""``astreinte sla explain`` on a ticket stored in the database (SQLite and PostgreSQL):
its log read back, who set the pause named, the same dues as the ticket's own clocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sla_core.persistence.engine import make_engine
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets import service, support_from_mapping
from sla_core.tickets.queries import get_ticket
from tests.engine.conftest import CliResult, paris
from tests.tickets.conftest import AGENT, REPORTER, SUPPORT_RAW, a_form

OPENED, CALLED, WAITING, AS_OF = "2026-05-22T17:00", "2026-05-26T09:30", "2026-05-26T10:00", "2026-05-26T12:00"


def stored_low_ticket(database_url: str, policy: Policy) -> str:
    """A Low ticket opened on the Friday before Pentecost, called back on Tuesday, then
    waiting on the customer."""
    uow = UnitOfWork(make_engine(database_url))
    support = support_from_mapping(SUPPORT_RAW)
    try:
        view = service.open_ticket(uow, policy=policy, support=support, reporter_id=REPORTER,
                                   form=a_form(severity="low"), idempotency_key=None, now=paris(OPENED))
        service.acknowledge(uow, policy=policy, support=support, ticket_ref=view.ref, actor_id=AGENT,
                            channel="email", note="called back", now=paris(CALLED))
        service.set_waiting_on_customer(uow, policy=policy, support=support, ticket_ref=view.ref, actor_id=AGENT,
                                        question="Which browser?", now=paris(WAITING))
        return view.ref
    finally:
        uow.engine.dispose()


def dues(database_url: str, policy: Policy, ref: str, now: datetime) -> dict[str, str | None]:
    uow = UnitOfWork(make_engine(database_url))
    try:
        clocks = get_ticket(uow, policy=policy, ticket_ref=ref, now=now).clocks
    finally:
        uow.engine.dispose()
    return {c.kind.value: None if c.due is None else c.due.astimezone(policy.timezone).isoformat(timespec="seconds")
            for c in clocks.clocks}


def test_explain_reads_the_stored_log_in_the_default_language(cli: Callable[..., CliResult], database_url: str,
                                                              policy: Policy) -> None:
    ref = stored_low_ticket(database_url, policy)
    result = cli("sla", "explain", ref, "--database", database_url, "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert result.out.startswith(f"Décompte SLA de {ref} (Bas)")  # app.yaml's default language: fr
    assert "jour férié (Lundi de Pentecôte)" in result.out
    assert f"en attente du client du mar. 26 mai 10:00 CEST au mar. 26 mai 12:00 CEST, mis par {AGENT}" in result.out


def test_explain_json_gives_the_ticket_clocks_own_dues(cli: Callable[..., CliResult], database_url: str,
                                                      policy: Policy) -> None:
    ref = stored_low_ticket(database_url, policy)
    result = cli("sla", "explain", ref, "--json", "--database", database_url, "--as-of", AS_OF)
    assert result.code == 0, result.err
    clocks = result.json["clocks"]
    assert {kind: clock["due"] for kind, clock in clocks.items()} == dues(database_url, policy, ref, paris(AS_OF))
    resolution = clocks["resolution"]
    assert resolution["state"] == "paused"
    assert sum(e["seconds"] for e in resolution["entries"] if e["counted"]) == resolution["elapsed_seconds"] == 7200
