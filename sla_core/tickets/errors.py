"""Ticket domain errors. Each carries a stable ``code`` and its ``params`` so the Slack
layer can render it in French or English; ``str(error)`` is the English message, written
for the person who acted, saying why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sla_core.authorization import NotAuthorized
from sla_core.errors import CodedError


class TicketError(CodedError):
    """Base of every ticket error: ``code`` is stable, ``params`` fill its message."""

    code: str = "ticket_error"


class TicketNotFound(TicketError):
    code = "ticket_not_found"

    def __init__(self, ref: str) -> None:
        super().__init__(f"There is no ticket {ref}.", ref=ref)


class PermissionDenied(TicketError, NotAuthorized):
    """The actor may not do this; the code says why (not_an_agent, not_an_administrator,
    end_user, not_reporter_account, …)."""

    code = "permission_denied"


class IllegalTransition(TicketError):
    """The action is not allowed in the ticket's current status."""

    code = "illegal_transition"


class AlreadyDone(IllegalTransition):
    """The action was already done (e.g. by another agent a moment ago): says who and when."""

    code = "already_done"


class ConcurrentChange(TicketError):
    """The ticket kept changing under us; the caller may simply try again."""

    code = "concurrent_change"


class MissingReason(TicketError):
    code = "reason_required"


class TextTooLong(TicketError):
    """A text longer than its field allows (``sla_core.field_limits``): the modal's own
    limit stops a person first, so this answers forged or replayed requests, inline."""

    code = "text_too_long"

    def __init__(self, *, field: str, limit: int, length: int) -> None:
        super().__init__(f"The {field} is {length} characters long; at most {limit} fit.",
                         field=field, max=limit, length=length)


class OutOfScope(TicketError):
    """The request is outside the support contract (inactive account, version, category)."""

    code = "out_of_scope"


@dataclass(frozen=True, kw_only=True)
class FieldError:
    """One invalid field of the intake form: a stable code, its params, an English text."""

    code: str
    message: str
    params: Mapping[str, Any]


class InvalidForm(TicketError):
    """Every field error of a form at once, field name → FieldError, so a modal can show
    them all inline."""

    code = "invalid_form"

    def __init__(self, errors: Mapping[str, FieldError]) -> None:
        self.errors = dict(errors)
        detail = "; ".join(f"{name}: {err.message}" for name, err in self.errors.items())
        super().__init__(f"The request cannot be opened: {detail}", fields=sorted(self.errors))


class DatabaseNotCurrent(TicketError):
    code = "database_not_current"

    def __init__(self, current: str | None, expected: str | None) -> None:
        super().__init__(
            f"database at revision {current or 'none (empty)'}, expected {expected}: "
            "run `astreinte db upgrade`",
            current=current, expected=expected,
        )
