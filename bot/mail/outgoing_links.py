"""The accept/reject links of a resolution proposal's mail: where they point
(``email.reporters.public_url`` + ``/email/resolution``) and the key that signs them (the
environment variable ``email.reporters.link_secret_env`` names)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from urllib.parse import urlencode

from sla_core.config.outgoing_mail import ReporterMailSettings
from sla_core.email.outgoing_links import ANSWERS, MIN_SECRET_LENGTH, ResolutionLink, sign
from sla_core.tickets.actions import EventKind
from sla_core.tickets.views import EventView, TicketView

log = logging.getLogger("bot.mail")
RESOLUTION_PATH = "/email/resolution"


_warned: set[str] = set()


def link_secret(settings: ReporterMailSettings, environ: Mapping[str, str] | None = None) -> bytes | None:
    """The signing key, or None when it is unset or too short to be a key (no links then;
    said once in the log when ``public_url`` asks for links)."""
    value = (os.environ if environ is None else environ).get(settings.link_secret_env, "")
    if len(value) < MIN_SECRET_LENGTH:
        if settings.public_url is not None and settings.link_secret_env not in _warned:
            _warned.add(settings.link_secret_env)
            log.warning("$%s is %s: mails carry no accept/reject links and %s answers 404",
                        settings.link_secret_env,
                        f"shorter than {MIN_SECRET_LENGTH} characters" if value else "not set", RESOLUTION_PATH)
        return None
    return value.encode()


def resolution_links(settings: ReporterMailSettings, ticket: TicketView, event: EventView, *, lang: str,
                     environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """answer → URL for a proposal's mail; empty when links are not configured. A link
    expires ``link_valid_for`` after the proposal, so every attempt at sending the mail
    carries the same one."""
    secret = link_secret(settings, environ)
    if event.type is not EventKind.RESOLUTION_PROPOSED or settings.public_url is None or secret is None:
        return {}
    expires = event.at + settings.link_valid_for
    return {answer: f"{settings.public_url}{RESOLUTION_PATH}?" + urlencode({"t": sign(ResolutionLink(
                ref=ticket.ref, seq=event.seq, answer=answer, reporter_id=ticket.reporter_id, lang=lang,
                expires_at=expires), secret)})
            for answer in ANSWERS}
