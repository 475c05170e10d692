"""The story `astreinte demo` tells: one Critical ticket's life, driven through the real
app exactly as people would drive it in Slack, with the scheduler and the sender run at
each simulated instant so that pages and warnings show up when they fall due.

Friday 20 November 2026, Europe/Paris, out of business hours:

- 19:30 an ACME administrator reports a Critical incident (``/incident`` and the modal);
  the scheduler pages whoever is on call;
- 19:45 the page comes again (every 15 minutes until someone acknowledges);
- 19:52 the agent on call acknowledges from the root post's button, by phone;
- 20:00 the scheduler finds nothing due: the pages have stopped;
- 21:00 the update reminder (75 % of the 90-minute update interval);
- 19:55 the interruption is recorded, linked to the ticket: the status page says so;
- 21:05 an update to the customer, published on the status page; 21:08 an internal note;
- 21:15 the severity goes down to Important (the workaround eases the impact);
- 21:25 the fix needs a release: the agent files a bug from the root post (the modal comes
  prefilled from the ticket, the reporter's phone stripped); the tracker's worker opens
  the issue in GitHub through the outbox, and the thread gets its link;
- 21:30 the interruption is over: the status page says all is well again;
- 21:35 the agent asks the reporter to confirm over the weekend that the workaround holds:
  the ticket waits on the customer, its clocks paused.

Monday 23 November, act two:

- 09:10 the reporter answers "I've replied" from their DM: the clocks run again;
- 10:00 the product team closes the issue, fixed in 5.2.4; GitHub's signed webhook tells
  the bot: the thread is told, the agent prompted, the reporter told what they may see;
- 10:05 the agent proposes the resolution from the thread's button;
- 10:30 the reporter accepts it from their DM: the ticket is resolved (and they are asked
  how we did);
- 14:00 the agent writes the root-cause analysis in its modal and submits it;
- 14:30 the lead approves it from the leads' channel: the reporter receives it by DM.

The reporter chose to be called back, and their severity lists e-mail among its channels,
so with the demo's mail server they get the ticket's mail too: each one is printed as it
arrives, between what Slack shows.

The transcript shows everything Slack receives, so the story's dates are what keeps the
monthly summary out of it: the scheduler owes November's on the first business day of
December (and, holding no data for October, owes none for October), long after Monday."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.demo.mrkdwn import Names
from bot.demo.stage import TRACKER_SECRET, Person, Stage, find_button, open_stage
from bot.demo.transcript import Print, Transcript
from bot.demo.wrap import wrapping
from bot.rendering import action_ids as ids
from bot.rendering.labels import severity_name, status_name
from bot.offline import PostedMessage
from bot.offline.demo_github import issues_webhook
from bot.rendering.rca_notices import APPROVE_BUTTON as RCA_APPROVE
from bot.rendering.ticket_root import RCA_START_BUTTON
from messages import render_plain
from sla_core.config import AppConfig
from sla_core.severity import Severity
from sla_core.tickets import get_ticket

DAY = date(2026, 11, 20)  # a Friday; the desk's business hours end at 18:00
MONDAY = DAY + timedelta(days=3)  # act two
FIX_VERSION = "5.2.4"  # the milestone the product team ships the fix in
REPORTER, ON_CALL, LEAD = "U0ACMEADM", "U0ONCALL1", "U0LEAD001"  # app.yaml: ACME's admin; on call; a lead
CAST = (
    Person(user_id=REPORTER, real_name="Camille Martin", role="reporter", email="camille.martin@acme.example"),
    Person(user_id=ON_CALL, real_name="Sam Leroy", role="on_call"),
    Person(user_id="U0AGENT01", real_name="Alex Dupont", role="secondary"),
    Person(user_id="U0AGENT02", real_name="Nora Petit", role="agent"),
    Person(user_id=LEAD, real_name="Lea Moreau", role="lead"),
)


def run_demo(*, config: AppConfig, language: str, emit: Print, keep_db: Path | None = None) -> str:
    """Tell the story in ``language`` under ``config``; returns the ticket's reference."""
    policy = config.policy
    people = {p.user_id: p for p in CAST}
    emit = wrapping(emit)
    with open_stage(config=config, language=language, start=_at("19:30", policy.timezone), people=people,
                    keep_db=keep_db) as stage:
        transcript = _transcript(stage, policy.timezone, emit)
        transcript.skip()  # start-up calls (auth.test) show nothing
        _introduce(stage, transcript, emit)
        ref = Story(stage, transcript, policy.timezone).tell()
        ticket = get_ticket(stage.ctx.uow(), policy=stage.ctx.policy, ticket_ref=ref, now=stage.ctx.now())
        _status_page(stage, transcript, emit)
        emit("")
        emit(transcript.say("summary", ref=ref, status=status_name(ticket.status, language),
                            posts=transcript.counts["channel"] + transcript.counts["thread"] + transcript.counts["dm"],
                            dms=transcript.counts["dm"], updates=transcript.counts["update"],
                            mails=transcript.counts["mail"]))
        if keep_db is not None:
            emit(transcript.say("kept_db", path=str(keep_db)))
    return ref


