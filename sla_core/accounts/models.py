"""Tables of the account directory.

``customer_accounts`` predates the directory (tickets refer to it); the people, the
shared channels, the audit trail and the seed marker are new. The one question asked on
every request, "who is this Slack user", is answered by ``ix_account_people_slack_user``
(then the account's administrators by ``ix_account_people_account_role``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import JSONPayload, UTCDateTime


class CustomerAccount(Base):
    __tablename__ = "customer_accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    # The customer's own workspace, for their external members in Slack Connect channels.
    slack_team_id: Mapped[str | None] = mapped_column(String(32))
    # Planned-maintenance e-mails go to these (a short list: kept with the account).
    contact_emails: Mapped[list[str] | None] = mapped_column(JSONPayload)


class AccountPerson(Base):
    """Someone of an account: ``administrator``, ``account_holder`` (who may do what an
    administrator does) or ``end_user`` (known, so that they can be told who their
    administrators are). Given by Slack user id, by e-mail address, or both: an address
    alone is resolved to a Slack user later (``users.lookupByEmail``)."""

    __tablename__ = "account_people"
    __table_args__ = (
        UniqueConstraint("account_id", "slack_user_id", name="uq_account_people_account_user"),
        UniqueConstraint("account_id", "email", name="uq_account_people_account_email"),
        Index("ix_account_people_slack_user", "slack_user_id"),
        Index("ix_account_people_email", "email"),
        Index("ix_account_people_account_role", "account_id", "role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    slack_user_id: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))  # lower-cased
    slack_team_id: Mapped[str | None] = mapped_column(String(32))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last users.lookupByEmail answer


class AccountChannel(Base):
    """A channel shared with the customer (Slack Connect): by id, as names differ per side."""

    __tablename__ = "account_channels"
    __table_args__ = (Index("ix_account_channels_account", "account_id"),)

    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"))


class AccountAudit(Base):
    """Append-only: who changed what in the directory, when, from what to what."""

    __tablename__ = "account_audit"
    __table_args__ = (Index("ix_account_audit_account_at", "account_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))  # a Slack user id, "operator", "app.yaml", "import"
    account_id: Mapped[str] = mapped_column(String(64))  # no foreign key: the trail outlives nothing
    subject: Mapped[str] = mapped_column(String(300))  # "account", or "person:<user or e-mail>", "channel:<id>"
    change: Mapped[str] = mapped_column(String(20))  # added | changed | deactivated | removed
    old: Mapped[dict[str, Any] | None] = mapped_column(JSONPayload)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSONPayload)
    note: Mapped[str | None] = mapped_column(Text)


class DirectorySeed(Base):
    """One row once app.yaml's accounts were copied in. Its primary key is the lock: two
    replicas starting together both insert id 1, the second waits for the first's commit
    and then conflicts, so the copy happens once."""

    __tablename__ = "directory_seed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seeded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(200))
