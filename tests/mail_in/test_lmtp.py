"""Mail to the support address, handed over LMTP (aiosmtpd's server, driven by
``smtplib.LMTP`` as Postfix would), on SQLite and PostgreSQL: what a customer, an end
user, a stranger, an autoresponder and a broken mail each get."""

from __future__ import annotations

import smtplib
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy.orm import Session

from sla_core.accounts import changes
from sla_core.accounts.people import Person, PersonRole
from sla_core.tickets import service
from tests.mail_in.conftest import SUPPORT, MailRoom, mail


def test_an_administrators_mail_opens_a_ticket_with_the_severity_of_its_tag(room: MailRoom) -> None:
    assert room.deliver(mail()) == {}

    [ticket] = room.tickets()
    assert (ticket.severity, ticket.reporter_id, ticket.account_id, ticket.language, ticket.contact_channel) == (
        "critical", "U0ACMEADM", "acme", "fr", "email")
    assert ticket.title == "Le portail est en panne"
    assert ticket.description == "Plus personne ne peut se connecter depuis 9 h."
    kinds = [(kind, audience) for kind, audience, _ in room.outbox()]
    assert ("ticket_opened", "severity_channel") in kinds and ("reporter_receipt", "reporter") in kinds
    [(_, audience, notice)] = [o for o in room.outbox() if o[0] == "mail_received"]
    assert audience == "thread" and notice["severity_tagged"] is True and notice["sender"] == "alice@acme.example"
    [record] = room.records()
    assert (record.outcome, record.ticket_ref, record.answer_to) == ("open_ticket", ticket.ref, None)


def test_an_administrator_added_to_the_directory_writes_at_once_in_the_language_of_their_mail(
        room: MailRoom) -> None:
    with Session(room.engine) as session, session.begin():  # as `astreinte accounts set acme --administrator …`
        stored = changes.load(session, ["acme"])
        acme = stored.accounts["acme"]
        spec = replace(acme, people=acme.people + (
            Person(account_id="acme", role=PersonRole.ADMINISTRATOR, email="carol@acme.example"),))
        changes.apply(session, changes.plan(stored, [spec]), actor="operator", now=room.now)
    room.deliver(mail(sender="carol@acme.example", subject="Checkout is down", headers={"Content-Language": "en"}))

    [ticket] = room.tickets()
    assert (ticket.reporter_id, ticket.account_id, ticket.language) == ("mail:carol@acme.example", "acme", "en")


def test_without_a_tag_the_default_severity_is_taken_and_agents_are_asked_to_confirm_it(room: MailRoom) -> None:
    room.deliver(mail(sender="holder@acme.example", subject="Exports are slow"))

    [ticket] = room.tickets()
    assert ticket.severity == room.config.mail_in.default_severity.value == "important"
    # holder@acme has no Slack user: the ticket is theirs by address, and no Slack DM is owed.
    assert ticket.reporter_id == "mail:holder@acme.example"
    kinds = [kind for kind, _, _ in room.outbox()]
    assert "reporter_receipt" not in kinds
    [notice] = [p for kind, _, p in room.outbox() if kind == "mail_received"]
    assert notice["severity_tagged"] is False


def test_the_same_mail_delivered_twice_opens_one_ticket(room: MailRoom) -> None:
    room.deliver(mail())
    room.deliver(mail())
    assert len(room.tickets()) == 1 and len(room.records()) == 1


def _reply(ref: str, *, body: str, how: str, message_id: str = "<r1@acme.example>",
           sender: str = "holder@acme.example") -> bytes:
    headers = {"In-Reply-To": f"<{ref}.5f3a@trackforce.com>"} if how == "in-reply-to" else (
        {"References": f"<{ref}@trackforce.com> <{ref}.9c1b@trackforce.com>"} if how == "references" else {})
    subject = f"RE: [{ref}] Le portail est en panne" if how == "subject" else "RE: Le portail est en panne"
    return mail(sender=sender, subject=subject, body=body, message_id=message_id, headers=headers)


