"""Chime (Instant Technologies' chat-queue product): its reporting API, read with per-user GUID keys.

Sources: the vendor's post "Chime Reporting API" (vendor-docs/chime-reporting-api.txt) and the
research notes (vendor-notes/chime.md, sections 5-8 a design the spec follows). Read-only: data
changes only through the control API's state view.
"""
from mockserver.core.vendor import Vendor

from . import factories, models, routes, schemas

VENDOR = Vendor.from_package(
    models=models, routes=routes, factories=factories, schemas=schemas,
    name="chime",
    title="Chime Reporting",
    # Sessions, queues and users have integer ids (notes §1); topics and config are named.
    id_formats={},
    rate_limit=None,  # the post documents no rate limit
    limitations=(
        "Read-only, as the real API: records change only through the control API's state view.",
        "Report names other than InboundVsAnsweredChats, every body shape, CSV layout and error "
        "code are the sandbox's design (docs/fidelity-chime.md), not the vendor's confirmed format.",
    ),
)
