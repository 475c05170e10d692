"""The whole of ``app.yaml`` read once, checked whole, into one frozen ``AppConfig`` that
each process builds at start-up and passes on. Every problem is reported with its key
path; unknown keys are problems too ("did you mean …?")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sla_core.config.bug_tracker import NO_TRACKER, BugTrackerConfig, read_bug_tracker
from sla_core.config.mail_in import MailInSettings, read_mail_in
from sla_core.config.policy_section import NINE_HOURS, POLICY_KEYS, read_policy
from sla_core.config.rca_section import RcaSettings, read_rca
from sla_core.config.reader import BAD, ConfigErrors, Problems, Section, ok
from sla_core.config.satisfaction import SatisfactionSettings, read_satisfaction
from sla_core.config.connect_section import ConnectSettings, read_connect
from sla_core.config.scheduling import OnCallPolicy, SchedulerConfig, read_scheduling
from sla_core.config.service_levels import (
    AvailabilityConfig, AvailabilitySettings, EmailSettings, MaintenanceSettings, ReportSettings, read_service_levels,
)
from sla_core.config.slack import Contact, SlackWiring, read_slack
from sla_core.config.status_section import StatusSettings, read_status_section
from sla_core.config.support import SUPPORT_KEYS, SupportConfig, read_support
from sla_core.errors import ConfigError
from sla_core.policy import Policy

ENV_VAR = "ASTREINTE_CONFIG"
BUNDLED = "the bundled app.yaml"
SECTIONS = ("policy", "support", "slack", "contact", "escalation", "on_call", "scheduler", "availability",
            "maintenance", "reports", "email", "satisfaction", "rca", "bug_tracker", "status", "connect", "mail_in")


@dataclass(frozen=True, kw_only=True)
class AppConfig:
    """Every section of app.yaml, typed. ``source`` says which file it came from."""

    source: str
    policy: Policy
    support: SupportConfig
    slack: SlackWiring  # the slack and contact sections
    scheduling: SchedulerConfig  # the escalation, on_call and scheduler sections
    service_levels: AvailabilityConfig  # the availability, maintenance, reports and email sections
    satisfaction: SatisfactionSettings = SatisfactionSettings()  # "How did we do?" after a resolution
    mail_in: MailInSettings = MailInSettings()  # mail to the support address (astreinte mail-in)
    rca: RcaSettings = RcaSettings()  # root-cause analyses (sla_core/config/rca_section.py)
    bug_tracker: BugTrackerConfig = NO_TRACKER  # where bugs are filed (none by default)
    status: StatusSettings = StatusSettings()  # the public status page
    connect: ConnectSettings = ConnectSettings()  # Slack Connect channels, tickets from messages

    @property
    def contact(self) -> Contact:
        return self.slack.contact

    @property
    def on_call(self) -> OnCallPolicy:
        return self.scheduling.on_call

    @property
    def availability(self) -> AvailabilitySettings:
        return self.service_levels.availability

    @property
    def maintenance(self) -> MaintenanceSettings:
        return self.service_levels.maintenance

    @property
    def reports(self) -> ReportSettings:
        return self.service_levels.reports

    @property
    def email(self) -> EmailSettings:
        return self.service_levels.email


def config_from_mapping(data: object, *, source: str = "app.yaml") -> AppConfig:
    """Check every section, then build; raises ``ConfigErrors`` listing every problem."""
    problems = Problems()
    top = Section(data, "", problems, SECTIONS, what="section")
    policy = read_policy(top.sub("policy", POLICY_KEYS), problems)
    business_day = policy.business_day if ok(policy) else NINE_HOURS
    support = read_support(top.sub("support", SUPPORT_KEYS), problems)
    slack = read_slack(top, problems)
    scheduling = read_scheduling(top, problems, business_day)
    service_levels = read_service_levels(top, problems, support.accounts if ok(support) else {})
    satisfaction = read_satisfaction(top, problems)
    mail_in = read_mail_in(top, problems)
    if ok(support, mail_in) and mail_in.product_version is not None \
            and mail_in.product_version not in support.versions:
        problems.add("mail_in.product_version", f'"{mail_in.product_version}" is not in support.versions')
    rca = read_rca(top, problems, business_day)
    bug_tracker = read_bug_tracker(top, problems)
    status = read_status_section(top, problems)
    connect = read_connect(top, problems)
    problems.raise_if_any()
    return AppConfig(source=source, policy=policy, support=support, slack=slack, scheduling=scheduling,
                     service_levels=service_levels, satisfaction=satisfaction, rca=rca, bug_tracker=bug_tracker,
                     status=status, connect=connect,
                     mail_in=mail_in)


def config_path(explicit: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The file to read: ``--config``, else ``$ASTREINTE_CONFIG``, else None (the bundled one)."""
    env = os.environ if environ is None else environ
    chosen = explicit or env.get(ENV_VAR) or None
    return Path(chosen) if chosen else None


def default_config_text() -> str:
    """The commented app.yaml shipped inside the package (``astreinte init`` writes it)."""
    # importlib.resources, not a path beside this module: the package may be installed
    # zipped. Its import costs ~15 ms of a command's start (benchmarks/cli.py); kept.
    return resources.files("sla_core.config").joinpath("app.yaml").read_text(encoding="utf-8")


def load_config(path: str | Path | None = None, *, environ: Mapping[str, str] | None = None) -> AppConfig:
    """Read and check the configuration once: ``path`` (``--config``), else
    ``$ASTREINTE_CONFIG``, else the bundled app.yaml."""
    target = config_path(path, environ)
    if target is None:
        return config_from_mapping(_parse(default_config_text(), BUNDLED), source=BUNDLED)
    try:
        content = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("", f"configuration file {target} does not exist") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise ConfigError("", f"cannot read the configuration file {target}: {exc}") from None
    return config_from_mapping(_parse(content, str(target)), source=str(target))


# libyaml's parser when PyYAML was built with it (the wheels are): ten times faster than
# the pure-Python one, which took a third of `astreinte sla deadlines`. Same resolver, so
# the same values (an unquoted 09:00 is still 540).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(content: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.load(content, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ConfigError("", f"{source} is not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise ConfigError("", f"{source} must hold a mapping at its top level")
    return data


__all__ = ["AppConfig", "ConfigErrors", "BAD", "ENV_VAR", "SECTIONS", "config_from_mapping", "config_path",
           "default_config_text", "load_config"]
