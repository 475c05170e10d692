"""The fuzz test: hundreds of hostile, correctly signed requests (``hostile_requests.py``,
seeded, so every run sends the same ones) against the served app, on SQLite and
PostgreSQL. None may get a server error or an answer later than Slack's 3 s; the app
must stay healthy; and none may change anything in the database: every request is
either malformed or made by someone not allowed to act on the tickets it names."""

from __future__ import annotations

import itertools

import pytest

from tests.hostile.conftest import Door
from tests.hostile.hostile_requests import HostileRequests

SEED = 20261202
COUNT = 300
ACK_DEADLINE = 3.0  # seconds: Slack's, for every answer


def test_hostile_requests_get_no_server_error_are_answered_in_time_and_change_nothing(door: Door) -> None:
    before = door.snapshot()
    requests = HostileRequests(SEED, tickets=door.tickets, response_url=door.slack.response_url("fuzz"))
    failures = []
    kinds: dict[str, int] = {}
    statuses: dict[int, int] = {}
    for number, request in enumerate(itertools.islice(requests, COUNT)):
        answer = door.post(request.body, content_type=request.content_type)
        kinds[request.kind] = kinds.get(request.kind, 0) + 1
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
        if answer.status >= 500 or answer.seconds >= ACK_DEADLINE:
            failures.append(f"#{number} {request.kind}: {answer.status} after {answer.seconds:.2f}s "
                            f"{answer.body[:120]!r} for {request.body[:300]!r}")
    assert not failures, "\n".join(failures)
    assert set(kinds) == {"command", "click", "submission", "event", "garbage"}
    assert statuses.get(200, 0) > COUNT / 5 and statuses.get(400, 0) > COUNT / 5, statuses  # both paths taken
    assert door.healthz() == 200
    door.ctx.after_ack.shutdown()  # what the acks left to do (refusals, Home tabs) is done
    assert door.snapshot() == before
