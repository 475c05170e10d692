"""Who may do what: one ``authorize(actor, capability)`` for every guarded operation.

A *capability* is anything guarded: each ticket action (``sla_core.tickets.actions``,
whose declaration names its roles) and the desk's own operations below (recording an
interruption, scheduling maintenance, changing who is on call, reading the SLA report).
An *actor* is a user with the roles they hold for the thing at hand: towards one ticket
(reporter, administrator of its account …) or towards the desk alone (agent, lead).
``authorize`` answers with the role the actor acts under, or raises the capability's own
refusal, whose ``code`` the Slack layer renders in French or English.

``OPERATOR`` is the command line's actor: whoever runs ``astreinte`` on the deployment
already holds its database and its configuration, so it may do what leads do. It cannot be
spoofed from Slack, whose user ids start with U or W; nor can ``mail:<address>``, the actor
of an administrator known by e-mail only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from sla_core.errors import CodedError

if TYPE_CHECKING:  # a type only: the support configuration is passed in, never loaded here
    from sla_core.tickets.support import SupportConfig

SYSTEM_ACTOR = "system"
OPERATOR = "operator"
# Someone known by their e-mail address and not by a Slack user (mail to the support
# address, ``sla_core.email``) acts as ``mail:<address>``: any user id to the tickets' log
# and to ``authorize``; shown as the address, never sent a Slack DM.
MAIL_ACTOR = "mail:"


class Role(str, Enum):
    """A user's standing (towards one ticket, or towards the desk; a user may hold several)."""

    AGENT = "agent"
    LEAD = "lead"
    ON_CALL = "on_call"
    REPORTER = "reporter"
    ACCOUNT_ADMINISTRATOR = "administrator"  # of the ticket's account, not its reporter
    OTHER_ADMINISTRATOR = "other_administrator"  # of another account
    END_USER = "end_user"
    STRANGER = "stranger"
    SYSTEM = "system"  # the scheduler
    OPERATOR = "operator"  # the command line


AGENTS = frozenset({Role.AGENT, Role.LEAD, Role.ON_CALL})
CUSTOMER = frozenset({Role.REPORTER, Role.ACCOUNT_ADMINISTRATOR})
SCHEDULER = frozenset({Role.SYSTEM})

# The role recorded when a user holds several: the most specific one.
_PRIORITY = (Role.SYSTEM, Role.OPERATOR, Role.REPORTER, Role.ACCOUNT_ADMINISTRATOR, Role.ON_CALL, Role.LEAD,
             Role.AGENT)


class NotAuthorized(CodedError):
    """The actor may not do this; ``code`` says why (``not_an_agent``, ``not_a_lead`` …)."""

    code = "permission_denied"


@dataclass(frozen=True, kw_only=True)
class Actor:
    """A user and the roles they hold here; ``ticket_ref``/``account_name`` when "here" is
    a ticket (its refusals name them)."""

    user_id: str
    roles: frozenset[Role]
    ticket_ref: str | None = None
    account_name: str | None = None


class Guarded(Protocol):
    """What ``authorize`` needs of a capability: who may, and how to refuse."""

    @property
    def roles(self) -> frozenset[Role]: ...

    def refusal(self, actor: Actor) -> Exception: ...


def authorize(actor: Actor, capability: Guarded) -> Role:
    """The role under which ``actor`` may use ``capability``, or its refusal (raised)."""
    allowed = capability.roles & actor.roles
    if not allowed:
        raise capability.refusal(actor)
    return next(r for r in _PRIORITY if r in allowed)


def may(actor: Actor, capability: Guarded) -> bool:
    """Whether ``authorize`` would let ``actor`` use ``capability`` (no refusal built)."""
    return bool(capability.roles & actor.roles)


def roles_of(user_id: str, *, support: SupportConfig, account_id: str | None = None,
             reporter_id: str | None = None) -> frozenset[Role]:
    """Every role ``user_id`` holds: towards the ticket of ``account_id``/``reporter_id``
    when given, towards the desk otherwise."""
    if user_id == SYSTEM_ACTOR:
        return SCHEDULER
    if user_id == OPERATOR:
        return frozenset({Role.OPERATOR})
    roles: set[Role] = set()
    if user_id in support.agents:
        roles.add(Role.AGENT)
    if user_id in support.leads:
        roles.add(Role.LEAD)
    if user_id in support.on_call:
        roles.add(Role.ON_CALL)
    if reporter_id is not None and user_id == reporter_id:
        roles.add(Role.REPORTER)
    account = support.accounts.get(account_id) if account_id is not None else None
    if account is not None and user_id in account.administrators and user_id != reporter_id:
        roles.add(Role.ACCOUNT_ADMINISTRATOR)
    if any(user_id in a.administrators for a in support.accounts.values() if a.id != account_id):
        roles.add(Role.OTHER_ADMINISTRATOR)
    if support.end_user_accounts(user_id):
        roles.add(Role.END_USER)
    return frozenset(roles) or frozenset({Role.STRANGER})


