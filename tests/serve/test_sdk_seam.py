"""``bot/kept_alive.py`` replaces one private method of slack_sdk's ``WebClient``: the one
that performs the HTTP exchange. pyproject.toml pins slack-sdk to the minor range this was
tested on; these tests fail, on an upgrade, if that seam moved: the method is gone or takes
other arguments, the SDK no longer calls it, or a name of ours now hides one of the SDK's."""

from __future__ import annotations

import inspect

from slack_sdk import WebClient
from slack_sdk.web.base_client import BaseClient

from bot.kept_alive import KeptAliveWebClient

SEAM = "_perform_urllib_http_request_internal"


def _ours() -> set[str]:
    return {name for name in vars(KeptAliveWebClient) if not name.startswith("__")}


def test_the_sdk_still_has_the_method_we_replace_with_the_same_signature() -> None:
    sdk = inspect.signature(getattr(WebClient, SEAM))
    assert str(sdk) == "(self, url: str, req: urllib.request.Request) -> Dict[str, Any]"
    ours = inspect.signature(getattr(KeptAliveWebClient, SEAM))
    assert [(p.name, p.kind) for p in ours.parameters.values()] == [
        (p.name, p.kind) for p in sdk.parameters.values()]


def test_the_sdk_still_performs_every_call_through_it() -> None:
    assert f"self.{SEAM}(" in inspect.getsource(BaseClient._perform_urllib_http_request)


def test_it_is_the_only_name_of_the_sdk_we_redefine() -> None:
    assert {name for name in _ours() if hasattr(WebClient, name)} == {SEAM}
