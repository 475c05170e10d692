"""The one wiring of mail-in: the configuration, the sender directory and units of work
built as the bot's own (``BotContext.uow``), so that a ticket opened or answered by mail
owes exactly what one opened in Slack owes: its Slack notices, its reporter's ticket mail,
the satisfaction survey."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.context import BotContext
from sla_core.accounts.seed import ensure_seeded
from sla_core.config import AppConfig
from sla_core.email.directory import DatabaseSenderDirectory
from sla_core.email.incoming import SenderDirectory
from sla_core.email.incoming_service import MailDesk


def mail_desk(config: AppConfig, engine: Engine, *, now: datetime,
              directory: SenderDirectory | None = None) -> MailDesk:
    """The account directory is seeded from app.yaml at ``now`` if it never was (as
    ``serve`` and ``tick`` do), before the first mail asks it who wrote."""
    ensure_seeded(engine, config.support, now=now)
    # A client without a token: mail-in never calls Slack, it only writes the outbox.
    ctx = BotContext.from_config(config, engine=engine, client=WebClient())
    return MailDesk(policy=config.policy, support=config.support, settings=config.mail_in,
                    directory=directory or DatabaseSenderDirectory(engine),
                    default_language=config.slack.default_language, new_uow=ctx.uow)
