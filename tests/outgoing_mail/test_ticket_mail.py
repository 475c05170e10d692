"""Ticket mail to the reporter, end to end: a ticket opened and worked through Slack on
the real app, the outbox delivered by the real sender to a real SMTP server on loopback
(aiosmtpd), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

from sqlalchemy import select

from sla_core.outbox.models import OutboxRow
from tests.outgoing_mail.conftest import EMAILS, MailDesk, SmtpPeer
from tests.slack_e2e.conftest import ADMIN, AGENT, HOLDER

DOMAIN = "trackforce.com"  # of email.from


def parts(mail: EmailMessage) -> tuple[str, str]:
    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "a text part and an HTML part"
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


def mail_rows(desk: MailDesk) -> list[Any]:
    """The outbox's mail rows as they stand (status, attempts, last_error, ready_at, takeovers)."""
    with desk.ctx.uow() as uow:
        return list(uow.session.execute(
            select(OutboxRow.status, OutboxRow.attempts, OutboxRow.last_error, OutboxRow.ready_at,
                   OutboxRow.takeovers).where(OutboxRow.kind == "reporter_email").order_by(OutboxRow.id)))


def test_a_reporter_who_chose_email_gets_the_receipt_and_every_customer_visible_message_threaded(
        mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    desk = mail_desk
    ref = desk.report(ADMIN, contact_channel="email", contact_phone="",
                      title="Login <b>page</b> & API return 500").ref
    desk.deliver()

    [receipt] = smtp.received
    assert smtp.envelopes == [[EMAILS[ADMIN]]]  # the address of the reporter's Slack profile
    assert receipt["To"] == EMAILS[ADMIN] and receipt["From"] == "support@trackforce.com"
    assert receipt["Subject"] == f"[{ref}] Ticket received: Login <b>page</b> & API return 500"
    assert receipt["Message-ID"] == f"<{ref}@{DOMAIN}>"  # the ticket's first mail: its thread's root
    assert receipt["In-Reply-To"] is None
    assert receipt["Auto-Submitted"] == "auto-generated"
    assert receipt["Reply-To"] == "support@trackforce.com"
    assert parsedate_to_datetime(receipt["Date"]) == desk.clock()
    text, html = parts(receipt)
    assert "Callback within" in text and "Phone:" not in text.split("To reach us")[0]
    assert "Login <b>page</b> & API return 500" in text  # plain text as written
    assert "Login &lt;b&gt;page&lt;/b&gt; &amp; API return 500" in html and "<b>page</b>" not in html  # escaped

    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "email", "note": ""})
    desk.act(AGENT, "ticket.note", ref, {"text": "internal: suspect the LB"})
    desk.act(AGENT, "ticket.update", ref, {"text": "Rolling back the release.\nETA 30 min."})
    desk.act(AGENT, "ticket.severity", ref, {"severity": "important", "reason": "workaround in place"})
    desk.deliver()

    subjects = [m["Subject"] for m in smtp.received]
    assert subjects == [
        f"[{ref}] Ticket received: Login <b>page</b> & API return 500",
        f"[{ref}] Picked up by our support team: Login <b>page</b> & API return 500",
        f"[{ref}] Update: Login <b>page</b> & API return 500",
        f"[{ref}] Severity now Important: Login <b>page</b> & API return 500",
    ], "the internal note is never mailed"
    ids = [m["Message-ID"] for m in smtp.received]
    assert len(set(ids)) == 4
    for mail in smtp.received[1:]:
        assert mail["Message-ID"].startswith(f"<{ref}.") and mail["Message-ID"].endswith(f"@{DOMAIN}>")
        assert mail["In-Reply-To"] == f"<{ref}@{DOMAIN}>" and mail["References"] == f"<{ref}@{DOMAIN}>"
        assert mail["Auto-Submitted"] == "auto-generated"
    update_text, update_html = parts(smtp.received[2])
    assert "> Rolling back the release.\n> ETA 30 min." in update_text
    assert "Rolling back the release.<br>ETA 30 min." in update_html
    assert "workaround in place" in parts(smtp.received[3])[0]
    assert all(row.status == "sent" for row in mail_rows(desk))


