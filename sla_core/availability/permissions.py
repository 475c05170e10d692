"""Who may record interruptions (agents, leads, on-call) and schedule maintenance (leads):
the desk's capabilities, declared with their roles in ``sla_core.authorization`` and
checked by its one ``authorize``. ``OPERATOR`` is the command line's actor."""

from __future__ import annotations

from sla_core.authorization import OPERATOR, Capability, authorize, desk_actor
from sla_core.tickets.support import SupportConfig


def require(support: SupportConfig, actor_id: str, capability: Capability) -> None:
    authorize(desk_actor(actor_id, support=support), capability)


__all__ = ["OPERATOR", "Capability", "require"]
