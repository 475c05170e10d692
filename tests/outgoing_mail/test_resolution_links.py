"""Answering a proposed resolution from its mail, over real HTTP on the real server: the
link's GET shows a page and changes nothing (mail scanners open links); the page's POST
acts, as the reporter; expired, forged and used links get a 4xx page, never a 500."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

import pytest

from sla_core.email.outgoing_links import ResolutionLink, sign

from sla_core.tickets.status import Status
from tests.outgoing_mail.conftest import PUBLIC_URL, MailDesk, SmtpPeer
from tests.slack_e2e.conftest import ADMIN, AGENT


@dataclass
class Answer:
    status: int
    raw: str  # the HTML as sent
    headers: dict[str, str]

    @property
    def body(self) -> str:
        """The page's text with HTML entities read (``n'est`` rather than ``n&#39;est``)."""
        return html.unescape(self.raw)


def http(url: str, form: dict[str, str] | None = None, *, language: str = "") -> Answer:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Accept-Language": language} if language else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.read().decode(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(), dict(error.headers))


def links_in(mail: EmailMessage) -> dict[str, str]:
    """The accept/reject links of a mail's text part, pointed at the server under test."""
    text = mail.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    found = re.findall(rf"^{re.escape(PUBLIC_URL)}(/email/resolution\?t=\S+)$", text, flags=re.M)
    assert len(found) == 2, text
    return {"accept": found[0], "reject": found[1]}


def proposed(desk: MailDesk, smtp: SmtpPeer, **form: str) -> tuple[str, dict[str, str]]:
    ref = desk.report(ADMIN, contact_channel="email", contact_phone="", **form).ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "email", "note": ""})
    desk.act(AGENT, "ticket.propose", ref, {"kind": "workaround", "text": "Use the <backup> gateway"})
    desk.deliver()
    proposal = smtp.received[-1]
    assert proposal["Subject"].startswith(f"[{ref}] ")
    html = proposal.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert f'href="{PUBLIC_URL}/email/resolution?t=' in html and "Use the &lt;backup&gt; gateway" in html
    return ref, {answer: desk.url + path for answer, path in links_in(proposal).items()}


