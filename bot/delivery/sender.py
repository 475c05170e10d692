"""The sender: delivers the outbox to Slack.

One pass (``run_once``): claim a batch in a short transaction; for each entry, read the
ticket, render, and call Slack *outside* any transaction; record the result in another
short transaction. Bookkeeping times come from ``ctx.now()``; pacing uses real elapsed
time (Slack's rate limits run on Slack's clock).

Exactly once, as far as Slack allows: chat.postMessage has no idempotency key, so every
post carries ``metadata.event_payload.key`` = the outbox key, and a post whose outcome is
unknown (an expired lease, a lost answer, a timeout, a 5xx) is looked up by that key
before it is sent again.

Claims are short and renewed (``bot/delivery/claims.py``): a 30 s lease, renewed every
10 s while the pass works, and once more just before each post or edit. A row whose holder
died is taken over by another sender within the lease; a row taken over from a holder that
was only stalled is not sent by it any more."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from bot.context import BotContext
from bot.delivery.claims import ClaimLost, HeldClaims
from bot.delivery.compose import Mail, Operation, Post, Undeliverable, Update, WaitForRoot, compose
from bot.delivery.pacing import ChannelPacer
from bot.delivery.slack_io import Failure, SlackIO, classify, delivery_client
from bot.mail.smtp_sender import MailFailed, SmtpSender, build_message
from bot.rendering import EventNotFound
from bot.slack_client import close_client
from sla_core.outbox import store
from sla_core.outbox.address import ReporterCardDM
from sla_core.outbox.model import NotificationKind, OutboxEntry
from sla_core.tickets.errors import TicketNotFound
from sla_core.tickets.queries import get_ticket, set_slack_message
from sla_core.tickets.views import TicketView

log = logging.getLogger("bot.delivery")


class Sender:
    def __init__(self, ctx: BotContext, worker_id: str, *, batch: int = 20, lease: timedelta = timedelta(seconds=30),
                 renew_every: timedelta | None = None, max_hold: timedelta = timedelta(minutes=5),
                 channel_interval: float = 1.0, max_inline_wait: float = 2.0,
                 root_wait: timedelta = timedelta(seconds=3), permanent_attempts: int = 5,
                 backoff: timedelta = timedelta(seconds=5), max_backoff: timedelta = timedelta(minutes=10),
                 lookback: timedelta = timedelta(hours=1), timeout: float = 10,
                 in_flight_settle: float = 30.0, smtp_pause: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.ctx = ctx
        # Claims name this Sender alone: two processes may share a host name and a pid (two
        # containers), and a claim must never be mistaken for another holder's.
        self.worker_id = f"{worker_id[:70]}#{secrets.token_hex(4)}"
        self.batch, self.lease = batch, lease
        self.renew_every = renew_every if renew_every is not None else lease / 3
        self.max_hold = max_hold
        self.max_inline_wait, self.root_wait = max_inline_wait, root_wait
        self.permanent_attempts = permanent_attempts
        self.backoff, self.max_backoff = backoff, max_backoff
        self.lookback = lookback  # how far before an entry's creation its message may be found
        self.pacer = ChannelPacer(interval=channel_interval)
        self.slack = SlackIO(delivery_client(ctx.client, timeout=timeout))
        self.smtp = SmtpSender(ctx.availability.email, self.slack.client)
        self._sleep = sleep
        # A request that got no answer (timeout, reset) may still be processed by Slack:
        # its retry waits this long (seconds) before looking the post up by its key.
        self.in_flight_settle = in_flight_settle
        self._in_flight: dict[str, float] = {}  # key → monotonic time of the unanswered request
        # Once the SMTP server failed in a pass, the pass's other mails wait ``smtp_pause``
        # seconds without trying (not counted as attempts): a server that is down, or drops
        # packets (each try costing the SMTP timeout), costs one try per pass, and the Slack
        # notices of the same pass go on.
        self.smtp_pause = smtp_pause
        self._smtp_failed = False
        self._refreshed: set[tuple[str, str, str]] = set()  # (ticket ref, channel, ts) edited in this pass
        self._channel: str | None = None  # the channel of the call in flight (for a 429 hold)
        self._claims = self._new_claims()  # the current pass's (checks the lease and renewal figures)

    # ----- loop ------------------------------------------------------------------------

    def run_forever(self, stop_event: threading.Event, *, idle_timeout: float = 5.0) -> None:
        """Deliver until ``stop_event`` is set; sleep until woken (new rows) or polled."""
        try:
            while not stop_event.is_set():
                try:
                    done = self.run_once()
                except Exception:  # the database may be away for a moment: log, wait, go on
                    log.exception("sender pass failed", extra={"worker": self.worker_id})
                    done = 0
                if stop_event.is_set():
                    break
                if done < self.batch:
                    self.ctx.wait_for_work(idle_timeout)
        finally:
            close_client(self.slack.client)

    def run_once(self) -> int:
        """One pass: returns how many entries were claimed (0: nothing was ready)."""
        self._claims = self._new_claims()
        with self.ctx.uow() as uow:
            entries = store.claim(uow.session, worker=self.worker_id, now=self.ctx.now(), lease=self.lease,
                                  limit=self.batch)
            uow.commit()
        self._claims.hold(e.id for e in entries)
        self._refreshed = set()
        self._smtp_failed = False
        # Root posts first: the thread replies and refreshes of the same batch need them.
        entries.sort(key=lambda e: e.kind is not NotificationKind.TICKET_OPENED)
        with self._claims:  # renewed while the batch is worked through
            for entry in entries:
                try:
                    self._deliver(entry)
                finally:
                    self._claims.release(entry.id)
        return len(entries)

    def _new_claims(self) -> HeldClaims:
        return HeldClaims(self.ctx, worker=self.worker_id, lease=self.lease, renew_every=self.renew_every,
                          max_hold=self.max_hold)

    # ----- one entry ---------------------------------------------------------------------

    def _deliver(self, entry: OutboxEntry) -> None:
        fields = {"key": entry.key, "kind": entry.kind.value, "attempt": entry.attempts, "worker": self.worker_id}
        unsettled = self._unsettled(entry.key)
        if unsettled > 0:  # our last request for it may still land: look it up only once it cannot
            self._book(store.postpone, entry_id=entry.id, ready_at=self.ctx.now() + timedelta(seconds=unsettled))
            return
        self._channel = None
        try:
            ticket = self._ticket(entry)
            operation = compose(self.ctx, entry, ticket, permalink=self._permalink, card=self._card(entry))
            channel, ts = self._perform(entry, operation, ticket)
        except WaitForRoot:
            log.info("waiting for the root post of %s", entry.ticket_ref, extra=fields)
            self._book(store.postpone, entry_id=entry.id, ready_at=self.ctx.now() + self.root_wait)
            return
        except ClaimLost:
            log.warning("%s was taken over by another worker: not sent from here", entry.key, extra=fields)
            return
        except _Paced as paced:
            self._book(store.postpone, entry_id=entry.id, ready_at=self.ctx.now() + timedelta(seconds=paced.wait))
            return
        except (Undeliverable, EventNotFound, TicketNotFound) as exc:
            self._failed(entry, Failure(kind="permanent", error=f"{type(exc).__name__}: {exc}"), fields)
            return
        except MailFailed as exc:  # an SMTP server's 5xx fails the row at once; anything else is retried
            mail = exc.failure
            if not mail.permanent:
                self._smtp_failed = True
            self._failed(entry, Failure(kind=mail.kind, error=f"smtp: {mail.error}", maybe_landed=mail.maybe_landed,
                                        final=mail.permanent), fields)
            return
        except Exception as exc:
            failure = classify(exc)
            if failure is None:  # our bug: keep the traceback, keep the row (it is retried, then failed)
                log.exception("cannot deliver %s", entry.key, extra=fields)
                failure = Failure(kind="permanent", error=f"{type(exc).__name__}: {exc}")
            self._failed(entry, failure, fields)
            return
        if not self._book(store.mark_sent, entry_id=entry.id, channel=channel or None, ts=ts or None):
            log.warning("%s was delivered but its lease had passed to another worker", entry.key, extra=fields)
        log.info("delivered %s to %s (%s)", entry.key, channel, ts, extra={**fields, "channel": channel, "ts": ts})

    def _perform(self, entry: OutboxEntry, op: Operation, ticket: TicketView | None) -> tuple[str, str]:
        if isinstance(op, Mail):
            return self._mail(entry, op)
        if isinstance(op, Update):
            self._channel = op.channel
            edited = (ticket.ref if ticket else "", op.channel, op.ts)
            # Re-renders from the ticket's state (root post, reporter's card): once a pass.
            if entry.kind is NotificationKind.CLICKED_MESSAGE or edited not in self._refreshed:
                self._claims.confirm(entry.id)
                self.slack.update(channel=op.channel, ts=op.ts, message=op.message)
                self._refreshed.add(edited)
            return op.channel, op.ts
        channel = op.channel or self.slack.dm_channel(op.dm_user or "")
        self._channel = channel
        if entry.outcome_unknown or entry.attempts > 1:  # an earlier attempt may have landed
            oldest = (entry.created_at - self.lookback).timestamp()
            found = self.slack.find_by_key(channel=channel, key=entry.key, oldest=oldest, thread_ts=op.thread_ts)
            if found is not None:
                log.info("%s had already landed (%s): not posted again", entry.key, found,
                         extra={"key": entry.key, "kind": entry.kind.value, "attempt": entry.attempts})
                self._remember_root(op, ticket, channel, found)
                return channel, found
        self._pace(channel)
        self._claims.confirm(entry.id)  # still ours, just before the post: else another worker sends it
        posted_channel, ts = self.slack.post(channel=channel, message=op.message, key=entry.key,
                                             thread_ts=op.thread_ts, broadcast=op.broadcast)
        self.pacer.posted(channel)
        self._remember_root(op, ticket, posted_channel, ts)
        return posted_channel, ts

    def _mail(self, entry: OutboxEntry, op: Mail) -> tuple[str, str]:
        """An e-mail: no Slack channel or ts to record (the row keeps neither)."""
        if self._smtp_failed:  # the server failed in this pass: wait, and do not count this as an attempt
            raise _Paced(self.smtp_pause)
        to = self.smtp.address_of(op.user_id)
        message = build_message(op.mail, sender=self.ctx.availability.email.sender, to=to,
                                reply_to=self.ctx.wiring.contact.email or None, now=self.ctx.now())
        self._claims.confirm(entry.id)  # still ours, just before sending: else another worker sends it
        self.smtp.send(message, to=to)
        return "", ""

    def _pace(self, channel: str) -> None:
        wait = self.pacer.wait_needed(channel)
        if wait > self.max_inline_wait:
            raise _Paced(wait)
        if wait > 0:
            self._sleep(wait)

    def _remember_root(self, op: Post, ticket: TicketView | None, channel: str, ts: str) -> None:
        if op.is_root and ticket is not None:
            set_slack_message(self.ctx.uow(), ticket_ref=ticket.ref, channel=channel, ts=ts)

    def _failed(self, entry: OutboxEntry, failure: Failure, fields: dict[str, object]) -> None:
        now = self.ctx.now()
        fields = {**fields, "error": failure.error, "failure": failure.kind}
        if failure.kind == "rate_limited":
            if self._channel:
                self.pacer.hold(self._channel, failure.retry_after)
            log.warning("%s rate limited: retry in %.0f s", entry.key, failure.retry_after, extra=fields)
            self._book(store.release, entry_id=entry.id, error=failure.error,
                       retry_at=now + timedelta(seconds=failure.retry_after))
            return
        give_up = failure.kind == "permanent" and (failure.final or entry.attempts >= self.permanent_attempts)
        retry_at = now + min(self.backoff * 2 ** max(entry.attempts - 1, 0), self.max_backoff)
        if failure.in_flight:
            # No answer: Slack may store the post later. The retry, here or in another
            # replica, looks the key up only after the request has had time to settle.
            self._in_flight[entry.key] = time.monotonic()
            retry_at = max(retry_at, now + timedelta(seconds=self.in_flight_settle))
        self._book(store.release, entry_id=entry.id, error=failure.error, retry_at=retry_at, give_up=give_up)
        if give_up:
            log.error("gave up on %s after %d attempts: %s", entry.key, entry.attempts, failure.error, extra=fields)
        else:
            log.warning("%s failed (%s): retry at %s", entry.key, failure.error, retry_at.isoformat(), extra=fields)

    # ----- helpers -------------------------------------------------------------------------

    def _unsettled(self, key: str) -> float:
        """Seconds (real time) until our own unanswered request for ``key`` is settled."""
        since = self._in_flight.get(key)
        if since is None:
            return 0.0
        left = self.in_flight_settle - (time.monotonic() - since)
        if left <= 0:
            del self._in_flight[key]
        return max(left, 0.0)

    def _ticket(self, entry: OutboxEntry) -> TicketView | None:
        if entry.ticket_ref is None:
            return None
        return get_ticket(self.ctx.uow(), policy=self.ctx.policy, ticket_ref=entry.ticket_ref, now=self.ctx.now())

    def _card(self, entry: OutboxEntry) -> tuple[str, str] | None:
        """Where the reporter's receipt DM landed, for an edit of it (None: not sent yet)."""
        if not isinstance(entry.address, ReporterCardDM) or entry.ticket_id is None:
            return None
        with self.ctx.uow() as uow:
            return store.landed(uow.session, ticket_id=entry.ticket_id, kind=NotificationKind.REPORTER_RECEIPT.value)

    def _permalink(self, channel: str, ts: str) -> str:
        return self.slack.permalink(channel=channel, ts=ts)

    def _book(self, fn: Callable[..., object], **kwargs: object) -> bool:
        """One short transaction for one bookkeeping call."""
        with self.ctx.uow() as uow:
            result = fn(uow.session, worker=self.worker_id, **({"now": self.ctx.now()} if fn is store.mark_sent
                                                                 else {}), **kwargs)
            uow.commit()
        return result is not False


class _Paced(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(f"channel busy for {wait:.1f} s")
        self.wait = wait
