"""``email.reporters`` in ``app.yaml``: e-mail to ticket reporters, on top of their Slack
DMs, and the signed links in those mails that accept or reject a resolution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sla_core.config.reader import Section, boolean
from sla_core.durations import parse_duration

REPORTER_KEYS = ("enabled", "public_url", "link_valid_for", "link_secret_env")


@dataclass(frozen=True, kw_only=True)
class ReporterMailSettings:
    # Off unless turned on: mail to customers goes out only once a deployer has pointed
    # ``email.host`` at a real SMTP server.
    enabled: bool = False
    public_url: str | None = None  # this server as customers reach it; None: no accept/reject links
    link_valid_for: timedelta = timedelta(days=7)
    link_secret_env: str = "ASTREINTE_LINK_SECRET"  # the links' HMAC key, from the environment


def read_reporter_mail(section: Section) -> ReporterMailSettings:
    return ReporterMailSettings(
        enabled=section.read("enabled", boolean, default=False),
        public_url=section.read("public_url", public_url, default=None),
        link_valid_for=section.read("link_valid_for", _link_validity, default="7 days"),
        link_secret_env=str(section.raw.get("link_secret_env") or "ASTREINTE_LINK_SECRET"))


def public_url(value: object) -> str:
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f'"{value}" is not the server\'s base URL (e.g. https://support-bot.example.com)')
    return str(value).strip().rstrip("/")


def _link_validity(value: object) -> timedelta:
    written = parse_duration(value)
    if written.business:
        raise ValueError(f'"{value}" is business time; a link expires in real time (e.g. "7 days")')
    validity = written.to_timedelta(business_day=timedelta(days=1))
    if not timedelta(minutes=5) <= validity <= timedelta(days=90):
        raise ValueError(f'"{value}" must be between 5 minutes and 90 days')
    return validity