def token_of(url: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["t"][0]


def test_opening_the_link_shows_a_confirmation_and_only_its_button_accepts(mail_desk: MailDesk,
                                                                              smtp: SmtpPeer) -> None:
    ref, links = proposed(mail_desk, smtp)
    for _ in range(3):  # a scanner, a preview, the reporter: nothing changes
        page = http(links["accept"])
        assert page.status == 200 and f"Accept the resolution of {ref}?" in page.body
        assert "<blockquote>Use the &lt;backup&gt; gateway</blockquote>" in page.raw  # shown, not interpreted
        assert '<form method="post" action="/email/resolution">' in page.raw
        assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert mail_desk.ticket(ref).status is Status.RESOLUTION_PROPOSED

    done = http(mail_desk.url + "/email/resolution", {"t": token_of(links["accept"])})
    assert done.status == 200 and "the ticket is resolved" in done.body
    ticket = mail_desk.ticket(ref)
    assert ticket.status is Status.RESOLVED
    assert ticket.events[-1].type.value == "resolution_accepted" and ticket.events[-1].actor_id == ADMIN

    again = http(mail_desk.url + "/email/resolution", {"t": token_of(links["accept"])})
    assert again.status == 409 and "already been answered" in again.body
    assert http(links["reject"]).status == 409  # the other answer is used up too
    assert len(mail_desk.ticket(ref).events) == len(ticket.events)


def test_rejecting_asks_for_the_reason_and_reopens_the_work(mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    ref, links = proposed(mail_desk, smtp)
    page = http(links["reject"])
    assert page.status == 200 and '<textarea id="reason" name="reason"' in page.body

    missing = http(mail_desk.url + "/email/resolution", {"t": token_of(links["reject"]), "reason": "  "})
    assert missing.status == 422 and "Please say why" in missing.body
    assert mail_desk.ticket(ref).status is Status.RESOLUTION_PROPOSED

    done = http(mail_desk.url + "/email/resolution", {"t": token_of(links["reject"]),
                                                      "reason": "Still failing on the backup gateway"})
    assert done.status == 200 and "is rejected" in done.body
    ticket = mail_desk.ticket(ref)
    assert ticket.status is Status.IN_PROGRESS
    assert ticket.events[-1].payload["reason"] == "Still failing on the backup gateway"
    assert ticket.events[-1].actor_id == ADMIN


def test_expired_forged_and_foreign_links_are_refused_with_a_page(mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    ref, links = proposed(mail_desk, smtp, language="fr")
    token = token_of(links["accept"])
    body, signature = token.split(".")
    forged = f"{body}.{signature[:-2]}{'AA' if not signature.endswith('AA') else 'BB'}"
    for bad in (forged, "nonsense", "", "a.b.c", body + "." + body):
        answer = http(mail_desk.url + "/email/resolution?" + urllib.parse.urlencode({"t": bad}), language="fr-FR")
        assert answer.status == 400 and "Ce lien n'est pas valide" in answer.body, bad
        posted = http(mail_desk.url + "/email/resolution", {"t": bad})
        assert posted.status == 400
    assert http(mail_desk.url + "/email/resolution", {"t": forged}).status == 400

    page = http(links["accept"])
    assert page.status == 200 and f"Accepter la résolution de {ref} ?" in page.body  # the reporter's language

    mail_desk.clock.advance(days=7, seconds=1)
    expired = http(links["accept"])
    assert expired.status == 410 and "Ce lien a expiré" in expired.body
    assert http(mail_desk.url + "/email/resolution", {"t": token}).status == 410
    assert [e.type.value for e in mail_desk.ticket(ref).events][-1] == "resolution_proposed"  # nothing done


def test_other_methods_are_refused(mail_desk: MailDesk) -> None:
    request = urllib.request.Request(mail_desk.url + "/email/resolution", method="PUT", data=b"")
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("PUT was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 405 and error.headers["Allow"] == "GET, HEAD, POST"


def test_without_a_signing_key_mails_carry_no_links_and_the_page_is_not_there(
        mail_desk: MailDesk, smtp: SmtpPeer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASTREINTE_LINK_SECRET")
    ref = mail_desk.report(ADMIN, contact_channel="email", contact_phone="").ref
    mail_desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "email", "note": ""})
    mail_desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "Patched"})
    mail_desk.deliver()
    text = smtp.received[-1].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "> Patched" in text and "/email/resolution" not in text
    forged = ResolutionLink(ref=ref, seq=3, answer="accept", reporter_id=ADMIN, lang="en",
                            expires_at=mail_desk.clock() + timedelta(days=1))
    answer = http(mail_desk.url + "/email/resolution?" + urllib.parse.urlencode({"t": sign(forged, b"k" * 32)}),
                  language="en-GB,en;q=0.8")
    assert answer.status == 404 and "not enabled" in answer.body
    assert mail_desk.ticket(ref).status is Status.RESOLUTION_PROPOSED


def test_in_socket_mode_the_health_server_serves_the_page_too(mail_desk: MailDesk, smtp: SmtpPeer) -> None:
    from types import SimpleNamespace

    from bot.offline.loopback import serve_wsgi
    from bot.socket_mode import health_only_wsgi

    ref, links = proposed(mail_desk, smtp)
    with serve_wsgi(health_only_wsgi(SimpleNamespace(ctx=mail_desk.ctx))) as url:
        page = http(url + links["accept"].removeprefix(mail_desk.url))
        assert page.status == 200 and f"Accept the resolution of {ref}?" in page.body
        done = http(url + "/email/resolution", {"t": token_of(links["accept"])})
        assert done.status == 200 and mail_desk.ticket(ref).status is Status.RESOLVED
        assert http(url + "/slack/events", {}).status == 404  # still not reachable over HTTP
