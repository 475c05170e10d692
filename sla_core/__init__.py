"""Astreinte's domain: the SLA policy, the business calendar, SLA clocks and tickets.

Nothing in this package imports Slack, and nothing reads the clock: every function that
depends on time takes ``now`` as an argument.
"""
