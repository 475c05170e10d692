"""The ``support`` section of ``app.yaml``: who the agents are, the customer accounts and
their administrators, the product versions and their status, the reopening window."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from sla_core.config.reader import BAD, Problems, Section, boolean, did_you_mean, ok, text, user_id
from sla_core.durations import WrittenDuration, parse_duration
from sla_core.policy import BUSINESS, ROUND_THE_CLOCK, Policy


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
    # Each a Slack user id or an e-mail address (someone the bot knows by address only,
    # e.g. who writes to the support address); account holders count as administrators.
    administrators: frozenset[str]
    end_users: frozenset[str] = frozenset()
    contact_emails: tuple[str, ...] = ()  # planned-maintenance notices
    # A Slack user's address, when app.yaml gives both ({slack_user_id, email}): by mail
    # too, that person acts as their Slack user.
    addresses: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SupportConfig:
    agents: frozenset[str]
    leads: frozenset[str] = frozenset()
    on_call: frozenset[str] = frozenset()
    # As read from app.yaml: what the account directory is seeded with on the first start
    # (sla_core.accounts.seed). The checks below run on the request's view of the
    # directory instead (sla_core.accounts.directory.support_for): the accounts the user
    # belongs to, read from the database when the request comes.
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


SUPPORT_KEYS = ("agents", "leads", "on_call", "accounts", "versions", "reopen_within", "reference_prefix")
ACCOUNT_KEYS = ("id", "name", "active", "administrators", "end_users", "contact_email")


def read_support(section: Section, problems: Problems) -> SupportConfig:
    accounts: dict[str, Account] = {}
    raw_accounts = section.raw.get("accounts") or []
    if not isinstance(raw_accounts, list):
        problems.add(section.at("accounts"), "must be a list of accounts")
        raw_accounts = []
    for i, item in enumerate(raw_accounts):
        account = _account(Section(item, f"{section.at('accounts')}[{i}]", problems, ACCOUNT_KEYS))
        if account is BAD:
            continue
        if account.id in accounts:
            problems.add(f"{section.at('accounts')}[{i}].id", f'"{account.id}" appears twice')
        accounts[account.id] = account
    versions = section.sub("versions", None, required=False)
    statuses = {str(v): versions.read(v, _status) for v in versions}
    if not isinstance(section.raw.get("versions") or {}, Mapping):
        problems.add(section.at("versions"), 'must map versions to a status, e.g. {"5.2": supported}')
    reopen = section.read("reopen_within", parse_duration, default="10 business days")
    prefix = section.read("reference_prefix", _prefix, default="INC")
    users = {key: users_of(section, key) for key in ("agents", "leads", "on_call")}
    if problems.items:
        return BAD  # type: ignore[no-any-return]
    return SupportConfig(agents=users["agents"], leads=users["leads"], on_call=users["on_call"], accounts=accounts,
                         versions={v: s for v, s in statuses.items()}, reopen_within=reopen, reference_prefix=prefix)


def users_of(section: Section, key: str) -> frozenset[str]:
    ids = section.items(key, user_id, default=[])
    return frozenset(ids) if ok(ids) else BAD


PERSON_KEYS = ("slack_user_id", "email")


def people_of(section: Section, key: str) -> tuple[frozenset[str], dict[str, str]]:
    """An account's people under ``key``: their ids (a Slack user id or an address), and
    the address of each Slack user given with one."""
    people = section.items(key, person, default=[])
    if not ok(people):
        return BAD, {}
    return frozenset(who for who, _ in people), {who: address for who, address in people if address}


def person(value: object) -> tuple[str, str | None]:
    """A Slack user id, an e-mail address (lower-cased: addresses compare without case, as
    the directory stores them), or both: ``{slack_user_id: U…, email: …}``."""
    if isinstance(value, Mapping):
        unknown = [str(k) for k in value if k not in PERSON_KEYS]
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}; {did_you_mean(unknown[0], PERSON_KEYS)}")
        if value.get("slack_user_id") is None:
            raise ValueError("`slack_user_id` is missing (a person known by address only is just the address)")
        address = value.get("email")
        return user_id(value["slack_user_id"]), email_address(address).lower() if address is not None else None
    if isinstance(value, str) and "@" in value:
        return email_address(value).lower(), None
    try:
        return user_id(value), None
    except ValueError:
        raise ValueError(f"{value!r} is neither a Slack user id (U… or W…, e.g. U0123ABCD) "
                         "nor an e-mail address") from None


def _account(section: Section) -> Account:
    if not section.valid:
        return BAD  # type: ignore[no-any-return]
    account_id = section.read("id", text, missing="missing (a short stable identifier, e.g. acme)")
    emails = section.raw.get("contact_email")
    contact = section.items("contact_email", email_address, default=[]) if isinstance(emails, list) else (
        () if emails is None else (section.read("contact_email", email_address),))
    administrators, admin_addresses = people_of(section, "administrators")
    end_users, end_user_addresses = people_of(section, "end_users")
    account = Account(
        id=account_id, name=str(section.raw.get("name") or account_id).strip(),
        active=section.read("active", boolean, default=True),
        administrators=administrators, end_users=end_users, contact_emails=contact,
        addresses={**end_user_addresses, **admin_addresses})
    return account if ok(account_id, account.active, account.administrators, account.end_users, contact) else BAD


def email_address(value: object) -> str:
    if not isinstance(value, str) or "@" not in value or any(c.isspace() for c in value.strip()):
        raise ValueError(f"{value!r} is not an email address")
    return value.strip()


def _status(value: object) -> VersionStatus:
    try:
        return VersionStatus(str(value))
    except ValueError:
        raise ValueError(f'"{value}" is not one of: {", ".join(s.value for s in VersionStatus)}') from None


def _prefix(value: Any) -> str:
    prefix = str(value)
    if not prefix.isalpha() or not prefix.isupper() or len(prefix) > 10:
        raise ValueError(f'"{prefix}" must be 1 to 10 capital letters')
    return prefix
