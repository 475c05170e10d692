"""Offline stand-ins for Slack, shared by the end-to-end tests and `astreinte demo`.

`FakeSlack` plays the Web API, `SlackClientSimulator` plays Slack calling our app with
signed requests, and `serve_wsgi` puts the real Bolt app on loopback between them.
"""
