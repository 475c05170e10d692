"""The Slack Web API client, with slack_sdk's own retry handlers installed (they are not
by default): 429 waits for Retry-After, 5xx backs off. Connection errors are *not*
retried here: a post whose answer was lost may have landed, and only the sender, which can
check message metadata, may decide to send it again."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler

DEFAULT_API_URL = "https://slack.com/api/"


def make_web_client(token: str, *, base_url: str | None = None, timeout: int = 10,
                    rate_limit_retries: int = 3, server_error_retries: int = 2) -> WebClient:
    client = WebClient(token=token, base_url=base_url or DEFAULT_API_URL, timeout=timeout)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries))
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=server_error_retries))
    return client
