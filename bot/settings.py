"""The environment, read once at the edge: credentials, URLs, port. Secrets are masked in
``repr``; a missing credential says where to get it. Which app.yaml to use
(``$ASTREINTE_CONFIG``) is read by ``sla_core.config.load_config``, with the rest of the
file; the ``slack`` and ``contact`` sections' types are re-exported here."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from sla_core.config.slack import Contact, SlackWiring
from sla_core.errors import ConfigError

__all__ = ["Contact", "Environment", "MissingCredential", "SlackWiring", "SETUP_HINT"]

SETUP_HINT = ("create the Slack app from manifest.yaml (api.slack.com/apps → Create New App → From a "
              "manifest), install it, and export the tokens as README.md's \"Set up Slack\" explains")


class MissingCredential(ConfigError):
    def __init__(self, name: str, what: str) -> None:
        super().__init__(name, f"not set ({what}); {SETUP_HINT}")


@dataclass(frozen=True, kw_only=True)
class Environment:
    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str | None = None
    database_url: str | None = None
    port: int = 3000

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Environment:
        env = os.environ if environ is None else environ
        port_text = env.get("PORT", "3000")
        try:
            port = int(port_text)
        except ValueError:
            raise ConfigError("PORT", f'"{port_text}" is not a port number') from None
        api_url = env.get("SLACK_API_URL") or None
        if api_url and not api_url.endswith("/"):
            api_url += "/"  # slack_sdk appends method names to the base URL
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN") or None,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            api_url=api_url,
            database_url=env.get("DATABASE_URL") or None,
            port=port,
        )

    def require_slack(self) -> None:
        """HTTP mode needs the bot token and signing secret; Socket Mode the app token too."""
        if not self.bot_token:
            raise MissingCredential("SLACK_BOT_TOKEN", "the xoxb- bot token")
        if not self.bot_token.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-")
        if not self.signing_secret and not self.app_token:
            raise MissingCredential("SLACK_SIGNING_SECRET", "the app's signing secret, for HTTP mode")
        if self.app_token and not self.app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN", "must be an app-level token starting with xapp- (Socket Mode)")

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)
