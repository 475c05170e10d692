"""Which language a reader gets, and how the page writes dates and durations in it.

The words themselves are ``messages/<lang>/status.yaml``, rendered with ``render_plain``
(plain text): the page's templates escape them for HTML or XML, never by hand."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, format_time

from messages import LANGUAGES, LOCALES, language_of

Q_DEFAULT = 1.0


def negotiate(query: str | None, accept_language: str | None, default: str) -> str:
    """``?lang=`` first (an unknown one is ignored), then the best of ``Accept-Language``
    by its q-values, then ``default``."""
    chosen = language_of(query)
    if chosen:
        return chosen
    best: tuple[float, int, str] | None = None
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = Q_DEFAULT
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = language_of(tag.strip())
        if language and quality > 0 and (best is None or (quality, -index) > (best[0], best[1])):
            best = (quality, -index, language)
    return best[2] if best else (default if default in LANGUAGES else LANGUAGES[0])


def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def when(instant: datetime, lang: str, timezone: ZoneInfo) -> str:
    """``3 Dec 2026, 14:05`` / ``3 déc. 2026, 14:05`` in the policy's time zone."""
    local = instant.astimezone(timezone)
    locale = _locale(lang)
    return f"{format_skeleton('yMMMd', local, locale=locale)}, {format_time(local, 'HH:mm', locale=locale)}"


def day_name(day: date, lang: str) -> str:
    """``Thu 3 Dec 2026`` / ``jeu. 3 déc. 2026``."""
    return str(format_skeleton("yMMMEd", day, locale=_locale(lang)))
