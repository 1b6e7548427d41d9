"""The Vendor descriptor: what a vendor package tells the core about itself, as data and hooks.

The core never asks which vendor it serves; it reads these fields. A new vendor is one spec, one
package exposing `VENDOR`, and one seed file.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any, Callable, Mapping

from .ratelimit import RateLimitPolicy
from .webhooks import WebhookStyle

# Codes and messages for refusals the core itself raises, per vendor (the access refusals'
# kinds, needed only by a spec using their style, are core.access.ACCESS_ERROR_KINDS). Keys:
CORE_ERROR_KINDS = ("validation", "unsupported_media_type", "not_found", "method_not_allowed",
                    "rate_limited", "fault", "too_large")
CoreErrors = Mapping[str, tuple[str, str]]

# The callers a vendor's `principal_headers(runtime, kind)` hook can give (the contract tests try
# every protected operation with each): "valid" (as sample_headers), "bad" (credentials of the
# right shape that match nobody), "deactivated" (a principal that exists but is switched off),
# "weak" (one too weak for what the spec's named `x-sandbox-access` or the vendor's documented
# restrictions ask), "other_tenant" (a valid caller of another tenant than "valid"'s). For the
# access the core compiles from the spec (core.access), each tried on every operation whose
# spec data refuses it, expecting that refusal: "session" (a caller by another scheme than
# "valid"'s, of its tenant), "narrow_scope" (a caller holding fewer scopes than some operations
# require), "agent" (a caller without the role or permissions some operations ask),
# "lower_plan" (a caller on a plan below some operations' `x-sandbox-plan`, by a scheme its
# plan may use), "lower_plan_scheme" (a caller by a scheme its plan may not use). The hook
# answers None for a kind the vendor has no such caller of.
PRINCIPAL_KINDS = ("valid", "bad", "deactivated", "weak", "other_tenant", "session",
                   "narrow_scope", "agent", "lower_plan", "lower_plan_scheme")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant whose data they reach, and who they are within it."""
    tenant: str
    identity: str
    attrs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Vendor:
    name: str
    title: str
    authenticate: Callable[..., Principal]   # (credential, runtime) -> Principal or SandboxError
    routes: ModuleType                       # one view per operationId
    build_seed: Callable[..., Any]           # (seed_doc, rng, anchor) -> [(tenant, coll, id, rec)]
    credentials: Callable[..., dict]         # (runtime, base_url) -> the vendor's section
    rotate_credential: Callable[..., dict]   # (runtime, id) -> {"id", secret...} or SandboxError
    record_schemas: Mapping[str, Any] = field(default_factory=dict)  # collection -> marshmallow
    id_formats: Mapping[str, str] = field(default_factory=dict)      # collection -> "u{n}"
    rate_limit: RateLimitPolicy | None = None
    rate_limit_for: Callable[..., int] | None = None  # (runtime, tenant) -> limit, when it varies
    query_dialect: str = "plain"             # see core.dialects
    common_headers: Mapping[str, str] = field(default_factory=dict)
    sample_headers: Callable[..., dict] | None = None  # (runtime) -> headers of a valid caller
    # (runtime, kind) -> headers of a caller of one of PRINCIPAL_KINDS, or None if it has none
    principal_headers: Callable[..., dict | None] | None = None
    # (ctx, requirement) -> None or SandboxError: an operation's `x-sandbox-access` in the spec
    authorize: Callable[..., None] | None = None
    limitations: tuple[str, ...] = ()
    webhooks: WebhookStyle | None = None     # signed deliveries of its events (core.webhooks)
    # name -> consumer(runtime, events): the vendor's own in-process consumers of its committed
    # domain events (core.outbox), called after each commit that raised any of its events; a
    # consumer that changes state does so in a unit of work of its own (runtime.transact)
    consumers: Mapping[str, Callable[..., None]] = field(default_factory=dict)
    # name -> job(runtime, now): the vendor's work due at sandbox-clock times (core.schedule),
    # run by the scheduler's worker; a job claims what it does in the store (a unit of work)
    jobs: Mapping[str, Callable[..., None]] = field(default_factory=dict)
    # Both from the spec's `x-sandbox-errors` (the registry fills them in): the envelope, with
    # "{code}", "{message}", "{status}" leaves (see core.errors.render), and the core's table.
    error_template: Any = None
    core_errors: CoreErrors | None = None

    @classmethod
    def from_package(cls, *, models: ModuleType, routes: ModuleType, factories: ModuleType,
                     schemas: ModuleType, **fields: Any) -> "Vendor":
        """A vendor wired by the package layout of docs/adding-a-vendor.md: `models` gives
        authenticate, credentials_section, rotate_key, sample_headers and principal_headers;
        `factories` gives build_seed; `schemas` gives RECORD_SCHEMAS; `routes` holds one view
        per operationId."""
        return cls(authenticate=models.authenticate, routes=routes,
                   build_seed=factories.build_seed, credentials=models.credentials_section,
                   rotate_credential=models.rotate_key, record_schemas=schemas.RECORD_SCHEMAS,
                   sample_headers=getattr(models, "sample_headers", None),
                   principal_headers=getattr(models, "principal_headers", None),
                   authorize=getattr(models, "authorize", None), **fields)


def with_spec_errors(vendor: Vendor, document: dict) -> Vendor:
    """The vendor with its error envelope and core error table read from the spec's
    `x-sandbox-errors: {envelope: ..., core: {KIND: {code, message}}}`; ValueError names what
    is missing."""
    errors = document.get("x-sandbox-errors") or {}
    core = errors.get("core") or {}
    missing = [k for k in CORE_ERROR_KINDS if not {"code", "message"} <= set(core.get(k) or {})]
    if "envelope" not in errors or missing:
        raise ValueError("x-sandbox-errors needs an envelope and code and message for: "
                         + ", ".join(missing or ["(envelope)"]))
    return replace(vendor, error_template=errors["envelope"],
                   core_errors={k: (str(core[k]["code"]), str(core[k]["message"]))
                                for k in CORE_ERROR_KINDS})


def record_id_field(schema_cls) -> str:
    """The field holding a stored record's id: `id` when the record schema declares one, else
    its first declared field (`case_id`, `user_id`, …)."""
    names = list(schema_cls().fields)
    return "id" if "id" in names else names[0]
