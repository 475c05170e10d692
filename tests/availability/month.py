"""A month of tickets with known outcomes, built through the ticket services at explicit
Paris instants (November 2026), plus one vendor outage and one maintenance window.

| ticket | severity | callback | update intervals | resolution |
|---|---|---|---|---|
| A | critical | 30 min, met | 80 min met, 70 min met | met |
| B | critical | 45 min, met | 135 min breached (+45 min), 60 min met | met |
| C | critical | 90 min, breached (+30 min) | paused 2 h while waiting, met | met |
| D | critical → important (10:20, "only one user affected") | 3 h, met | breached (+113 h) | breached (+4 business h) |
| E | low, title with <script> | 27 business h, breached (+9 business h) | 1 h met | met |
| F | low, opened on the 30th | pending | — | pending |
| G | critical, opened in October: not in November's report |
"""

from __future__ import annotations

from sla_core.availability import Cause, record_outage, schedule_maintenance
from sla_core.severity import Severity
from sla_core.tickets import service
from tests.availability.conftest import paris
from tests.tickets.conftest import AGENT, LEAD, REPORTER, a_form

AS_OF = paris(2026, 12, 1, 9, 0)
SCRIPT_TITLE = "<script>alert(1)</script> login broken"


def build_month(uow, policy, support, config) -> dict[str, str]:  # type: ignore[no-untyped-def]
    refs: dict[str, str] = {}

    def open_(name: str, severity: str, at, title: str = "Login page returns 500") -> None:  # type: ignore[no-untyped-def]
        view = service.open_ticket(uow, policy=policy, support=support, reporter_id=REPORTER,
                                   form=a_form(severity=severity, title=title), idempotency_key=None, now=at)
        refs[name] = view.ref

    def ctx(name: str, at) -> dict[str, object]:  # type: ignore[no-untyped-def]
        return dict(policy=policy, support=support, ticket_ref=refs[name], now=at)

    def ack(name: str, at) -> None:  # type: ignore[no-untyped-def]
        service.acknowledge(uow, **ctx(name, at), actor_id=AGENT, channel="phone", note="called")

    def update(name: str, at) -> None:  # type: ignore[no-untyped-def]
        service.post_update(uow, **ctx(name, at), actor_id=AGENT, text="still on it")

    def resolve(name: str, proposed, accepted) -> None:  # type: ignore[no-untyped-def]
        service.propose_resolution(uow, **ctx(name, proposed), actor_id=AGENT, kind="fix", text="patched")
        service.accept_resolution(uow, **ctx(name, accepted), actor_id=REPORTER)

    open_("G", "critical", paris(2026, 10, 28, 10, 0))
    ack("G", paris(2026, 10, 28, 13, 0))

    open_("A", "critical", paris(2026, 11, 2, 10, 0))
    ack("A", paris(2026, 11, 2, 10, 30))
    update("A", paris(2026, 11, 2, 11, 50))
    resolve("A", paris(2026, 11, 2, 13, 0), paris(2026, 11, 2, 14, 0))

    open_("B", "critical", paris(2026, 11, 3, 10, 0))
    ack("B", paris(2026, 11, 3, 10, 45))
    update("B", paris(2026, 11, 3, 13, 0))
    resolve("B", paris(2026, 11, 3, 14, 0), paris(2026, 11, 3, 15, 0))

    open_("C", "critical", paris(2026, 11, 4, 10, 0))
    ack("C", paris(2026, 11, 4, 11, 30))
    service.set_waiting_on_customer(uow, **ctx("C", paris(2026, 11, 4, 12, 0)), actor_id=AGENT, question="logs please")
    service.customer_replied(uow, **ctx("C", paris(2026, 11, 4, 14, 0)), actor_id=REPORTER, text="here")
    resolve("C", paris(2026, 11, 4, 14, 30), paris(2026, 11, 4, 15, 30))

    open_("D", "critical", paris(2026, 11, 5, 10, 0))
    service.change_severity(uow, **ctx("D", paris(2026, 11, 5, 10, 20)), actor_id=AGENT, severity=Severity.IMPORTANT,
                            reason="only one user affected")
    ack("D", paris(2026, 11, 5, 13, 0))
    resolve("D", paris(2026, 11, 10, 10, 0), paris(2026, 11, 10, 11, 0))

    open_("E", "low", paris(2026, 11, 16, 10, 0), title=SCRIPT_TITLE)
    ack("E", paris(2026, 11, 19, 10, 0))
    resolve("E", paris(2026, 11, 19, 11, 0), paris(2026, 11, 19, 12, 0))

    open_("F", "low", paris(2026, 11, 30, 10, 0))

    record_outage(uow, support=support, actor_id=AGENT, service="api", cause=Cause.VENDOR,
                  started_at=paris(2026, 11, 10, 8, 0), ended_at=paris(2026, 11, 10, 12, 0), ticket_ref=refs["D"],
                  now=AS_OF)
    schedule_maintenance(uow, policy=policy, support=support, settings=config.maintenance, actor_id=LEAD,
                         service="api", starts_at=paris(2026, 11, 21, 22, 0), ends_at=paris(2026, 11, 22, 0, 0),
                         reason="database upgrade", now=paris(2026, 11, 1, 9, 0))
    return refs
