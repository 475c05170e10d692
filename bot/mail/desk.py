"""The one wiring of mail-in: the configuration, the sender directory and units of work
whose commit writes the outbox rows their ticket events owe (as ``BotContext.uow``)."""

from __future__ import annotations

from sqlalchemy import Engine

from sla_core.config import AppConfig
from sla_core.email.incoming import ConfigSenderDirectory, SenderDirectory
from sla_core.email.incoming_service import MailDesk
from sla_core.outbox.ticket_notices import write_notices
from sla_core.persistence.uow import UnitOfWork


def mail_desk(config: AppConfig, engine: Engine, *, directory: SenderDirectory | None = None) -> MailDesk:
    return MailDesk(policy=config.policy, support=config.support, settings=config.mail_in,
                    directory=directory or ConfigSenderDirectory(config.support),
                    default_language=config.slack.default_language,
                    new_uow=lambda: UnitOfWork(engine, before_commit=[write_notices]))
