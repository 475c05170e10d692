"""The ``support`` section of ``app.yaml`` (who the agents are, the customer accounts, the
product versions, the reopening window). Its types and reader live in
``sla_core.config.support``; they are re-exported here, where the ticket code looks."""

from __future__ import annotations

from sla_core.config.reader import Problems, Section
from sla_core.config.support import SUPPORT_KEYS, Account, SupportConfig, VersionStatus, read_support


def support_from_mapping(raw: object, *, path: str = "support") -> SupportConfig:
    """The ``support`` section alone (tests and tools); ``sla_core.config.load_config``
    reads the whole file."""
    problems = Problems()
    support = read_support(Section(raw, path, problems, SUPPORT_KEYS), problems)
    problems.raise_if_any()
    return support


__all__ = ["Account", "SupportConfig", "VersionStatus", "support_from_mapping"]