QUOTED = ("Voici le journal demandé.\n\nLe mar. 24 nov. 2026 à 10:30, Support <support@trackforce.com> a écrit :\n"
          "> Pouvez-vous nous envoyer le journal ?\n> Merci\n")


@pytest.mark.parametrize("how", ["in-reply-to", "references", "subject"])
def test_an_answer_to_a_waiting_ticket_ends_the_wait_with_only_its_new_part(room: MailRoom, how: str) -> None:
    room.deliver(mail())
    [ticket] = room.tickets()
    service.perform(room.desk.new_uow(), action=service.Action.ACKNOWLEDGE, policy=room.config.policy,
                    support=room.config.support, ticket_ref=ticket.ref, actor_id="U0AGENT01",
                    now=room.now, channel="phone")
    service.perform(room.desk.new_uow(), action=service.Action.SET_WAITING_ON_CUSTOMER, policy=room.config.policy,
                    support=room.config.support, ticket_ref=ticket.ref, actor_id="U0AGENT01",
                    now=room.now, question="Le journal ?")
    room.now += timedelta(minutes=40)

    room.deliver(_reply(ticket.ref, body=QUOTED, how=how))

    [ticket] = room.tickets()
    assert ticket.status == "in_progress"
    kind, actor, payload = room.events(ticket.ref)[-1]
    assert (kind, actor, payload["text"]) == ("customer_replied", "mail:holder@acme.example",
                                              "Voici le journal demandé.")
    assert room.records()[-1].outcome == "add_to_ticket"


def test_an_answer_when_nothing_waits_is_added_to_the_thread_and_moves_no_status(room: MailRoom) -> None:
    room.deliver(mail())
    [ticket] = room.tickets()
    room.deliver(_reply(ticket.ref, body="Ça touche aussi l'application mobile.", how="subject", sender="alice@acme.example"))

    assert room.tickets()[0].status == "opened"
    kind, actor, payload = room.events(ticket.ref)[-1]
    assert (kind, actor, payload["text"]) == ("customer_message", "U0ACMEADM", "Ça touche aussi l'application mobile.")
    assert [k for k, _, _ in room.outbox()].count("mail_received") == 2


def test_a_reference_to_another_accounts_ticket_opens_a_new_ticket_instead(room: MailRoom) -> None:
    room.deliver(mail(subject="[INC-2026-999999] un autre", message_id="<x@acme.example>"))
    [ticket] = room.tickets()
    assert ticket.ref != "INC-2026-999999" and ticket.title == "un autre"


def test_an_end_user_is_answered_with_their_administrators_and_gets_no_ticket(room: MailRoom) -> None:
    room.deliver(mail(sender="Bob <bob@acme.example>", subject="Mot de passe oublié"), mail_from="bob@acme.example")
    assert room.tickets() == []
    assert room.send_answers() == 1

    [answer] = room.inbox.messages
    assert answer["To"] == "bob@acme.example" and answer["Subject"] == "Re : Mot de passe oublié"
    assert answer["Auto-Submitted"] == "auto-replied" and answer["In-Reply-To"] == "<m1@acme.example>"
    body = answer.get_content()
    assert "ACME Corp" in body and "alice@acme.example, holder@acme.example" in body
    assert body.startswith("Bonjour,")  # the desk's default language: fr
    assert room.inbox.envelope_senders == ["<>"]  # MAIL FROM:<>: a bounce of an automatic answer goes nowhere
    assert room.send_answers() == 0  # sent once


def test_an_unknown_sender_is_answered_once_and_the_answer_waits_out_a_failing_smtp_server(room: MailRoom) -> None:
    room.deliver(mail(sender="someone@elsewhere.example", subject="Hello"), mail_from="someone@elsewhere.example")
    port, room.inbox.port = room.inbox.port, 1  # nothing listens there
    assert room.send_answers() == 0
    assert "ConnectionRefusedError" in (room.records()[0].answer_error or "")
    room.inbox.port = port
    assert room.send_answers() == 1
    [answer] = room.inbox.messages
    assert "someone@elsewhere.example" in answer.get_content() and room.tickets() == []


