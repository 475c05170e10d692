"""Logs as logfmt, one line per record: ``time=… level=INFO logger=… pid=… msg="…"``,
grep- and parser-friendly, for ``astreinte serve`` and its gunicorn workers."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

LOG_FORMAT_FIELDS = ("time", "level", "logger", "pid", "thread", "msg")


class LogfmtFormatter(logging.Formatter):
    """``time=… level=INFO logger=… pid=… msg="…"``: one line per record, grep- and
    parser-friendly; a traceback follows on the next lines."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname, "logger": record.name, "pid": record.process,
            "thread": record.threadName, "msg": record.getMessage(),
        }
        for key in ("worker", "key", "ticket"):  # extras our modules pass
            if hasattr(record, key):
                fields[key] = getattr(record, key)
        line = " ".join(f"{k}={_logfmt_value(v)}" for k, v in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _logfmt_value(value: Any) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "=\n'):
        return text
    return json.dumps(text, ensure_ascii=False)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LogfmtFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # slack_sdk logs whole request bodies at DEBUG (user text, tokens in form posts):
    # never below INFO, whatever the level asked for.
    for name in ("slack_sdk", "slack_bolt", "urllib3"):
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    # Alembic announces its dialect on every revision check (each /healthz).
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
