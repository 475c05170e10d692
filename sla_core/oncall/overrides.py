"""Leads' overrides of the rotation (``/incident oncall set @user until …``), stored, and
who is on call at ``now`` once they are taken into account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from sla_core.oncall.rotation import OnCall, Override, on_call_at
from sla_core.oncall.models import OnCallOverride
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.scheduler.config import SchedulerConfig


def active_overrides(uow: UnitOfWork, now: datetime) -> list[Override]:
    """Overrides not over at ``now``, read in the caller's unit of work."""
    rows = uow.session.scalars(select(OnCallOverride).where(OnCallOverride.ends_at > now))
    return [Override(user_id=r.user_id, starts_at=r.starts_at, ends_at=r.ends_at, set_by=r.set_by) for r in rows]


def who_is_on_call(uow: UnitOfWork, *, policy: Policy, config: SchedulerConfig, now: datetime) -> OnCall:
    with uow:
        overrides = active_overrides(uow, now)
    return on_call_at(config.on_call.rotation, overrides, now=now, timezone=policy.timezone)


def set_override(uow: UnitOfWork, *, user_id: str, starts_at: datetime, ends_at: datetime, set_by: str,
                 now: datetime) -> None:
    with uow:
        uow.session.add(OnCallOverride(user_id=user_id, starts_at=starts_at, ends_at=ends_at, set_by=set_by,
                                       created_at=now))
        uow.commit()
