"""The model a clock's state is read from, as ``sla_core.clocks`` replays a ticket's log:
regimes (an anchor and the clock policy of a severity), pause spells (a cause, who set it),
and the clock being replayed. Kept apart from the replay so each module has one job;
the arithmetic stays in ``sla_core.clocks``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sla_core.policy import ClockPolicy
from sla_core.severity import ClockKind, Severity


@dataclass(frozen=True, kw_only=True)
class Regime:
    """One (anchor, target) of a clock. ``change`` says how it came: ``opened`` (the clock
    started), ``upgrade`` (anchored at the change, set_at), ``downgrade`` (anchored at the
    clock's start, replacing every earlier regime, set_at the change)."""

    anchor: datetime
    policy: ClockPolicy
    severity: Severity
    set_at: datetime
    change: str = "opened"


@dataclass(frozen=True, kw_only=True)
class PauseSpell:
    """A pause of one cause: ``until`` None while it is still open."""

    since: datetime
    until: datetime | None
    cause: str
    by: str | None = None


@dataclass(kw_only=True)
class ReplayedClock:
    """A clock being replayed. Pauses are kept per cause (waiting on the customer, a
    pending proposal, a resolved spell): the customer replying must not resume a clock
    that a pending proposal still holds."""

    kind: ClockKind
    start: datetime | None = None
    stop: datetime | None = None
    stopped_as_met_or_breached: bool = True  # False: the update clock, stopped by a proposal
    regimes: list[Regime] = field(default_factory=list)
    pauses: list[PauseSpell] = field(default_factory=list)  # closed ones
    open_pauses: dict[str, PauseSpell] = field(default_factory=dict)  # cause -> the open spell

    @property
    def running(self) -> bool:
        return self.start is not None and self.stop is None

    def begin(self, at: datetime, clock_policy: ClockPolicy, severity: Severity) -> None:
        self.start, self.stop = at, None
        self.stopped_as_met_or_breached = True
        self.regimes = [Regime(anchor=at, policy=clock_policy, severity=severity, set_at=at)]

    def end(self, at: datetime, *, met_or_breached: bool = True) -> None:
        if self.running:
            self.stop = at
            self.stopped_as_met_or_breached = met_or_breached

    def pause(self, at: datetime, cause: str, by: str | None = None) -> None:
        self.open_pauses.setdefault(cause, PauseSpell(since=at, until=None, cause=cause, by=by))

    def resume(self, at: datetime, cause: str) -> None:
        spell = self.open_pauses.pop(cause, None)
        if spell is not None:
            self.pauses.append(PauseSpell(since=spell.since, until=at, cause=cause, by=spell.by))

    @property
    def paused(self) -> bool:
        return bool(self.open_pauses)

    def change_severity(self, at: datetime, new: ClockPolicy, severity: Severity, *, upgrade: bool) -> None:
        if not self.running or self.start is None:
            return
        if upgrade:
            self.regimes.append(Regime(anchor=at, policy=new, severity=severity, set_at=at, change="upgrade"))
        else:
            self.regimes = [Regime(anchor=self.start, policy=new, severity=severity, set_at=at, change="downgrade")]


@dataclass(frozen=True, kw_only=True)
class ClockModel:
    """What a clock's state was read from: its regimes, the ``deciding`` one (whose due is
    the clock's), and its pause spells. ``horizon`` is where counting stops (the clock's
    stop, else ``now``); an open spell is taken to end there, as the due assumes."""

    kind: ClockKind
    start: datetime | None
    stop: datetime | None
    horizon: datetime
    regimes: tuple[Regime, ...]
    dues: tuple[datetime, ...]  # each regime's due, in order
    deciding: int | None
    spells: tuple[PauseSpell, ...]
    pauses: tuple[tuple[datetime, datetime], ...]  # the spells merged, as the dues count them
