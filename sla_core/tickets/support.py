"""The ``support`` section of ``app.yaml``: who the agents are, the customer accounts and
their administrators, the product versions and their status, the reopening window."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sla_core.durations import WrittenDuration, parse_duration
from sla_core.errors import ConfigError
from sla_core.policy import BUSINESS, ROUND_THE_CLOCK, Policy, load_yaml


class VersionStatus(str, Enum):
    SUPPORTED = "supported"
    END_OF_LIFE = "end_of_life"
    BETA = "beta"
    RELEASE_CANDIDATE = "release_candidate"
    DEVELOPMENT = "development"


@dataclass(frozen=True, kw_only=True)
class Account:
    id: str
    name: str
    active: bool
    administrators: frozenset[str]  # account holders count as administrators
    end_users: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class SupportConfig:
    agents: frozenset[str]
    leads: frozenset[str] = frozenset()
    on_call: frozenset[str] = frozenset()
    accounts: Mapping[str, Account] = field(default_factory=dict)
    versions: Mapping[str, VersionStatus] = field(default_factory=dict)
    reopen_within: WrittenDuration = field(default_factory=lambda: parse_duration("10 business days"))
    reference_prefix: str = "INC"

    def is_agent(self, user_id: str) -> bool:
        """Leads and on-call engineers are agents too."""
        return user_id in self.agents or user_id in self.leads or user_id in self.on_call

    def administered_by(self, user_id: str) -> tuple[Account, ...]:
        return tuple(a for a in self.accounts.values() if user_id in a.administrators)

    def end_user_accounts(self, user_id: str) -> tuple[Account, ...]:
        return tuple(a for a in self.accounts.values() if user_id in a.end_users)

    def reopen_deadline(self, policy: Policy, resolved_at: datetime) -> datetime:
        """The last instant a resolved ticket may be reopened. Business durations count in
        the policy's business calendar (the calendar's own ``add``, no SLA arithmetic)."""
        amount = self.reopen_within.to_timedelta(business_day=policy.business_day)
        calendar = policy.calendar(BUSINESS if self.reopen_within.business else ROUND_THE_CLOCK)
        return calendar.add(resolved_at, amount)


def load_support(path: str | Path | None = None) -> SupportConfig:
    data = load_yaml(path)
    if "support" not in data:
        raise ConfigError("support", "missing section")
    return support_from_mapping(data["support"], path="support")


def support_from_mapping(raw: object, *, path: str = "support") -> SupportConfig:
    if not isinstance(raw, Mapping):
        raise ConfigError(path, f"must be a mapping, not {type(raw).__name__}")
    known = {"agents", "leads", "on_call", "accounts", "versions", "reopen_within", "reference_prefix"}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"{path}.{sorted(unknown)[0]}", f"unknown key (expected {', '.join(sorted(known))})")
    accounts: dict[str, Account] = {}
    raw_accounts = raw.get("accounts") or []
    if not isinstance(raw_accounts, list):
        raise ConfigError(f"{path}.accounts", "must be a list of accounts")
    for i, item in enumerate(raw_accounts):
        account = _account(item, f"{path}.accounts[{i}]")
        if account.id in accounts:
            raise ConfigError(f"{path}.accounts[{i}].id", f'"{account.id}" appears twice')
        accounts[account.id] = account
    versions: dict[str, VersionStatus] = {}
    raw_versions = raw.get("versions") or {}
    if not isinstance(raw_versions, Mapping):
        raise ConfigError(f"{path}.versions", 'must map versions to a status, e.g. {"5.2": supported}')
    for version, status in raw_versions.items():
        try:
            versions[str(version)] = VersionStatus(str(status))
        except ValueError:
            names = ", ".join(s.value for s in VersionStatus)
            raise ConfigError(f"{path}.versions.{version}", f'"{status}" is not one of: {names}') from None
    try:
        reopen = parse_duration(raw.get("reopen_within", "10 business days"))
    except ValueError as exc:
        raise ConfigError(f"{path}.reopen_within", str(exc)) from None
    prefix = str(raw.get("reference_prefix", "INC"))
    if not prefix.isalpha() or not prefix.isupper() or len(prefix) > 10:
        raise ConfigError(f"{path}.reference_prefix", f'"{prefix}" must be 1 to 10 capital letters')
    return SupportConfig(
        agents=_users(raw.get("agents"), f"{path}.agents"),
        leads=_users(raw.get("leads"), f"{path}.leads"),
        on_call=_users(raw.get("on_call"), f"{path}.on_call"),
        accounts=accounts, versions=versions, reopen_within=reopen, reference_prefix=prefix,
    )


def _account(raw: Any, path: str) -> Account:
    if not isinstance(raw, Mapping):
        raise ConfigError(path, "must be a mapping with id, name, active, administrators")
    # contact_email is read by the maintenance notices (sla_core/availability/config.py).
    unknown = set(raw) - {"id", "name", "active", "administrators", "end_users", "contact_email"}
    if unknown:
        raise ConfigError(f"{path}.{sorted(unknown)[0]}", "unknown key")
    account_id = raw.get("id")
    if not isinstance(account_id, str) or not account_id.strip():
        raise ConfigError(f"{path}.id", "missing (a short stable identifier, e.g. acme)")
    active = raw.get("active", True)
    if not isinstance(active, bool):
        raise ConfigError(f"{path}.active", f"{active!r} is not true or false")
    return Account(
        id=account_id.strip(), name=str(raw.get("name") or account_id).strip(), active=active,
        administrators=_users(raw.get("administrators"), f"{path}.administrators"),
        end_users=_users(raw.get("end_users"), f"{path}.end_users"),
    )


def _users(raw: object, path: str) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(u, str) and u.strip() for u in raw):
        raise ConfigError(path, "must be a list of Slack user ids, e.g. [U01ABCDEF]")
    return frozenset(u.strip() for u in raw)
