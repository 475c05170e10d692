"""What agents and reporters see in Slack as a Critical ticket goes through its life."""

from __future__ import annotations

from messages import slack_date
from sla_core.severity import Severity
from tests.delivery.conftest import AGENT, CRITICAL_CHANNEL, REPORTER, World, buttons, texts


def test_a_critical_ticket_gets_its_root_post_and_the_reporter_a_receipt(world: World) -> None:
    ticket = world.open_critical()

    sent = world.sender().run_once()

    assert sent == 2
    [root] = world.slack.messages(CRITICAL_CHANNEL)
    shown = texts(root)
    for expected in (ticket.ref, ":red_circle:", "Critique", "Checkout is down for everyone", f"<@{REPORTER}>",
                     "ACME Corp", "Pas encore pris en charge", "Incident", "5.2", "+33 6 12 34 56 78",
                     "all 300 cashiers", slack_date(ticket.clocks.callback.due.astimezone(world.ctx.policy.timezone), "fr")):
        assert expected in shown, expected
    assert root.metadata == {"event_type": "astreinte_notification", "event_payload": {"key": f"t{ticket.id}:e1:root"}}
    assert root.text  # the notification fallback
    # Each carries the status it was rendered in: an agent's click is acked before any read.
    assert buttons(root) == {"ticket.acknowledge": f"{ticket.ref} opened", "ticket.severity": f"{ticket.ref} opened",
                             "rca.start": ticket.ref}  # an RCA may start on any ticket
    [receipt] = world.slack.dm(REPORTER)
    receipt_text = texts(receipt)
    for expected in (ticket.ref, "Critical", "Callback within 1 h", "every 1 h 30 min", "0805 69 89 49",
                     "support@trackforce.com", "status.tracktik.com"):
        assert expected in receipt_text, expected
    assert "Portal" not in receipt_text  # Critical: phone and email, as the contract says
    stored = world.ctx.uow()
    from sla_core.tickets import get_ticket
    again = get_ticket(stored, policy=world.ctx.policy, ticket_ref=ticket.ref, now=world.clock.now)
    assert (again.slack_channel, again.slack_ts) == (CRITICAL_CHANNEL, root.ts)


def test_a_french_ticket_gets_its_receipt_in_french(world: World) -> None:
    ticket = world.open_critical(language="fr")

    world.sender().run_once()

    receipt = texts(world.slack.dm(REPORTER)[0])
    assert "Votre ticket" in receipt and ticket.ref in receipt
    assert "Rappel sous 1 h" in receipt and "0805 69 89 49" in receipt and "heures ouvrées" in receipt


def test_acknowledging_replies_in_the_thread_refreshes_the_root_and_tells_the_reporter(world: World) -> None:
    ticket = world.open_critical()
    sender = world.sender()
    sender.run_once()

    world.act("acknowledge", ticket.ref, channel="phone", note="Called Alice, diagnosing")
    sender.run_once()

    [root] = world.slack.messages(CRITICAL_CHANNEL)[:1]
    [reply] = world.slack.thread(CRITICAL_CHANNEL, root.ts)
    assert f"<@{AGENT}>" in texts(reply) and "par téléphone" in texts(reply) and "Called Alice" in texts(reply)
    assert "Rappel : respecté" in texts(reply)  # the clock the event moved
    assert "Mise à jour : en cours, échéance <!date^" in texts(reply)  # next update due
    assert len(root.edits) == 1
    assert "Pris en charge" in texts(root) and "respecté" in texts(root)
    assert "ticket.acknowledge" not in buttons(root)
    assert {"ticket.update", "ticket.note", "ticket.waiting", "ticket.propose"} <= set(buttons(root))
    dm = world.slack.dm(REPORTER)
    assert len(dm) == 2 and "picked up" in texts(dm[1]) and "by phone" in texts(dm[1])


def test_an_internal_note_goes_to_the_thread_only(world: World) -> None:
    ticket = world.open_critical()
    sender = world.sender()
    world.act("acknowledge", ticket.ref, channel="slack", note="")
    sender.run_once()
    dm_before = len(world.slack.dm(REPORTER))

    world.act("add_internal_note", ticket.ref, text="DB primary at 100% CPU, do not tell the customer yet")
    sender.run_once()

    root = world.slack.messages(CRITICAL_CHANNEL)[0]
    note = world.slack.thread(CRITICAL_CHANNEL, root.ts)[-1]
    assert "Note interne" in texts(note) and "DB primary" in texts(note)
    assert len(world.slack.dm(REPORTER)) == dm_before
    assert all("DB primary" not in texts(m) for m in world.slack.dm(REPORTER))


