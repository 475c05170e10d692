"""The ``availability``, ``maintenance``, ``reports`` and ``email`` sections of app.yaml,
read once at the edge. Every section is optional (the defaults are the contract's
figures); a wrong value fails with its key path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sla_core.durations import parse_duration
from sla_core.errors import ConfigError
from sla_core.policy import load_yaml

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

    def __repr__(self) -> str:  # no secret here, but say where it comes from
        return (f"EmailSettings(host={self.host!r}, port={self.port}, sender={self.sender!r}, "
                f"starttls={self.starttls}, username={self.username!r}, password from ${self.password_env})")


@dataclass(frozen=True, kw_only=True)
class AvailabilityConfig:
    availability: AvailabilitySettings
    maintenance: MaintenanceSettings
    reports: ReportSettings
    email: EmailSettings


def load_availability_config(path: str | Path | None = None) -> AvailabilityConfig:
    return availability_config_from_mapping(load_yaml(path))


def availability_config_from_mapping(data: Mapping[str, Any]) -> AvailabilityConfig:
    return AvailabilityConfig(
        availability=_availability(_section(data, "availability")),
        maintenance=_maintenance(_section(data, "maintenance"), data.get("support")),
        reports=ReportSettings(channel=_channel(_section(data, "reports"), "reports")),
        email=_email(_section(data, "email")),
    )


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(name, "must be a mapping")
    return value


def _availability(raw: Mapping[str, Any]) -> AvailabilitySettings:
    _known(raw, "availability", {"target", "window", "warn_below", "channel"})
    target = _percent(raw.get("target", "99.5%"), "availability.target")
    window = _duration(raw.get("window", "30 days"), "availability.window")
    warn = raw.get("warn_below", [0.5, 0.25])
    if not isinstance(warn, list) or not all(
            isinstance(f, (int, float)) and not isinstance(f, bool) and 0 < f < 1 for f in warn):
        raise ConfigError("availability.warn_below", f"{warn!r} is not a list of fractions such as [0.5, 0.25]")
    return AvailabilitySettings(target=target, window=window, warn_below=tuple(sorted(set(warn), reverse=True)),
                                channel=_channel(raw, "availability"))


def _maintenance(raw: Mapping[str, Any], support: object) -> MaintenanceSettings:
    _known(raw, "maintenance", {"monthly_budget", "channel", "notify"})
    budget = _duration(raw.get("monthly_budget", "3 hours"), "maintenance.monthly_budget")
    notify = _emails(raw.get("notify") or [], "maintenance.notify")
    contacts: dict[str, tuple[str, ...]] = {}
    # Accounts may carry `contact_email` (a string or a list) in the support section; only
    # active accounts are written to (a customer without a contract is not told).
    accounts = support.get("accounts") if isinstance(support, Mapping) else None
    for i, account in enumerate(accounts or []):
        if not isinstance(account, Mapping) or account.get("contact_email") is None:
            continue
        if account.get("active", True) is not True:
            continue
        emails = account["contact_email"]
        emails = [emails] if isinstance(emails, str) else emails
        contacts[str(account.get("id"))] = _emails(emails, f"support.accounts[{i}].contact_email")
    return MaintenanceSettings(monthly_budget=budget, channel=_channel(raw, "maintenance"), notify=notify,
                               contacts=contacts)


def _email(raw: Mapping[str, Any]) -> EmailSettings:
    _known(raw, "email", {"host", "port", "from", "starttls", "username", "password_env", "timeout_seconds"})
    port = raw.get("port", 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError("email.port", f"{port!r} is not a TCP port")
    starttls = raw.get("starttls", False)
    if not isinstance(starttls, bool):
        raise ConfigError("email.starttls", f"{starttls!r} is not true or false")
    sender = raw.get("from", "support@example.com")
    _emails([sender], "email.from")
    timeout = raw.get("timeout_seconds", 10)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ConfigError("email.timeout_seconds", f"{timeout!r} is not a positive number of seconds")
    username = raw.get("username")
    return EmailSettings(host=str(raw.get("host", "localhost")), port=port, sender=sender, starttls=starttls,
                         username=str(username) if username else None,
                         password_env=str(raw.get("password_env", "ASTREINTE_SMTP_PASSWORD")), timeout=float(timeout))


def _known(raw: Mapping[str, Any], path: str, keys: set[str]) -> None:
    unknown = set(raw) - keys
    if unknown:
        raise ConfigError(f"{path}.{sorted(unknown)[0]}", f"unknown key (expected {', '.join(sorted(keys))})")


def _channel(raw: Mapping[str, Any], path: str) -> str | None:
    value = raw.get("channel")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}.channel", "a Slack channel id such as C0123ABCD, or null")
    return value.strip()


def _percent(value: object, path: str) -> float:
    text = str(value).strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise ConfigError(path, f'"{value}" is not a percentage (write e.g. "99.5%")') from None
    if not 0 < number < 1:
        raise ConfigError(path, f'"{value}" must be between 0 and 100 %')
    return number


def _duration(value: object, path: str) -> timedelta:
    try:
        written = parse_duration(value)
    except ValueError as exc:
        raise ConfigError(path, str(exc)) from None
    if written.business:
        raise ConfigError(path, f'"{value}" is business time; availability counts real time (24/7)')
    return written.to_timedelta(business_day=DAY)


def _emails(values: object, path: str) -> tuple[str, ...]:
    if not isinstance(values, list):
        raise ConfigError(path, "must be a list of email addresses")
    out = []
    for i, value in enumerate(values):
        if not isinstance(value, str) or "@" not in value or any(c.isspace() for c in value.strip()):
            raise ConfigError(f"{path}[{i}]" if len(values) > 1 else path, f"{value!r} is not an email address")
        out.append(value.strip())
    return tuple(out)
