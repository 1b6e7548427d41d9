"""DeskChime: HR feedback, goals, meetings and one-on-ones, read with one organization API key.

Source: the vendor's "DeskChime Developer API" page (REST API v1, 10 endpoints).
"""
from mockserver.core.ratelimit import HeaderStyle, RateLimitPolicy
from mockserver.core.vendor import Vendor

from . import factories, models, routes, schemas

VENDOR = Vendor(
    name="deskchime",
    title="DeskChime",
    # The page shows no error body; see the spec's x-sandbox-note.
    error_template={"success": False, "error": "{message}", "code": "{code}"},
    core_errors={
        "validation": ("INVALID_REQUEST", "invalid request"),
        "unsupported_media_type": ("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json"),
        "not_found": ("NOT_FOUND", "no such endpoint"),
        "method_not_allowed": ("METHOD_NOT_ALLOWED", "method not allowed on this endpoint"),
        "rate_limited": ("RATE_LIMITED",
                         "rate limit exceeded: 60 requests per 60 seconds per organization"),
        "fault": ("INJECTED_FAULT", "fault injected by the sandbox control API"),
    },
    authenticate=models.authenticate,
    routes=routes,
    build_seed=factories.build_seed,
    credentials=models.credentials_section,
    rotate_credential=models.rotate_key,
    record_schemas=schemas.RECORD_SCHEMAS,
    id_formats={"users": "u{n}", "teams": "t{n}", "feedback": "f{n}", "goals": "g{n}",
                "meetings": "m{n}"},
    # "All /api/v1/* endpoints allow 60 requests per 60 seconds per organization
    # (burst-friendly)"; the operations carry x-sandbox-rate-bucket: v1.
    rate_limit=RateLimitPolicy(limit=60, window=60, headers=HeaderStyle(
        limit="X-RateLimit-Limit", remaining="X-RateLimit-Remaining",
        reset="X-RateLimit-Reset", reset_format="iso", retry_after="Retry-After")),
    sample_headers=models.sample_headers,
    limitations=(
        "Read-only, as the real API: records change only through the control API's state view.",
    ),
)
