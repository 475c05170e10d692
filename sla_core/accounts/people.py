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
