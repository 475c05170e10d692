"""``astreinte rca INC-…``: the document sent to the reporter, as Markdown or HTML, in the
ticket's language or the one asked for; drafts only with --draft; mistakes exit 2 with one
line. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.cli import main
from sla_core.rca import service as rca
from sla_core.tickets import Status
from tests.rca.test_service import CONTENT
from tests.tickets.conftest import AGENT, LEAD
from tests.tickets.helpers import ticket_in


@pytest.fixture
def cli(capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def sent_rca(uow, policy, support, rca_settings):
    ref, last = ticket_in(Status.CLOSED, uow, policy=policy, support=support)
    rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT, content=CONTENT, now=last)
    rca.submit(uow, policy=policy, support=support, settings=rca_settings, ticket_ref=ref, actor_id=AGENT, now=last)
    rca.approve(uow, policy=policy, support=support, ticket_ref=ref, actor_id=LEAD, now=last + timedelta(hours=1))
    return ref, last


def test_markdown_in_the_tickets_language_with_the_logs_timeline(cli, sent_rca, database_url, uow, support) -> None:
    ref, last = sent_rca
    rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT,
                   content=replace(CONTENT, summary="A draft correction"), now=last + timedelta(days=1))
    code, out, err = cli("rca", ref, "--database", database_url)
    assert code == 0, err
    assert out.startswith(f"# Root-cause analysis — {ref}\n")
    assert "Version 1 · sent Mon 23 Nov 11:40 CET" in out
    assert "Times are in Europe/Paris." in out
    assert "## Timeline" in out and "- Mon 23 Nov 10:10 CET — Support called back (by phone)" in out
    assert "- Callback: target 4 h, due Mon 23 Nov 14:00 CET — met (Mon 23 Nov 10:10 CET); counted 10 min" in out
    assert "- Resolution: target 24 h (business hours), due Wed 25 Nov 16:10 CET" in out
    assert "An expired signing key in the session service." in out
    assert "- Preventive: Alert 30 days before expiry — owner SRE, by 2026-12-15" in out
    assert "A draft correction" not in out  # the reporter never received it

    code, out, _ = cli("rca", ref, "--draft", "--database", database_url)
    assert code == 0 and "A draft correction" in out and "Version 2 · draft" in out
    assert "This version corrects version 1." in out


def test_html_in_french(cli, sent_rca, database_url) -> None:
    ref, _ = sent_rca
    code, out, err = cli("rca", ref, "--format", "html", "--lang", "fr", "--database", database_url)
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>") and '<html lang="fr">' in out
    assert f"<h1>Analyse des causes principales — {ref}</h1>" in out
    assert "<h2>Chronologie</h2>" in out and "<li>lun. 23 nov. 10:10 CET — Rappel du support (par téléphone)</li>" in out
    assert "Résolution : objectif 24 h (heures ouvrées)" in out
    assert "&lt;" not in out.split("<body>")[0]


def test_mistakes_exit_2_with_one_line(cli, uow, policy, support, database_url) -> None:
    code, _, err = cli("rca", "INC-2026-999999", "--database", database_url)
    assert code == 2 and err.count("\n") == 1 and "INC-2026-999999" in err
    ref, last = ticket_in(Status.RESOLVED, uow, policy=policy, support=support)
    code, _, err = cli("rca", ref, "--database", database_url)
    assert code == 2 and err.strip().endswith(f"{ref} has no root-cause analysis.")
    rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT, content=CONTENT, now=last)
    code, _, err = cli("rca", ref, "--database", database_url)
    assert code == 2 and "(add --draft for the latest draft)" in err
    code, _, err = cli("rca", ref, "--version", "7", "--database", database_url)
    assert code == 2 and "has no RCA version 7 (it has 1)" in err
    with pytest.raises(SystemExit) as usage:
        cli("rca", ref, "--format", "pdf", "--database", database_url)
    assert usage.value.code == 2
