"""Deskwoot (deskwoot.com): a support desk's conversations, messages, contacts, inboxes, agents,
teams, labels, help center and account settings, under a bearer API token (`dw_…`, Enterprise
plan) or a signed-in user's session.

Sources: shared/vendor-docs/deskwoot-api.txt (the vendor's page; it wins) and the official
JavaScript client (what it sends and reads, where the page is silent). Choices the sources leave
open are listed in docs/fidelity-deskwoot.md and as x-sandbox-note in specs/deskwoot.yaml.
"""
from mockserver.core.ratelimit import HeaderStyle, RateLimitPolicy
from mockserver.core.vendor import Vendor

from . import automation, campaigns, factories, models, routes, schemas
from .webhook_style import STYLE

VENDOR = Vendor.from_package(
    models=models, routes=routes, factories=factories, schemas=schemas,
    name="deskwoot",
    title="Deskwoot",
    # "Rate limits": 60 requests per minute per API token; 429 beyond. The page names no
    # headers: the sandbox sends the common X-RateLimit-* trio and Retry-After on a 429.
    # Sessions (the web app) are not limited.
    rate_limit=RateLimitPolicy(
        limit=60, window=60, per="principal:token_id",
        headers=HeaderStyle(limit="X-RateLimit-Limit", remaining="X-RateLimit-Remaining",
                            reset="X-RateLimit-Reset", reset_format="seconds")),
    # the control API's state view mints cuid-shaped ids for records posted without one
    id_formats={collection: "c{n:0>24}" for collection in schemas.RECORD_SCHEMAS},
    # signed deliveries of the page's events (webhook_style); automation rules run after commit
    webhooks=STYLE,
    consumers={"automation": automation.consume},
    jobs={"campaigns": campaigns.run_due},  # one-off campaigns sent at `scheduledAt`
    limitations=(
        "Attachments keep their name, size and type; the file's bytes are not stored.",
    ),
)
