"""``astreinte accounts``: what an operator sees, and an import that reports before it
writes and never half-applies a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.cli import main
from sla_core.accounts.models import AccountAudit, AccountChannel, AccountPerson, CustomerAccount
from sla_core.persistence.engine import make_engine

GOOD_CSV = """account,name,active,slack_team_id,shared_channels,contact_emails,role,slack_user_id,email,person_team_id
acme,ACME Corp,yes,T0ACME,C0ACMESHARE,it@acme.example,administrator,U0ACMEADM,,
acme,,,,,,account_holder,,Boss@Acme.example,T0ACME
acme,,,,,,end_user,U0ACMEUSR,,
umbrella,Umbrella,yes,,C0UMBRELLA,,administrator,,alice@umbrella.example,
initech,,no,,,,,,,
"""

GOOD_YAML = """accounts:
  - id: acme
    name: ACME Corp
    shared_channels: [C0ACMESHARE]
    people:
      - {role: administrator, slack_user_id: U0ACMEADM}
      - {role: end_user, email: bob@acme.example}
  - id: umbrella
    name: Umbrella
    people:
      - {role: administrator, email: alice@umbrella.example}
"""

BAD_CSV = """account,name,colour,role,slack_user_id,email
acme,ACME,red,administrator,U0ACMEADM,
acme,,,administrator,U0ACMEADM,
acme,,,end_user,,not-an-email
acme,,,end_user,u123,
"""

BAD_YAML = """accounts:
  - id: acme
    name: ACME
    people:
      - {role: boss, slack_user_id: U0ACMEADM}
  - id: umbrella
    colour: red
  - id: acme
    name: Again
