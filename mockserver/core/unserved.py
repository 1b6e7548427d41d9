"""Operations a spec documents before the sandbox serves them.

An operation marked `x-sandbox-unserved: true` is bound by the registry to the view made here: it
answers 501 in the vendor's error envelope, naming the operation, so a spec can describe a whole
API while its behaviour is built one part at a time. The code and message are the spec's
`x-sandbox-errors.core.unserved` (`{operation}` names the operationId), else the defaults below.
"""
from __future__ import annotations

from typing import Callable

from .errors import SandboxError

MARK = "x-sandbox-unserved"
DEFAULT = ("not_served", "not served by the sandbox yet: {operation}")


def is_unserved(operation_spec: dict) -> bool:
    return operation_spec.get(MARK) is True


def unserved_view(document: dict, operation_id: str) -> Callable:
    given = ((document.get("x-sandbox-errors") or {}).get("core") or {}).get("unserved") or {}
    code = str(given.get("code", DEFAULT[0]))
    message = str(given.get("message", DEFAULT[1])).replace("{operation}", operation_id)

    def view(ctx):
        raise SandboxError(501, code, message)
    view.__name__ = operation_id
    view.unserved = True
    return view
