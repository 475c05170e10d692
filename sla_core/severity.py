"""The contract's four severities, from the most to the least urgent."""

from __future__ import annotations

from enum import Enum


class Severity(str, Enum):
    CRITICAL = "critical"
    IMPORTANT = "important"
    LOW = "low"
    NONE = "none"

    @property
    def rank(self) -> int:
        """0 for Critical, 3 for None: a smaller rank is more urgent."""
        return _ORDER.index(self)

    def is_more_urgent_than(self, other: Severity) -> bool:
        return self.rank < other.rank

    @classmethod
    def parse(cls, value: object) -> Severity:
        """Parse a severity name; raises ``ValueError`` naming the accepted ones."""
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {names})") from None


_ORDER = [Severity.CRITICAL, Severity.IMPORTANT, Severity.LOW, Severity.NONE]


class ClockKind(str, Enum):
    CALLBACK = "callback"
    UPDATE = "update"
    RESOLUTION = "resolution"
