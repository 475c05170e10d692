"""What the door of ``POST /slack/events`` costs per request (``bot/request_guard.py``:
signature, body, envelope, then Bolt's request), beside what Bolt alone spends building
its request from the same body (which it did before, and still does inside the guard).

    .venv/bin/python benchmarks/request_guard.py [--repeat 20000]

Bodies: a slash command, a button click, and a submission of the intake modal with its
blocks and state as Slack sends them (about 9 KB). Prints µs per request, best of 5."""

from __future__ import annotations

import argparse
import json
import time
import timeit
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.request_guard import RequestGuard
from bot.offline import payloads

SECRET = "bench-signing-secret"
TEAM, APP = "T0ASTRE1", "A0ASTAPP"


def bodies() -> dict[str, tuple[str, str]]:
    form = "application/x-www-form-urlencoded"
    command = urlencode(payloads.slash_command(command="/incident", text="", user_id="U0ACMEADM", channel_id="C1",
                                               team_id=TEAM, api_app_id=APP, response_url="https://hooks.example/x",
                                               trigger_id=payloads.new_trigger_id()))
    click = payloads.block_actions(actions=[payloads.button_action(action_id="ticket.acknowledge",
                                                                   value="INC-2026-000001")],
                                   user_id="U0AGENT01", team_id=TEAM, api_app_id=APP,
                                   trigger_id=payloads.new_trigger_id(), response_url="https://hooks.example/y",
                                   channel_id="C0SUPCRIT", message={"ts": "1700000000.000100", "text": "root"})
    blocks = [{"type": "input", "block_id": f"field{i}", "label": {"type": "plain_text", "text": "Label " * 8},
               "element": {"type": "plain_text_input", "action_id": "value", "multiline": True}} for i in range(12)]
    view = payloads.modal_view(callback_id="modal.incident", team_id=TEAM, api_app_id=APP, blocks=blocks,
                               values={f"field{i}": {"value": "Some text the user typed. " * 4} for i in range(12)})
    submission = payloads.view_submission(view=view, user_id="U0ACMEADM", team_id=TEAM, api_app_id=APP,
                                          trigger_id=payloads.new_trigger_id())
    return {"slash command": (command, form),
            "button click": (urlencode({"payload": json.dumps(click)}), form),
            "modal submission": (urlencode({"payload": json.dumps(submission)}), form)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20000)
    args = parser.parse_args()
    guard = RequestGuard(SECRET)
    for name, (text, content_type) in bodies().items():
        raw = text.encode()
        ts = str(int(time.time()))
        headers = {"content-type": content_type, "x-slack-request-timestamp": ts,
                   "x-slack-signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=raw) or ""}
        door = min(timeit.repeat(lambda: guard.admit(raw, headers), number=args.repeat, repeat=5)) / args.repeat
        bolt = min(timeit.repeat(lambda: BoltRequest(body=text, headers=dict(headers)), number=args.repeat,
                                 repeat=5)) / args.repeat
        print(f"{name:17} {len(raw):6} B   guard {door * 1e6:6.1f} µs   (Bolt's request alone {bolt * 1e6:6.1f} µs)")


if __name__ == "__main__":
    main()
