"""RCA refusals: each a stable ``code`` with its params (``messages/*/rca.yaml``,
``error.<code>``); ``str()`` is the English for logs and the command line."""

from __future__ import annotations

from sla_core.errors import CodedError


class RcaError(CodedError):
    code = "rca_error"