def test_mail_speaks_the_reporters_language(mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    ref = mail_desk.report(HOLDER, contact_channel="email", contact_phone="", language="fr",
                           title="Export bloqué").ref
    mail_desk.deliver()
    [receipt] = smtp.received
    assert receipt["Subject"] == f"[{ref}] Ticket reçu : Export bloqué"
    assert receipt["Content-Language"] == "fr"
    text, html = parts(receipt)
    assert "Nous avons bien reçu votre ticket" in text and "Rappel sous" in text
    assert '<html lang="fr">' in html and "Nos engagements pour cette sévérité" in html


def test_who_gets_mail_follows_the_contact_preference_and_the_severitys_channels(
        mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    phone = mail_desk.report(ADMIN).ref  # Critical, phone: Critical's channels are [phone] here
    low = mail_desk.report(HOLDER, severity="low").ref  # phone preferred, but Low lists email
    mail_desk.deliver()
    assert [m["Subject"].split("]")[0] for m in smtp.received] == [f"[{low}"]
    assert phone != low


def test_a_server_that_is_down_loses_nothing_and_the_mail_goes_once_when_it_is_back(
        mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    smtp.stop()  # connection refused
    ref = mail_desk.report(ADMIN, contact_channel="email", contact_phone="").ref
    mail_desk.deliver()
    [row] = mail_rows(mail_desk)
    assert row.status == "pending" and row.attempts == 1 and "Connection" in (row.last_error or "")
    assert row.ready_at > mail_desk.clock()  # backed off

    mail_desk.clock.advance(seconds=5)
    mail_desk.deliver()  # still down: still pending, tried again later
    [row] = mail_rows(mail_desk)
    assert row.status == "pending" and row.attempts == 2

    smtp.mode = "busy"  # back, but answering 421: still a transient failure
    smtp.start()
    mail_desk.clock.advance(seconds=10)
    mail_desk.deliver()
    [row] = mail_rows(mail_desk)
    assert row.status == "pending" and row.attempts == 3 and "421 4.3.2" in row.last_error
    assert smtp.received == []

    smtp.mode = "accept"
    mail_desk.clock.advance(minutes=1)
    mail_desk.deliver()
    mail_desk.clock.advance(hours=1)
    mail_desk.deliver()  # nothing left to send: the mail went once
    [row] = mail_rows(mail_desk)
    assert row.status == "sent"
    assert [m["Message-ID"] for m in smtp.received] == [f"<{ref}@{DOMAIN}>"]


def test_while_the_server_is_down_one_mail_a_pass_tries_it_and_slack_notices_go_on(
        mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    smtp.stop()
    first = mail_desk.report(ADMIN, contact_channel="email", contact_phone="").ref
    second = mail_desk.report(HOLDER, contact_channel="email", contact_phone="").ref
    mail_desk.deliver()
    rows = mail_rows(mail_desk)
    assert [r.status for r in rows] == ["pending", "pending"]
    assert sorted(r.attempts for r in rows) == [0, 1]  # the second waited without trying
    assert all(r.ready_at > mail_desk.clock() for r in rows)
    assert len(mail_desk.slack.messages("C0SUPCRIT")) == 2  # both root posts went out meanwhile

    smtp.start()
    mail_desk.clock.advance(minutes=1)
    mail_desk.deliver()
    assert sorted(m["Message-ID"] for m in smtp.received) == sorted(
        [f"<{first}@{DOMAIN}>", f"<{second}@{DOMAIN}>"])


def test_a_permanent_refusal_is_recorded_as_failed_with_the_servers_reason(
        mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    smtp.mode = "refuse"
    mail_desk.report(ADMIN, contact_channel="email", contact_phone="")
    mail_desk.deliver()
    [row] = mail_rows(mail_desk)
    assert row.status == "failed" and row.attempts == 1
    assert "550" in row.last_error and "User unknown" in row.last_error
    smtp.mode = "accept"
    mail_desk.clock.advance(hours=1)
    mail_desk.deliver()
    assert smtp.received == []  # failed for good: not retried


def test_one_mail_per_event_however_often_it_is_decided_or_delivered(mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    ref = mail_desk.report(ADMIN, contact_channel="email", contact_phone="").ref
    ticket = mail_desk.ticket(ref)
    from sla_core.outbox.ticket_notices import write_notices

    with mail_desk.ctx.uow() as uow:  # the same events' notices decided again (a retried request)
        assert write_notices(uow, ticket.events, now=mail_desk.clock(),
                             mail=mail_desk.ctx._write_notices.keywords["mail"]) == 0  # type: ignore[attr-defined]
        uow.commit()
    mail_desk.deliver()
    mail_desk.clock.advance(minutes=5)
    mail_desk.deliver()
    assert len(smtp.received) == 1 and len(mail_rows(mail_desk)) == 1


def test_a_mail_whose_first_attempt_died_mid_send_is_sent_by_the_next_worker_with_the_same_message_id(
        mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    ref = mail_desk.report(ADMIN, contact_channel="email", contact_phone="").ref
    from sla_core.outbox import store

    with mail_desk.ctx.uow() as uow:  # a worker claims everything, then its process dies
        claimed = store.claim(uow.session, worker="dead-worker", now=mail_desk.clock(),
                              lease=timedelta(seconds=30), limit=50)
        uow.commit()
    assert any(e.kind.value == "reporter_email" for e in claimed)
    mail_desk.deliver()
    assert smtp.received == []  # its lease still runs
    mail_desk.clock.advance(seconds=31)
    mail_desk.deliver()  # taken over once the lease ran out
    assert [m["Message-ID"] for m in smtp.received] == [f"<{ref}@{DOMAIN}>"]
    [row] = mail_rows(mail_desk)
    assert row.status == "sent" and row.takeovers == 1


def test_a_whole_life_in_french_one_mail_per_event_the_customer_sees(mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    desk = mail_desk
    ref = desk.report(HOLDER, contact_channel="email", contact_phone="", language="fr", title="Export bloqué").ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "Rappelé à 19h40"})
    desk.act(AGENT, "ticket.waiting", ref, {"question": "Quelle version utilisez-vous ?"})
    desk.act(AGENT, "ticket.customer_replied", ref, {"text": "5.2, par téléphone"})  # the customer's own: no mail
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "Correctif 5.2.1"})
    desk.click(HOLDER, "reporter.accept", ref)  # their own answer: no mail
    desk.act(AGENT, "ticket.reopen", ref, {"reason": "Le problème est revenu"})
    desk.act(AGENT, "ticket.propose", ref, {"kind": "workaround", "text": "Redémarrer l'export"})
    desk.click(HOLDER, "reporter.accept", ref)
    desk.click(AGENT, "ticket.close", ref)
    desk.deliver()

    subjects = [m["Subject"].removeprefix(f"[{ref}] ") for m in smtp.received]
    assert subjects == ["Ticket reçu : Export bloqué", "Pris en charge par notre support : Export bloqué",
                        "Nous attendons votre réponse : Export bloqué", "Proposition de correctif : Export bloqué",
                        "Rouvert : Export bloqué", "Proposition de contournement : Export bloqué",
                        "Clôturé : Export bloqué"]
    texts = [parts(m)[0] for m in smtp.received]
    assert "par téléphone" in texts[1] and "> Rappelé à 19h40" in texts[1]
    assert "> Quelle version utilisez-vous ?" in texts[2] and "suspendus" in texts[2]
    assert "> Correctif 5.2.1" in texts[3] and "Accepter la résolution" in texts[3]  # the links, in French
    assert "> Le problème est revenu" in texts[4] and "> Redémarrer l'export" in texts[5]
    assert all(m["In-Reply-To"] == f"<{ref}@{DOMAIN}>" for m in smtp.received[1:])
    assert len({m["Message-ID"] for m in smtp.received}) == len(smtp.received)
