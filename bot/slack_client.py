"""The Slack Web API client, on kept-alive connections (``bot/kept_alive.py``), with
slack_sdk's own retry handlers installed (they are not by default): 429 waits for
Retry-After, 5xx backs off. This client makes the listeners' calls (``views.open``,
``views.publish``, ``users.info``), so it keeps slack_sdk's default single retry of a
connection error too: none of those posts a message, and a trigger_id opens one modal at
most. Messages never go through it: the sender's client (``bot/delivery/slack_io.py``)
retries nothing, since a post whose answer was lost may have landed, and only the sender,
which can check message metadata, may decide to send it again."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler

from bot.kept_alive import KeptAliveWebClient

DEFAULT_API_URL = "https://slack.com/api/"
SDK_LOGGER = "slack_sdk.web.base_client"


def make_web_client(token: str, *, base_url: str | None = None, timeout: int = 10,
                    rate_limit_retries: int = 3, server_error_retries: int = 2) -> WebClient:
    client = KeptAliveWebClient(token=token, base_url=base_url or DEFAULT_API_URL, timeout=timeout, logger=sdk_logger())
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries))
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=server_error_retries))
    return client


def sdk_logger() -> logging.Logger:
    """slack_sdk's logger with a level of its own.

    slack_sdk decides whether to build its debug lines (every request and response body,
    a whole modal each time) from ``logger.level <= DEBUG``, the logger's *own* level, which
    is 0 (NOTSET) unless someone sets it: so it formats them on every call and the logging
    module then drops them. That was a sixth of the CPU of a ``views.open``. Setting the
    level to what is in effect keeps the debug lines when debug logging is on."""
    logger = logging.getLogger(SDK_LOGGER)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.DEBUG if logger.isEnabledFor(logging.DEBUG) else logging.INFO)
    return logger


def close_client(client: WebClient) -> None:
    """Close the client's kept-alive connections, if it keeps any (at shutdown)."""
    if isinstance(client, KeptAliveWebClient):
        client.close()
