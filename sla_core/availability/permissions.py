"""Who may record interruptions (agents, leads, on-call) and schedule maintenance (leads).

``OPERATOR`` is the command line's actor: whoever runs ``astreinte`` on the deployment
already holds its database and its configuration, so it acts as a lead. It cannot be
spoofed from Slack, whose user ids start with U or W."""

from __future__ import annotations

from sla_core.availability.errors import NotPermitted
from sla_core.tickets.support import SupportConfig

OPERATOR = "operator"


def require_agent(support: SupportConfig, actor_id: str, *, what: str) -> None:
    if actor_id == OPERATOR or support.is_agent(actor_id):
        return
    raise NotPermitted(f"Only support agents can {what}.", code="not_an_agent", user=actor_id, action=what)


def require_lead(support: SupportConfig, actor_id: str, *, what: str) -> None:
    if actor_id == OPERATOR or actor_id in support.leads:
        return
    raise NotPermitted(f"Only support leads can {what}.", code="not_a_lead", user=actor_id, action=what)
