"""The demo's offline mail server: a minimal SMTP receiver on loopback that keeps what it
is sent, in order, for the transcript to print as the reporter's mailbox.

Standard library only, on purpose: ``aiosmtpd`` (what the tests speak to) is a test
dependency, and the demo must run from the wheel alone. It understands what
``smtplib.SMTP.send_message`` says (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and
answers anything else 502; it is no mail server to expose."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass(frozen=True)
class ReceivedMail:
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage


class Mailbox:
    """Every mail the receiver accepted, oldest first."""

    def __init__(self) -> None:
        self._mails: list[ReceivedMail] = []
        self._lock = threading.Lock()

    def add(self, mail: ReceivedMail) -> None:
        with self._lock:
            self._mails.append(mail)

    def mails(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._mails)


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        sender, recipients = "", list[str]()
        self._reply("220 astreinte-demo ESMTP")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self._reply("250-astreinte-demo", "250-8BITMIME", "250-SMTPUTF8", "250 SIZE 10485760")
            elif verb == "HELO":
                self._reply("250 astreinte-demo")
            elif verb == "MAIL":
                sender, recipients = _address(command), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(_address(command))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                message = message_from_bytes(self._data(), policy=policy.default)
                self.server.mailbox.add(ReceivedMail(sender, tuple(recipients), message))
                self._reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                if verb == "RSET":
                    sender, recipients = "", []
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) and line.rstrip(b"\r\n") != b".":
            lines.append(line[1:] if line.startswith(b"..") else line)  # RFC 5321 dot-stuffing
        return b"".join(lines)

    def _reply(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode("ascii"))


def _address(command: str) -> str:
    start, end = command.find("<"), command.find(">")
    return command[start + 1:end] if 0 <= start < end else command.partition(":")[2].strip()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mailbox: Mailbox) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.mailbox = mailbox


@contextmanager
def smtp_receiver() -> Iterator[tuple[int, Mailbox]]:
    """Serve on a free loopback port: yields the port and the mailbox it fills."""
    mailbox = Mailbox()
    server = _Server(mailbox)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="demo-smtp",
                              daemon=True)
    thread.start()
    try:
        yield server.server_address[1], mailbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
