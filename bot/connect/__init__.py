"""Slack Connect customer channels and tickets opened from a message (docs/slack_connect.md)."""
