"""The mails the IMAP tests find in the mailbox (and that the recorded dialogue carries)."""

from __future__ import annotations

from email.message import EmailMessage


def _mail(sender: str, subject: str, body: str, message_id: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@trackforce.com"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Tue, 24 Nov 2026 10:00:00 +0100"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes().replace(b"\n", b"\r\n")


MAILBOX = [
    _mail("Alice Martin <alice@acme.example>", "[Critical] Checkout is down", "Nobody can pay since 9:00.",
          "<imap-1@acme.example>"),
    _mail("bob@acme.example", "Password reset", "I forgot my password.", "<imap-2@acme.example>"),
    _mail("alice@acme.example", "Out of office", "I am away until Monday.", "<imap-3@acme.example>",
          Auto_Submitted="auto-replied"),
]
