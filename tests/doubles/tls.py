"""HTTPS for the fake Slack: a throwaway certificate authority (``trustme``, a test and
benchmark dependency only), a server certificate for loopback, and the client context."""

from __future__ import annotations

import ssl


def throwaway_tls(host: str = "127.0.0.1", *, trusted: bool = True) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context). With ``trusted=False`` the client trusts another
    authority than the one that signed the server's certificate: an impostor, for Slack."""
    import trustme

    authority = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(host).configure_cert(server)
    client = ssl.create_default_context()
    (authority if trusted else trustme.CA()).configure_trust(client)
    return server, client
