"""The LMTP receiver (RFC 2033), on aiosmtpd, the way Mailman 3 takes mail from Postfix:
the mail server keeps each mail in its queue until we answer, so a mail is never lost to
a crash of ours; we answer only once it is recorded.

Per recipient, after DATA:
- ``250`` once the mail is recorded: acted on, ignored (auto-reply, bounce, rate limit) or
  kept as a dead letter (malformed, failed while acted on: the sender needs no bounce,
  the support team sees it in ``astreinte mail list-failed``);
- ``552`` when larger than ``mail_in.max_size``: kept as a dead letter all the same, and
  the mail server tells the sender it was too large;
- ``451`` when the database cannot be written: the mail server keeps it and retries.

aiosmtpd's own size limit (``hard_limit``) sits above ``max_size`` so that an oversized
mail still reaches us to be kept; beyond it aiosmtpd itself answers 552 without keeping
anything (set Postfix's ``message_size_limit`` at or below it, and the sender has their
copy). Receiving runs in a worker thread: the event loop never waits on the database."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiosmtpd.lmtp import LMTP

from sla_core.email.incoming_service import MailDesk, receive

log = logging.getLogger(__name__)

OK = "250 2.0.0 Delivered to the support desk"
TOO_BIG = "552 5.3.4 Message too big for the support desk (kept for its team)"
TRY_LATER = "451 4.3.0 The support desk cannot record mail just now; try again later"


def hard_limit(max_size: int) -> int:
    """What aiosmtpd accepts at all: room above ``max_size`` to keep an oversized mail."""
    return max(2 * max_size, max_size + 10 * 1000 ** 2)


class MailInHandler:
    """aiosmtpd's handler: every recipient of one mail gets the same answer (the mail is
    received once, whatever the number of our addresses it was sent to)."""

    def __init__(self, desk: MailDesk, *, clock: Callable[[], datetime],
                 received: Callable[[], None] | None = None) -> None:
        self.desk = desk
        self.clock = clock
        self.received = received  # wakes the answers' sender

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or b"")
        sender = envelope.mail_from
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(
                None, lambda: receive(self.desk, raw, via="lmtp", now=self.clock(), envelope_sender=sender))
        except Exception:  # noqa: BLE001 - the database failed: the mail server keeps the mail and retries
            log.exception("a mail from %r could not be recorded; answered 451", sender)
            status = TRY_LATER
        else:
            status = TOO_BIG if result.oversized else OK
            if self.received is not None:
                self.received()
        # LMTP answers once per accepted recipient (RFC 2033 §4.2), as Mailman 3's runner does.
        return "\r\n".join([status] * max(1, len(envelope.rcpt_tos)))


class LmtpServer:
    """An LMTP server on its own event loop thread; ``start()`` returns the bound port
    (``port=0`` picks a free one, for tests)."""

    def __init__(self, handler: MailInHandler, *, host: str, port: int, max_size: int) -> None:
        self.handler, self.host, self.port, self.max_size = handler, host, port, max_size
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="lmtp", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    def _factory(self) -> LMTP:
        return LMTP(self.handler, data_size_limit=hard_limit(self.max_size), enable_SMTPUTF8=True,
                    decode_data=False, ident="Astreinte LMTP", loop=self.loop,
                    hostname=socket.gethostname())  # not aiosmtpd's default getfqdn(): no DNS at each connection

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self._server = self.loop.run_until_complete(self.loop.create_server(self._factory, self.host, self.port))
        except BaseException as exc:  # noqa: BLE001 - told to start(), which raises it
            self._failure = exc
            self._ready.set()
            return
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self.loop.run_forever()
        self._server.close()
        self.loop.run_until_complete(self._server.wait_closed())
        self.loop.close()

    def start(self) -> int:
        self.thread.start()
        self._ready.wait()
        if self._failure is not None:
            raise self._failure
        return self.port

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
