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
class EmailContact:
    """A person of an account known by their e-mail address (mail to the support address):
    their Slack user when they have one, and the language to answer them in."""

    address: str  # as written; compared case-insensitively
    slack_user: str | None = None
    language: str | None = None


@dataclass(frozen=True, kw_only=True)
class Account:
    id: str
    name: str
    active: bool
    administrators: frozenset[str]  # account holders count as administrators
    end_users: frozenset[str] = frozenset()
    contact_emails: tuple[str, ...] = ()  # planned-maintenance notices
    administrator_emails: tuple[EmailContact, ...] = ()  # may open tickets by e-mail
    end_user_emails: tuple[EmailContact, ...] = ()  # are answered who their administrators are


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
ACCOUNT_KEYS = ("id", "name", "active", "administrators", "end_users", "contact_email", "administrator_emails",
                "end_user_emails")
EMAIL_CONTACT_KEYS = ("email", "slack_user", "language")


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
    _each_address_once(section, raw_accounts, accounts, problems)
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


def _each_address_once(section: Section, raw_accounts: list[Any], accounts: Mapping[str, Account],
                       problems: Problems) -> None:
    """An e-mail address says who wrote a mail: it may stand for one person of one account."""
    seen: dict[str, str] = {}
    for i, item in enumerate(raw_accounts):
        account = accounts.get(str(item.get("id"))) if isinstance(item, Mapping) else None
        if account is None:
            continue
        for key, contacts in (("administrator_emails", account.administrator_emails),
                              ("end_user_emails", account.end_user_emails)):
            for j, contact in enumerate(contacts):
                path = f"{section.at('accounts')}[{i}].{key}[{j}]"
                address = contact.address.lower()
                if address in seen:
                    problems.add(path, f"{contact.address} is already listed at {seen[address]}")
                else:
                    seen[address] = path


def users_of(section: Section, key: str) -> frozenset[str]:
    ids = section.items(key, user_id, default=[])
    return frozenset(ids) if ok(ids) else BAD


def _account(section: Section) -> Account:
    if not section.valid:
        return BAD  # type: ignore[no-any-return]
    account_id = section.read("id", text, missing="missing (a short stable identifier, e.g. acme)")
    emails = section.raw.get("contact_email")
    contact = section.items("contact_email", email_address, default=[]) if isinstance(emails, list) else (
        () if emails is None else (section.read("contact_email", email_address),))
    by_mail = {key: section.items(key, _contact, default=[])
               for key in ("administrator_emails", "end_user_emails")}
    account = Account(
        id=account_id, name=str(section.raw.get("name") or account_id).strip(),
        active=section.read("active", boolean, default=True),
        administrators=users_of(section, "administrators"), end_users=users_of(section, "end_users"),
        contact_emails=contact, administrator_emails=by_mail["administrator_emails"],
        end_user_emails=by_mail["end_user_emails"])
    return account if ok(account_id, account.active, account.administrators, account.end_users, contact,
                         *by_mail.values()) else BAD


def _contact(value: object) -> EmailContact:
    """An e-mail contact: an address, or ``{email, slack_user, language}``."""
    if isinstance(value, str):
        return EmailContact(address=email_address(value))
    if not isinstance(value, Mapping):
        raise ValueError(f"{value!r} is not an e-mail address nor a mapping with `email`")
    unknown = [str(k) for k in value if k not in EMAIL_CONTACT_KEYS]
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; {did_you_mean(unknown[0], EMAIL_CONTACT_KEYS)}")
    if value.get("email") is None:
        raise ValueError("`email` is missing")
    slack = value.get("slack_user")
    language = value.get("language")
    if language is not None and language not in ("en", "fr"):
        raise ValueError(f'language "{language}" is not one of: en, fr')
    return EmailContact(address=email_address(value["email"]),
                        slack_user=user_id(slack) if slack is not None else None,
                        language=str(language) if language is not None else None)


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
