"""Deskie (deskie.io, the international copy of Omnidesk): a helpdesk's cases, messages, users,
agents, groups, companies, labels, lookups and reports, under HTTP Basic `staff_email:api_key`.

Sources: shared/vendor-docs/deskie-api-overview.txt and deskie-api-reports.txt (the vendor's
pages; they win), shared/vendor-notes/deskie.md. Choices the sources leave open are listed in
docs/fidelity-deskie.md and as x-sandbox-note in specs/deskie.yaml.
"""
from mockserver.core.ratelimit import HeaderStyle, RateLimitPolicy
from mockserver.core.vendor import Vendor

from . import factories, models, routes, schemas

VENDOR = Vendor(
    name="deskie",
    title="Deskie",
    # Notes §3: `{"error": "<snake_code>"}`; `description` is the sandbox's addition.
    error_template={"error": "{code}", "description": "{message}"},
    core_errors={
        "validation": ("validation_error", "invalid request"),
        "unsupported_media_type": ("unsupported_media_type",
                                   "send the body as application/json or multipart/form-data"),
        "not_found": ("not_found", "no such API method"),
        "method_not_allowed": ("method_not_allowed", "method not allowed on this URL"),
        "rate_limited": ("rate_limit_exceeded",
                         "API rate limit exceeded for this account; wait retry_after seconds"),
        "fault": ("injected_fault", "fault injected by the sandbox control API"),
    },
    authenticate=models.authenticate,
    routes=routes,
    build_seed=factories.build_seed,
    credentials=models.credentials_section,
    rotate_credential=models.rotate_key,
    record_schemas=schemas.RECORD_SCHEMAS,
    # Overview "API rate limits": per account per minute, writes count 2; the limit follows the
    # plan and the number of enabled agents. Headers: rate_limit_per_minute, api_calls_left,
    # and retry_after once exhausted; no reset header.
    rate_limit=RateLimitPolicy(
        limit=20, window=60, costs={"POST": 2, "PUT": 2, "DELETE": 2},
        headers=HeaderStyle(limit="rate_limit_per_minute", remaining="api_calls_left",
                            reset=None, retry_after="retry_after")),
    rate_limit_for=models.rate_limit_for,
    query_dialect="php",
    sample_headers=models.sample_headers,
    limitations=(
        "Knowledge base, ideas and Russian-only social channels are not emulated.",
        "Rules, SLA policies and templates are not emulated; SLA thresholds in the leaderboard "
        "are fixed (first response 1 h, response 4 h, resolution 2 days).",
    ),
)
