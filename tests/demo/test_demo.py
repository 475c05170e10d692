"""`astreinte demo` as its reader sees it: the story told in order, in the right channels
and DMs, in plain text, in either language, the same on every run, in and out of process."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bot.cli import main
from tests.demo.conftest import run_in_process

REPO = Path(__file__).resolve().parents[2]
REF = "INC-2026-000001"


def instants(text: str) -> dict[str, str]:
    """The transcript cut at its headers: local time → what shows at that instant."""
    sections: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("━━ "):
            current = line.strip("━ ")
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return sections


def messages_at(section: str) -> list[tuple[str, str]]:
    """(where, what) for each message of a section: "  where" then "    lines". The
    narrator's "▸ " sentence may wrap onto lines at two spaces: it runs to its full stop."""
    out: list[tuple[str, list[str]]] = []
    narration = ""
    for line in section.splitlines():
        if line.startswith("▸ ") or (narration and not narration.endswith(".")):
            narration = line if line.startswith("▸ ") else narration + " " + line.strip()
        elif line.startswith("    ") and out:
            out[-1][1].append(line.strip())
        elif line.startswith("  "):
            out.append((line.strip(), []))
    return [(where, "\n".join(lines)) for where, lines in out]


def flat(text: str) -> str:
    """A message with the terminal's line cuts undone."""
    return " ".join(text.split())


def test_the_story_in_english_shows_pages_acknowledgement_severity_change_and_resolution(english: str) -> None:
    at = instants(english)
    assert list(at)[:3] == ["Fri 20 Nov 19:30 CET", "Fri 20 Nov 19:45 CET", "Fri 20 Nov 19:52 CET"]

    opened = messages_at(at["Fri 20 Nov 19:30 CET"])
    where = [w for w, _ in opened]
    root = dict(opened)["#support-critical"]
    assert f"{REF} · Critical" in root and "Status: Not acknowledged yet" in root
    assert "[Acknowledge]" in root and "Reporter: @camille.martin" in root
    receipt = dict(opened)["DM @camille.martin"]
    assert "We will call you back by Fri 20 Nov 20:30 CET" in receipt  # the live commitments...
    assert "Callback within 1 h" in receipt and "An update every 1 h 30 min" in receipt  # the targets...
    assert "Phone: 0805 69 89 49 · 0805 69 13 59 (option 2)" in receipt  # ...and how to call
    page = dict(opened)["DM @sam.leroy"]
    assert REF in page and "Acknowledge it to stop the pages" in page
    assert "@sam.leroy" in dict(opened)["#on-call"]
    assert where.index("#support-critical") < where.index("DM @sam.leroy")

    second_page = dict(messages_at(at["Fri 20 Nov 19:45 CET"]))["DM @sam.leroy"]
    assert "(page #2)" in second_page

    acknowledged = messages_at(at["Fri 20 Nov 19:52 CET"])
    thread = dict(acknowledged)[f"thread of {REF} in #support-critical"]
    assert f"@sam.leroy acknowledged {REF} by phone" in thread
    edited = dict(acknowledged)[f"✎ #support-critical, root post of {REF}: edited in place"]
    assert "Status: Acknowledged" in edited and "[Post update]" in edited and "[Acknowledge]" not in edited
    assert "Our support team has picked up" in dict(acknowledged)["DM @camille.martin"]
    assert "DM @sam.leroy" not in at["Fri 20 Nov 20:00 CET"]  # no page once acknowledged
    assert "nothing is due" in at["Fri 20 Nov 20:00 CET"]

    reminder = dict(messages_at(at["Fri 20 Nov 21:00 CET"]))[f"thread of {REF} in #support-critical"]
    assert "next update to the customer" in reminder and "[Remind me in 15 min]" in reminder

    moved = dict(messages_at(at["Fri 20 Nov 21:15 CET"]))
    assert "changed the severity from Critical to Important" in moved[f"thread of {REF} in #support-critical"]
    assert f"{REF} moved from Critical to Important by @sam.leroy" in moved["#support-important"]
    assert "changed from Critical to Important" in moved["DM @camille.martin"]

    filed = messages_at(at["Fri 20 Nov 21:25 CET"])
    assert "@sam.leroy presses [File a bug]" in at["Fri 20 Nov 21:25 CET"]
    assert "opens trackforce/platform#1 in GitHub" in at["Fri 20 Nov 21:25 CET"]
    threads = [what for where, what in filed if where == f"thread of {REF} in #support-critical"]
    assert any("Bug filed in GitHub: trackforce/platform#1" in t for t in threads)
    assert "🪲 trackforce/platform#1 Login page returns 500: open" in dict(filed)[
        f"✎ #support-critical, root post of {REF}: edited in place"]
    assert not any(where.startswith("DM @camille") for where, _ in filed)  # the tracker is the desk's business

    waiting = dict(messages_at(at["Fri 20 Nov 21:35 CET"]))
    assert "Update: paused · Resolution: paused" in waiting[f"thread of {REF} in #support-critical"]
    assert english.rstrip().split("\n\n")[-1].startswith(f"End of the story: {REF} is “Resolved”")


