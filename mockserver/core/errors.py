"""One exception type for every refusal, and one renderer that writes it in a vendor's envelope.

A vendor chooses its envelope by data: a template whose string leaves "{code}", "{message}" and
"{status}" are filled in (the last as an integer). No vendor names appear here.
"""
from __future__ import annotations

from typing import Any, Mapping


class SandboxError(Exception):
    def __init__(self, status: int, code: str, message: str, *,
                 headers: Mapping[str, str] | None = None, extra: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def render(template: Any, error: SandboxError) -> Any:
    """Fill an envelope template with the error; `extra` fields join the top-level object."""
    body = _fill(template, error)
    if isinstance(body, dict) and error.extra:
        body = {**body, **error.extra}
    return body


def _fill(node: Any, error: SandboxError) -> Any:
    if isinstance(node, dict):
        return {key: _fill(value, error) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value, error) for value in node]
    if node == "{status}":
        return error.status
    if isinstance(node, str):
        return node.replace("{code}", error.code).replace("{message}", error.message)
    return node
