"""IMAP peers for the poller's tests, on loopback.

- ``Dovecot``: Debian's Dovecot (``apt-get install dovecot-imapd``), started by the test
  with its own configuration in a temporary directory (static password, Maildir, plain
  IMAP on 127.0.0.1, a free port): the real server. Tests using it are skipped where it
  is not installed.
- ``ReplayServer``: a one-connection loopback server that plays back a dialogue recorded
  from that Dovecot (``imap_dovecot.json``, written by ``python -m
  tests.mail_in.record_imap``): it checks that the client sends the recorded commands,
  in order, and answers each with the server's recorded bytes (the client's tags
  rewritten to the recording's). It runs everywhere, so the poller's protocol handling is
  tested even where Dovecot is not installed.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TRANSCRIPT = Path(__file__).with_name("imap_dovecot.json")
USER, PASSWORD = "support", "secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dovecot:
    root: Path
    port: int = 0
    process_config: Path = field(init=False)

    @staticmethod
    def available() -> bool:
        return shutil.which("dovecot") is not None

    def start(self) -> Dovecot:
        self.port = free_port()
        for sub in ("run", "home", "log"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        # Dovecot refuses to store mail as root: as root, mail belongs to its own system user.
        uid, gid = os.getuid(), os.getgid()
        if uid == 0:
            user = pwd.getpwnam("dovecot")
            uid, gid = user.pw_uid, user.pw_gid
            os.chmod(self.root, 0o755)
            os.chown(self.root / "home", uid, gid)
        self.process_config = self.root / "dovecot.conf"
        self.process_config.write_text(f"""
base_dir = {self.root}/run
instance_name = astreinte-test-{self.port}
log_path = {self.root}/log/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:{self.root}/home/%u/Maildir
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""")
        # No pipes: the daemon's children would hold them open and run() would never return.
        started = subprocess.run(["dovecot", "-c", str(self.process_config)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        if started.returncode != 0:
            log = self.root / "log" / "dovecot.log"
            raise RuntimeError(f"dovecot did not start: {log.read_text() if log.exists() else started.returncode}")
        deadline = time.monotonic() + 15
        while True:  # ready when it accepts connections (a bounded wait on a real event, not a sleep)
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        subprocess.run(["dovecot", "-c", str(self.process_config), "stop"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)


# ---- recording and replaying a dialogue ------------------------------------------------------
def read_response(sock_file, tag: bytes | None) -> bytes:  # type: ignore[no-untyped-def]
    """The server's bytes up to and including the tagged line for ``tag`` (the greeting
    when ``tag`` is None), literals read whole."""
    out = bytearray()
    while True:
        line = sock_file.readline()
        if not line:
            return bytes(out)
        out += line
        stripped = line.rstrip(b"\r\n")
        if stripped.endswith(b"}") and b"{" in stripped:
            size = int(stripped[stripped.rindex(b"{") + 1:-1].rstrip(b"+"))
            out += sock_file.read(size)
            continue
        if tag is None or line.startswith(tag + b" "):
            return bytes(out)


class ReplayServer:
    """Plays back ``exchanges`` to one client: ``[{"client": line, "server": bytes}]``,
    the first with ``client`` None (the greeting). The client's tag replaces the recorded
    one in each answer. An unexpected command gets ``BAD`` and is kept in ``mismatch``."""

    def __init__(self, exchanges: list[dict[str, str | None]]) -> None:
        self.exchanges = exchanges
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.commands: list[str] = []
        self.mismatch: list[tuple[str, str]] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @classmethod
    def from_transcript(cls, path: Path = TRANSCRIPT) -> ReplayServer:
        return cls(json.loads(path.read_text(encoding="utf-8"))["exchanges"])

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection, connection.makefile("rb") as reader:
            greeting, *rest = self.exchanges
            connection.sendall(str(greeting["server"]).encode("latin-1"))
            for exchange in rest:
                line = reader.readline()
                if not line:
                    return
                sent = line.decode("latin-1").rstrip("\r\n")
                live_tag, _, command = sent.partition(" ")
                recorded_tag, _, expected = str(exchange["client"]).partition(" ")
                self.commands.append(command)
                if command != expected:
                    self.mismatch.append((command, expected))
                    connection.sendall(f"{live_tag} BAD expected {expected!r}\r\n".encode("latin-1"))
                    return
                answer = str(exchange["server"]).encode("latin-1")
                connection.sendall(answer.replace(recorded_tag.encode() + b" ", live_tag.encode() + b" "))

    def close(self) -> None:
        self.listener.close()
        self.thread.join(timeout=5)
