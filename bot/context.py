"""What every listener and the sender need, built once at start-up and passed in: the
policy and support configuration, the Slack wiring, the database, the Web API client, the
language resolver and the clock. Only this module's ``system_clock`` reads the real time;
the demo and the tests pass a clock of their own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from datetime import UTC, datetime

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.after_ack import AfterAck
from bot.locale import LanguageResolver
from bot.settings import SlackWiring
from sla_core.email.outgoing import ReporterMailRule
from sla_core.accounts.directory import support_for
from sla_core.config.rca_section import RcaSettings
from sla_core.outbox.ticket_notices import write_notices
from sla_core.persistence.engine import single_statement_reads
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.preferences import language_preference
from sla_core.satisfaction import survey_hook
from sla_core.config import AppConfig
from sla_core.config.satisfaction import SatisfactionSettings
from sla_core.config.bug_tracker import NO_TRACKER, BugTrackerConfig
from sla_core.config.connect_section import ConnectSettings
from sla_core.config.scheduling import SchedulerConfig
from sla_core.config.service_levels import AvailabilityConfig
from sla_core.config.status_section import StatusSettings
from sla_core.config.support import SupportConfig

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(kw_only=True)
class BotContext:
    policy: Policy
    support: SupportConfig
    wiring: SlackWiring
    engine: Engine
    client: WebClient
    scheduler: SchedulerConfig  # escalation, on-call, the tick
    availability: AvailabilityConfig  # availability, maintenance, reports, email
    clock: Clock = system_clock
    status: StatusSettings = field(default_factory=StatusSettings)  # the public status page
    satisfaction: SatisfactionSettings = field(default_factory=SatisfactionSettings)  # "How did we do?"
    rca: RcaSettings = field(default_factory=RcaSettings)  # root-cause analyses
    bug_tracker: BugTrackerConfig = NO_TRACKER  # where agents file bugs (none: no bug buttons)
    connect: ConnectSettings = field(default_factory=ConnectSettings)  # tickets from messages
    languages: LanguageResolver = field(init=False)
    after_ack: AfterAck = field(default_factory=AfterAck, init=False)  # views.open & co, off the ack
    _sender_wakeup: threading.Event = field(default_factory=threading.Event, init=False)
    _write_notices: Callable[..., int] = field(init=False)  # the outbox hook, with who gets e-mail

    def __post_init__(self) -> None:
        self.languages = LanguageResolver(client=self.client, default=self.wiring.default_language,
                                          preference=self._stored_language)
        rule = ReporterMailRule(enabled=self.availability.email.reporters.enabled,
                                by_severity=self.wiring.contact.by_severity)
        self._write_notices = partial(write_notices, mail=rule) if rule.enabled else write_notices

    @classmethod
    def from_config(cls, config: AppConfig, *, engine: Engine, client: WebClient,
                    clock: Clock = system_clock) -> BotContext:
        """The one way a context is built: from the process's ``AppConfig``."""
        return cls(policy=config.policy, support=config.support, wiring=config.slack, scheduler=config.scheduling,
                   availability=config.service_levels, engine=engine, client=client, clock=clock,
                   status=config.status, satisfaction=config.satisfaction, rca=config.rca,
                   bug_tracker=config.bug_tracker, connect=config.connect)

    @property
    def scheduling(self) -> SchedulerConfig:
        return self.scheduler

    @property
    def service_levels(self) -> AvailabilityConfig:
        return self.availability

    def now(self) -> datetime:
        return self.clock()

    def uow(self) -> UnitOfWork:
        """A unit of work whose commit also writes the outbox rows its events owe (the
        ticket's notices, and the satisfaction survey an accepted resolution asks)."""
        return UnitOfWork(self.engine, before_commit=[self._write_notices, survey_hook(self.satisfaction)])

    def support_for(self, user_id: str | None, *, account_id: str | None = None,
                    team_id: str | None = None) -> SupportConfig:
        """``support`` with the accounts ``user_id`` belongs to (and ``account_id``'s), read
        from the account directory now: one indexed query, so every replica sees a change
        at once. ``support.accounts`` itself is app.yaml's, read only to seed the directory."""
        return support_for(single_statement_reads(self.engine), self.support, user_id, account_id=account_id,
                           team_id=team_id)

    def language(self, user_id: str | None) -> str:
        return self.languages.for_user(user_id)

    def wake_sender(self) -> None:
        """Tell the sender that new outbox rows were committed (it also polls)."""
        self._sender_wakeup.set()

    def wait_for_work(self, timeout: float) -> bool:
        woke = self._sender_wakeup.wait(timeout)
        self._sender_wakeup.clear()
        return woke

    def _stored_language(self, user_id: str) -> str | None:
        with self.uow() as uow:
            return language_preference(uow.session, user_id)
