"""The handlers of ``astreinte mail-in`` and ``astreinte mail`` (the parser is in
``bot/cli/mail.py``), imported when one runs."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from sqlalchemy import select

from bot.cli.common import config_of
from bot.cli.operations import database, now_utc
from bot.mail.desk import mail_desk
from sla_core.email.incoming_service import Received, retry_dead_letter
from sla_core.email.models import DeadLetterRow
from sla_core.errors import ConfigError, InputError

ANSWER_EVERY = 30.0  # seconds between passes of the answers' sender (it also wakes after each mail)


def mail_in(args: argparse.Namespace) -> int:
    from bot.logs import configure_logging
    from bot.mail.answers import send_pending_answers
    from bot.mail.imap_poller import ImapPoller
    from bot.mail.lmtp import LmtpServer, MailInHandler

    config = config_of(args)
    configure_logging(args.log_level)
    log = logging.getLogger("astreinte.mail_in")
    settings = config.mail_in
    if args.no_lmtp and (args.no_imap or settings.imap is None):
        raise InputError("--no-lmtp", "nothing left to receive with: set mail_in.imap, or drop --no-lmtp")
    stop, wake = threading.Event(), threading.Event()
    with database(args) as uow:
        desk = mail_desk(config, uow.engine, now=now_utc())
        server = None
        if not args.no_lmtp:
            host, port = args.host or settings.lmtp_host, args.port if args.port is not None else settings.lmtp_port
            server = LmtpServer(MailInHandler(desk, clock=now_utc, received=wake.set), host=host, port=port,
                                max_size=settings.max_size)
            try:
                port = server.start()
            except OSError as exc:
                raise ConfigError("mail_in.lmtp", f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
            log.info("LMTP on %s:%s", host, port)
        threads = []
        if settings.imap is not None and not args.no_imap:
            poller = ImapPoller(settings.imap, desk, clock=now_utc, received=wake.set)
            threads.append(threading.Thread(target=poller.run, args=(stop,), name="imap", daemon=True))
            log.info("IMAP: polling %s@%s every %s s", settings.imap.mailbox, settings.imap.host,
                     settings.imap.poll_seconds)
        for thread in threads:
            thread.start()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: (stop.set(), wake.set()))
        try:
            while not stop.is_set():
                try:
                    send_pending_answers(uow.engine, email=config.email, directory=desk.directory, now=now_utc())
                except Exception:  # noqa: BLE001 - the database away for a moment: the next pass retries
                    log.exception("sending the answers owed failed; retried in %s s", ANSWER_EVERY)
                wake.wait(ANSWER_EVERY)
                wake.clear()
        finally:
            if server is not None:
                server.stop()
            for thread in threads:
                thread.join(timeout=10)
    return 0


def list_failed(args: argparse.Namespace) -> int:
    with database(args) as uow, uow:
        query = select(DeadLetterRow).order_by(DeadLetterRow.id.desc())
        if not args.all:
            query = query.where(DeadLetterRow.status == "failed")
        rows = uow.session.scalars(query).all()
        if not rows:
            print("no mail waiting in the dead letters" + ("" if args.all else " (--all: also those retried)"))
            return 0
        for row in rows:
            print(f"#{row.id}  {row.received_at:%Y-%m-%d %H:%M}Z  {row.via:<5} {row.status:<7} {row.size:>9,} B  "
                  f"from {_printable(row.sender or row.envelope_sender or '?')}  "
                  f"subject {_printable(row.subject or '')!r}")
            print(f"      {_printable(row.reason)}")
    return 0


def show(args: argparse.Namespace) -> int:
    with database(args) as uow, uow:
        row = uow.session.get(DeadLetterRow, args.id)
        if row is None:
            raise InputError("id", f"there is no dead letter #{args.id} (`astreinte mail list-failed --all`)")
        sys.stdout.buffer.write(bytes(row.raw))
    return 0


def retry(args: argparse.Namespace) -> int:
    config = config_of(args)
    with database(args) as uow:
        with uow:
            if uow.session.get(DeadLetterRow, args.id) is None:
                raise InputError("id", f"there is no dead letter #{args.id} (`astreinte mail list-failed --all`)")
        result = retry_dead_letter(mail_desk(config, uow.engine, now=now_utc()), args.id, now=now_utc())
    print(_outcome(args.id, result))
    return 0 if result.dead_letter_id is None else 1


def _outcome(letter: int, result: Received) -> str:
    if result.dead_letter_id is not None:
        return f"#{letter} failed again, kept as #{result.dead_letter_id}: {result.reason}"
    if result.duplicate:
        return f"#{letter} was received before ({result.verdict.value if result.verdict else '?'}): nothing done again"
    assert result.verdict is not None
    return f"#{letter} received: {result.verdict.value}" + (f" {result.ticket_ref}" if result.ticket_ref else "")


def _printable(text: str) -> str:
    """One line, no terminal control characters (a mail's header is anyone's text)."""
    return "".join(c if c.isprintable() else " " for c in " ".join(text.split()))
