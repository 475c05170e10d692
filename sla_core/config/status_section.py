"""The ``status`` section of ``app.yaml``: the public status page (``/status``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sla_core.config.reader import BAD, Problems, Section

STATUS_KEYS = ("export_dir", "title", "public_url")
TITLE_MAX = 80


@dataclass(frozen=True, kw_only=True)
class StatusSettings:
    export_dir: str | None = None  # the tick re-exports the static pages there when they change
    title: str | None = None  # the page's title; None: "Service status" in the reader's language
    public_url: str | None = None  # where /status is reached from outside (links, the Atom feed's ids)


def read_status_section(top: Section, problems: Problems) -> StatusSettings:
    st = top.sub("status", STATUS_KEYS, required=False)
    settings = StatusSettings(export_dir=st.read("export_dir", _directory, default=None),
                              title=st.read("title", _title, default=None),
                              public_url=st.read("public_url", _public_url, default=None))
    return BAD if problems.items else settings


def _directory(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a directory path")
    return value.strip()


def _title(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a title")
    if len(value.strip()) > TITLE_MAX:
        raise ValueError(f"is {len(value.strip())} characters long; at most {TITLE_MAX}")
    return value.strip()


def _public_url(value: object) -> str:
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f'"{value}" is not an http(s) URL (write e.g. https://status.example.com/status)')
    return text.rstrip("/")
