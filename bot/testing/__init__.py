"""Offline stand-ins for Slack, shared by the end-to-end tests and `astreinte demo`.

`FakeSlack` plays the Web API, `SlackClientSimulator` plays Slack calling our app with
signed requests, and `serve_wsgi` puts the real Bolt app on loopback between them.
"""

from bot.testing.fake_slack import FakeSlack, RecordedCall, ResponseUrlPost
from bot.testing.fake_slack_workspace import EphemeralMessage, PostedMessage
from bot.testing.loopback import serve_wsgi
from bot.testing.signed_requests import (
    GENUINE,
    STALE,
    TAMPERED,
    UNSIGNED,
    Delivery,
    SimulatedResponse,
    SlackClientSimulator,
    SlackRequestSigner,
)

__all__ = [
    "GENUINE",
    "STALE",
    "TAMPERED",
    "UNSIGNED",
    "Delivery",
    "EphemeralMessage",
    "FakeSlack",
    "PostedMessage",
    "RecordedCall",
    "ResponseUrlPost",
    "SimulatedResponse",
    "SlackClientSimulator",
    "SlackRequestSigner",
    "serve_wsgi",
]
