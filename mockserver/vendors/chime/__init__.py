"""Chime (Instant Technologies' chat-queue product): its reporting API, read with per-user GUID keys.

Sources: the vendor's post "Chime Reporting API" (vendor-docs/chime-reporting-api.txt) and the
research notes (vendor-notes/chime.md, sections 5-8 a design the spec follows). Read-only: data
changes only through the control API's state view.
"""
from mockserver.core.vendor import Vendor

from . import factories, models, routes, schemas

VENDOR = Vendor(
    name="chime",
    title="Chime Reporting",
    # Notes §8: {"Error", "Message", "Status"}, always JSON, even with csv=true.
    error_template={"Error": "{code}", "Message": "{message}", "Status": "{status}"},
    core_errors={
        "validation": ("BadRequest", "The request's parameters are not valid."),
        "unsupported_media_type": ("UnsupportedMediaType", "This route takes no request body."),
        "not_found": ("UnknownReport", "No report or route has this name."),
        "method_not_allowed": ("MethodNotAllowed", "Only GET (and HEAD) is allowed; use GET."),
        "rate_limited": ("RateLimited", "Too many requests."),
        "fault": ("InjectedFault", "Fault injected by the sandbox control API."),
    },
    authenticate=models.authenticate,
    routes=routes,
    build_seed=factories.build_seed,
    credentials=models.credentials_section,
    rotate_credential=models.rotate_key,
    record_schemas=schemas.RECORD_SCHEMAS,
    # Sessions, queues and users have integer ids (notes §1); topics and config are named.
    id_formats={},
    rate_limit=None,  # the post documents no rate limit
    sample_headers=models.sample_headers,
    limitations=(
        "Read-only, as the real API: records change only through the control API's state view.",
        "Report names other than InboundVsAnsweredChats, every body shape, CSV layout and error "
        "code are the sandbox's design (docs/fidelity-chime.md), not the vendor's confirmed format.",
    ),
)
