"""Domain errors. Each one carries its subject and builds its own message, so the
command line and the Slack adapter can show it as it is."""

from __future__ import annotations

from typing import Any


class AstreinteError(Exception):
    """Base class of every error a user may be shown."""


class CodedError(AstreinteError):
    """An error with a stable ``code`` and the ``params`` of its message, so the Slack layer
    can say it in French or English (``messages/*/errors.yaml``: ``error.<code>``), while
    ``str(error)`` stays the English message for logs and the command line."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params
        super().__init__(message)


class ConfigError(AstreinteError):
    """The configuration file is wrong; ``path`` is the key path, e.g.
    ``policy.severities.low.callback``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


class InputError(AstreinteError):
    """An input value is wrong; ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class UsageError(InputError, CodedError):
    """A command used wrongly: an option missing, a value that is not one of its choices,
    two options that do not go together, a slash command's words out of order. ``option``
    names what to fix. A Slack command gives the ``code`` (and its params) of the text its
    user reads in their language (``messages/*/errors.yaml``: ``error.<code>``); the
    command line prints ``option: problem`` as it is."""

    def __init__(self, option: str, problem: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(option, problem)
        if code is not None:
            self.code = code
        self.params = params

    @property
    def option(self) -> str:
        return self.field
