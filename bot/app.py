"""Builds the one Bolt app, whichever way it is served (HTTP or Socket Mode).

``process_before_response=True``: a listener acks and does its quick local work (a
database write is well under a millisecond to a few) before the HTTP answer goes back, so
nothing runs after the response on a server that may freeze the process; slow Slack calls
(``views.open``) run right after the ack on a small pool (``bot/after_ack.py``), and every message to a channel or a DM goes through
the outbox and the sender, never from a listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot import envelope
from bot.context import BotContext
from bot.errors import register_error_handler
from bot.request_guard import RequestGuard
from sla_core.event_dedup import first_time_seen

log = logging.getLogger("astreinte.app")


class _TokenFromClientIsIntended(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then warns
    that the token is unused. It is: our client carries it. Drop that one line only."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_TokenFromClientIsIntended())


class AstreinteApp(App):
    """Bolt's App, plus what every request passes through whichever way it arrives.

    Over HTTP, ``request_guard`` (``bot/request_guard.py``) admits a request before Bolt
    dispatches it: signature, body, envelope. Socket Mode has no signature; its payloads
    get the envelope check here. Then, while Bolt dispatches (the listener and its ack, or the
    error handler), nothing waits on Slack for a user's language: the locales it could not
    find cached are looked up after the answer (``LanguageResolver.answering``)."""

    def __init__(self, *, ctx: BotContext, signing_secret: str | None, socket_mode: bool, **bolt: Any) -> None:
        super().__init__(signing_secret=signing_secret or "", **bolt)
        self._ctx = ctx
        self.request_guard = None if socket_mode else RequestGuard(signing_secret)

    @property
    def ctx(self) -> BotContext:
        return self._ctx

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        if req.mode == "socket_mode":
            try:
                envelope.check(req.body)
            except envelope.Malformed as malformed:
                log.warning("refused a malformed Socket Mode payload: %s", malformed.reason)
                return BoltResponse(status=400, body=malformed.reason)
        with self._ctx.languages.answering() as unknown:
            response = super().dispatch(req)
        for user in unknown:
            self._ctx.after_ack(self._ctx.languages.slack_locale, user)
        return response


def build_app(ctx: BotContext, *, signing_secret: str | None, socket_mode: bool = False) -> AstreinteApp:
    app = AstreinteApp(
        ctx=ctx,
        signing_secret=signing_secret,
        socket_mode=socket_mode,
        client=ctx.client,  # carries the token, the Web API URL and the retry handlers
        process_before_response=True,
        # Over HTTP the request guard has checked this very signature on these very bytes
        # before Bolt sees the request (bot/server.py sends every POST of an event through
        # it); Bolt's middleware would compute the same HMAC again on every request. Socket
        # Mode requests carry no signature at all.
        request_verification_enabled=False,
        token_verification_enabled=True,  # calls auth.test once, failing fast on a bad token
        ignoring_self_events_enabled=True,
    )
    _register_event_dedupe(app, ctx)
    register_error_handler(app, language=ctx.language, after_ack=ctx.after_ack)
    from bot.listeners import register_listeners

    register_listeners(app, ctx)
    return app


def _register_event_dedupe(app: App, ctx: BotContext) -> None:
    app.use(SkipRetriedEvents(ctx))


class SkipRetriedEvents(Middleware):
    """Slack retries an event it thinks we missed; one already handled is acked and skipped.

    A class, not a function middleware: Bolt builds every argument a function middleware
    could ask for on each request (≈15 µs of CPU on every click), for a check that
    concerns events only."""

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx

    def process(self, *, req: BoltRequest, resp: BoltResponse,  # noqa: ARG002 - Bolt's signature
                next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002 - Bolt's name
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with self._ctx.uow() as uow:
                first = first_time_seen(uow.session, event_id=str(event_id), now=self._ctx.now())
                uow.commit()
            if not first:
                log.info("event %s already handled; Slack's retry acknowledged and skipped", event_id)
                return BoltResponse(status=200, body="")
        return next()
