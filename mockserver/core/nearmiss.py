"""The near miss: for a request under a vendor's prefix that matched no route, the operation it
most likely meant, so a test's 404 or 405 explains itself.

Paths are compared segment by segment: a literal segment scores by how alike the two spellings
are (case aside, so a typo still points at its route), a `{parameter}` takes any value for a
little less than an exact literal, a different literal costs a point and every segment one path
has and the other lacks costs a little less.
A matching method breaks ties between routes of one path. Runs only on refused routes.
"""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Iterable

ALIKE = 0.6  # below this, two literal segments are simply different


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def _segment_score(template: str, given: str) -> float:
    if template.startswith("{") and template.endswith("}"):
        return 0.75
    if template.lower() == given.lower():
        return 1.0
    if "{" in template:  # `{id}.json`: the literal rest must agree
        head, _, tail = template.partition("{")
        tail = tail.partition("}")[2]
        low = given.lower()
        return 0.75 if low.startswith(head.lower()) and low.endswith(tail.lower()) else -1.0
    ratio = SequenceMatcher(None, template.lower(), given.lower()).ratio()
    return ratio if ratio >= ALIKE else -1.0


def score(template: str, method: str, path: str, given_method: str) -> float:
    wanted, given = _segments(template), _segments(path)
    total = sum(_segment_score(t, g) for t, g in zip(wanted, given))
    total -= 0.75 * abs(len(wanted) - len(given))
    return total + (0.5 if method == given_method.upper() else 0.0)


def closest(operations: Iterable, method: str, path: str) -> dict | None:
    """The operation (method, path template, operationId) closest to `method path` (the path
    below the vendor's prefix), or None when nothing is even close."""
    best, best_score = None, 0.0
    for op in operations:
        value = score(op.path, op.method, path, method)
        if value > best_score:
            best, best_score = op, value
    if best is None:
        return None
    return {"method": best.method, "path": best.path, "operation": best.operation_id}
