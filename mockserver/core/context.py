"""The per-request context: vendor, operation, tenant, principal and validated parameters."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..runtime import Runtime
    from .ratelimit import Decision
    from .spec import Operation
    from .vendor import Principal, Vendor


@dataclass
class RequestContext:
    number: Any  # the request's number: an int, or a reply still owed (`result()`: the store)
    runtime: "Runtime"
    vendor: "Vendor"
    operation: "Operation"
    path_params: dict[str, Any]
    started: float
    principal: "Principal | None" = None
    scheme: str | None = None  # the security scheme the principal authenticated by
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    rate: "Decision | None" = None
    fault: dict | None = None  # the injected fault that hit the request: {"id", "kind", ...}
    uploads: Any = None  # uploaded files of a multipart request, by bracketed name
    raw_body: tuple = (None, None)  # (media type, bytes) as validated against the spec
    error: str | None = None  # the code of the SandboxError that answered, for the journal
    near_miss: dict | None = None  # the closest operation, for a request that matched none
    duration_ms: float | None = None  # set when the journal records the request

    @property
    def seq(self) -> int:
        """The request's number, from the store's request counter (read when first needed: a
        shared store's reply then has arrived while the request ran)."""
        if not isinstance(self.number, int):
            self.number = int(self.number.result())
        return self.number

    @property
    def request_id(self) -> str:
        return f"req_{self.seq}"

    @property
    def tenant(self) -> str:
        return self.principal.tenant if self.principal else ""

    @property
    def store(self):
        """The request's unit of work while the view runs; the backend before it."""
        return self.runtime.store

    @property
    def clock(self):
        return self.runtime.clock

    @property
    def params(self) -> dict[str, Any]:
        """Path and query parameters together, validated and typed."""
        return {**self.query, **self.path_params}
