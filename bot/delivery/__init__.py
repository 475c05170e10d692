"""Delivery of the outbox to Slack: the ``Sender`` and its ``health`` report."""

from bot.delivery.health import health
from bot.delivery.sender import Sender

__all__ = ["Sender", "health"]
