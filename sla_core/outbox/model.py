"""Notifications as domain values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any


class Audience(str, Enum):
    SEVERITY_CHANNEL = "severity_channel"  # a new root post in the ticket's severity channel
    ROOT = "root"  # the ticket's root post, re-rendered in place
    THREAD = "thread"  # a reply in the ticket's thread
    REPORTER = "reporter"  # a DM to the reporter
    USER = "user"  # a DM to the user named in payload["user_id"]
    CHANNEL = "channel"  # a post in the channel named in payload["channel"] (a role's channel)


class NotificationKind(str, Enum):
    TICKET_OPENED = "ticket_opened"  # root post in the severity channel
    ROOT_REFRESH = "root_refresh"  # re-render the root post from the ticket's state
    TICKET_EVENT = "ticket_event"  # a reply in the thread for one logged event
    REPORTER_RECEIPT = "reporter_receipt"  # DM: reference, targets, contact channels
    REPORTER_EVENT = "reporter_event"  # DM: an update, a proposal to accept or reject, …
    SEVERITY_MOVED = "severity_moved"  # the new severity's channel is told
    REMINDER = "reminder"  # update interval running out
    AT_RISK = "at_risk"  # a clock passed a warning fraction
    BREACH = "breach"  # a clock passed its due (escalation level in payload)
    PAGE = "page"  # on-call paged
    DIGEST = "digest"  # several due notices for one channel, as one message
    ANNOUNCEMENT = "announcement"  # anything else a channel must be told


@dataclass(frozen=True, kw_only=True)
class Notification:
    """One message owed. ``key`` makes it unique: the same decision taken twice (two
    replicas, a retried request) yields the same key and one row."""

    key: str
    kind: NotificationKind
    audience: Audience
    due_at: datetime
    ticket_id: int | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    ready_at: datetime | None = None  # not before; defaults to due_at


@dataclass(frozen=True, kw_only=True)
class OutboxEntry:
    """A claimed outbox row, as the sender sees it."""

    id: int
    key: str
    kind: NotificationKind
    audience: Audience
    ticket_id: int | None
    payload: Mapping[str, Any]
    due_at: datetime
    attempts: int
    outcome_unknown: bool  # an earlier attempt may have reached Slack: check before sending
    created_at: datetime
