"""The pure part of ticket mail: which events are mailed (derived from the actions'
declarations), to whom, the Message-ID contract shared with incoming mail, the words in
both languages, and the signed links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import messages
from sla_core.email.outgoing import MAILED_EVENTS, ReporterMailRule, domain_of, subject, thread_root, threading
from sla_core.email.outgoing_links import LinkRefused, ResolutionLink, sign, verify
from sla_core.severity import Severity
from sla_core.tickets.actions import DECLARED, EventKind

NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night Paris moves to summer time


def test_the_mailed_events_are_the_receipt_and_what_each_action_declares_customers_see() -> None:
    declared = {spec.event for spec in DECLARED.values() if spec.customer_sees}
    assert MAILED_EVENTS == {EventKind.OPENED} | declared
    assert EventKind.INTERNAL_NOTE not in MAILED_EVENTS and EventKind.REMINDER_SNOOZED not in MAILED_EVENTS


@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_every_mailed_event_has_its_subject_and_first_line_in_both_languages(lang: str) -> None:
    keys = messages.keys(lang)
    for event in MAILED_EVENTS:
        assert f"email.subject.{event.value}" in keys and f"email.lead.{event.value}" in keys, event


def test_who_gets_mail() -> None:
    rule = ReporterMailRule(enabled=True, by_severity={Severity.CRITICAL: ("phone",), Severity.LOW: ("portal", "email")})
    assert rule.wants(contact_channel="email", severity=Severity.CRITICAL)  # their own choice
    assert not rule.wants(contact_channel="phone", severity=Severity.CRITICAL)
    assert rule.wants(contact_channel="slack", severity=Severity.LOW)  # their severity's channels
    off = ReporterMailRule(enabled=False, by_severity={Severity.LOW: ("email",)})
    assert not off.wants(contact_channel="email", severity=Severity.LOW)


def test_the_message_id_contract() -> None:
    domain = domain_of("Support <support@TrackForce.com>")
    assert domain == "trackforce.com"
    receipt = threading("INC-2026-000123", seq=1, event="opened", domain=domain)
    assert receipt.message_id == thread_root("INC-2026-000123", domain) == "<INC-2026-000123@trackforce.com>"
    assert receipt.in_reply_to is None and receipt.references is None
    update = threading("INC-2026-000123", seq=7, event="update_posted", domain=domain)
    assert update.message_id == "<INC-2026-000123.e7@trackforce.com>"
    assert update.in_reply_to == update.references == "<INC-2026-000123@trackforce.com>"
    assert subject("INC-2026-000123", "Update:  Login\n fails") == "[INC-2026-000123] Update: Login fails"


LINK = ResolutionLink(ref="INC-2026-000123", seq=5, answer="accept", reporter_id="U0ACMEADM", lang="fr",
                      expires_at=NOW + timedelta(days=7))
KEY = b"k" * 32


def test_a_signed_link_reads_back_until_it_expires() -> None:
    token = sign(LINK, KEY)
    assert verify(token, KEY, now=NOW) == LINK
    assert verify(token, KEY, now=LINK.expires_at - timedelta(seconds=1)) == LINK
    with pytest.raises(LinkRefused) as expired:
        verify(token, KEY, now=LINK.expires_at)
    assert expired.value.code == "expired" and expired.value.lang == "fr"


def test_a_link_signed_with_another_key_or_changed_is_forged() -> None:
    token = sign(LINK, KEY)
    body, signature = token.split(".")
    rejecting = sign(ResolutionLink(**{**LINK.__dict__, "answer": "reject"}), KEY).split(".")[0]
    for bad in (sign(LINK, b"x" * 32), f"{rejecting}.{signature}", f"{body}.", body, "", "…", "a" * 3000):
        with pytest.raises(LinkRefused) as refused:
            verify(bad, KEY, now=NOW)
        assert refused.value.code == "forged", bad
