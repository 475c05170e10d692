"""What a maintenance window owes: Slack announcements (outbox notifications, decided
here and written in the window's transaction) and the customers' email (composed here,
sent by ``bot/email.py`` after the commit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sla_core.availability.config import MaintenanceSettings
from sla_core.availability.model import MaintenanceView
from sla_core.outbox.address import AnnouncementChannel
from sla_core.outbox.model import Maintenance, MaintenanceEvent, Notification


@dataclass(frozen=True, kw_only=True)
class OutgoingEmail:
    recipients: tuple[str, ...]
    subject: str
    body: str


def local(instant: datetime, timezone: ZoneInfo) -> str:
    """ "2026-12-07 22:00 (Europe/Paris, UTC+01:00)": what a customer reads."""
    at = instant.astimezone(timezone)
    offset = at.strftime("%z")
    return f"{at:%Y-%m-%d %H:%M} ({timezone.key}, UTC{offset[:3]}:{offset[3:]})"


def span(window: MaintenanceView, timezone: ZoneInfo) -> str:
    start, end = window.starts_at.astimezone(timezone), window.ends_at.astimezone(timezone)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} ({timezone.key})"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} ({timezone.key})"


def _notice(window: MaintenanceView, settings: MaintenanceSettings, event: MaintenanceEvent, at: datetime,
            ready_at: datetime | None = None) -> Notification:
    payload = Maintenance(event=event, maintenance_id=window.id, service=window.service, starts_at=window.starts_at,
                          ends_at=window.ends_at, critical_fixes=window.critical_fixes, reason=window.reason)
    return Notification(key=f"maintenance:{window.id}:{event.value}", payload=payload,
                        address=AnnouncementChannel(channel=settings.channel), due_at=at, ready_at=ready_at)


def scheduled_notices(window: MaintenanceView, *, settings: MaintenanceSettings, now: datetime) -> list[Notification]:
    """Announced now, then at the window's start and at its end (``ready_at``: the sender
    holds them until then)."""
    return [_notice(window, settings, MaintenanceEvent.SCHEDULED, now),
            _notice(window, settings, MaintenanceEvent.STARTED, window.starts_at, window.starts_at),
            _notice(window, settings, MaintenanceEvent.ENDED, window.ends_at, window.ends_at)]


def timed_keys(window_id: int) -> list[str]:
    return [f"maintenance:{window_id}:{e.value}" for e in (MaintenanceEvent.STARTED, MaintenanceEvent.ENDED)]


def cancelled_notice(window: MaintenanceView, *, settings: MaintenanceSettings, now: datetime) -> Notification:
    return _notice(window, settings, MaintenanceEvent.CANCELLED, now)


def maintenance_email(window: MaintenanceView, *, recipients: tuple[str, ...], timezone: ZoneInfo,
                      cancelled: bool = False) -> OutgoingEmail:
    """The customers' notice, in French (the contract's language) then English."""
    when_fr = f"du {local(window.starts_at, timezone)} au {local(window.ends_at, timezone)}"
    when_en = f"from {local(window.starts_at, timezone)} to {local(window.ends_at, timezone)}"
    minutes = int(window.duration.total_seconds() // 60)
    if cancelled:
        subject = f"Entretien planifié annulé / Planned maintenance cancelled: {window.service}, {span(window, timezone)}"
        body = (f"Bonjour,\n\nL'entretien planifié de {window.service} prévu {when_fr} est annulé.\n\n"
                f"Hello,\n\nThe planned maintenance of {window.service} scheduled {when_en} is cancelled.\n")
    else:
        subject = f"Entretien planifié / Planned maintenance: {window.service}, {span(window, timezone)}"
        reason_fr = f"\nObjet : {window.reason}\n" if window.reason else ""
        reason_en = f"\nPurpose: {window.reason}\n" if window.reason else ""
        body = (f"Bonjour,\n\nUn entretien planifié de {window.service} aura lieu {when_fr} "
                f"({minutes} minutes). Le service peut être indisponible pendant cette fenêtre.\n{reason_fr}\n"
                f"Hello,\n\nPlanned maintenance of {window.service} will take place {when_en} "
                f"({minutes} minutes). The service may be unavailable during this window.\n{reason_en}\n"
                f"Référence / reference: maintenance #{window.id}\n")
    return OutgoingEmail(recipients=recipients, subject=subject, body=body)
