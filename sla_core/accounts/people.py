"""The directory's words: roles, a person, and the shapes of ids and addresses (the same
shapes ``astreinte check-config`` checks in app.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
# Deliberately loose (one @, a dot in the domain, no spaces): the mail server and Slack's
# users.lookupByEmail are the real judges; this catches a column shifted in a CRM export.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ACCOUNT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class PersonRole(str, Enum):
    ADMINISTRATOR = "administrator"
    ACCOUNT_HOLDER = "account_holder"
    END_USER = "end_user"


ROLES = frozenset(r.value for r in PersonRole)
# Who may open tickets for the account: the contract's administrators and account holders.
ADMINISTERING = frozenset({PersonRole.ADMINISTRATOR.value, PersonRole.ACCOUNT_HOLDER.value})


@dataclass(frozen=True, kw_only=True)
class Person:
    account_id: str
    role: PersonRole
    slack_user_id: str | None = None
    email: str | None = None
    slack_team_id: str | None = None

    @property
    def key(self) -> str:
        """How the audit trail and reports name them: the Slack id, else the address."""
        return self.slack_user_id or self.email or "?"

    @property
    def administers(self) -> bool:
        return self.role.value in ADMINISTERING


def normal_email(address: str | None) -> str | None:
    """Addresses compare without case (what every mail system does in practice)."""
    return address.strip().lower() if address and address.strip() else None


def person_problems(*, role: str | None, slack_user_id: str | None, email: str | None,
                    slack_team_id: str | None) -> list[str]:
    """What is wrong with a person as given (empty: nothing)."""
    out = []
    if role not in ROLES:
        out.append(f'role "{role or ""}" is not one of: {", ".join(r.value for r in PersonRole)}')
    if not slack_user_id and not email:
        out.append("a person needs a Slack user id or an e-mail address")
    if slack_user_id and not USER_ID.match(slack_user_id):
        out.append(f'"{slack_user_id}" is not a Slack user id (U or W then capitals and digits, e.g. U0123ABCD)')
    if email and not EMAIL.match(email):
        out.append(f'"{email}" is not an e-mail address')
    if slack_team_id and not TEAM_ID.match(slack_team_id):
        out.append(f'"{slack_team_id}" is not a Slack team id (T then capitals and digits, e.g. T0123ABCD)')
    return out


_SLACK_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_SLACK_MAILTO = re.compile(r"^<mailto:([^|>]+)(?:\|[^>]*)?>$")


def user_or_email(token: str) -> tuple[str | None, str | None]:
    """``U0123`` / ``<@U0123|name>`` (a Slack mention) → the user id; ``a@b.fr`` /
    ``<mailto:a@b.fr|a@b.fr>`` (how Slack sends an address typed in a command) → the address."""
    token = token.strip()
    mention = _SLACK_USER.match(token)
    if mention:
        return mention.group(1), None
    mailto = _SLACK_MAILTO.match(token)
    if mailto:
        return None, normal_email(mailto.group(1))
    if "@" in token:
        return None, normal_email(token)
    return token, None
