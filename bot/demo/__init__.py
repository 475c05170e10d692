"""``astreinte demo``: a whole ticket's life through the real app, offline — a fake Slack
Web API, a temporary SQLite file and a simulated clock — printed as people would read it
in their channels and DMs."""

from bot.demo.story import run_demo

__all__ = ["run_demo"]
