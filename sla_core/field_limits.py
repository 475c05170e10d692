"""How much a person may type into each free-text field, declared once.

The intake modal and the action modals take their inputs' ``max_length`` from these
tables, the domain refuses anything longer (a forged or replayed request is not bound by
the modal's limit), and the ``tickets`` table's columns are sized from them, so whatever a
modal accepts the database holds. A single-line field is stored as ``VARCHAR(max_length)``;
a multi-line one as ``TEXT`` (unbounded: the check here is its only limit).

This module sits at the top of ``sla_core`` and imports nothing, because the persistence
models read it while ``sla_core.tickets`` imports the models."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

SLACK_INPUT_MAX = 3000  # Slack refuses a plain_text_input whose max_length is above this


@dataclass(frozen=True, kw_only=True)
class TextLimit:
    max_length: int
    multiline: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.max_length <= SLACK_INPUT_MAX:
            raise ValueError(f"max_length {self.max_length}: a Slack text input takes 1 to {SLACK_INPUT_MAX}")


# The reporter's form (TicketForm's free-text fields), one column of ``tickets`` each.
TICKET_FIELDS: Mapping[str, TextLimit] = MappingProxyType({
    "title": TextLimit(max_length=200),
    "description": TextLimit(max_length=3000, multiline=True),
    "affected_users": TextLimit(max_length=200),
    "contact_phone": TextLimit(max_length=50),  # "+33 1 23 45 67 89 ext. 4321 (ask for the IT desk)" is 49
    "code_sample": TextLimit(max_length=3000, multiline=True),
})

# The texts typed into the agents' and the reporter's action modals, by the name the
# service takes (also the modal's block id and the key in the event's logged payload).
# They are quoted back in Slack, in the ticket's thread and the reporter's DM, inside one
# section of at most 3000 characters together with the sentence around them and the
# ticket's title: 2,400 leaves room for both, in either language (tested).
ACTION_TEXT_MAX = 2400
ACTION_TEXTS: Mapping[str, TextLimit] = MappingProxyType({
    name: TextLimit(max_length=ACTION_TEXT_MAX, multiline=True) for name in ("note", "text", "question", "reason")
})


# The comment of a satisfaction survey (its modal's input and the service's check).
SATISFACTION_COMMENT = TextLimit(max_length=2000, multiline=True)


def too_long(values: Mapping[str, object], limits: Mapping[str, TextLimit]) -> dict[str, TextLimit]:
    """The entries of ``values`` whose text is longer than its limit in ``limits``
    (a limit counts characters, as Slack's input and PostgreSQL's VARCHAR both do)."""
    return {name: limits[name] for name, value in values.items()
            if name in limits and isinstance(value, str) and len(value) > limits[name].max_length}


# A root-cause analysis's texts (``sla_core.rca``), typed into its modal. Each is one
# input of at most 3000 characters (Slack's limit); the document quotes them in sections
# of its own, so no room is kept for surrounding words. Stored in one JSON column.
RCA_TEXTS: Mapping[str, TextLimit] = MappingProxyType({
    "summary": TextLimit(max_length=3000, multiline=True),
    "impact_who": TextLimit(max_length=500),
    "root_cause": TextLimit(max_length=3000, multiline=True),
    "resolution": TextLimit(max_length=3000, multiline=True),
    "actions": TextLimit(max_length=3000, multiline=True),  # one action a line: kind | what | owner | date
})
