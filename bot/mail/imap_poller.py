"""Fetching mail from a hosted mailbox over IMAP (the standard library's ``imaplib``), for
desks whose support address lives at a mail provider rather than on their own Postfix.

Every ``poll_seconds`` a pass logs in, selects the mailbox and takes every message still
in it, by UID (``UID SEARCH``, ``UID FETCH … BODY.PEEK[]``: peeking leaves the message
unread for people who also look at the mailbox). Each message is received
(``sla_core.email.incoming_service.receive``: recorded, acted on or kept as a dead letter)
and only then moved to ``processed_mailbox`` (``UID MOVE``, RFC 6851; else ``UID COPY``
then ``\\Deleted`` and ``EXPUNGE``). Nothing is deleted without a copy, and a pass that
stops half-way (a crash, a lost connection) leaves the rest in the mailbox: the next pass
takes them, and a message received but not yet moved is recognised (its sender and
Message-ID) and only moved.

Why polling and not IDLE: one connection a minute is what hosted mailboxes allow without
fuss, and support mail needs no second-by-second latency (the callback targets start at
an hour). Why ``imaplib``: the standard library speaks IMAP4rev1 fully for these few
commands; a client library (imapclient, aioimaplib) would add a dependency for parsing we
do not need."""

from __future__ import annotations

import imaplib
import logging
import os
import re
import ssl
import threading
from collections.abc import Callable, Mapping
from datetime import datetime

from sla_core.config.mail_in import ImapSettings
from sla_core.email.incoming_service import MailDesk, receive

log = logging.getLogger(__name__)

Connect = Callable[[ImapSettings], imaplib.IMAP4]


def connect(settings: ImapSettings) -> imaplib.IMAP4:
    if settings.tls:
        return imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=ssl.create_default_context(), timeout=30)
    return imaplib.IMAP4(settings.host, settings.port, timeout=30)


def quoted(mailbox: str) -> str:
    """A mailbox name as an IMAP quoted string (imaplib sends arguments as they are)."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapFailed(Exception):
    """The server refused a command we need (login, select, move): the pass stops there."""


def _ok(result: tuple[str, list[object]], what: str) -> list[object]:
    typ, data = result
    if typ != "OK":
        raise ImapFailed(f"{what}: {typ} {b' '.join(d for d in data if isinstance(d, bytes)).decode(errors='replace')}")
    return data


class ImapPoller:
    def __init__(self, settings: ImapSettings, desk: MailDesk, *, clock: Callable[[], datetime],
                 environ: Mapping[str, str] | None = None, connect: Connect = connect,
                 received: Callable[[], None] | None = None) -> None:
        self.settings, self.desk, self.clock = settings, desk, clock
        self.password = (os.environ if environ is None else environ).get(settings.password_env, "")
        self.connect = connect
        self.received = received

    def poll_once(self) -> int:
        """One pass; returns how many messages were received and moved."""
        imap = self.connect(self.settings)
        try:
            _ok(imap.login(self.settings.username, self.password), "LOGIN")
            capabilities = self._capabilities(imap)
            self._ensure_processed_mailbox(imap)
            _ok(imap.select(quoted(self.settings.mailbox)), f"SELECT {self.settings.mailbox}")
            data = _ok(imap.uid("SEARCH", "UNDELETED"), "UID SEARCH")
            uids = [u for u in (data[0] or b"").split() if isinstance(data[0], bytes)] if data else []
            done = 0
            for uid in uids:
                raw = self._fetch(imap, uid.decode())
                if raw is None:
                    continue  # gone meanwhile (another poller moved it)
                receive(self.desk, raw, via="imap", now=self.clock())
                self._move(imap, uid.decode(), capabilities)
                done += 1
            if done and "MOVE" not in capabilities:
                _ok(imap.expunge(), "EXPUNGE")
            if done and self.received is not None:
                self.received()
            return done
        finally:
            try:
                imap.logout()
            except (OSError, imaplib.IMAP4.error):
                pass

    @staticmethod
    def _capabilities(imap: imaplib.IMAP4) -> set[str]:
        """Asked again after login: servers announce MOVE and UIDPLUS to logged-in clients
        only, and imaplib keeps the greeting's list."""
        data = _ok(imap.capability(), "CAPABILITY")
        words = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace").upper().split()
        return set(words) | {c.upper() for c in imap.capabilities}

    def _ensure_processed_mailbox(self, imap: imaplib.IMAP4) -> None:
        typ, data = imap.list('""', quoted(self.settings.processed_mailbox))
        if typ == "OK" and any(isinstance(d, bytes) for d in data):
            return
        _ok(imap.create(quoted(self.settings.processed_mailbox)), f"CREATE {self.settings.processed_mailbox}")

    def _fetch(self, imap: imaplib.IMAP4, uid: str) -> bytes | None:
        data = _ok(imap.uid("FETCH", uid, "(BODY.PEEK[])"), f"UID FETCH {uid}")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and re.search(rb"BODY\[\]", item[0]):
                return bytes(item[1])
        return None

    def _move(self, imap: imaplib.IMAP4, uid: str, capabilities: set[str]) -> None:
        target = quoted(self.settings.processed_mailbox)
        if "MOVE" in capabilities:
            _ok(imap.uid("MOVE", uid, target), f"UID MOVE {uid}")
            return
        _ok(imap.uid("COPY", uid, target), f"UID COPY {uid}")
        _ok(imap.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"), f"UID STORE {uid}")

    def run(self, stop: threading.Event) -> None:
        """Poll until ``stop`` is set; a failing pass is logged and retried at the next."""
        while not stop.is_set():
            try:
                count = self.poll_once()
                if count:
                    log.info("IMAP: %s mail(s) received from %s", count, self.settings.mailbox)
            except (OSError, imaplib.IMAP4.error, ImapFailed) as exc:
                log.warning("IMAP pass on %s failed: %s", self.settings.host, exc)
            except Exception:  # noqa: BLE001 - e.g. the database down: the mail stays in the mailbox
                log.exception("IMAP pass failed; the mail stays in the mailbox until the next pass")
            stop.wait(self.settings.poll_seconds)
