"""Every user-visible text, in French and English, as Jinja2 templates.

The catalogues are ``messages/en/*.yaml`` and ``messages/fr/*.yaml`` (one file a topic):
one key per message, the value a Jinja2 template. Both languages must hold the same keys
(a test fails otherwise), and a key may be defined in one file only.

Escaping. Slack's mrkdwn gives ``<`` ``>`` and ``&`` a meaning (``<!channel>``, links), so
``render`` escapes *every* interpolated value for mrkdwn, through Jinja's ``finalize`` hook,
unless the value is a :class:`SlackMarkup` that we built ourselves (a mention, a date
token). Nobody can reach ``@channel`` or hide a link in a ticket title. HTML autoescape is
off on purpose: it would turn ``l'échéance`` into ``l&#39;échéance``, shown literally by
Slack. ``render_plain`` is for ``plain_text`` objects (modal titles, buttons, options),
which Slack shows verbatim, so it escapes nothing (the SLA report uses it too, and escapes
for HTML or Markdown where it writes the text).

Numbers, percentages, months, dates and plurals are written as each language writes them
("99,44 %", "novembre 2026", "1 dépassement" / "2 dépassements") by Babel's CLDR data,
through the filters ``number``, ``percent``, ``plural``, ``month`` and ``datetime``; the
same functions (``format_percent`` …) serve Python code that formats outside a template.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal, parse_pattern
from jinja2 import Environment, StrictUndefined, Template, pass_context
from jinja2.runtime import Context

from sla_core.authorization import MAIL_ACTOR  # an administrator known by e-mail only

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
# The CLDR locale each language is written in. British English: the desk is European and
# its English messages already write 24-hour times and the day before the month.
LOCALES = {"en": "en_GB", "fr": "fr_FR"}
_HERE = Path(__file__).resolve().parent


class SlackMarkup(str):
    """mrkdwn we wrote ourselves, inserted into templates as it is."""


def escape_mrkdwn(text: str) -> str:
    """Slack's three control characters, in this order, and nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention_user(user_id: str) -> SlackMarkup:
    if user_id.startswith(MAIL_ACTOR):  # no Slack user to mention: their address, as text
        return SlackMarkup(escape_mrkdwn(user_id[len(MAIL_ACTOR):]))
    return SlackMarkup(f"<@{escape_mrkdwn(user_id)}>")


def mention_group(group_id: str) -> SlackMarkup:
    return SlackMarkup(f"<!subteam^{escape_mrkdwn(group_id)}>")


def mention_channel(channel_id: str) -> SlackMarkup:
    return SlackMarkup(f"<#{escape_mrkdwn(channel_id)}>")


def quote(value: Any) -> SlackMarkup:
    """User text as a mrkdwn block quote: every line behind ``> `` (a bare ``>`` quotes
    one line only), each line escaped."""
    lines = str(value if value is not None else "").splitlines() or [""]
    return SlackMarkup("\n".join(f"> {escape_mrkdwn(line)}" for line in lines))


def _finalize_mrkdwn(value: Any) -> Any:
    if isinstance(value, SlackMarkup):
        return value
    if value is None:
        return ""
    return escape_mrkdwn(str(value))


def _finalize_plain(value: Any) -> Any:
    return "" if value is None else value


def language_of(value: str | None) -> str | None:
    """``fr-FR`` → ``fr``; None for a language we do not speak."""
    if not value:
        return None
    code = value.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


