"""The ``slack`` and ``contact`` sections of ``app.yaml``: the channels the bot posts in,
the default language, and the contract's contact channels given to reporters. Plain data
(ids and words): nothing here talks to Slack."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sla_core.config.reader import BAD, Problems, Section, channel_id, did_you_mean, one_of, text
from sla_core.severity import Severity

# The languages of messages/ (a test checks they are the same); declared here too because
# sla_core does not import the message catalogue.
LANGUAGES = ("en", "fr")
CONTACT_KINDS = ("phone", "email", "portal", "status_page")
CHANNEL_KEYS = (*(s.value for s in Severity), "leads", "on_call", "announcements")


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


def read_slack(top: Section, problems: Problems) -> SlackWiring:
    slack = top.sub("slack", ("default_language", "channels"))
    language = slack.read("default_language", one_of(*LANGUAGES), default="fr")
    channels = slack.sub("channels", CHANNEL_KEYS, what="channel")
    missing = "missing channel id (e.g. C0123ABCD)"
    severity_channels = {s: channels.read(s.value, channel_id, missing=missing) for s in Severity}
    leads = channels.read("leads", channel_id, missing=missing)
    on_call = channels.read("on_call", channel_id, missing=missing)
    announcements = channels.read("announcements", channel_id, default=None)

    contact = top.sub("contact", ("phones", "email", "portal", "status_page", "by_severity"))
    by_sev = contact.sub("by_severity", [s.value for s in Severity], what="severity")
    kinds = f"a non-empty list of: {', '.join(CONTACT_KINDS)}"
    by_severity = {s: by_sev.items(s.value, _contact_kind, missing=kinds, non_empty=True) for s in Severity}
    phones = contact.items("phones", _phone, default=[])
    details = {key: contact.read(key, text) for key in ("email", "portal", "status_page")}
    if problems.items:
        return BAD  # type: ignore[no-any-return]
    return SlackWiring(
        default_language=language, severity_channels=severity_channels, leads_channel=leads,
        on_call_channel=on_call, announcements_channel=announcements or leads,
        contact=Contact(phones=phones, by_severity=by_severity, **details))


def _contact_kind(value: object) -> str:
    if value not in CONTACT_KINDS:
        raise ValueError(f'"{value}" is not one of: {", ".join(CONTACT_KINDS)}; '
                         f"{did_you_mean(str(value), CONTACT_KINDS)}")
    return str(value)


def _phone(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a phone number written as a string (quote it)")
    return value
