"""On-call: who answers out of hours. A weekly rotation from ``app.yaml`` (hand-overs at
a local weekday and time), overrides set by leads from Slack, and who is on call at an
instant. The scheduler pages whoever this says; ``/incident oncall`` and App Home show it."""

from sla_core.oncall.overrides import active_overrides, set_override, who_is_on_call
from sla_core.oncall.rotation import OnCall, Override, on_call_at

__all__ = ["OnCall", "Override", "active_overrides", "on_call_at", "set_override", "who_is_on_call"]
