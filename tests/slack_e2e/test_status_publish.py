"""An agent publishes an update on the status page from the update modal of a ticket
linked to an interruption: the box is in the modal, the ticked update's text is on the
page, an unticked one and everything else of the ticket are not."""

from __future__ import annotations

from sla_core.availability.model import Cause
from sla_core.availability.outages import start_outage
from sla_core.status import read_status
from tests.slack_e2e.conftest import AGENT, blocks_text

TICKED = {"type": "checkboxes", "selected_options": [
    {"text": {"type": "plain_text", "text": "Publish on the status page"}, "value": "publish"}]}
UNTICKED = {"type": "checkboxes", "selected_options": []}


def test_a_ticked_update_is_published_and_nothing_else_of_the_ticket(desk_on):
    desk = desk_on
    ref = desk.report().ref
    assert desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "called back"}).status == 200
    start_outage(desk.ctx.uow(), support=desk.ctx.support, actor_id=AGENT, service="login", cause=Cause.VENDOR,
                 ticket_ref=ref, now=desk.clock())

    before = len(desk.slack.views_opened())
    assert desk.click(AGENT, "ticket.update", ref).status == 200
    modal = desk.wait_for_view(before)
    assert "Publish on the status page (the text only, under its interruption)" in blocks_text(modal)
    assert desk.submit(modal, AGENT, {"text": "Logins fail: we are restarting the auth service.",
                                      "publish": TICKED}).status == 200
    desk.clock.advance(minutes=5)
    assert desk.act(AGENT, "ticket.update", ref, {"text": "Customer-only detail: your tenant id is 42.",
                                                  "publish": UNTICKED}).status == 200
    assert desk.act(AGENT, "ticket.note", ref, {"text": "internal: db-2 disk full"}).status == 200

    page = read_status(desk.ctx.uow(), settings=desk.ctx.availability.availability, timezone=desk.ctx.policy.timezone,
                       now=desk.clock())
    [current] = page.current
    assert [u.text for u in current.updates] == ["Logins fail: we are restarting the auth service."]
    shown = repr(page)
    for private in ("tenant id is 42", "db-2 disk full", ref, "Login page returns 500", "Since 19:10"):
        assert private not in shown
