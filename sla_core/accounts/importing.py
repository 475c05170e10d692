"""``astreinte accounts import FILE.csv|yaml``: a CRM export, checked whole, then applied
in one transaction, or not at all.

What the file says about an account replaces what is stored, field by field: a column
(CSV) or key (YAML) the file does not have leaves the stored value alone; when the file
names people, the account's people become exactly those. Accounts the file does not
mention are left alone (deactivate them with ``active: false``).

A problem anywhere (a duplicate, an unknown column, a malformed address or id) is
reported with its line, every one of them, and nothing is written."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sla_core.accounts import changes
from sla_core.accounts.changes import AccountSpec, Plan
from sla_core.accounts.people import (
    ACCOUNT_ID, CHANNEL_ID, EMAIL, TEAM_ID, Person, PersonRole, normal_email, person_problems,
)
from sla_core.config.reader import did_you_mean
from sla_core.errors import AstreinteError

IMPORT_ACTOR = "import"
CSV_COLUMNS = ("account", "name", "active", "slack_team_id", "shared_channels", "contact_emails", "role",
               "slack_user_id", "email", "person_team_id")
ACCOUNT_KEYS = ("id", "name", "active", "slack_team_id", "shared_channels", "contact_emails", "people")
PERSON_KEYS = ("role", "slack_user_id", "email", "slack_team_id")
_ACCOUNT_FIELDS = ("name", "active", "slack_team_id", "shared_channels", "contact_emails")
_TRUE, _FALSE = {"true", "yes", "1", "y", "oui"}, {"false", "no", "0", "n", "non"}


@dataclass(frozen=True, kw_only=True)
class Problem:
    line: int
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


@dataclass
class _Given:
    """An account as the file gives it: only the fields it has, with their lines."""

    id: str
    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    people: list[tuple[int, Person]] | None = None
    seen: dict[str, int] = field(default_factory=dict)  # "user:…" / "email:…" → its first line


@dataclass(frozen=True, kw_only=True)
class ImportResult:
    problems: tuple[Problem, ...]
    plan: Plan | None  # None when there were problems


class ImportFileError(AstreinteError):
    """The file cannot be read at all (missing, not CSV/YAML)."""


def read_file(path: Path) -> tuple[list[_Given], list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc})") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(text)
    if suffix in (".yaml", ".yml"):
        return read_yaml(text)
    raise ImportFileError(f"{path}: give a .csv or .yaml file")


def read_csv(text: str) -> tuple[list[_Given], list[Problem]]:
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    for name in header:
        if name not in CSV_COLUMNS:
            problems.append(Problem(line=1, text=f'unknown column "{name}": {did_you_mean(name, CSV_COLUMNS)}'))
    if "account" not in header:
        problems.append(Problem(line=1, text='the column "account" (the account id) is missing'))
        return [], problems
    seen_header = [h for h in header if h]
    if len(set(seen_header)) != len(seen_header):
        problems.append(Problem(line=1, text="a column appears twice"))
    has_people = any(h in header for h in ("role", "slack_user_id", "email"))
    accounts: dict[str, _Given] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h in CSV_COLUMNS}
        account_id = cells.get("account", "")
        if not ACCOUNT_ID.match(account_id):
            problems.append(Problem(line=line, text=f'"{account_id}" is not an account id'))
            continue
        given = accounts.get(account_id)
        if given is None:
            given = accounts[account_id] = _Given(id=account_id, line=line, people=[] if has_people else None)
        for name in _ACCOUNT_FIELDS:
            if name not in cells or not cells[name]:
                continue
            value = _account_value(name, cells[name], line, problems)
            if name in given.fields and given.fields[name] != value:
                problems.append(Problem(line=line, text=f'{name} "{cells[name]}" differs from line '
                                                        f"{given.field_lines[name]} for the account {account_id}"))
                continue
            given.fields[name], given.field_lines[name] = value, line
        if any(cells.get(k) for k in ("role", "slack_user_id", "email", "person_team_id")):
            _person(given, line, cells.get("role"), cells.get("slack_user_id"), cells.get("email"),
                    cells.get("person_team_id"), problems)
    return list(accounts.values()), problems


def read_yaml(text: str) -> tuple[list[_Given], list[Problem]]:
    import yaml

    class Lined(yaml.SafeLoader):
        pass

    def mapping(loader: Any, node: Any) -> Any:
        out = _LinedDict(loader.construct_mapping(node, deep=True))
        out.line = node.start_mark.line + 1
        return out

    Lined.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        data = yaml.load(text, Loader=Lined)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [Problem(line=(mark.line + 1) if mark else 1,
                            text=f"not valid YAML ({getattr(exc, 'problem', exc)})")]
    items = data.get("accounts") if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        return [], [Problem(line=1, text='expected a list of accounts, or "accounts:" with one')]
    problems: list[Problem] = []
    accounts: dict[str, _Given] = {}
    for item in items:
        line = getattr(item, "line", 1)
        if not isinstance(item, Mapping):
            problems.append(Problem(line=line, text="an account must be a mapping with an id"))
            continue
        for key in item:
            if key not in ACCOUNT_KEYS:
                problems.append(Problem(line=line, text=f'unknown key "{key}": {did_you_mean(str(key), ACCOUNT_KEYS)}'))
        account_id = str(item.get("id") or "").strip()
        if not ACCOUNT_ID.match(account_id):
            problems.append(Problem(line=line, text=f'"{account_id}" is not an account id'))
            continue
        if account_id in accounts:
            problems.append(Problem(line=line, text=f'the account "{account_id}" appears twice (first on line '
                                                    f"{accounts[account_id].line})"))
            continue
        given = accounts[account_id] = _Given(id=account_id, line=line)
        for name in _ACCOUNT_FIELDS:
            if name in item and item[name] is not None:
                raw = item[name]
                text_value = " ".join(str(v) for v in raw) if isinstance(raw, list) else str(raw)
                given.fields[name] = _account_value(name, text_value, line, problems)
        if "people" in item:
            given.people = []
            for person in item.get("people") or []:
                pline = getattr(person, "line", line)
                if not isinstance(person, Mapping):
                    problems.append(Problem(line=pline, text="a person must be a mapping (role, slack_user_id, email)"))
                    continue
                for key in person:
                    if key not in PERSON_KEYS:
                        problems.append(Problem(line=pline,
                                                text=f'unknown key "{key}": {did_you_mean(str(key), PERSON_KEYS)}'))
                _person(given, pline, _text(person.get("role")), _text(person.get("slack_user_id")),
                        _text(person.get("email")), _text(person.get("slack_team_id")), problems)
    return list(accounts.values()), problems


class _LinedDict(dict):  # type: ignore[type-arg]
    line: int = 1


def _text(value: Any) -> str | None:
    return None if value is None else str(value).strip()


def _account_value(name: str, raw: str, line: int, problems: list[Problem]) -> Any:
    if name == "name":
        return raw[:200]
    if name == "active":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        problems.append(Problem(line=line, text=f'active "{raw}" is not yes or no'))
        return None
    if name == "slack_team_id":
        if not TEAM_ID.match(raw):
            problems.append(Problem(line=line, text=f'"{raw}" is not a Slack team id (T then capitals and digits)'))
        return raw
    values = [v for v in raw.replace(";", " ").replace(",", " ").split() if v]
    if name == "shared_channels":
        for v in values:
            if not CHANNEL_ID.match(v):
                problems.append(Problem(line=line, text=f'"{v}" is not a channel id (C or G then capitals and digits)'))
        return tuple(sorted(set(values)))
    emails = [normal_email(v) or "" for v in values]
    for v in emails:
        if not EMAIL.match(v):
            problems.append(Problem(line=line, text=f'"{v}" is not an e-mail address'))
    return tuple(dict.fromkeys(emails))


def _person(given: _Given, line: int, role: str | None, user: str | None, email: str | None, team: str | None,
            problems: list[Problem]) -> None:
    user, email, team = user or None, normal_email(email), team or None
    found = person_problems(role=role, slack_user_id=user, email=email, slack_team_id=team)
    problems.extend(Problem(line=line, text=p) for p in found)
    if found:
        return
    person = Person(account_id=given.id, role=PersonRole(role), slack_user_id=user, email=email, slack_team_id=team)
    if given.people is None:
        given.people = []
    keys = [k for k in (f"user:{user}" if user else None, f"email:{email}" if email else None) if k]
    first = next((given.seen[k] for k in keys if k in given.seen), None)
    if first is not None:
        problems.append(Problem(line=line, text=f"{person.key} appears twice in {given.id} (first on line {first})"))
        return
    given.seen.update({k: line for k in keys})
    given.people.append((line, person))


def wanted_specs(stored: changes.Stored, given: Iterable[_Given]) -> list[AccountSpec]:
    """Each given account over what is stored (or a new one)."""
    out = []
    for g in given:
        spec = stored.accounts.get(g.id) or AccountSpec(id=g.id, name=g.id)
        f = g.fields
        spec = replace(spec, name=f.get("name", spec.name), active=f.get("active", spec.active),
                       slack_team_id=f.get("slack_team_id", spec.slack_team_id),
                       channels=f.get("shared_channels", spec.channels),
                       contact_emails=f.get("contact_emails", spec.contact_emails))
        if g.people is not None:
            spec = replace(spec, people=tuple(p for _, p in g.people))
        out.append(spec)
    return out


def channel_problems(stored: changes.Stored, given: list[_Given], wanted: list[AccountSpec]) -> list[Problem]:
    """A channel belongs to one account: after the import as before."""
    lines = {g.id: g.field_lines.get("shared_channels", g.line) for g in given}
    owner = dict(stored.channel_owner)
    listed = {spec.id: set(spec.channels) for spec in wanted}
    for ch, acc in stored.channel_owner.items():  # the file's accounts give up the channels they no longer list
        if acc in listed and ch not in listed[acc]:
            del owner[ch]
    problems = []
    for spec in wanted:
        for ch in spec.channels:
            if owner.get(ch, spec.id) != spec.id:
                problems.append(Problem(line=lines[spec.id], text=f"the channel {ch} is linked to the account "
                                                                  f"{owner[ch]} as well as {spec.id}"))
            else:
                owner[ch] = spec.id
    return problems


def import_accounts(session: Any, path: Path, *, now: datetime, dry_run: bool,
                    actor: str = IMPORT_ACTOR) -> ImportResult:
    """Check ``path`` whole; unless there is a problem or ``dry_run``, write it in
    ``session`` (the caller commits: one transaction)."""
    given, problems = read_file(path)
    return import_given(session, given, problems, now=now, dry_run=dry_run, actor=actor, source=path.name)


def import_given(session: Any, given: list[_Given], problems: list[Problem], *, now: datetime, dry_run: bool,
                 actor: str = IMPORT_ACTOR, source: str = "") -> ImportResult:
    stored = changes.load(session, [g.id for g in given])
    wanted = wanted_specs(stored, given)
    problems = problems + channel_problems(stored, given, wanted)
    if problems:
        return ImportResult(problems=tuple(sorted(problems, key=lambda p: p.line)), plan=None)
    plan = changes.plan(stored, wanted)
    if not dry_run:
        changes.apply(session, plan, actor=actor, now=now, note=f"imported from {source}" if source else None)
    return ImportResult(problems=(), plan=plan)


__all__ = ["CSV_COLUMNS", "ImportFileError", "ImportResult", "Problem", "import_accounts", "read_csv", "read_yaml"]
