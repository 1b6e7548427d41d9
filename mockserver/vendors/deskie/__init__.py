"""Deskie (deskie.io, the international copy of Omnidesk): a helpdesk's cases, messages, users,
agents, groups, companies, labels, lookups and reports, under HTTP Basic `staff_email:api_key`.

Sources: shared/vendor-docs/deskie-api-overview.txt and deskie-api-reports.txt (the vendor's
pages; they win), shared/vendor-notes/deskie.md. Choices the sources leave open are listed in
docs/fidelity-deskie.md and as x-sandbox-note in specs/deskie.yaml.
"""
from mockserver.core.ratelimit import HeaderStyle, RateLimitPolicy
from mockserver.core.vendor import Vendor

from . import factories, models, routes, schemas

VENDOR = Vendor.from_package(
    models=models, routes=routes, factories=factories, schemas=schemas,
    name="deskie",
    title="Deskie",
    # Overview "API rate limits": per account per minute, writes count 2; the limit follows the
    # plan and the number of enabled agents. Headers: rate_limit_per_minute, api_calls_left,
    # and retry_after once exhausted; no reset header.
    rate_limit=RateLimitPolicy(
        limit=20, window=60, costs={"POST": 2, "PUT": 2, "DELETE": 2},
        headers=HeaderStyle(limit="rate_limit_per_minute", remaining="api_calls_left",
                            reset=None, retry_after="retry_after")),
    rate_limit_for=models.rate_limit_for,
    query_dialect="php",
    limitations=(
        "Knowledge base, ideas and Russian-only social channels are not emulated.",
        "Rules, SLA policies and templates are not emulated; SLA thresholds in the leaderboard "
        "are fixed (first response 1 h, response 4 h, resolution 2 days).",
    ),
)