def test_a_stranger_writing_in_english_is_answered_in_english(room: MailRoom) -> None:
    room.deliver(mail(sender="someone@elsewhere.example", subject="Outage?", headers={"Content-Language": "en-US"}),
                 mail_from="someone@elsewhere.example")
    assert room.send_answers() == 1
    [answer] = room.inbox.messages
    assert answer["Subject"] == "Re: Outage?" and answer.get_content().startswith("Hello,")
    assert "could not find someone@elsewhere.example among the addresses" in answer.get_content()


@pytest.mark.parametrize("headers, mail_from", [
    ({"Auto-Submitted": "auto-replied"}, "alice@acme.example"),
    ({"Precedence": "bulk"}, "alice@acme.example"),
    ({"X-Autoreply": "yes"}, "alice@acme.example"),
    ({"Return-Path": "<>"}, "alice@acme.example"),
    ({}, ""),  # MAIL FROM:<>
], ids=["auto-submitted", "precedence", "x-autoreply", "return-path", "null-sender"])
def test_auto_replies_and_bounces_open_nothing_and_get_no_answer(room: MailRoom, headers: dict[str, str],
                                                                 mail_from: str) -> None:
    for sender in ("alice@acme.example", "stranger@elsewhere.example"):
        room.deliver(mail(sender=sender, subject="Absent du bureau", headers=headers,
                          message_id=f"<auto-{sender}>"), mail_from=mail_from)
    assert room.tickets() == [] and room.send_answers() == 0
    assert {r.outcome for r in room.records()} == {"ignore_automatic"}


# A Postfix bounce, as it is sent (RFC 3464), but with a From that is not a null sender.
DSN = b"""From: Mail Delivery System <bounces@mx.acme.example>\r
To: support@trackforce.com\r
Subject: Undelivered Mail Returned to Sender\r
Message-ID: <dsn1@mx.acme.example>\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\r
\r
--B1\r
Content-Type: text/plain; charset=us-ascii\r
\r
This is the mail system at host mx.acme.example. I'm sorry to have to inform you\r
that your message could not be delivered.\r
--B1\r
Content-Type: message/delivery-status\r
\r
Reporting-MTA: dns; mx.acme.example\r
\r
Final-Recipient: rfc822; nobody@acme.example\r
Action: failed\r
Status: 5.1.1\r
--B1--\r
"""


def test_a_delivery_status_notification_is_a_bounce(room: MailRoom) -> None:
    room.deliver(DSN, mail_from="bounces@mx.acme.example")
    assert room.tickets() == [] and room.send_answers() == 0
    assert (room.records()[0].outcome, room.records()[0].detail) == ("ignore_automatic", "delivery or read report")


def test_one_sender_is_rate_limited(room: MailRoom) -> None:
    limit = room.config.mail_in.rate_limit.count
    for i in range(limit + 2):
        room.deliver(mail(sender="someone@elsewhere.example", message_id=f"<n{i}@elsewhere.example>"),
                     mail_from="someone@elsewhere.example")
    outcomes = [r.outcome for r in room.records()]
    assert outcomes == ["answer_sender"] * limit + ["rate_limited"] * 2
    assert room.send_answers() == limit
    room.now += room.config.mail_in.rate_limit.period
    room.deliver(mail(sender="someone@elsewhere.example", message_id="<later@elsewhere.example>"))
    assert room.records()[-1].outcome == "answer_sender"


def test_a_malformed_mail_is_accepted_and_kept_whole_as_a_dead_letter(room: MailRoom) -> None:
    raw = b"Subject: no sender at all\r\nTo: support@trackforce.com\r\n\r\nWho am I?\r\n"
    assert room.deliver(raw) == {}
    [dead] = room.dead_letters()
    assert dead.reason == "malformed: no sender address (From)" and bytes(dead.raw) == raw
    assert dead.subject == "no sender at all" and room.tickets() == []


