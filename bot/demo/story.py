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
- 21:05 an update to the customer, 21:08 an internal note;
- 21:15 the severity goes down to Important (the workaround eases the impact);
- 21:25 a resolution is proposed: the workaround now, the fix on Monday;
- 21:40 the reporter accepts it from their DM: the ticket is resolved.

The transcript shows everything Slack receives, so the story's dates are what keeps the
monthly summary out of it: the scheduler owes November's on the first business day of
December (and, holding no data for October, owes none for October), long after 21:40."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from bot.demo.mrkdwn import Names
from bot.demo.stage import Person, Stage, find_button, open_stage
from bot.demo.transcript import Print, Transcript
from bot.demo.wrap import wrapping
from bot.rendering import action_ids as ids
from bot.rendering.labels import severity_name, status_name
from bot.offline import PostedMessage
from messages import render_plain
from sla_core.config import AppConfig
from sla_core.severity import Severity
from sla_core.tickets import get_ticket

DAY = date(2026, 11, 20)  # a Friday; the desk's business hours end at 18:00
REPORTER, ON_CALL = "U0ACMEADM", "U0ONCALL1"  # app.yaml: ACME's administrator; on call that week
CAST = (
    Person(user_id=REPORTER, real_name="Camille Martin", role="reporter"),
    Person(user_id=ON_CALL, real_name="Sam Leroy", role="on_call"),
    Person(user_id="U0AGENT01", real_name="Alex Dupont", role="secondary"),
    Person(user_id="U0AGENT02", real_name="Nora Petit", role="agent"),
    Person(user_id="U0LEAD001", real_name="Lea Moreau", role="lead"),
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
                            dms=transcript.counts["dm"], updates=transcript.counts["update"]))
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
        self.agent_presses("21:25", root, ids.TICKET_PROPOSE, "propose",
                           {"kind": "workaround", "text": self.said("resolution")})
        self.interruption_over("21:30")
        self.reporter_accepts("21:40")
        return ref

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

    def tick(self, hh_mm: str) -> None:
        self.stage.at(_at(hh_mm, self.timezone))
        before = len(self.stage.slack.calls())
        self.stage.tick()
        self.t.narrate("step.tick" if len(self.stage.slack.calls()) > before else "step.quiet")
        self.t.flush()

    def agent_presses(self, hh_mm: str, message: Callable[[], PostedMessage], action_id: str, step: str,
                      values: Mapping[str, str], **params: str) -> None:
        self.stage.at(_at(hh_mm, self.timezone))
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

    def reporter_accepts(self, hh_mm: str) -> None:
        self.stage.at(_at(hh_mm, self.timezone))
        dm = self.stage.last_dm_with(REPORTER, ids.REPORTER_ACCEPT)
        self.t.narrate("step.accept", user=self._who(REPORTER), button=_label(dm, ids.REPORTER_ACCEPT))
        self.t.actor = REPORTER
        self.stage.press(REPORTER, dm, ids.REPORTER_ACCEPT)
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


def _at(hh_mm: str, timezone: Any) -> datetime:
    return datetime.combine(DAY, time.fromisoformat(hh_mm), tzinfo=timezone)


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
                      emit=emit)


def _introduce(stage: Stage, t: Transcript, emit: Print) -> None:
    emit(t.say("title"))
    emit(t.say("subtitle", timezone=str(stage.ctx.policy.timezone)))
    emit("")
    emit(t.say("cast_title"))
    account = stage.ctx.support.accounts.get("acme")
    for person in stage.people.values():
        role = t.say(f"role.{person.role}", account=account.name if account else "ACME")
        emit("  " + t.say("cast_line", user=t.names.user(person.user_id), role=role))
