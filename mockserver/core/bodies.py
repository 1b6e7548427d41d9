"""Request bodies, decided in one place for every vendor: how large, how deep, and which JSON is
JSON at all.

A body larger than its limit is refused before it is read whole (by its Content-Length, else while
it streams in). A JSON body must be what RFC 8259 allows and what can be stored and answered
again: UTF-8, no `NaN`/`Infinity`, no lone surrogate (`"\\ud800"`: Python would parse it, and the
record could then never be encoded, so every later list of that tenant would fail), and no
deeper than the nesting limit. Each refusal names the problem and, where there is one, the field.
"""
from __future__ import annotations

import json
from typing import Any

MB = 1024 * 1024


class BodyProblem(Exception):
    """Why a body is refused: `status` 413 (too large) or 400, with the field when known."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def _refuse_constant(name: str):
    raise BodyProblem(400, f"the request body is not valid JSON: {name} is not a JSON number")


def parse_json(raw: bytes, max_depth: int) -> Any:
    """The JSON value of a body, or BodyProblem."""
    try:
        # strict UTF-8 first: json.loads(bytes) would let the bytes of a surrogate through
        text = raw.decode("utf-8-sig" if raw[:3] == b"\xef\xbb\xbf" else "utf-8") \
            if isinstance(raw, (bytes, bytearray)) else raw
        value = json.loads(text, parse_constant=_refuse_constant)
    except BodyProblem:
        raise
    except RecursionError:
        raise BodyProblem(400, f"the request body is nested more than {max_depth} levels deep")
    except UnicodeDecodeError:
        raise BodyProblem(400, "the request body is not valid UTF-8") from None
    except ValueError as exc:
        raise BodyProblem(400, f"the request body is not valid JSON: {exc}") from None
    check_value(value, max_depth)
    return value


def check_value(value: Any, max_depth: int) -> None:
    """Every string (keys too) encodable as UTF-8, and no deeper than `max_depth`."""
    stack: list[tuple[Any, tuple, int]] = [(value, (), 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > max_depth:
                raise BodyProblem(400, f"the request body is nested more than {max_depth} "
                                       "levels deep", _dotted(path) or None)
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in items:
                if isinstance(key, str) and not _encodable(key):
                    raise BodyProblem(400, "a field name is not valid Unicode text (a lone "
                                           "surrogate)", _dotted(path) or None)
                stack.append((child, (*path, key), depth + 1))
        elif isinstance(node, str) and not _encodable(node):
            field = _dotted(path)
            raise BodyProblem(400, f"request body field '{field}' is not valid Unicode text "
                                   "(it holds a lone surrogate)" if field else
                                   "the request body is not valid Unicode text", field or None)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def is_json(content_type: str | None) -> bool:
    return bool(content_type) and (content_type == "application/json"
                                   or content_type.endswith("+json"))


def limit_for(document: dict, default_bytes: int) -> int:
    """A vendor's body limit: `x-sandbox-body-limit.max_mb` in its spec (a documented larger
    upload), else the sandbox default."""
    given = (document.get("x-sandbox-body-limit") or {}).get("max_mb")
    return int(given * MB) if given else default_bytes