def test_act_two_the_trackers_webhook_the_resolution_and_the_rca_sent(english: str) -> None:
    assert "\nAct two: Monday, the fix ships\n" in english
    at = instants(english)
    assert [i for i in at if i.startswith("Mon")] == ["Mon 23 Nov 09:10 CET", "Mon 23 Nov 10:00 CET",
                                                       "Mon 23 Nov 10:05 CET", "Mon 23 Nov 10:30 CET",
                                                       "Mon 23 Nov 14:00 CET", "Mon 23 Nov 14:30 CET"]
    news = messages_at(at["Mon 23 Nov 10:00 CET"])
    assert "closes trackforce/platform#1, fixed in milestone 5.2.4" in at["Mon 23 Nov 10:00 CET"]
    told = flat(dict(news)[f"thread of {REF} in #support-critical"])
    assert "trackforce/platform#1" in told and "fixed in 5.2.4" in told and "@sam.leroy, propose" in told
    assert "[Propose resolution]" in told  # the agent is prompted where the news is
    reporter = flat(dict(news)["DM @camille.martin"])
    assert "fixed in version 5.2.4" in reporter and "trackforce" not in reporter  # what a customer may see
    assert "page #" not in at["Mon 23 Nov 10:00 CET"] and "breached" not in english  # the waiting paused the clocks

    proposed = messages_at(at["Mon 23 Nov 10:05 CET"])
    proposal = flat(dict(proposed)["DM @camille.martin"])
    assert "We propose a fix" in proposal and "on your ticket's card" in proposal
    assert "[Accept]" not in proposal  # the answer is given on the card, kept current
    card = dict(proposed)["✎ DM @camille.martin: edited in place"]
    assert "[Accept]" in card and "[Reject]" in card

    resolved = messages_at(at["Mon 23 Nov 10:30 CET"])
    assert "accepted the resolution. The ticket is resolved." in dict(resolved)[f"thread of {REF} in #support-critical"]
    final = dict(resolved)[f"✎ #support-critical, root post of {REF}: edited in place"]
    assert f"🟠 {REF} · Important" in final and "Status: Resolved" in final and "[Root-cause analysis]" in final
    assert "How did we do?" in flat(dict(resolved)["DM @camille.martin"])  # the satisfaction survey

    submitted = flat(dict(messages_at(at["Mon 23 Nov 14:00 CET"]))["#support-leads"])
    assert "for approval" in submitted and "[Approve and send]" in submitted
    assert "Mon 23 Nov 10:00 CET — " in submitted  # the timeline comes from the ticket's log
    sent = messages_at(at["Mon 23 Nov 14:30 CET"])
    document = flat(dict(sent)["DM @camille.martin"])
    assert "Here is the root-cause analysis" in document and "without its intermediate CA" in document
    threads = [flat(what) for where, what in sent if where == f"thread of {REF} in #support-critical"]
    assert any("@lea.moreau approved version 1" in t for t in threads)
    assert any("was sent to the reporter" in t for t in threads)


def mails(text: str) -> list[dict[str, str]]:
    """Each mail the transcript prints: its headers (a folded one joined again) and its text part."""
    found: list[dict[str, str]] = []
    mail: dict[str, str] | None = None
    last = ""
    for line in text.splitlines():
        if line.startswith("  ✉ "):
            mail = {"to": line.split()[-1], "body": ""}
            found.append(mail)
        elif mail is None or not line.startswith("    "):
            mail = None  # what Slack shows next, or the next instant
        elif line.startswith("    │"):
            mail["body"] += line.removeprefix("    │").strip() + "\n"
        elif line.startswith("      "):  # a folded header's continuation
            mail[last] += " " + line.strip()
        else:
            last, _, value = line.strip().partition(": ")
            mail[last] = value
    return found


