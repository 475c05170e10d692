"""Reading one section of ``app.yaml`` while collecting every problem, each with its key
path, instead of stopping at the first: ``astreinte check-config`` lists them all.

Hand-written on purpose. pydantic 2 would collect errors for us, but importing it and
building ~20 models cost about 0.6 s of wall time on our 2-core machine under load
(docs/benchmarks.md, "Command line"), more than twice the whole budget of a command such
as ``astreinte sla deadlines`` (0.25 s); msgspec imports in a few ms but stops at the
first error. Most of the checks are ours anyway (durations in business days, time zones,
holiday countries, Slack id shapes), so the library would only have saved the type
checks and the unknown keys, which this module does in a few lines."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import date
from typing import Any, TypeVar

from sla_core.errors import ConfigError

T = TypeVar("T")


class _Bad:
    """The value of a key whose problem was recorded: the section is checked on, but
    nothing is built from it."""

    def __repr__(self) -> str:
        return "BAD"


BAD: Any = _Bad()
_REQUIRED: Any = object()


class ConfigErrors(ConfigError):
    """Every problem of a configuration file. ``str()`` is one line (the first problem,
    and how many more), for the commands that refuse to start; ``problems`` lists them
    all, for ``astreinte check-config``."""

    def __init__(self, problems: list[ConfigError]) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        more = len(problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''}: `astreinte check-config` lists them)" if more else ""
        super().__init__(first.path, first.problem + tail)


class Problems:
    def __init__(self) -> None:
        self.items: list[ConfigError] = []

    def add(self, path: str, problem: str) -> Any:
        self.items.append(ConfigError(path, problem))
        return BAD

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigErrors(self.items)


def ok(*values: object) -> bool:
    """True when none of ``values`` had a problem (checks between keys need them all)."""
    return not any(v is BAD for v in values)


def did_you_mean(word: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else f"expected one of: {', '.join(sorted(known))}"


class Section:
    """One mapping of ``app.yaml``. Reads keys by name; a missing, wrong or unknown key is
    recorded with its path and the read goes on."""

    def __init__(self, raw: object, path: str, problems: Problems, known: Collection[str] | None,
                 *, what: str = "key") -> None:
        self.path = path
        self.problems = problems
        self.valid = True
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            problems.add(path, f"must be a mapping, not {type(raw).__name__}")
            raw, self.valid = {}, False
        self.raw: Mapping[str, Any] = raw
        if known is not None:
            for key in raw:
                if key not in known:
                    problems.add(self.at(key), f"unknown {what}; {did_you_mean(str(key), known)}")

    def at(self, key: object) -> str:
        return f"{self.path}.{key}" if self.path else str(key)

    def has(self, key: str) -> bool:
        return self.raw.get(key) is not None

    def read(self, key: str, convert: Callable[[Any], T], default: Any = _REQUIRED, *,
             missing: str = "missing") -> T:
        """``convert(raw value)``; it raises ``ValueError`` (or ``ConfigError`` for a
        deeper path) saying what is wrong. A key absent or null takes ``default``. In a
        section that is itself missing or wrong, nothing more is reported (one problem)."""
        if not self.valid:
            return BAD  # type: ignore[no-any-return]
        value = self.raw.get(key)
        if value is None:
            if default is _REQUIRED:
                return self.problems.add(self.at(key), missing)  # type: ignore[no-any-return]
            value = default
            if value is None:
                return None  # type: ignore[return-value]
        return self.convert(self.at(key), value, convert)

    def convert(self, path: str, value: Any, convert: Callable[[Any], T]) -> T:
        try:
            return convert(value)
        except ConfigErrors as exc:
            self.problems.items.extend(exc.problems)
        except ConfigError as exc:
            self.problems.items.append(exc)
        except ValueError as exc:
            self.problems.add(path, str(exc))
        return BAD  # type: ignore[no-any-return]

    def items(self, key: str, convert: Callable[[Any], T], default: list[Any] | None = None, *,
              missing: str = "missing", non_empty: bool = False) -> tuple[T, ...]:
        """A list, each element converted and reported with its index."""
        if not self.valid:
            return BAD  # type: ignore[no-any-return]
        value = self.raw.get(key)
        if value is None:
            if default is None:
                return self.problems.add(self.at(key), missing)  # type: ignore[no-any-return]
            value = default
        if not isinstance(value, list):
            return self.problems.add(self.at(key), f"{value!r} is not a list")  # type: ignore[no-any-return]
        if non_empty and not value:
            return self.problems.add(self.at(key), missing)  # type: ignore[no-any-return]
        out = tuple(self.convert(f"{self.at(key)}[{i}]", item, convert) for i, item in enumerate(value))
        return out if ok(*out) else BAD

    def sub(self, key: str, known: Collection[str] | None, *, required: bool = True, what: str = "key") -> Section:
        value = self.raw.get(key)
        if not self.valid or (value is None and required):
            if not self.valid:
                return _invalid(self.at(key), self.problems)
            self.problems.add(self.at(key), "missing section" if not self.path else "missing")
            return _invalid(self.at(key), self.problems)
        return Section(value, self.at(key), self.problems, known, what=what)

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)


def _invalid(path: str, problems: Problems) -> Section:
    section = Section({}, path, problems, None)
    section.valid = False
    return section


# ----- values ---------------------------------------------------------------------------------
def iso_date(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f'"{value}" is not a date (YYYY-MM-DD)') from None


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


def text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a non-empty string")
    return value.strip()


def one_of(*options: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if value not in options:
            raise ValueError(f'"{value}" is not one of: {", ".join(options)}')
        return str(value)
    return convert


def fraction(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValueError(f"{value!r} is not a fraction between 0 and 1 (e.g. 0.75)")
    return float(value)


# Slack ids by shape: the bot posts to ids, never names, and a name or a user id where a
# channel is expected would fail only at the first notice (channel_not_found).
_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
_GROUP = re.compile(r"^S[A-Z0-9]{2,}$")


def channel_id(value: object) -> str:
    if not isinstance(value, str) or not _CHANNEL.match(value.strip()):
        raise ValueError(f"{value!r} is not a Slack channel id (C… or G…, e.g. C0123ABCD; "
                         "copy it from the channel's details, not its name)")
    return value.strip()


def user_id(value: object) -> str:
    if not isinstance(value, str) or not _USER.match(value.strip()):
        raise ValueError(f"{value!r} is not a Slack user id (U… or W…, e.g. U0123ABCD)")
    return value.strip()


def usergroup_id(value: object) -> str:
    if not isinstance(value, str) or not _GROUP.match(value.strip()):
        raise ValueError(f"{value!r} is not a Slack user group id (S…, e.g. S0123ABCD)")
    return value.strip()