def test_an_oversized_mail_gets_552_and_is_kept_whole(room: MailRoom) -> None:
    limit = room.config.mail_in.max_size
    message = EmailMessage()
    message["From"] = "alice@acme.example"
    message["Subject"] = "[Critical] huge log"
    message.set_content("see attached")
    message.add_attachment(b"\0" * (limit + 1000), maintype="application", subtype="octet-stream",
                           filename="core.dump")
    raw = message.as_bytes()
    with pytest.raises(smtplib.SMTPDataError) as refused:
        room.deliver(raw)
    assert refused.value.smtp_code == 552
    [dead] = room.dead_letters()
    assert dead.reason.startswith("oversized:") and dead.size == len(bytes(dead.raw)) > limit
    assert room.tickets() == []


def test_attachments_are_listed_in_the_thread_never_opened(room: MailRoom) -> None:
    message = EmailMessage()
    message["From"] = "alice@acme.example"
    message["To"] = SUPPORT
    message["Subject"] = "[Important] Export en erreur"
    message["Message-ID"] = "<att@acme.example>"
    message.set_content("Voir les pièces jointes.")
    message.add_attachment(b"%PDF-1.4 " + b"0" * 12_000, maintype="application", subtype="pdf",
                           filename="rapport <final>.pdf")
    message.add_attachment("<script>alert(1)</script>", subtype="html", filename="page.html")
    room.deliver(message.as_bytes())

    [notice] = [p for kind, _, p in room.outbox() if kind == "mail_received"]
    assert [(a["filename"], a["content_type"]) for a in notice["attachments"]] == [
        ("rapport <final>.pdf", "application/pdf"), ("page.html", "text/html")]
    assert notice["attachments"][0]["size"] == 12_009
    assert room.tickets()[0].description == "Voir les pièces jointes."


def test_an_answer_about_a_closed_ticket_opens_a_new_one(room: MailRoom) -> None:
    room.deliver(mail())
    [ticket] = room.tickets()
    steps = [(service.Action.ACKNOWLEDGE, "U0AGENT01", {"channel": "phone"}),
             (service.Action.PROPOSE_RESOLUTION, "U0AGENT01", {"kind": "fix", "text": "Patched."}),
             (service.Action.ACCEPT_RESOLUTION, "U0ACMEADM", {}),
             (service.Action.CLOSE, "U0AGENT01", {})]
    for action, actor, fields in steps:
        service.perform(room.desk.new_uow(), action=action, policy=room.config.policy, support=room.config.support,
                        ticket_ref=ticket.ref, actor_id=actor, now=room.now, **fields)
    room.deliver(_reply(ticket.ref, body="It is back.", how="in-reply-to", sender="alice@acme.example"))

    first, second = room.tickets()
    assert first.status == "closed" and second.description == "It is back."


def test_a_mailed_ticket_owes_its_reporter_ticket_mail_at_their_address(app_config, database_url: str,
                                                                        smtp_peer) -> None:
    from dataclasses import replace

    from bot.mail.smtp_sender import SmtpSender
    from tests.mail_in.conftest import make_room

    email = replace(app_config.email, reporters=replace(app_config.email.reporters, enabled=True))
    config = replace(app_config, service_levels=replace(app_config.service_levels, email=email))
    for room in make_room(config, database_url, smtp_peer):
        room.deliver(mail(sender="holder@acme.example", subject="Exports are slow"))
        [(audience, payload)] = [(a, p) for kind, a, p in room.outbox() if kind == "reporter_email"]
        assert payload["event"] == "opened" and room.tickets()[0].reporter_id == "mail:holder@acme.example"
    assert SmtpSender(config.email, client=None).address_of("mail:holder@acme.example") == "holder@acme.example"  # type: ignore[arg-type]
