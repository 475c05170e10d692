"""Users' own choices (App Home), e.g. the language they want to be spoken to in."""

from sla_core.preferences.store import language_preference, set_language_preference

__all__ = ["language_preference", "set_language_preference"]
