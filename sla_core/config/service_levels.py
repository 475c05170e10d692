"""The ``availability``, ``maintenance``, ``reports`` and ``email`` sections of
``app.yaml``. Every section is optional (the defaults are the contract's figures)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sla_core.config.outgoing_mail import REPORTER_KEYS, ReporterMailSettings, read_reporter_mail
from sla_core.config.reader import BAD, Problems, Section, boolean, channel_id, fraction, ok
from sla_core.config.support import Account, email_address
from sla_core.durations import parse_duration

DAY = timedelta(days=1)


@dataclass(frozen=True, kw_only=True)
class AvailabilitySettings:
    target: float = 0.995  # the contract: 99.5 % of every 30-day period
    window: timedelta = timedelta(days=30)
    # The agents' channel is warned when less than each of these shares of the budget is
    # left (0.5: half of it gone).
    warn_below: tuple[float, ...] = (0.5, 0.25)
    channel: str | None = None  # a channel id; None: the leads' channel (rung "leads")


@dataclass(frozen=True, kw_only=True)
class MaintenanceSettings:
    monthly_budget: timedelta = timedelta(hours=3)  # the contract: 3 hours a month
    channel: str | None = None  # announcements channel id (rung "announcements")
    notify: tuple[str, ...] = ()  # email recipients when no account has a contact email
    contacts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # account id -> emails

    def recipients(self) -> tuple[str, ...]:
        """The customer accounts' contact emails, else the ``notify`` list."""
        from_accounts = sorted({e for emails in self.contacts.values() for e in emails})
        return tuple(from_accounts) if from_accounts else self.notify


@dataclass(frozen=True, kw_only=True)
class ReportSettings:
    channel: str | None = None  # where the monthly summary goes; None: rung "leads"


@dataclass(frozen=True, kw_only=True)
class EmailSettings:
    host: str = "localhost"
    port: int = 25
    sender: str = "support@example.com"
    starttls: bool = False
    username: str | None = None
    password_env: str = "ASTREINTE_SMTP_PASSWORD"  # secrets stay in the environment
    timeout: float = 10.0
    reporters: ReporterMailSettings = field(default_factory=ReporterMailSettings)  # ticket mail to reporters

    def __repr__(self) -> str:  # no secret here, but say where it comes from
        return (f"EmailSettings(host={self.host!r}, port={self.port}, sender={self.sender!r}, "
                f"starttls={self.starttls}, username={self.username!r}, password from ${self.password_env})")


@dataclass(frozen=True, kw_only=True)
class AvailabilityConfig:
    availability: AvailabilitySettings
    maintenance: MaintenanceSettings
    reports: ReportSettings
    email: EmailSettings


def read_service_levels(top: Section, problems: Problems, accounts: Mapping[str, Account]) -> AvailabilityConfig:
    av = top.sub("availability", ("target", "window", "warn_below", "channel"), required=False)
    warn = av.items("warn_below", fraction, default=[0.5, 0.25])
    availability = AvailabilitySettings(
        target=av.read("target", _percent, default="99.5%"), window=av.read("window", real_time, default="30 days"),
        warn_below=tuple(sorted(set(warn), reverse=True)) if ok(warn) else BAD,
        channel=av.read("channel", channel_id, default=None))

    mt = top.sub("maintenance", ("monthly_budget", "channel", "notify"), required=False)
    # Only active accounts are written to (a customer without a contract is not told).
    contacts = {a.id: a.contact_emails for a in (accounts.values() if ok(accounts) else ())
                if a.active and a.contact_emails}
    maintenance = MaintenanceSettings(
        monthly_budget=mt.read("monthly_budget", real_time, default="3 hours"),
        channel=mt.read("channel", channel_id, default=None),
        notify=mt.items("notify", email_address, default=[]), contacts=contacts)

    rp = top.sub("reports", ("channel",), required=False)
    reports = ReportSettings(channel=rp.read("channel", channel_id, default=None))

    em = top.sub("email", ("host", "port", "from", "starttls", "username", "password_env", "timeout_seconds",
                                 "reporters"), required=False)
    username = em.raw.get("username")
    email = EmailSettings(
        host=str(em.raw.get("host") or "localhost"), port=em.read("port", _port, default=25),
        sender=em.read("from", email_address, default="support@example.com"),
        starttls=em.read("starttls", boolean, default=False), username=str(username) if username else None,
        password_env=str(em.raw.get("password_env") or "ASTREINTE_SMTP_PASSWORD"),
        timeout=em.read("timeout_seconds", _positive_seconds, default=10),
        reporters=read_reporter_mail(em.sub("reporters", REPORTER_KEYS, required=False)))
    if problems.items:
        return BAD  # type: ignore[no-any-return]
    return AvailabilityConfig(availability=availability, maintenance=maintenance, reports=reports, email=email)


def real_time(value: object) -> timedelta:
    written = parse_duration(value)
    if written.business:
        raise ValueError(f'"{value}" is business time; availability counts real time (24/7)')
    return written.to_timedelta(business_day=DAY)


def _percent(value: object) -> float:
    written = str(value).strip()
    try:
        number = float(written[:-1]) / 100 if written.endswith("%") else float(written)
    except ValueError:
        raise ValueError(f'"{value}" is not a percentage (write e.g. "99.5%")') from None
    if not 0 < number < 1:
        raise ValueError(f'"{value}" must be between 0 and 100 %')
    return number


def _port(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise ValueError(f"{value!r} is not a TCP port")
    return value


def _positive_seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"{value!r} is not a positive number of seconds")
    return float(value)
