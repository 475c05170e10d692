"""The ``rca`` section of ``app.yaml``: which severities owe a root-cause analysis, by when
after the resolution, whether a lead approves it before it goes out, and how long before
its due the ticket's agent is reminded. Optional as a whole: the defaults are the
contract's reading (Critical required, the others on request, 5 business days)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from sla_core.config.reader import BAD, Problems, Section, boolean, did_you_mean, ok
from sla_core.durations import parse_duration
from sla_core.policy import BUSINESS, ROUND_THE_CLOCK
from sla_core.severity import Severity

REQUIRED = "required"
ON_REQUEST = "on_request"
NEEDS = (REQUIRED, ON_REQUEST)
RCA_KEYS = ("severities", "due_after", "approval_required", "remind_before")
_NINE_HOURS = timedelta(hours=9)
_DEFAULT_NEEDS = MappingProxyType({Severity.CRITICAL: REQUIRED, Severity.IMPORTANT: ON_REQUEST,
                                   Severity.LOW: ON_REQUEST, Severity.NONE: ON_REQUEST})


@dataclass(frozen=True, kw_only=True)
class RcaSettings:
    """``due_after`` and ``remind_before`` are counted in ``calendar`` (the policy's
    business calendar when the duration says "business", else 24/7)."""

    needs: Mapping[Severity, str] = field(default_factory=lambda: _DEFAULT_NEEDS)
    due_after: timedelta = 5 * _NINE_HOURS  # "5 business days" with 9-hour opening windows
    due_calendar: str = BUSINESS
    due_after_text: str = "5 business days"
    approval_required: bool = True
    remind_before: timedelta = _NINE_HOURS  # "1 business day"
    remind_calendar: str = BUSINESS

    def required_for(self, severity: Severity) -> bool:
        return self.needs.get(severity, ON_REQUEST) == REQUIRED


def _need(value: object) -> str:
    if value not in NEEDS:
        raise ValueError(f'"{value}" is not one of: {", ".join(NEEDS)}; {did_you_mean(str(value), NEEDS)}')
    return str(value)


def read_rca(top: Section, problems: Problems, business_day: timedelta) -> RcaSettings:
    section = top.sub("rca", RCA_KEYS, required=False)
    if not section.valid:
        return BAD  # type: ignore[no-any-return]
    sev = section.sub("severities", [s.value for s in Severity], required=False, what="severity")
    needs = dict(_DEFAULT_NEEDS)
    for severity in Severity:
        needs[severity] = sev.read(severity.value, _need, default=_DEFAULT_NEEDS[severity])
    due = section.read("due_after", parse_duration, default="5 business days")
    remind = section.read("remind_before", parse_duration, default="1 business day")
    approval = section.read("approval_required", boolean, default=True)
    if not ok(due, remind, approval, *needs.values()):
        return BAD  # type: ignore[no-any-return]
    due_after = due.to_timedelta(business_day=business_day)
    remind_before = remind.to_timedelta(business_day=business_day)
    if remind_before >= due_after and due.business == remind.business:
        return problems.add(section.at("remind_before"),  # type: ignore[no-any-return]
                            f'"{remind}" is not shorter than due_after ("{due}"): the reminder would come '
                            "before the ticket is resolved")
    return RcaSettings(needs=MappingProxyType(needs), due_after=due_after,
                       due_calendar=BUSINESS if due.business else ROUND_THE_CLOCK, due_after_text=due.text,
                       approval_required=approval, remind_before=remind_before,
                       remind_calendar=BUSINESS if remind.business else ROUND_THE_CLOCK)
