"""A real SMTP server on loopback (aiosmtpd) for tests that send mail: it listens on a
port the system chooses and tells ``handler`` (which records what it receives) which one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def smtp_peer_on_loopback(handler: Any) -> Iterator[Any]:
    """Serve ``handler`` (an aiosmtpd handler with a ``port`` attribute) until the block ends."""
    from aiosmtpd.controller import Controller

    class LoopbackController(Controller):
        def _create_server(self):  # type: ignore[no-untyped-def]
            # Port 0 lets the system choose; the controller must learn which one before
            # it connects to itself to check the server is up.
            created = super()._create_server()

            async def learn_port():  # type: ignore[no-untyped-def]
                server = await created
                self.port = handler.port = server.sockets[0].getsockname()[1]
                return server
            return learn_port()

    controller = LoopbackController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()
