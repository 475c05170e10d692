"""The handlers of ``astreinte accounts``, imported when one runs (the parser is in
``bot/cli/accounts.py``). Every command first makes sure the directory was seeded from
app.yaml, so that an import into a new database is never overwritten by a later start."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.cli.operations import database, load, now_utc
from sla_core.accounts import manage
from sla_core.accounts.changes import AccountSpec, Plan
from sla_core.accounts.importing import import_accounts
from sla_core.accounts.manage import PersonChange
from sla_core.accounts.people import PersonRole
from sla_core.accounts.seed import ensure_seeded
from sla_core.persistence.uow import UnitOfWork

ROLES = ("administrator", "account_holder", "end_user")


@contextmanager
def _directory(args: argparse.Namespace, *, writes: bool) -> Iterator[tuple[UnitOfWork, Any]]:
    _, support, _ = load(args)
    if writes:
        manage.require_manager(support, args.actor)
    with database(args) as uow:
        ensure_seeded(uow.engine, support, now=now_utc())
        yield uow, support


def list_accounts(args: argparse.Namespace) -> int:
    with _directory(args, writes=False) as (uow, _):
        with uow:
            rows = manage.list_accounts(uow.session)
    if not rows:
        print("no accounts: astreinte accounts add ID --name NAME, or astreinte accounts import FILE")
    for r in rows:
        print(f"{r.id}\t{r.name}\t{'active' if r.active else 'inactive'}\t{r.people} people")
    return 0


def show(args: argparse.Namespace) -> int:
    with _directory(args, writes=False) as (uow, _):
        with uow:
            spec = manage.show_account(uow.session, args.id)
            audit = manage.audit_of(uow.session, args.id)
    print(_describe(spec))
    if audit:
        print("recent changes:")
        for line in audit:
            print(f"  {line.at.isoformat()}  {line.actor}  {line.change} {line.subject}"
                  + (f"  {json.dumps(line.old)} → {json.dumps(line.new)}" if line.old or line.new else ""))
    return 0


def add(args: argparse.Namespace) -> int:
    with _directory(args, writes=True) as (uow, _):
        with uow:
            plan = manage.add_account(uow.session, account_id=args.id, name=args.name, slack_team_id=args.team,
                                      channels=args.channel, contact_emails=args.contact, people=_people(args),
                                      actor=args.actor, now=now_utc())
            uow.commit()
    _report(plan)
    return 0


def change(args: argparse.Namespace) -> int:
    people = _people(args) + [PersonChange(who=w, role=None) for w in args.remove_person]
    contacts = None if args.contacts is None else [c for c in args.contacts.split(",") if c.strip()]
    active = None if args.active is None else args.active == "yes"
    with _directory(args, writes=True) as (uow, _):
        with uow:
            plan = manage.change_account(uow.session, account_id=args.id, name=args.name, active=active,
                                         slack_team_id=args.team, add_channels=args.add_channel,
                                         remove_channels=args.remove_channel, contact_emails=contacts,
                                         people=people, actor=args.actor, now=now_utc())
            uow.commit()
    _report(plan)
    return 0


def deactivate(args: argparse.Namespace) -> int:
    with _directory(args, writes=True) as (uow, _):
        with uow:
            plan = manage.change_account(uow.session, account_id=args.id, active=False, actor=args.actor,
                                         now=now_utc())
            uow.commit()
    _report(plan)
    return 0


def import_file(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with _directory(args, writes=not args.dry_run) as (uow, _):
        with uow:
            result = import_accounts(uow.session, path, now=now_utc(), dry_run=args.dry_run,
                                     actor=f"import:{args.actor}")
            if result.plan is not None and not args.dry_run:
                uow.commit()
    if result.plan is None:
        for problem in result.problems:
            print(f"{path}:{problem.line}: {problem.text}", file=sys.stderr)
        print(f"astreinte: {len(result.problems)} problem(s) in {path}: nothing was written", file=sys.stderr)
        return 2
    _report(result.plan, would=args.dry_run)
    return 0


def _people(args: argparse.Namespace) -> list[PersonChange]:
    return [PersonChange(who=who, role=PersonRole(role)) for role in ROLES for who in getattr(args, role, [])]


def _report(plan: Plan, *, would: bool = False) -> None:
    """One line per change, then the counts: what the import's --dry-run shows too."""
    for c in plan.changes:
        old, new = c.old or {}, c.new or {}
        shown = [k for k in sorted(set(old) | set(new)) if old.get(k) is not None or new.get(k) is not None]
        detail = ("  " + ", ".join(f"{k}: {json.dumps(old.get(k))} → {json.dumps(new.get(k))}" if c.change == "changed"
                                   else f"{k}: {json.dumps(old.get(k) if c.change == 'removed' else new.get(k))}"
                                   for k in shown)) if shown else ""
        print(f"{c.account_id}\t{c.subject}\t{c.change}{detail}")
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(plan.counts().items())) or "nothing to change"
    print(f"{'would change' if would else 'changed'}: {counts}" + (" (dry run: nothing written)" if would else ""))


def _describe(spec: AccountSpec) -> str:
    lines = [f"{spec.id}\t{spec.name}\t{'active' if spec.active else 'inactive'}"]
    if spec.slack_team_id:
        lines.append(f"  slack team: {spec.slack_team_id}")
    if spec.channels:
        lines.append(f"  shared channels: {', '.join(spec.channels)}")
    if spec.contact_emails:
        lines.append(f"  maintenance e-mails: {', '.join(spec.contact_emails)}")
    for p in spec.people:
        who = " ".join(x for x in (p.slack_user_id, p.email, f"(team {p.slack_team_id})" if p.slack_team_id else None)
                       if x)
        lines.append(f"  {p.role.value}: {who}")
    return "\n".join(lines)