"""


@pytest.fixture
def run(database_url: str, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["accounts", *argv, "--database", database_url])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def snapshot(engine: Engine) -> tuple[int, ...]:
    with Session(engine) as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0
                     for t in (CustomerAccount, AccountPerson, AccountChannel, AccountAudit))


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_list_seeds_from_app_yaml_and_shows_the_accounts(run) -> None:
    code, out, _ = run("list")
    assert code == 0
    assert "acme\tACME Corp\tactive\t5 people" in out and "globex\tGlobex\tinactive" in out


def test_add_set_show_and_deactivate(run) -> None:
    assert run("add", "umbrella", "--name", "Umbrella", "--administrator", "alice@umbrella.example",
               "--channel", "C0UMBRELLA")[0] == 0
    code, out, _ = run("set", "umbrella", "--end-user", "UBOB123", "--team", "T0UMBRELLA")
    assert code == 0 and "person:UBOB123\tadded" in out
    code, out, _ = run("deactivate", "umbrella")
    assert code == 0 and "umbrella\taccount\tdeactivated" in out
    code, out, _ = run("show", "umbrella")
    assert "umbrella\tUmbrella\tinactive" in out and "administrator: alice@umbrella.example" in out
    assert "shared channels: C0UMBRELLA" in out and "recent changes:" in out and "operator" in out


@pytest.mark.parametrize(("argv", "says"), [
    (("show", "nope"), 'No account "nope"'),
    (("set", "acme", "--add-channel", "general"), "is not a channel id"),
    (("add", "acme"), "already exists"),
    (("set", "acme", "--name", "x", "--as", "U0ACMEADM"), "Only support leads"),
])
def test_mistakes_exit_2_with_one_line(run, argv, says) -> None:
    code, _, err = run(*argv)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1


def test_a_dry_run_reports_every_change_and_writes_nothing(run, engine, tmp_path) -> None:
    run("add", "initech", "--name", "Initech")
    before = snapshot(engine)
    code, out, _ = run("import", write(tmp_path, "crm.csv", GOOD_CSV), "--dry-run")
    assert code == 0
    assert "umbrella\taccount\tadded" in out and "initech\taccount\tdeactivated" in out
    assert "acme\tperson:boss@acme.example\tadded" in out and "acme\tperson:U0ACMEHLD\tremoved" in out
    assert "acme\tchannel:C0ACMESHARE\tadded" in out
    assert "(dry run: nothing written)" in out
    assert snapshot(engine) == before


def test_an_import_applies_the_file(run, engine, tmp_path) -> None:
    run("add", "initech", "--name", "Initech")
    code, out, _ = run("import", write(tmp_path, "crm.csv", GOOD_CSV))
    assert code == 0 and out.splitlines()[-1].startswith("changed: ")
    with Session(engine) as s:
        acme = {(p.role, p.slack_user_id, p.email, p.slack_team_id)
                for p in s.scalars(select(AccountPerson).where(AccountPerson.account_id == "acme"))}
        assert acme == {("administrator", "U0ACMEADM", None, None),
                        ("account_holder", None, "boss@acme.example", "T0ACME"),
                        ("end_user", "U0ACMEUSR", None, None)}
        assert s.get(CustomerAccount, "initech").active is False
        assert s.get(CustomerAccount, "acme").contact_emails == ["it@acme.example"]
        assert s.get(AccountChannel, "C0UMBRELLA").account_id == "umbrella"
        actors = set(s.scalars(select(AccountAudit.actor)))
    assert "import:operator" in actors
    code, out, _ = run("import", write(tmp_path, "again.yaml", GOOD_YAML))  # YAML: people replaced, rest kept
    assert code == 0 and "acme\tperson:boss@acme.example\tremoved" in out
    with Session(engine) as s:
        assert s.get(CustomerAccount, "acme").contact_emails == ["it@acme.example"]  # no such key: kept


@pytest.mark.parametrize(("name", "text", "lines"), [
    ("bad.csv", BAD_CSV, [
        ('bad.csv:1: unknown column "colour"'),
        ("bad.csv:3: U0ACMEADM appears twice in acme (first on line 2)"),
        ('bad.csv:4: "not-an-email" is not an e-mail address'),
        ('bad.csv:5: "u123" is not a Slack user id'),
    ]),
    ("bad.yaml", BAD_YAML, [
        ('bad.yaml:5: role "boss" is not one of'),
        ('bad.yaml:6: unknown key "colour"'),
        ('bad.yaml:8: the account "acme" appears twice (first on line 2)'),
    ]),
])
def test_a_bad_file_gets_a_line_per_problem_exit_2_and_nothing_written(run, engine, tmp_path, name, text,
                                                                       lines) -> None:
    run("list")
    before = snapshot(engine)
    code, out, err = run("import", write(tmp_path, name, text))
    assert code == 2 and out == ""
    problems = err.strip().splitlines()
    assert len(problems) == len(lines) + 1 and "nothing was written" in problems[-1]
    for problem, expected in zip(problems, lines):  # FILE:LINE: what, in line order
        assert problem.startswith(str(tmp_path / name) + ":") and expected.split(":", 1)[1] in problem
    assert snapshot(engine) == before


def test_a_channel_in_two_accounts_is_a_problem(run, engine, tmp_path) -> None:
    text = "account,shared_channels\nacme,C0SHARED\nglobex,C0SHARED\n"
    code, _, err = run("import", write(tmp_path, "two.csv", text))
    assert code == 2 and "two.csv:3: the channel C0SHARED is linked to the account acme as well as globex" in err


def test_a_large_import_is_written_whole_in_bulk(run, engine, tmp_path) -> None:
    """Enough rows for PostgreSQL's bulk path (arrays unnested in one statement per table)."""
    lines = ["account,name,contact_emails,role,slack_user_id,email"]
    for a in range(120):
        lines.append(f"bulk{a},Bulk {a},it@bulk{a}.example,administrator,U0BULK{a:03d},")
        lines.append(f"bulk{a},,,end_user,,user@bulk{a}.example")
    code, out, _ = run("import", write(tmp_path, "bulk.csv", "\n".join(lines) + "\n"))
    assert code == 0 and "120 account added" in out and "240 person added" in out
    with Session(engine) as s:
        assert s.get(CustomerAccount, "bulk7").contact_emails == ["it@bulk7.example"]
        people = {(p.role, p.slack_user_id, p.email)
                  for p in s.scalars(select(AccountPerson).where(AccountPerson.account_id == "bulk7"))}
        assert people == {("administrator", "U0BULK007", None), ("end_user", None, "user@bulk7.example")}
        added = s.scalars(select(AccountAudit).where(AccountAudit.account_id == "bulk7",
                                                     AccountAudit.subject == "account")).one()
        assert added.new == {"name": "Bulk 7", "active": True, "slack_team_id": None,
                             "contact_emails": ["it@bulk7.example"]} and added.old is None