@pytest.mark.parametrize(("language", "subjects"), [
    ("english", ["Ticket received", "Picked up", "Update", "Severity now Important", "We need your answer",
                 "Fixed in 5.2.4", "Proposed fix"]),
    ("french", ["Ticket reçu", "Pris en charge", "Point d'avancement", "Sévérité désormais Important",
                "Nous attendons votre réponse", "Corrigé dans la 5.2.4", "Proposition de correctif"]),
])
def test_the_reporters_mails_are_printed_as_they_arrive_and_threaded(language: str, subjects: list[str],
                                                                     request: pytest.FixtureRequest) -> None:
    text: str = request.getfixturevalue(language)
    received = mails(text)
    assert len(received) == len(subjects)  # one a customer-visible step, none for what only the desk sees
    assert {m["to"] for m in received} == {"camille.martin@acme.example"}
    assert all(m["Subject"].startswith(f"[{REF}] ") for m in received)
    for subject in subjects:
        assert any(m["Subject"].startswith(f"[{REF}] {subject}") for m in received), subject
    first, *later = received
    assert first["Message-ID"] == f"<{REF}@trackforce.com>" and "In-Reply-To" not in first
    assert later and all(m["In-Reply-To"] == m["References"] == first["Message-ID"] for m in later)
    assert len({m["Message-ID"] for m in received}) == len(received)
    fixed = next(m for m in received if "5.2.4" in m["Subject"])
    assert "5.2.4" in fixed["body"] and "trackforce/platform" not in fixed["body"]
    assert REF in first["body"]


def test_nothing_only_slack_understands_is_left(english: str) -> None:
    for token in ("<!date^", "<@U", "<!channel>", "<!here>", "<http", "&lt;", "&gt;", "&amp;", ":red_circle:"):
        assert token not in english, token
    assert "1700000" not in english  # the fake's Slack ts stay hidden


def test_default_language_in_and_out_of_process_is_app_yaml_french_and_identical(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the demo's temporary files go
    assert main(["demo"]) == 0
    in_process = capsys.readouterr().out
    assert list(scratch.iterdir()) == []  # the temporary database and app.yaml are deleted
    # Credentials and a database in the shell must not send the demo anywhere.
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-real-workspace", "SLACK_SIGNING_SECRET": "real",
           "SLACK_API_URL": "http://127.0.0.1:9/api/", "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
           "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "demo"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == in_process  # deterministic, across processes too
    at = instants(in_process)
    root = dict(messages_at(at["ven. 20 nov. 19:30 CET"]))["#support-critical"]
    assert f"{REF} · Critique" in root and "Statut : Pas encore pris en charge" in root
    assert "[Prendre en charge]" in root
    assert f"fil de {REF} dans #support-critical" in in_process
    assert "Critique à Important" in in_process
    assert f"Fin de l'histoire : {REF} est « Résolu »" in in_process
    for token in ("<!date^", "<@U", "<!channel>"):
        assert token not in in_process


def test_keep_db_keeps_the_story_in_sqlite_and_prints_the_same_story(english: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the demo's own temp files go
    kept = tmp_path / "kept.db"
    text = run_in_process("--lang", "en", "--keep-db", str(kept))
    assert text.splitlines()[:-1] == english.splitlines()  # the same story, word for word
    assert text.splitlines()[-1] == f"The database is kept at {kept}."
    with contextlib.closing(sqlite3.connect(kept)) as db:
        assert db.execute("SELECT ref, status FROM tickets").fetchall() == [(REF, "resolved")]
    assert list(scratch.iterdir()) == []  # the temporary app.yaml (and directory) are gone


def test_keep_db_refuses_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "mine.db"
    existing.write_bytes(b"precious")
    assert main(["demo", "--keep-db", str(existing)]) == 2
    assert "the file exists" in capsys.readouterr().err
    assert existing.read_bytes() == b"precious"



def test_the_demos_tracker_and_mail_are_its_own_and_app_yaml_keeps_them_off() -> None:
    from bot.demo.stage import demo_world
    from sla_core.config import load_config

    shipped = load_config(None)
    assert not shipped.bug_tracker.enabled and not shipped.email.reporters.enabled
    world = demo_world(shipped, tracker_url="http://127.0.0.1:1", repo="trackforce/platform", smtp_port=2525)
    assert world.bug_tracker.kind == "github" and world.bug_tracker.github is not None
    assert world.bug_tracker.github.api_url == "http://127.0.0.1:1"
    assert world.email.reporters.enabled and world.email.reporters.public_url is None  # no links to nowhere
    assert (world.email.host, world.email.port) == ("127.0.0.1", 2525)
    assert world.policy == shipped.policy  # the story's SLA is app.yaml's
