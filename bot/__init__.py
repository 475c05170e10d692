"""Astreinte's Slack adapter: the Bolt app, its listeners, rendering, delivery and the
``astreinte`` command line. It depends on ``sla_core`` and ``messages``, never the reverse."""
