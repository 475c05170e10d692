"""``astreinte mail-in``: receive mail to the support address (LMTP from the mail server,
and an IMAP mailbox when ``mail_in.imap`` is set). ``astreinte mail list-failed | show |
retry``: the mail kept as dead letters (malformed, oversized, failed while acted on)."""

from __future__ import annotations

from typing import Any

from bot.cli.common import lazy, with_database


def register(subparsers: Any) -> None:
    receiver = subparsers.add_parser(
        "mail-in", help="receive mail to the support address (LMTP; IMAP when mail_in.imap is set)",
        description="Listens for LMTP on mail_in.lmtp (the mail server delivers there: docs/operations.md#e-mail-in), "
                    "polls mail_in.imap if set, and sends the polite answers owed over the email section's SMTP. "
                    "Environment: DATABASE_URL, ASTREINTE_CONFIG, the IMAP and SMTP passwords' variables.")
    receiver.add_argument("--host", default=None, help="LMTP interface (default: mail_in.lmtp.host)")
    receiver.add_argument("--port", type=int, default=None, help="LMTP port (default: mail_in.lmtp.port)")
    receiver.add_argument("--no-lmtp", action="store_true", help="do not listen for LMTP (IMAP only)")
    receiver.add_argument("--no-imap", action="store_true", help="do not poll the IMAP mailbox")
    receiver.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    with_database(receiver)
    receiver.set_defaults(handler=lazy("bot.cli.run_mail", "mail_in"))

    parser = subparsers.add_parser("mail", help="mail kept as dead letters: list, show, retry")
    sub = parser.add_subparsers(dest="mail_command", required=True, metavar="SUBCOMMAND")
    listing = sub.add_parser("list-failed", help="the mail that could not be acted on, newest first")
    listing.add_argument("--all", action="store_true", help="also the letters already retried")
    with_database(listing)
    listing.set_defaults(handler=lazy("bot.cli.run_mail", "list_failed"))
    show = sub.add_parser("show", help="a dead letter's mail as received, on standard output (never rendered)")
    show.add_argument("id", type=int)
    with_database(show)
    show.set_defaults(handler=lazy("bot.cli.run_mail", "show"))
    retry = sub.add_parser("retry", help="receive a dead letter's mail again (after the cause is fixed)")
    retry.add_argument("id", type=int)
    with_database(retry)
    retry.set_defaults(handler=lazy("bot.cli.run_mail", "retry"))