@lru_cache(maxsize=None)
def _catalogue(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((_HERE / language).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"messages/{language}/{path.name} must map keys to templates")
        for key, source in _flatten(data).items():
            if key in merged:
                raise ValueError(f"message {key!r} is defined twice in messages/{language}/")
            merged[key] = source
    return merged


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{full}."))
        else:
            out[full] = str(value)
    return out


def keys(language: str) -> set[str]:
    return set(_catalogue(language))


def _environment(finalize: Any) -> Environment:
    # No trim_blocks: templates are one-line YAML strings whose "\n" right after a block
    # tag ({% if note %}\n> …) is content, not layout.
    env = Environment(undefined=StrictUndefined, autoescape=False, finalize=finalize,
                      keep_trailing_newline=False)
    env.filters["duration"] = lambda value, language=DEFAULT_LANGUAGE: format_duration(value, language)
    env.filters["quote"] = quote
    # The language comes from the template's ``lang`` global: {{ n|plural("breach", "breaches") }}.
    env.filters["number"] = pass_context(lambda ctx, value, digits=0: format_number(value, _lang(ctx), digits))
    env.filters["percent"] = pass_context(lambda ctx, value, digits=1: format_percent(value, _lang(ctx), digits))
    env.filters["plural"] = pass_context(lambda ctx, n, one, other: format_plural(n, one, other, _lang(ctx)))
    env.filters["month"] = pass_context(lambda ctx, value: format_month(value, _lang(ctx)))
    env.filters["datetime"] = pass_context(lambda ctx, value: format_short_datetime(value, _lang(ctx)))
    env.globals["message"] = _message
    return env


def _lang(ctx: Context) -> str:
    return str(ctx.get("lang") or DEFAULT_LANGUAGE)


@pass_context
def _message(context: Context, key: str) -> str:
    """Another message of the catalogue, in the template's language: the words one template
    shares with others (an action's verb in a refusal) are written once, under their key."""
    return _constant("plain", context["lang"], key)


_MRKDWN = _environment(_finalize_mrkdwn)
_PLAIN = _environment(_finalize_plain)


@lru_cache(maxsize=4096)
def _template(env_name: str, language: str, key: str) -> Template:
    env = _MRKDWN if env_name == "mrkdwn" else _PLAIN
    source = _catalogue(language).get(key)
    if source is None:
        raise KeyError(f"message {key!r} is missing from messages/{language}/")
    template = env.from_string(source)
    template.globals["lang"] = language
    return template


def render(key: str, language: str, **context: Any) -> str:
    """A message as mrkdwn, every interpolated value escaped."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    if not context:
        return _constant("mrkdwn", lang, key)
    return _template("mrkdwn", lang, key).render(**context).strip()


def render_plain(key: str, language: str, **context: Any) -> str:
    """A message for a plain_text object; Slack shows it verbatim."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    if not context:
        return _constant("plain", lang, key)
    return _template("plain", lang, key).render(**context).strip()


@lru_cache(maxsize=4096)
def _constant(env_name: str, language: str, key: str) -> str:
    """A message without values (a label, a modal's title) rendered once: it can only ever
    render the same. A modal is mostly such labels, and a Jinja2 render costs ~10 µs each."""
    return _template(env_name, language, key).render().strip()


def format_duration(value: timedelta, language: str = DEFAULT_LANGUAGE) -> str:
    """``1 h 30 min``; days only past 48 hours (``3 d 4 h`` / ``3 j 4 h``)."""
    total_minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days < 2:
        hours += days * 24
        days = 0
    day_unit = "j" if language == "fr" else "d"
    parts = []
    if days:
        parts.append(f"{days} {day_unit}")
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
}


def local_datetime_text(instant: datetime, language: str) -> str:
    """``Fri 20 Nov 20:30 CET`` / ``ven. 20 nov. 20:30 CET`` for an aware local datetime."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    zone = instant.tzname() or ""
    return (f"{_WEEKDAYS[lang][instant.weekday()]} {instant.day} {_MONTHS[lang][instant.month - 1]} "
            f"{instant:%H:%M} {zone}").strip()


def slack_date(instant: datetime, language: str) -> SlackMarkup:
    """A Slack date token, shown in each reader's own time zone; its fallback (for
    notifications and old clients) is written in the instant's own zone, localised."""
    fallback = escape_mrkdwn(local_datetime_text(instant, language))
    return SlackMarkup(f"<!date^{int(instant.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>")


def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES.get(language, LOCALES[DEFAULT_LANGUAGE]))


def format_number(value: float, language: str, digits: int = 0) -> str:
    """``1 234,5`` / ``1,234.5`` with exactly ``digits`` decimals."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=_locale(language)))


def format_percent(fraction: float | None, language: str, digits: int = 1) -> str:
    """A share (0.9944) as the language writes a percentage: ``99,44 %`` / ``99.44%``,
    with at most ``digits`` decimals (``100 %``, ``66,7 %``); ``—`` for no value."""
    if fraction is None:
        return "—"
    locale = _locale(language)
    pattern = parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (0, digits)  # the locale's spacing and sign, our precision
    return str(pattern.apply(fraction, locale))


def format_plural(count: int, one: str, other: str, language: str) -> str:
    """``1 dépassement``, ``0 dépassement``, ``2 dépassements``; ``0 breaches``: the form
    is the language's CLDR plural category (French counts 0 as singular, English not)."""
    form = _locale(language).plural_form(count)
    return f"{format_number(count, language)} {one if form == 'one' else other}"


def format_month(value: Any, language: str) -> str:
    """``novembre 2026`` / ``November 2026`` from a date, anything with ``year`` and
    ``month``, or ``"YYYY-MM"``."""
    if isinstance(value, str):
        year, month = (int(part) for part in value.split("-")[:2])
    else:
        year, month = value.year, value.month
    return str(format_date(date(year, month, 1), "LLLL y", locale=_locale(language)))


def format_short_datetime(instant: datetime, language: str) -> str:
    """``3 nov. 12:15`` / ``3 Nov 12:15``: a local datetime (already in its zone) in a
    month's report, where the year goes without saying."""
    locale = _locale(language)
    return f"{format_skeleton('MMMd', instant, locale=locale)} {format_time(instant, 'HH:mm', locale=locale)}"
