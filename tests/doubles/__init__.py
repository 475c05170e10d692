"""Test doubles that must never ship: a Slack that fails on request, forged deliveries, HTTPS.

They extend the package's offline Slack (`bot.offline`), which `astreinte demo` also uses.
"""
