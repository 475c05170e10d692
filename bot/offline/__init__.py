"""An offline Slack for `astreinte demo`, which the end-to-end tests build on.

`FakeSlack` plays the Web API, `SlackClientSimulator` plays Slack calling our app with
signed requests, and `serve_wsgi` puts the real Bolt app on loopback between them. They
always behave: fault injection, forged signatures and HTTPS are test doubles, kept in
`tests/doubles/`, and never ship.
"""

from bot.offline.fake_slack import FakeSlack, RecordedCall, ResponseUrlPost
from bot.offline.fake_slack_workspace import EphemeralMessage, PostedMessage
from bot.offline.loopback import serve_wsgi
from bot.offline.signed_requests import (
    GENUINE,
    Delivery,
    SimulatedResponse,
    SlackClientSimulator,
    SlackRequestSigner,
)

__all__ = [
    "GENUINE",
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
