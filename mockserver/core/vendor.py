"""The Vendor descriptor: what a vendor package tells the core about itself, as data and hooks.

The core never asks which vendor it serves; it reads these fields. A new vendor is one spec, one
package exposing `VENDOR`, and one seed file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Mapping

from .ratelimit import RateLimitPolicy

# Codes and messages for refusals the core itself raises, per vendor. Keys:
# validation, not_found, method_not_allowed, rate_limited, fault, unsupported_media_type.
CoreErrors = Mapping[str, tuple[str, str]]


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
    error_template: Any                      # see core.errors.render
    core_errors: CoreErrors
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
    limitations: tuple[str, ...] = ()
