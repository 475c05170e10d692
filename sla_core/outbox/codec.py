"""The outbox's columns ⇄ notices: the only place that knows how a notice is stored.

- ``kind``: the payload type's kind (``NotificationKind`` value);
- ``payload``: the payload's fields as JSON (instants in ISO 8601 with their offset);
- ``audience``: the address, as a short readable text (``thread``, ``thread:broadcast``,
  ``root``, ``severity_channel:critical``, ``rung:leads``, ``dm:U123``, ``reporter``,
  ``announcements:leads:C0REPORTS``, ``reporter_card``, ``reporter_email``, ``clicked:D0AB:1700000000.000100`` …) that an operator can read and filter in SQL.

msgspec converts the frozen dataclasses to JSON-ready values and back, checking every
field's type on the way in (a row that does not fit its kind fails loudly, naming the
field, rather than rendering half a message)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from sla_core.outbox.address import (
    Address, AnnouncementChannel, ClickedMessage, DirectMessage, EscalationRung, Fallback, ReporterCardDM, ReporterEmail,
    RootPost, Rung, SeverityChannel, TicketThread,
)
from sla_core.outbox.model import PAYLOAD_TYPES, NotificationKind, Payload
from sla_core.severity import Severity

_TYPE_OF_KIND: Mapping[NotificationKind, type[Payload]] = {t.kind: t for t in PAYLOAD_TYPES}


class UnreadableNotice(ValueError):
    """An outbox row whose columns do not describe a notice (a bug, or a hand-made row)."""


def encode_payload(payload: Payload) -> dict[str, Any]:
    return msgspec.to_builtins(payload)  # type: ignore[no-any-return]


def decode_payload(kind: str, data: Mapping[str, Any]) -> Payload:
    try:
        payload_type = _TYPE_OF_KIND[NotificationKind(kind)]
        return msgspec.convert(dict(data), type=payload_type)
    except (ValueError, KeyError, msgspec.ValidationError) as exc:
        raise UnreadableNotice(f"a {kind!r} notice cannot be read: {exc}") from exc


def encode_address(address: Address) -> str:
    match address:
        case RootPost():
            return "root"
        case TicketThread(broadcast=broadcast):
            return "thread:broadcast" if broadcast else "thread"
        case SeverityChannel(severity=severity):
            return f"severity_channel:{severity.value}" if severity else "severity_channel"
        case EscalationRung(rung=rung, threaded=threaded):
            return f"rung:{rung.value}" + (":thread" if threaded else "")
        case DirectMessage(user_id=user_id):
            return f"dm:{user_id}" if user_id else "reporter"
        case AnnouncementChannel(channel=channel, otherwise=otherwise):
            return f"announcements:{otherwise.value}" + (f":{channel}" if channel else "")
        case ReporterCardDM():
            return "reporter_card"
        case ClickedMessage(channel=channel, ts=ts):
            return f"clicked:{channel}:{ts}"
        case ReporterEmail():
            return "reporter_email"
    raise TypeError(f"not an address: {address!r}")  # pragma: no cover - the union is closed


def decode_address(text: str) -> Address:
    head, _, rest = text.partition(":")
    try:
        if head == "root" and not rest:
            return RootPost()
        if head == "thread" and rest in ("", "broadcast"):
            return TicketThread(broadcast=rest == "broadcast")
        if head == "severity_channel":
            return SeverityChannel(severity=Severity(rest) if rest else None)
        if head == "rung":
            rung, _, thread = rest.partition(":")
            if thread not in ("", "thread"):
                raise ValueError(f"{thread!r} is not a way of posting")
            return EscalationRung(rung=Rung(rung), threaded=thread == "thread")
        if head == "dm" and rest:
            return DirectMessage(user_id=rest)
        if head == "reporter" and not rest:
            return DirectMessage()
        if head == "reporter_card" and not rest:
            return ReporterCardDM()
        if head == "reporter_email" and not rest:
            return ReporterEmail()
        if head == "clicked":
            channel, _, ts = rest.partition(":")
            if channel and ts:
                return ClickedMessage(channel=channel, ts=ts)
        if head == "announcements":
            otherwise, _, channel = rest.partition(":")
            return AnnouncementChannel(channel=channel or None, otherwise=Fallback(otherwise))
    except ValueError as exc:
        raise UnreadableNotice(f"{text!r} is not an address: {exc}") from exc
    raise UnreadableNotice(f"{text!r} is not an address")