class Story:
    def __init__(self, stage: Stage, transcript: Transcript, timezone: Any) -> None:
        self.stage, self.t, self.timezone = stage, transcript, timezone
        self.lang = stage.language
        self.critical_channel = stage.ctx.wiring.channel_for(Severity.CRITICAL)

    def tell(self) -> str:
        ref = self.report("19:30")
        self.tick("19:45")
        root = lambda: self.stage.root_post(self.critical_channel)  # noqa: E731 - as it stands now
        self.agent_presses("19:52", root, ids.TICKET_ACKNOWLEDGE, "acknowledge",
                           {"channel": "phone", "note": self.said("acknowledge")})
        self.interruption("19:55", ref)
        self.tick("20:00")
        self.tick("21:00")
        self.agent_presses("21:05", root, ids.TICKET_UPDATE, "update_published",
                           {"text": self.said("update"), "publish": PUBLISH_TICKED})  # type: ignore[dict-item]
        self.agent_presses("21:08", root, ids.TICKET_NOTE, "note", {"text": self.said("note")})
        self.agent_presses("21:15", root, ids.TICKET_SEVERITY, "severity",
                           {"severity": Severity.IMPORTANT.value, "reason": self.said("severity_reason")},
                           severity=severity_name(Severity.IMPORTANT, self.lang))
        self.file_bug("21:25", root)
        self.interruption_over("21:30")
        self.agent_presses("21:35", root, ids.TICKET_WAITING, "waiting", {"question": self.said("question")})
        self.act_two(ref, root)
        return ref

    def act_two(self, ref: str, root: Callable[[], PostedMessage]) -> None:
        self.t.act("act_two")
        self.reporter_presses("09:10", ids.REPORTER_REPLIED, "replied")
        self.tracker_closes("10:00")
        notice = lambda: self.stage.last_with(self.critical_channel, ids.TICKET_PROPOSE)  # noqa: E731
        self.agent_presses("10:05", notice, ids.TICKET_PROPOSE, "propose",
                           {"kind": "fix", "text": self.said("resolution")}, where="thread", day=MONDAY)
        self.reporter_presses("10:30", ids.REPORTER_ACCEPT, "accept")
        self.agent_presses("14:00", root, RCA_START_BUTTON, "rca", self.rca(), day=MONDAY)
        approval = lambda: self.stage.last_with(self.stage.ctx.wiring.leads_channel, RCA_APPROVE)  # noqa: E731
        self.lead_approves("14:30", approval)

    # ----- the moves ------------------------------------------------------------------------------
    def report(self, hh_mm: str) -> str:
        self.stage.at(_at(hh_mm, self.timezone))
        form = {"title": self.said("title", "form"), "description": self.said("description", "form"),
                "category": "incident", "severity": Severity.CRITICAL.value,
                "affected_users": self.said("affected", "form"), "product_version": "5.2",
                "contact_channel": "phone", "contact_phone": self.said("phone", "form"), "language": self.lang,
                "code_sample": ""}
        self.t.narrate("step.report", user=self._who(REPORTER), severity=severity_name(Severity.CRITICAL, self.lang),
                       title=form["title"], phone=form["contact_phone"])
        self.t.actor = REPORTER
        view = self.stage.open_incident(REPORTER)
        self.t.flush()
        answer = self.stage.submit(view, REPORTER, form)
        self.t.show_view(REPORTER, answer["view"])
        self._settle()
        return str(answer["view"]["private_metadata"])

    def file_bug(self, hh_mm: str, root: Callable[[], PostedMessage]) -> None:
        """The agent files the bug from the root post's prefilled modal; the tracker's
        worker opens the issue (through the outbox), then the thread is given its link."""
        self.stage.at(_at(hh_mm, self.timezone))
        target = root()
        self.t.narrate("step.file_bug", user=self._who(ON_CALL), button=_label(target, ids.TICKET_FILE_BUG))
        self.t.actor = ON_CALL
        self.stage.press_and_fill(ON_CALL, target, ids.TICKET_FILE_BUG, {}, keep_prefilled=True)
        self.t.flush()
        self.stage.deliver()
        for issue in self.stage.tracker.issues.values():
            self.t.narrate("step.issue_opened", issue=f"{self.stage.tracker.repo}#{issue['number']}",
                           title=issue["title"])
        self._settle()

    def tracker_closes(self, hh_mm: str) -> None:
        """The product team ships the fix: the issue closed in its milestone, and GitHub's
        signed ``issues`` webhook to the bot's endpoint."""
        self.stage.at(_at(hh_mm, self.timezone, MONDAY))
        number = max(self.stage.tracker.issues)
        issue = self.stage.tracker.close(number, milestone=FIX_VERSION)
        self.t.narrate("step.issue_closed", issue=f"{self.stage.tracker.repo}#{number}", version=FIX_VERSION)
        raw, headers = issues_webhook(TRACKER_SECRET, action="closed", issue=issue, repo=self.stage.tracker.repo)
        self.stage.webhook(raw, headers)
        self._settle()

    def rca(self) -> dict[str, str]:
        """What the agent writes in the RCA modal (the timeline and SLA figures come from the log)."""
        day = DAY.isoformat()
        return {"summary": self.said("rca_summary"), "impact_start": f"{day} 19:10", "impact_end": f"{day} 21:05",
                "impact_who": self.said("affected", "form"), "root_cause": self.said("rca_root_cause"),
                "resolution": self.said("rca_resolution"),
                "actions": f"preventive | {self.said('rca_action')} | sam.leroy | {(MONDAY + timedelta(days=11))}",
                "then": "submit"}

    def lead_approves(self, hh_mm: str, message: Callable[[], PostedMessage]) -> None:
        self.stage.at(_at(hh_mm, self.timezone, MONDAY))
        target = message()
        self.t.narrate("step.approve", user=self._who(LEAD), button=_label(target, RCA_APPROVE))
        self.t.actor = LEAD
        self.stage.press(LEAD, target, RCA_APPROVE)
        self._settle()

    def tick(self, hh_mm: str) -> None:
        self.stage.at(_at(hh_mm, self.timezone))
        before = len(self.stage.slack.calls())
        self.stage.tick()
        self.t.narrate("step.tick" if len(self.stage.slack.calls()) > before else "step.quiet")
        self.t.flush()

    def agent_presses(self, hh_mm: str, message: Callable[[], PostedMessage], action_id: str, step: str,
                      values: Mapping[str, str], *, day: date = DAY, **params: str) -> None:
        self.stage.at(_at(hh_mm, self.timezone, day))
        target = message()
        self.t.narrate(f"step.{step}", user=self._who(ON_CALL), button=_label(target, action_id), **params)
        self.t.actor = ON_CALL
        self.stage.press_and_fill(ON_CALL, target, action_id, values)
        self._settle()

    def interruption(self, hh_mm: str, ref: str) -> None:
        """The agent records the interruption, linked to the ticket (``astreinte outage
        start --ticket``): the status page shows it; Slack is told nothing."""
        from sla_core.availability.model import Cause
        from sla_core.availability.outages import start_outage

        self.stage.at(_at(hh_mm, self.timezone))
        self.t.narrate("step.outage", user=self._who(ON_CALL), ref=ref)
        start_outage(self.stage.ctx.uow(), support=self.stage.ctx.support, actor_id=ON_CALL, service="login",
                     cause=Cause.VENDOR, started_at=_at("19:10", self.timezone), ticket_ref=ref,
                     now=self.stage.ctx.now())
        self.t.narrate("status_page", state=_state_words(self.stage, self.lang))
        self.t.flush()

    def interruption_over(self, hh_mm: str) -> None:
        from sla_core.availability.outages import end_outage

        self.stage.at(_at(hh_mm, self.timezone))
        self.t.narrate("step.outage_over", user=self._who(ON_CALL))
        page = _page(self.stage)
        end_outage(self.stage.ctx.uow(), support=self.stage.ctx.support, actor_id=ON_CALL,
                   outage_id=page.current[0].id, now=self.stage.ctx.now())
        self.t.narrate("status_page", state=_state_words(self.stage, self.lang))
        self.t.flush()

    def reporter_presses(self, hh_mm: str, action_id: str, step: str) -> None:
        """The reporter answers from the buttons of their DM (their ticket's card)."""
        self.stage.at(_at(hh_mm, self.timezone, MONDAY))
        dm = self.stage.last_dm_with(REPORTER, action_id)
        self.t.narrate(f"step.{step}", user=self._who(REPORTER), button=_label(dm, action_id))
        self.t.actor = REPORTER
        self.stage.press(REPORTER, dm, action_id)
        self._settle()

    # ----- helpers ----------------------------------------------------------------------------------
    def _settle(self) -> None:
        """After a move: show what it did, deliver what it queued, then let the
        scheduler run at the same instant and deliver what that queued."""
        self.t.flush()
        self.stage.deliver()
        self.t.flush()
        self.stage.tick()
        self.t.flush()

    def said(self, what: str, group: str = "said") -> str:
        return render_plain(f"demo.{group}.{what}", self.lang)

    def _who(self, user_id: str) -> str:
        return self.t.names.user(user_id)


