"""``GET /metrics`` in the Prometheus text format, with ``prometheus_client``.

Gauges that must agree across replicas (tickets by status and severity, notifications by
status, breaches decided, how far the scheduler lags, outbox claims taken over from a
dead or stalled holder, claims stale right now) are read from the database at scrape
time by a custom collector, so every replica and worker answers the same figures; what
only a process knows (its tick durations) is a histogram in that process's registry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from bot.after_ack import AfterAck
from sla_core.outbox import store
from sla_core.outbox.store import DIGESTED, FAILED, PENDING, SENDING, SENT
from sla_core.persistence.models import OPEN_STATUSES, Ticket
from sla_core.outbox.models import OutboxRow
from sla_core.persistence.uow import UnitOfWork
from sla_core.severity import ClockKind


class StoreCollector(Collector):
    def __init__(self, new_uow: Callable[[], UnitOfWork], clock: Callable[[], datetime]) -> None:
        self._new_uow = new_uow
        self._clock = clock

    def collect(self) -> Iterator[Metric]:
        now = self._clock()
        uow = self._new_uow()
        with uow:
            session = uow.session
            tickets = GaugeMetricFamily("astreinte_tickets", "Tickets by status and severity",
                                        labels=["status", "severity"])
            for status, severity, n in session.execute(
                    select(Ticket.status, Ticket.severity, func.count()).group_by(Ticket.status, Ticket.severity)):
                tickets.add_metric([status, severity], n)
            yield tickets

            queued = GaugeMetricFamily("astreinte_notifications", "Outbox rows by status", labels=["status"])
            counts = dict.fromkeys((PENDING, SENDING, SENT, FAILED, DIGESTED), 0)
            for status, n in session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)):
                counts[status] = n
            for status, n in counts.items():
                queued.add_metric([status], n)
            yield queued

            breaches = CounterMetricFamily("astreinte_breach_notices", "Breach notices decided, by clock",
                                           labels=["clock"])
            for kind in ClockKind:
                n = session.scalar(select(func.count()).select_from(OutboxRow).where(
                    OutboxRow.kind == "breach", OutboxRow.key.like(f"t%:{kind.value}:breach:%")))
                breaches.add_metric([kind.value], n or 0)
            yield breaches

            takeovers = CounterMetricFamily(
                "astreinte_outbox_takeovers", "Outbox claims taken over after their holder stopped renewing them "
                "(the process died or stalled); each taken-over row is looked up in Slack before it is sent")
            takeovers.add_metric([], store.takeovers(session))
            yield takeovers

            stale, _ = store.stale_claims(session, now=now, limit=0)
            stale_gauge = GaugeMetricFamily("astreinte_outbox_stale_claims",
                                            "Outbox rows held by a claim past its lease, waiting for a take-over")
            stale_gauge.add_metric([], stale)
            yield stale_gauge

            oldest_due = session.scalar(select(func.min(Ticket.next_due_at)).where(
                Ticket.status.in_(OPEN_STATUSES), Ticket.next_due_at <= now))
            lag = GaugeMetricFamily("astreinte_scheduler_lag_seconds",
                                    "How long the oldest due ticket has waited for a tick")
            lag.add_metric([], max(0.0, (now - oldest_due).total_seconds()) if oldest_due else 0.0)
            yield lag


class AfterAckCollector(Collector):
    """What this process's work after the acks could not do."""

    def __init__(self, after_ack: AfterAck) -> None:
        self._after_ack = after_ack

    def collect(self) -> Iterator[Metric]:
        skipped = CounterMetricFamily("astreinte_modals_not_opened",
                                      "Modals not opened because their trigger expired while queued after the ack")
        skipped.add_metric([], self._after_ack.modals_not_opened)
        yield skipped


class Metrics:
    """One registry per process: the store collector and this process's histograms."""

    def __init__(self, new_uow: Callable[[], UnitOfWork], clock: Callable[[], datetime],
                 after_ack: AfterAck | None = None) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(StoreCollector(new_uow, clock))
        if after_ack is not None:
            self.registry.register(AfterAckCollector(after_ack))
        self.tick_seconds = Histogram("astreinte_tick_duration_seconds", "Duration of one scheduler pass",
                                      registry=self.registry,
                                      buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.send_seconds = Histogram("astreinte_send_duration_seconds", "Duration of one delivery pass",
                                      registry=self.registry,
                                      buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))

    def text(self) -> str:
        return generate_latest(self.registry).decode()
