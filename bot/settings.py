"""Configuration read once, at the edge: the environment (credentials, URLs, port) and the
``slack`` and ``contact`` sections of ``app.yaml``. Secrets are masked in ``repr``; a
missing credential says where to get it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from messages import LANGUAGES
from sla_core.errors import ConfigError
from sla_core.policy import DEFAULT_CONFIG_PATH, load_yaml
from sla_core.severity import Severity

SETUP_HINT = ("create the Slack app from manifest.yaml (api.slack.com/apps → Create New App → From a "
              "manifest), install it, and export the tokens as README.md's \"Set up Slack\" explains")


class MissingCredential(ConfigError):
    def __init__(self, name: str, what: str) -> None:
        super().__init__(name, f"not set ({what}); {SETUP_HINT}")


@dataclass(frozen=True, kw_only=True)
class Environment:
    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str | None = None
    database_url: str | None = None
    config_path: Path = DEFAULT_CONFIG_PATH
    port: int = 3000

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Environment:
        env = os.environ if environ is None else environ
        port_text = env.get("PORT", "3000")
        try:
            port = int(port_text)
        except ValueError:
            raise ConfigError("PORT", f'"{port_text}" is not a port number') from None
        api_url = env.get("SLACK_API_URL") or None
        if api_url and not api_url.endswith("/"):
            api_url += "/"  # slack_sdk appends method names to the base URL
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN") or None,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            api_url=api_url,
            database_url=env.get("DATABASE_URL") or None,
            config_path=Path(env.get("ASTREINTE_CONFIG") or DEFAULT_CONFIG_PATH),
            port=port,
        )

    def require_slack(self) -> None:
        """HTTP mode needs the bot token and signing secret; Socket Mode the app token too."""
        if not self.bot_token:
            raise MissingCredential("SLACK_BOT_TOKEN", "the xoxb- bot token")
        if not self.bot_token.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-")
        if not self.signing_secret and not self.app_token:
            raise MissingCredential("SLACK_SIGNING_SECRET", "the app's signing secret, for HTTP mode")
        if self.app_token and not self.app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN", "must be an app-level token starting with xapp- (Socket Mode)")

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)


@dataclass(frozen=True, kw_only=True)
class Contact:
    """The contract's contact channels, shown to a reporter for their severity."""

    phones: tuple[str, ...]
    email: str
    portal: str
    status_page: str
    by_severity: Mapping[Severity, tuple[str, ...]]


@dataclass(frozen=True, kw_only=True)
class SlackWiring:
    default_language: str
    severity_channels: Mapping[Severity, str]
    leads_channel: str
    on_call_channel: str
    contact: Contact
    announcements_channel: str = ""  # maintenance notices and the monthly summary; leads' if empty

    def channel_for(self, severity: Severity) -> str:
        return self.severity_channels[severity]


_CONTACT_KINDS = ("phone", "email", "portal", "status_page")


def load_wiring(path: str | Path | None = None) -> SlackWiring:
    data = load_yaml(path)
    slack = _mapping(data.get("slack"), "slack")
    language = slack.get("default_language", "fr")
    if language not in LANGUAGES:
        raise ConfigError("slack.default_language", f'"{language}" is not one of: {", ".join(LANGUAGES)}')
    channels = _mapping(slack.get("channels"), "slack.channels")
    severity_channels = {s: _channel(channels, s.value) for s in Severity}
    contact_raw = _mapping(data.get("contact"), "contact")
    by_sev_raw = _mapping(contact_raw.get("by_severity"), "contact.by_severity")
    by_severity: dict[Severity, tuple[str, ...]] = {}
    for s in Severity:
        kinds = by_sev_raw.get(s.value)
        if not isinstance(kinds, list) or not kinds:
            raise ConfigError(f"contact.by_severity.{s.value}", "a non-empty list of: " + ", ".join(_CONTACT_KINDS))
        for i, kind in enumerate(kinds):
            if kind not in _CONTACT_KINDS:
                raise ConfigError(f"contact.by_severity.{s.value}[{i}]",
                                  f'"{kind}" is not one of: {", ".join(_CONTACT_KINDS)}')
        by_severity[s] = tuple(kinds)
    phones = contact_raw.get("phones") or []
    if not isinstance(phones, list) or not all(isinstance(p, str) for p in phones):
        raise ConfigError("contact.phones", "a list of phone numbers as strings")
    return SlackWiring(
        default_language=language,
        severity_channels=severity_channels,
        leads_channel=_channel(channels, "leads"),
        on_call_channel=_channel(channels, "on_call"),
        announcements_channel=str(channels.get("announcements") or "").strip() or _channel(channels, "leads"),
        contact=Contact(phones=tuple(phones), email=_text(contact_raw, "email", "contact"),
                        portal=_text(contact_raw, "portal", "contact"),
                        status_page=_text(contact_raw, "status_page", "contact"), by_severity=by_severity),
    )


def validate_sections(path: str | Path) -> None:
    """Called by ``astreinte check-config``: every section of app.yaml beyond the policy."""
    from sla_core.tickets.support import load_support

    load_wiring(path)
    load_support(path)


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(path, "missing section" if value is None else "must be a mapping")
    return value


def _channel(channels: Mapping[str, Any], key: str) -> str:
    value = channels.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"slack.channels.{key}", "missing channel id (e.g. C0123ABCD)")
    return value.strip()


def _text(section: Mapping[str, Any], key: str, path: str) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}.{key}", "missing")
    return value.strip()
