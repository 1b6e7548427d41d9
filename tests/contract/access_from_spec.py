"""What a vendor's spec says a caller gets from an operation, read from the spec's access data
alone (the authorisation contract test's oracle, written apart from core.access so that it
checks it): allowed, or the refusal the spec names, as (kind, status, code, message), the kind
one of x-sandbox-errors.core's access kinds (wrong_scheme, forbidden_scope, plan, role).

The data (docs/spec-conventions.md): the operation's `security` alternatives and the scopes they
list, `x-sandbox-scopes`, `x-sandbox-schemes.wrong_scheme`, `x-sandbox-plans` with the
operation's `x-sandbox-plan`, `x-sandbox-roles` with the operation's `x-sandbox-access` as a
mapping. The caller is what the vendor's own authenticate hook made of its credential: the
principal's attrs `scopes`, `plan`, `role`, `permissions`. The string form of `x-sandbox-access`
is the vendor hook's, not the spec's, and is left to the other probes.
"""
from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Mapping

from flask import request as flask_request

from mockserver.core.auth import read_credential

ACCESS_ROOTS = ("x-sandbox-scopes", "x-sandbox-schemes", "x-sandbox-plans", "x-sandbox-roles")
Refusal = tuple[str, int, str, str]


def has_access_data(doc: dict) -> bool:
    return any(root in doc for root in ACCESS_ROOTS)


def carried(app, vr, headers: dict) -> dict[str, object]:
    """The spec's schemes these headers carry a readable credential of, by name."""
    out = {}
    with app.test_request_context(headers=headers):
        for name, scheme in vr.schemes.items():
            credential = read_credential(flask_request, scheme, name)
            if credential.present and not credential.malformed:
                out[name] = credential
    return out


def matched_scheme(op, schemes: Mapping) -> str | None:
    """The first of the operation's alternatives whose scheme the caller carries."""
    return next((name for requirement in op.security for name in requirement
                 if name in schemes), None)


def refusal(doc: dict, kind: str, block: Mapping, **names) -> Refusal:
    core = ((doc.get("x-sandbox-errors") or {}).get("core") or {}).get(kind) or {}
    message = str(block.get("message", core.get("message")))
    for name, value in names.items():
        message = message.replace("{" + name + "}", str(value))
    return kind, int(block["status"]), str(block.get("code", core.get("code"))), message


def wrong_scheme(doc: dict, op, schemes: Mapping) -> Refusal | None:
    """The refusal of a caller whose credentials are all of schemes the operation does not
    accept (None when it carries one the operation accepts, or nothing, or the spec has no
    such refusal)."""
    rule = (doc.get("x-sandbox-schemes") or {}).get("wrong_scheme")
    if rule is None or not schemes or matched_scheme(op, schemes) is not None \
            or {} in op.security:
        return None
    return refusal(doc, "wrong_scheme", rule)


def covered(doc: dict, held, required: str) -> bool:
    covers = (doc.get("x-sandbox-scopes") or {}).get("covers") or {}
    return any(h == required or any(fnmatchcase(required, g) for g in covers.get(h, ()))
               for h in held)


def below(doc: dict, attrs: Mapping, plan: str) -> bool:
    order = (doc.get("x-sandbox-plans") or {}).get("order") or []
    return order.index(attrs["plan"]) < order.index(plan)


def expected(doc: dict, op, scheme: str, attrs: Mapping) -> Refusal | None:
    """The refusal the spec names for a principal of `attrs` authenticated by `scheme` (one the
    operation accepts), in the documented order; None when the spec admits it."""
    plans = doc.get("x-sandbox-plans") or {}
    roles = doc.get("x-sandbox-roles") or {}
    gate = (plans.get("schemes") or {}).get(scheme)
    if gate is not None and below(doc, attrs, gate):
        return refusal(doc, "plan", plans["refusal"], plan=gate, scheme=scheme)
    held = attrs.get("scopes")
    if held is not None:
        options = [list(r[scheme] or ()) for r in op.security if scheme in r]
        if not any(all(covered(doc, held, s) for s in scopes) for scopes in options):
            lacking = next(s for s in options[0] if not covered(doc, held, s))
            return refusal(doc, "forbidden_scope", doc["x-sandbox-scopes"]["refusal"],
                           scope=lacking, scheme=scheme)
    access = op.spec.get("x-sandbox-access")
    if isinstance(access, dict) and "role" in access:
        wanted = [access["role"]] if isinstance(access["role"], str) else access["role"]
        if attrs.get("role") not in wanted:
            return refusal(doc, "role", roles["refusal"], role=" or ".join(sorted(wanted)))
    if isinstance(access, dict) and "permission" in access:
        if attrs.get("role") not in (roles.get("all_permissions") or ()) \
                and access["permission"] not in (attrs.get("permissions") or ()):
            return refusal(doc, "role", roles["refusal"], permission=access["permission"])
    plan = op.spec.get("x-sandbox-plan")
    if plan is not None and below(doc, attrs, plan):
        return refusal(doc, "plan", plans["refusal"], plan=plan)
    return None
