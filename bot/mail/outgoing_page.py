"""``/email/resolution``: the page an accept/reject link of a proposal's mail opens.

``GET`` only shows what the link would do and a button; it never changes a ticket (mail
scanners and link previewers open every link). ``POST`` — the page's button, carrying the
same signed token, which is what protects it from cross-site requests — performs the
existing action (accept, or reject with a reason) through the ticket service, with the
reporter as the actor. An expired, forged or already answered link gets a page saying so,
with a 4xx status; only our own fault is a 500."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.context import BotContext
from bot.errors import new_incident_id, user_message
from bot.mail.outgoing_links import RESOLUTION_PATH, link_secret
from messages import language_of, render_plain
from sla_core.email.outgoing_links import ACCEPT, LinkRefused, ResolutionLink, verify
from sla_core.errors import AstreinteError
from sla_core.field_limits import ACTION_TEXT_MAX
from sla_core.tickets.actions import Action, EventKind
from sla_core.tickets.errors import TicketNotFound
from sla_core.tickets.queries import get_ticket
from sla_core.tickets.service import perform
from sla_core.tickets.status import Status
from sla_core.tickets.views import EventView, TicketView

log = logging.getLogger("bot.mail")

StartResponse = Callable[..., Any]
MAX_FORM_BYTES = 16 * 1024
_STATUS = {200: "200 OK", 400: "400 Bad Request", 404: "404 Not Found", 405: "405 Method Not Allowed",
           409: "409 Conflict", 410: "410 Gone", 413: "413 Content Too Large", 422: "422 Unprocessable Content",
           500: "500 Internal Server Error"}
_REFUSAL_STATUS = {"forged": 400, "expired": 410, "used": 409, "disabled": 404}


@dataclass(frozen=True, kw_only=True)
class Form:
    action: str
    token: str
    answer: str
    button: str
    reason_label: str = ""
    reason: str = ""
    reason_max: int = ACTION_TEXT_MAX
    error: str = ""


@dataclass(frozen=True, kw_only=True)
class Page:
    lang: str
    title: str
    paragraphs: tuple[str, ...] = ()
    quoted: str = ""
    form: Form | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _template() -> Any:
    env = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent), undefined=StrictUndefined,
                      autoescape=select_autoescape(enabled_extensions=("html.j2",), default=True))
    return env.get_template("outgoing_page.html.j2")


class ResolutionPage:
    """The WSGI handler for ``RESOLUTION_PATH``."""

    def __init__(self, ctx: BotContext, *, environ: Mapping[str, str] | None = None) -> None:
        self.ctx = ctx
        self.settings = ctx.availability.email.reporters
        self.secret = link_secret(self.settings, environ)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        lang = self._guess_language(environ)
        try:
            if method in ("GET", "HEAD"):
                status, page = self._show(parse_qs(environ.get("QUERY_STRING", "")).get("t", [""])[0], lang)
            elif method == "POST":
                status, page = self._act(environ, lang)
            else:
                return _answer(start_response, 405, self._refused("forged", lang), allow="GET, HEAD, POST")
        except LinkRefused as refused:
            status, page = _REFUSAL_STATUS.get(refused.code, 400), self._refused(refused.code, refused.lang or lang)
        except Exception:  # our fault: say so without the details, keep them in the log
            incident = new_incident_id()
            log.exception("error %s on %s", incident, RESOLUTION_PATH)
            status, page = 500, Page(lang=lang, title=render_plain("email.page.refused_title", lang),
                                     paragraphs=(f"Error {incident}",))
        return _answer(start_response, status, page, head=method == "HEAD")

    # ----- GET: show, change nothing ------------------------------------------------------------
    def _show(self, token: str, lang: str) -> tuple[int, Page]:
        link = self._verify(token)
        ticket, proposal = self._pending(link)
        return 200, self._confirm(link, token, ticket, proposal)

    # ----- POST: act ----------------------------------------------------------------------------
    def _act(self, environ: dict[str, Any], lang: str) -> tuple[int, Page]:
        try:
            size = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = -1
        if not 0 <= size <= MAX_FORM_BYTES:
            return 413 if size > MAX_FORM_BYTES else 400, self._refused("forged", lang)
        body = environ["wsgi.input"].read(size).decode("utf-8", "replace") if size else ""
        form = parse_qs(body, max_num_fields=10)
        token = form.get("t", [""])[0]
        link = self._verify(token)
        ticket, proposal = self._pending(link)
        reason = form.get("reason", [""])[0].strip()
        fields: dict[str, Any] = {}
        if link.answer != ACCEPT:
            if not reason:
                return 422, self._confirm(link, token, ticket, proposal,
                                          error=render_plain("email.page.reason_required", link.lang))
            fields["reason"] = reason
        action = Action.ACCEPT_RESOLUTION if link.answer == ACCEPT else Action.REJECT_RESOLUTION
        try:
            perform(self.ctx.uow(), action=action, policy=self.ctx.policy, support=self.ctx.support,
                    ticket_ref=link.ref, actor_id=link.reporter_id, now=self.ctx.now(), **fields)
        except AstreinteError as exc:
            self._pending(link)  # answered meanwhile (another click, the silence ran out): "used"
            problem = user_message(exc, link.lang)
            return 409, Page(lang=link.lang, title=render_plain("email.page.refused_title", link.lang),
                             paragraphs=(render_plain("email.page.refused.refused", link.lang, problem=problem),))
        self.ctx.wake_sender()
        log.info("%s: resolution %sed from e-mail by %s", link.ref, link.answer, link.reporter_id)
        return 200, Page(lang=link.lang, title=render_plain(f"email.page.done.{link.answer}", link.lang, ref=link.ref))

    # ----- shared -------------------------------------------------------------------------------
    def _verify(self, token: str) -> ResolutionLink:
        if self.secret is None or self.settings.public_url is None:
            raise LinkRefused("disabled")
        return verify(token, self.secret, now=self.ctx.now())

    def _pending(self, link: ResolutionLink) -> tuple[TicketView, EventView]:
        """The ticket and the proposal the link answers, while it is the one waiting."""
        try:
            ticket = get_ticket(self.ctx.uow(), policy=self.ctx.policy, ticket_ref=link.ref, now=self.ctx.now())
        except TicketNotFound:
            raise LinkRefused("forged", f"no ticket {link.ref}", lang=link.lang) from None
        proposals = [e for e in ticket.events if e.type is EventKind.RESOLUTION_PROPOSED]
        if ticket.status is not Status.RESOLUTION_PROPOSED or not proposals or proposals[-1].seq != link.seq:
            raise LinkRefused("used", f"{link.ref} no longer waits on proposal #{link.seq}", lang=link.lang)
        if ticket.clocks.auto_accept_at is not None and self.ctx.now() >= ticket.clocks.auto_accept_at:
            raise LinkRefused("used", f"{link.ref}'s proposal counts as accepted", lang=link.lang)
        return ticket, proposals[-1]

    def _confirm(self, link: ResolutionLink, token: str, ticket: TicketView, proposal: EventView, *,
                 error: str = "") -> Page:
        lang = link.lang
        kind = str(proposal.payload.get("kind") or "")
        noun = render_plain(f"email.resolution_noun.{kind}", lang) if kind in ("fix", "workaround") else kind
        rejecting = link.answer != ACCEPT
        return Page(
            lang=lang, title=render_plain(f"email.page.title.{link.answer}", lang, ref=ticket.ref),
            paragraphs=(render_plain("email.page.proposal", lang, noun=noun, title=ticket.title),),
            quoted=str(proposal.payload.get("text") or ""),
            form=Form(action=RESOLUTION_PATH, token=token, answer=link.answer,
                      button=render_plain(f"email.page.confirm.{link.answer}", lang),
                      reason_label=render_plain("email.page.reason_label", lang) if rejecting else "",
                      error=error))

    def _refused(self, code: str, lang: str) -> Page:
        return Page(lang=lang, title=render_plain("email.page.refused_title", lang),
                    paragraphs=(render_plain(f"email.page.refused.{code}", lang),))

    def _guess_language(self, environ: Mapping[str, Any]) -> str:
        """Before a token is read: ``?lang=``, else the browser's first language we speak."""
        asked = parse_qs(environ.get("QUERY_STRING", "")).get("lang", [""])[0]
        for candidate in [asked, *str(environ.get("HTTP_ACCEPT_LANGUAGE", "")).split(",")]:
            lang = language_of(candidate.split(";")[0].strip())
            if lang:
                return lang
        return self.ctx.wiring.default_language


def _answer(start_response: StartResponse, status: int, page: Page, *, head: bool = False,
            allow: str | None = None) -> Iterable[bytes]:
    body = _template().render(page=page).encode("utf-8")
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
               ("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer"),  # the token is in the URL
               ("X-Content-Type-Options", "nosniff"),
               ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                           "frame-ancestors 'none'"),
               ("Content-Language", page.lang)]
    if allow:
        headers.append(("Allow", allow))
    start_response(_STATUS[status], headers)
    return [] if head else [body]
