"""Ticket mail to reporters, the pure part: which events are mailed, to which reporters,
and the headers that let mail clients (and the e-mail receiver) thread a ticket.

The Message-ID contract, shared with incoming mail (``sla_core/email/incoming*``):

- the ticket's first mail, its receipt, is ``<{ref}@{domain}>``;
- every later mail is ``<{ref}.{unique}@{domain}>``, with ``In-Reply-To`` and
  ``References`` naming ``<{ref}@{domain}>``;
- every subject starts with ``[{ref}]``;

``domain`` is the domain of ``email.from``. ``unique`` is the event's place in the
ticket's log (``e7``): fixed per message, so that a mail sent again after an unknown
outcome (the connection dropped before the server's "250 OK") carries the same
Message-ID, which receiving servers and clients use to drop the second copy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sla_core.outbox.address import ReporterEmail
from sla_core.outbox.model import Notification, ReporterMail
from sla_core.severity import Severity
from sla_core.tickets.actions import CUSTOMER_VISIBLE, EventKind
from sla_core.tickets.views import EventView

# The receipt, and every event whose action declares that the customer sees it
# (``customer_sees`` in sla_core/tickets/actions.py): the same events as their Slack DMs.
MAILED_EVENTS = frozenset({EventKind.OPENED}) | CUSTOMER_VISIBLE
EMAIL = "email"  # the contact preference, and the contact kind in ``contact.by_severity``


@dataclass(frozen=True, kw_only=True)
class ReporterMailRule:
    """Who gets ticket mail: reporters who chose to be contacted by email, and reporters
    whose severity lists email among its preferred channels (``contact.by_severity``)."""

    enabled: bool
    by_severity: Mapping[Severity, tuple[str, ...]]

    def wants(self, *, contact_channel: str | None, severity: Severity) -> bool:
        if not self.enabled:
            return False
        return contact_channel == EMAIL or EMAIL in self.by_severity.get(severity, ())


def mail_notice(ticket_id: int, event: EventView) -> Notification | None:
    """The mail one logged event owes its reporter (who wants mail), or None."""
    if event.type not in MAILED_EVENTS:
        return None
    payload = ReporterMail(ref=event.ticket_ref, seq=event.seq, event=event.type.value)
    return Notification(key=f"t{ticket_id}:e{event.seq}:email", payload=payload, address=ReporterEmail(),
                        due_at=event.at, ticket_id=ticket_id)


# ---- headers -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Threading:
    message_id: str
    in_reply_to: str | None  # None for the receipt: it starts the thread
    references: str | None


def domain_of(sender: str) -> str:
    """``support@trackforce.com`` → ``trackforce.com``."""
    domain = sender.rpartition("@")[2].strip().strip(">").lower()
    if not domain:
        raise ValueError(f"{sender!r} has no domain to name messages by")
    return domain


def thread_root(ref: str, domain: str) -> str:
    """The ticket's first mail: the id every later mail answers."""
    return f"<{ref}@{domain}>"


def threading(ref: str, *, seq: int, event: str, domain: str) -> Threading:
    root = thread_root(ref, domain)
    if event == EventKind.OPENED.value:
        return Threading(message_id=root, in_reply_to=None, references=None)
    return Threading(message_id=f"<{ref}.e{seq}@{domain}>", in_reply_to=root, references=root)


def subject(ref: str, text: str) -> str:
    """``[INC-2026-000123] …``: the reference first, where a reply keeps it."""
    return f"[{ref}] {' '.join(text.split())}"
