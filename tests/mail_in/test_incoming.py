"""Reading a mail to the support address (pure: no database, no network): the new part of
its text, its attachments, whether a machine sent it, the ticket it answers, the severity
its subject asks for; and whatever bytes arrive, a mail or ``MalformedMail``, never a crash."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_core.email.incoming import (
    MalformedMail, clean_subject, parse_mail, severity_tag, ticket_reference,
)
from sla_core.email.incoming_text import html_to_text, strip_quoted
from sla_core.severity import Severity
from tests.mail_in.conftest import mail

GMAIL = """Thanks, it works again.

On Tue, Nov 24, 2026 at 10:30 AM Support Desk <support@trackforce.com>
wrote:

> Could you restart the service?
"""
FRENCH = "Le redémarrage a suffi.\n\nLe mar. 24 nov. 2026 à 10:30, Support <support@trackforce.com> a écrit :\n> Pouvez-vous ?\n"
OUTLOOK = ("Still failing, see below.\n\nFrom: Support Desk <support@trackforce.com>\nSent: Tuesday, November 24, "
           "2026 10:30 AM\nTo: Alice\nSubject: RE: [INC-2026-000123] Checkout\n\nCould you restart?\n")
ORIGINAL = "Done.\n-----Original Message-----\nFrom: support@trackforce.com\nCould you restart?\n"
INTERLEAVED = "> Which version?\n5.2\n> Since when?\nThis morning, 9:00.\n"
SIGNATURE = "Here is the log.\n\n-- \nAlice Martin\nACME Corp, IT operations\n"


@pytest.mark.parametrize("text, new", [
    (GMAIL, "Thanks, it works again."),
    (FRENCH, "Le redémarrage a suffi."),
    (OUTLOOK, "Still failing, see below."),
    (ORIGINAL, "Done."),
    (INTERLEAVED, "5.2\nThis morning, 9:00."),
    (SIGNATURE, "Here is the log."),
    ("No quote at all.\nTwo lines.", "No quote at all.\nTwo lines."),
], ids=["gmail", "french", "outlook", "original-message", "interleaved", "signature", "plain"])
def test_only_the_new_part_of_an_answer_is_kept(text: str, new: str) -> None:
    assert strip_quoted(text) == new


def test_an_html_only_mail_is_read_as_text_without_its_quotes_scripts_or_styles() -> None:
    html = ("<html><head><style>p{color:red}</style></head><body><p>Bonjour,</p><p>Le <b>portail</b> &amp; "
            "l'API sont en panne.</p><script>alert(1)</script><blockquote>ancien message</blockquote></body></html>")
    assert html_to_text(html) == "Bonjour,\n\nLe portail & l'API sont en panne."
    message = EmailMessage()
    message["From"] = "alice@acme.example"
    message.set_content(html, subtype="html")
    assert parse_mail(message.as_bytes()).text == "Bonjour,\n\nLe portail & l'API sont en panne."


@pytest.mark.parametrize("subject, severity", [
    ("[Critical] Checkout down", Severity.CRITICAL), ("[CRITIQUE] Paiement impossible", Severity.CRITICAL),
    ("Re: [critique] suite", Severity.CRITICAL), ("[Urgent] down", Severity.CRITICAL),
    ("[Important] slow exports", Severity.IMPORTANT), ("[Majeure] lenteurs", Severity.IMPORTANT),
    ("[Faible] typo", Severity.LOW), ("[Low] typo", Severity.LOW), ("[Aucune] question", Severity.NONE),
    ("[INC-2026-000123] [Critique] retour", Severity.CRITICAL), ("[ACME] weekly question", None),
    ("Critical issue without brackets", None),
])
def test_the_severity_tag_of_a_subject(subject: str, severity: Severity | None) -> None:
    assert severity_tag(subject) is severity


def test_a_title_is_the_subject_without_prefixes_tags_or_reference() -> None:
    assert clean_subject("RE: TR: [Critique] [INC-2026-000123] Paiement  impossible [ACME]", "INC") == \
        "Paiement impossible [ACME]"


def _parsed(**headers: str) -> object:
    subject = headers.pop("Subject", "Hello")
    return parse_mail(mail(subject=subject, headers=headers))


@pytest.mark.parametrize("headers, ref", [
    ({"In-Reply-To": "<INC-2026-000123.7f3a9@trackforce.com>"}, "INC-2026-000123"),
    ({"In-Reply-To": "<INC-2026-000123@trackforce.com>"}, "INC-2026-000123"),  # the receipt's id
    ({"References": "<a@x> <INC-2026-000007@trackforce.com> <INC-2026-000123.1@trackforce.com>"}, "INC-2026-000123"),
    ({"Subject": "RE: [INC-2026-000123] Checkout"}, "INC-2026-000123"),
    ({"Subject": "About INC-2026-000123 again"}, "INC-2026-000123"),
    ({"Subject": "RE: [XYZ-2026-000123] another desk's ticket"}, None),
    ({"In-Reply-To": "<CAF00@mail.gmail.com>"}, None),
])
def test_the_ticket_an_answer_names(headers: dict[str, str], ref: str | None) -> None:
    assert ticket_reference(_parsed(**headers), "INC") == ref  # type: ignore[arg-type]


@pytest.mark.parametrize("headers, automatic", [
    ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
    ({"Auto-Submitted": "auto-generated"}, "Auto-Submitted: auto-generated"),
    ({"Auto-Submitted": "no"}, None),
    ({"Precedence": "junk"}, "Precedence: junk"),
    ({"Precedence": "list"}, "Precedence: list"),
    ({"Precedence": "auto_reply"}, "Precedence: auto_reply"),
    ({"X-Autoreply": "yes"}, "X-Autoreply header"),
    ({"Return-Path": "<>"}, "Return-Path: <> (a bounce)"),
    ({"List-Id": "<users.lists.acme.example>"}, "List-Id: sent by a mailing list"),
    ({}, None),
])
def test_what_a_machine_sent(headers: dict[str, str], automatic: str | None) -> None:
    assert _parsed(**headers).automatic == automatic  # type: ignore[attr-defined]


def test_a_mail_from_the_mailer_daemon_or_with_a_null_envelope_sender_is_a_bounce() -> None:
    assert parse_mail(mail(sender="MAILER-DAEMON@mx.example")).automatic == "sent by mailer-daemon"
    assert parse_mail(mail(), envelope_sender="<>").automatic == "null envelope sender (a bounce)"


@pytest.mark.parametrize("raw, reason", [
    (b"Subject: hi\r\n\r\nbody", "no sender address (From)"),
    (b"From: not an address\r\n\r\nbody", "no sender address (From)"),
    (b"From: <@acme.example>\r\n\r\n", "no sender address (From)"),
])
def test_a_mail_without_a_usable_sender_is_malformed(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedMail) as refused:
        parse_mail(raw)
    assert refused.value.reason == reason


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(st.binary(max_size=2000), st.builds(
    lambda head, body: b"From: alice@acme.example\r\nContent-Type: " + head + b"\r\n\r\n" + body,
    st.binary(max_size=200), st.binary(max_size=500))))
def test_any_bytes_are_a_mail_or_malformed_never_a_crash(raw: bytes) -> None:
    try:
        parsed = parse_mail(raw)
    except MalformedMail:
        return
    assert parsed.sender == "alice@acme.example" or "@" in parsed.sender