def test_a_proposed_resolution_reaches_the_reporter_and_their_card_offers_accept_and_reject(world: World) -> None:
    ticket = world.open_critical()
    sender = world.sender()
    world.act("acknowledge", ticket.ref, channel="email", note="")
    world.act("propose_resolution", ticket.ref, kind="workaround", text="Use the backup gateway")
    sender.run_once()

    card, *_, proposal = world.slack.dm(REPORTER)
    assert "a workaround" in texts(proposal) and "Use the backup gateway" in texts(proposal)
    assert "<!date^" in texts(proposal)  # when silence counts as acceptance
    assert buttons(proposal) == {}  # the reporter answers on their card, which is kept current
    assert buttons(card) == {"reporter.accept": ticket.ref, "reporter.reject": ticket.ref, "reporter.rca": ticket.ref}
    assert "a resolution is proposed" in texts(card) and "counts as accepted" in texts(card)


def test_waiting_on_the_customer_asks_the_reporter_and_their_card_offers_i_have_replied(world: World) -> None:
    ticket = world.open_critical()
    sender = world.sender()
    world.act("acknowledge", ticket.ref, channel="email", note="")
    world.act("set_waiting_on_customer", ticket.ref, question="Which browser do the cashiers use?")
    sender.run_once()

    card, *_, question = world.slack.dm(REPORTER)
    assert "Which browser" in texts(question)
    assert buttons(question) == {}
    assert buttons(card) == {"reporter.replied": ticket.ref, "reporter.rca": ticket.ref}
    assert "paused while we wait for your answer" in texts(card)
    root = world.slack.messages(CRITICAL_CHANNEL)[0]
    assert "ticket.customer_replied" in buttons(root) and "en pause" in texts(root)


def test_a_severity_change_is_announced_in_the_new_channel_with_a_link_to_the_root(world: World) -> None:
    ticket = world.open_critical()
    sender = world.sender()
    sender.run_once()
    world.act("acknowledge", ticket.ref, channel="phone", note="")
    world.act("change_severity", ticket.ref, severity=Severity.IMPORTANT, reason="only one shop affected")
    sender.run_once()

    root = world.slack.messages(CRITICAL_CHANNEL)[0]
    [moved] = world.slack.messages("C0SUPIMPT")
    assert f"/archives/{CRITICAL_CHANNEL}/p{root.ts.replace('.', '')}|" in texts(moved)
    assert "Critique" in texts(moved) and "Important" in texts(moved) and "only one shop" in texts(moved)
    assert "Important" in texts(root)  # the root shows the ticket as it is now, in its thread's channel
    assert "Critique" in texts(world.slack.thread(CRITICAL_CHANNEL, root.ts)[-1])  # "changed from … to …"


def test_a_root_posted_after_a_severity_change_goes_to_the_new_severity_channel(world: World) -> None:
    ticket = world.open_critical()
    world.act("acknowledge", ticket.ref, channel="phone", note="")
    world.act("change_severity", ticket.ref, severity=Severity.IMPORTANT, reason="only one shop affected")
    world.sender().run_once()

    assert world.slack.messages(CRITICAL_CHANNEL) == []
    root, *rest = world.slack.messages("C0SUPIMPT")
    assert ticket.ref in texts(root) and root.thread_ts is None


def test_user_text_reaches_nobody_and_hides_no_link(world: World) -> None:
    ticket = world.open_critical(title="<!channel> pay at <http://evil|bank> & co")
    sender = world.sender()
    sender.run_once()
    world.act("acknowledge", ticket.ref, channel="phone", note="<!here> <@U0LEAD001>")
    sender.run_once()

    everything = [*world.slack.messages(CRITICAL_CHANNEL), *world.slack.dm(REPORTER)]
    for message in everything:
        for shown in (texts(message), message.text):
            assert "<!channel>" not in shown and "<!here>" not in shown
            assert "<http://evil|bank>" not in shown and "<@U0LEAD001>" not in shown
    assert "&lt;!channel&gt; pay at &lt;http://evil|bank&gt; &amp; co" in texts(world.slack.messages(CRITICAL_CHANNEL)[0])