# The update modal's "Publish on the status page" box, ticked.
PUBLISH_TICKED = {"type": "checkboxes", "selected_options": [{"value": "publish"}]}


def _page(stage: Stage) -> Any:
    from sla_core.status import read_status

    ctx = stage.ctx
    return read_status(ctx.uow(), settings=ctx.availability.availability, timezone=ctx.policy.timezone, now=ctx.now())


def _state_words(stage: Stage, lang: str) -> str:
    return render_plain(f"status_page.state.{_page(stage).state.value}", lang)


def _status_page(stage: Stage, t: Transcript, emit: Print) -> None:
    """What the public status page says at the end of the story (``GET /status``)."""
    page = _page(stage)
    emit("")
    emit(t.say("status_page_end", state=render_plain(f"status_page.state.{page.state.value}", stage.language),
               availability=page.availability, days=page.window_days))
    for item in page.past[:1]:
        for update in item.updates:
            emit(t.say("status_page_update", text=update.text))


def _at(hh_mm: str, timezone: Any, day: date = DAY) -> datetime:
    return datetime.combine(day, time.fromisoformat(hh_mm), tzinfo=timezone)


def _label(message: PostedMessage, action_id: str) -> str:
    return str(find_button(message, action_id)["text"]["text"])


def _transcript(stage: Stage, timezone: Any, emit: Print) -> Transcript:
    wiring = stage.ctx.wiring
    channels = {wiring.channel_for(s): f"#support-{s.value}" for s in Severity}
    channels.update({wiring.leads_channel: "#support-leads", wiring.on_call_channel: "#on-call"})
    channels.setdefault(wiring.announcements_channel, "#announcements")
    names = Names({p.user_id: p.handle for p in stage.people.values()}, channels,
                  field_separator=render_plain("demo.field_separator", stage.language).strip("|"))
    dm_users = {stage.slack.dm_channel(user_id): user_id for user_id in stage.people}
    prefix = re.escape(stage.ctx.support.reference_prefix)
    return Transcript(stage.slack, names, dm_users, language=stage.language,
                      reference=re.compile(rf"\b{prefix}-\d{{4}}-\d+\b"), clock=stage.ctx.now, timezone=timezone,
                      emit=emit, mailbox=stage.mailbox)


def _introduce(stage: Stage, t: Transcript, emit: Print) -> None:
    emit(t.say("title"))
    emit(t.say("subtitle", timezone=str(stage.ctx.policy.timezone)))
    emit("")
    emit(t.say("cast_title"))
    account = stage.ctx.support.accounts.get("acme")
    for person in stage.people.values():
        role = t.say(f"role.{person.role}", account=account.name if account else "ACME")
        emit("  " + t.say("cast_line", user=t.names.user(person.user_id), role=role))
