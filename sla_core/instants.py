"""Reading and writing instants. Input without an offset is wall time in the policy's time
zone; a wall time that does not exist (skipped by a spring-forward change) is refused, and
one that exists twice (the autumn change) needs an explicit offset."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sla_core.errors import InputError


def parse_instant(text: object, *, timezone: ZoneInfo, field: str) -> datetime:
    """An aware datetime from ISO 8601 text; raises InputError naming ``field``."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(field, f"{text!r} is not an ISO 8601 date and time")
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(field, f'"{text}" is not an ISO 8601 date and time (e.g. 2026-11-20T19:30)') from None
    if parsed.tzinfo is not None:
        return parsed
    return localize(parsed, timezone=timezone, field=field)


def localize(wall: datetime, *, timezone: ZoneInfo, field: str) -> datetime:
    """Attach ``timezone`` to a naive wall time, refusing non-existent and ambiguous ones."""
    early = wall.replace(tzinfo=timezone, fold=0)
    late = wall.replace(tzinfo=timezone, fold=1)
    # A wall time that does not exist comes back changed from a round trip through UTC.
    if early.astimezone(UTC).astimezone(timezone).replace(tzinfo=None) != wall:
        raise InputError(field, f"{wall.isoformat()} does not exist in {timezone.key} "
                                "(the clocks skip it when summer time starts)")
    if early.utcoffset() != late.utcoffset():
        raise InputError(field, f"{wall.isoformat()} happens twice in {timezone.key} (the clocks go back "
                                f"that night): add an offset, e.g. {early.isoformat()} or {late.isoformat()}")
    return early


def format_instant(instant: datetime | None, *, timezone: ZoneInfo) -> str | None:
    """ISO 8601 in the policy's time zone, to the second."""
    if instant is None:
        return None
    return instant.astimezone(timezone).isoformat(timespec="seconds")
