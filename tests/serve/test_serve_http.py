"""``astreinte serve`` in HTTP mode, as a real gunicorn server: Slack's signed requests are
answered, forged ones refused, and the operator's endpoints tell the truth."""

from __future__ import annotations

from pathlib import Path

from bot.offline import SlackClientSimulator
from tests.doubles.forged_deliveries import UNSIGNED
from tests.doubles.faulty_slack import FaultySlack
from sla_core.persistence.migrate import head_revision
from tests.serve.conftest import SECRET, ServedBot, http_get, make_serve_env, start_served_bot

ADMIN = "U0ACMEADM"  # administers the acme account in app.yaml


def simulator(served: ServedBot, slack: FaultySlack) -> SlackClientSimulator:
    return SlackClientSimulator(served.url + "/slack/events", SECRET, response_url_factory=slack.response_url)


def test_healthz_says_the_database_is_reachable_and_current(served: ServedBot) -> None:
    status, body = http_get(served.url + "/healthz")

    assert status == 200
    assert body["status"] == "ok"
    assert body["database"] == {"reachable": True, "revision": head_revision(), "expected": head_revision()}
    assert "outbox" in body


def test_a_signed_incident_help_is_answered_by_the_real_server(served: ServedBot, fake_slack: FaultySlack) -> None:
    response = simulator(served, fake_slack).slash_command("/incident", "help", user_id=ADMIN)

    assert response.status == 200
    assert response.body["response_type"] == "ephemeral"
    assert "/incident" in response.body["text"]


def test_an_unsigned_request_is_refused(served: ServedBot, fake_slack: FaultySlack) -> None:
    response = simulator(served, fake_slack).slash_command("/incident", "help", user_id=ADMIN, delivery=UNSIGNED)

    assert response.status == 401


def test_incident_with_no_text_acks_and_opens_the_intake_modal(served: ServedBot, fake_slack: FaultySlack) -> None:
    before = len(fake_slack.views_opened())

    response = simulator(served, fake_slack).slash_command("/incident", user_id=ADMIN)

    assert response.status == 200
    view = fake_slack.wait_for(lambda: fake_slack.views_opened()[before:] and fake_slack.views_opened()[-1])
    assert view["type"] == "modal"


def test_metrics_are_prometheus_text_read_from_the_database(served: ServedBot) -> None:
    status, text = http_get(served.url + "/metrics")

    assert status == 200
    assert 'astreinte_notifications{status="pending"}' in text
    assert "# TYPE astreinte_tickets gauge" in text
    assert "astreinte_modals_not_opened_total 0.0" in text  # this worker's own count


def test_sigterm_stops_the_server_within_a_few_seconds(tmp_path: Path, fake_slack: FaultySlack) -> None:
    bot = start_served_bot(make_serve_env(tmp_path, fake_slack), tmp_path, workers=1)
    bot.wait_healthy()

    took = bot.terminate()

    assert bot.process.returncode == 0, bot.log()
    assert took < 5, f"took {took:.1f}s"
    assert "runtime stopped" in bot.log()


def test_the_status_page_is_served_on_the_same_port_without_a_signature(served: ServedBot) -> None:
    status, page = http_get(served.url + "/status?lang=en")
    assert status == 200 and 'data-state="operational">All systems operational</p>' in page

    status, doc = http_get(served.url + "/status.json?lang=fr")
    assert status == 200 and doc["state"] == {"code": "operational", "label": "Tous les services fonctionnent"}