def desk_actor(user_id: str, *, support: SupportConfig) -> Actor:
    """``user_id`` towards the desk itself (no ticket in question)."""
    return Actor(user_id=user_id, roles=roles_of(user_id, support=support))


# ---- the desk's own capabilities -------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class DeskRule:
    roles: frozenset[Role]
    code: str  # the refusal's code: its French and English texts are messages' error.<code>
    what: str  # for the English of ``str(refusal)``, which the command line prints


class Capability(str, Enum):
    RECORD_OUTAGE = "record_outage"
    END_OUTAGE = "end_outage"
    SCHEDULE_MAINTENANCE = "schedule_maintenance"
    CANCEL_MAINTENANCE = "cancel_maintenance"
    SET_ON_CALL = "set_on_call"
    READ_REPORT = "read_report"
    # A ticket's SLA ledger (the "SLA details" modal): agents for any ticket, the reporter
    # for their own. The actor is ``ticket_actor`` (its REPORTER role is towards that ticket).
    READ_SLA_EVIDENCE = "read_sla_evidence"
    # "How did we do?": only the reporter the survey asked answers it.
    ANSWER_SATISFACTION = "answer_satisfaction"
    MANAGE_ACCOUNTS = "manage_accounts"
    WRITE_RCA = "write_rca"  # start, edit, submit or correct a root-cause analysis, on any ticket
    APPROVE_RCA = "approve_rca"
    READ_RCA = "read_rca"  # any version, drafts included (the reporter reads what was sent to them)

    @property
    def roles(self) -> frozenset[Role]:
        return DESK_RULES[self].roles

    def refusal(self, actor: Actor) -> NotAuthorized:
        rule = DESK_RULES[self]
        who = {_AGENTS_OR_OPERATOR: "support agents", _LEADS_OR_OPERATOR: "support leads",
               frozenset({Role.REPORTER}): "the ticket's reporter"}.get(
            rule.roles, "support agents and the ticket's reporter")
        params = {"ref": actor.ticket_ref} if actor.ticket_ref else {}
        return NotAuthorized(f"Only {who} can {rule.what}.", code=rule.code, user=actor.user_id,
                             action=self.value, **params)


_AGENTS_OR_OPERATOR = AGENTS | {Role.OPERATOR}
_LEADS_OR_OPERATOR = frozenset({Role.LEAD, Role.OPERATOR})

DESK_RULES: Mapping[Capability, DeskRule] = {
    Capability.RECORD_OUTAGE: DeskRule(roles=_AGENTS_OR_OPERATOR, code="not_an_agent",
                                       what="record a service interruption"),
    Capability.END_OUTAGE: DeskRule(roles=_AGENTS_OR_OPERATOR, code="not_an_agent",
                                    what="end a service interruption"),
    Capability.SCHEDULE_MAINTENANCE: DeskRule(roles=_LEADS_OR_OPERATOR, code="not_a_lead",
                                              what="schedule planned maintenance"),
    Capability.CANCEL_MAINTENANCE: DeskRule(roles=_LEADS_OR_OPERATOR, code="not_a_lead",
                                            what="cancel planned maintenance"),
    Capability.SET_ON_CALL: DeskRule(roles=_LEADS_OR_OPERATOR, code="not_a_lead",
                                     what="change who is on call"),
    Capability.READ_REPORT: DeskRule(roles=_AGENTS_OR_OPERATOR, code="report_agents_only",
                                     what="read the SLA report"),
    Capability.READ_SLA_EVIDENCE: DeskRule(roles=_AGENTS_OR_OPERATOR | {Role.REPORTER},
                                           code="sla_details_not_yours", what="read this ticket's SLA details"),
    Capability.ANSWER_SATISFACTION: DeskRule(roles=frozenset({Role.REPORTER}), code="csat_not_yours",
                                             what="answer this satisfaction survey"),
    Capability.MANAGE_ACCOUNTS: DeskRule(roles=_LEADS_OR_OPERATOR, code="accounts_leads_only",
                                         what="manage customer accounts"),
    Capability.WRITE_RCA: DeskRule(roles=_AGENTS_OR_OPERATOR, code="not_an_agent",
                                   what="write a root-cause analysis"),
    Capability.APPROVE_RCA: DeskRule(roles=_LEADS_OR_OPERATOR, code="rca_leads_only",
                                     what="approve a root-cause analysis"),
    Capability.READ_RCA: DeskRule(roles=_AGENTS_OR_OPERATOR, code="not_an_agent",
                                  what="read a root-cause analysis draft"),
}
