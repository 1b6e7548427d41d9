"""DeskChime: HR feedback, goals, meetings and one-on-ones, read with one organization API key.

Source: the vendor's "DeskChime Developer API" page (REST API v1, 10 endpoints).
"""
from mockserver.core.ratelimit import HeaderStyle, RateLimitPolicy
from mockserver.core.vendor import Vendor

from . import factories, models, routes, schemas

VENDOR = Vendor.from_package(
    models=models, routes=routes, factories=factories, schemas=schemas,
    name="deskchime",
    title="DeskChime",
    id_formats={"users": "u{n}", "teams": "t{n}", "feedback": "f{n}", "goals": "g{n}",
                "meetings": "m{n}"},
    # "All /api/v1/* endpoints allow 60 requests per 60 seconds per organization
    # (burst-friendly)"; the operations carry x-sandbox-rate-bucket: v1.
    rate_limit=RateLimitPolicy(limit=60, window=60, headers=HeaderStyle(
        limit="X-RateLimit-Limit", remaining="X-RateLimit-Remaining",
        reset="X-RateLimit-Reset", reset_format="iso", retry_after="Retry-After")),
    limitations=(
        "Read-only, as the real API: records change only through the control API's state view.",
    ),
)
