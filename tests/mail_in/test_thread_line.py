"""What the ticket's thread says about an e-mail, in both languages: from whom, its
attachments by name and size (escaped for mrkdwn, never a link or an image), and the
severity the agents are asked to confirm."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from bot.rendering.mail_in import render_mail_received
from sla_core.outbox.address import TicketThread
from sla_core.outbox.model import MailAttachment, MailReceived, OutboxEntry

AT = datetime(2026, 11, 24, 9, tzinfo=UTC)


def _entry(**fields: object) -> OutboxEntry:
    notice = MailReceived(ref="INC-2026-000001", seq=1, event="opened", sender="alice@acme.example", **fields)  # type: ignore[arg-type]
    return OutboxEntry(id=1, key="k", payload=notice, address=TicketThread(), ticket_id=1, due_at=AT, attempts=0,
                       outcome_unknown=False, created_at=AT)


def _text(lang: str, **fields: object) -> str:
    ticket = SimpleNamespace(severity="important")
    return render_mail_received(None, _entry(**fields), ticket, lang, lambda c, t: "")  # type: ignore[arg-type]


@pytest.mark.parametrize("lang, words", [
    ("en", ["Received by e-mail from alice@acme.example.", "Attachments, listed and not opened: "
            "rapport &lt;final&gt;.pdf (12 KB), dump.bin (1.5 MB), a.txt (999 B)",
            "No severity tag in the subject: opened as *Important*, the default. Agents, confirm"]),
    ("fr", ["Reçu par e-mail de alice@acme.example.", "Pièces jointes, listées et non ouvertes : "
            "rapport &lt;final&gt;.pdf (12 Ko), dump.bin (1,5 Mo), a.txt (999 o)",
            "Pas de sévérité indiquée dans l'objet : ouvert en *Important*"]),
])
def test_a_new_tickets_mail_lists_its_attachments_and_asks_to_confirm_the_severity(lang: str,
                                                                                   words: list[str]) -> None:
    out = _text(lang, severity_tagged=False, attachments=(
        MailAttachment(filename="rapport <final>.pdf", content_type="application/pdf", size=12_009),
        MailAttachment(filename="dump.bin", content_type="application/octet-stream", size=1_500_000),
        MailAttachment(filename="a.txt", content_type="text/plain", size=999)))
    for piece in words:
        assert piece in out.text
    assert [b["type"] for b in out.blocks] == ["section"] * 3


def test_an_answer_says_only_whom_it_came_from() -> None:
    out = _text("en")
    assert out.text == ":incoming_envelope: Received by e-mail from alice@acme.example."
