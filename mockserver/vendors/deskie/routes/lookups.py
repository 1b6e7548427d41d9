"""Deskie views of the Lookups tag: custom fields, languages, filters, custom channels,
client e-mails and macros.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

from ..models import me
from .common import all_of, lookup_list, page_envelope


def list_custom_fields(ctx):
    return lookup_list(ctx, "custom_fields", "field_id", "custom_field",
                       ("field_id", "title", "field_type", "field_level", "active", "field_data"))


def list_languages(ctx):
    return lookup_list(ctx, "languages", "language_id", "language",
                       ("language_id", "code", "title", "active"))


def list_filters(ctx):
    """The account's built-in filters plus the authenticating agent's own."""
    rows = sorted((f for f in all_of(ctx, "filters")
                   if f.get("owner_staff_id", 0) in (0, me(ctx))),
                  key=lambda f: f["filter_id"])
    return page_envelope(ctx, [{"filter_id": f["filter_id"], "filter_name": f["filter_name"],
                                "is_selected": f.get("is_selected_by_default", False),
                                "is_custom": f.get("is_custom", False)} for f in rows], "filter")


def list_custom_channels(ctx):
    return lookup_list(ctx, "custom_channels", "channel_id", "custom_channel",
                       ("channel_id", "channel_api_key", "title", "channel_type", "icon",
                        "webhook_url", "active"))


def list_client_emails(ctx):
    return lookup_list(ctx, "client_emails", "email_id", "client_emails",
                       ("email_id", "email", "active"))


def list_macros(ctx):
    """§10: `{"common": [...], "personal": [...]}`; personal = the agent's own macros."""
    out = {"common": [], "personal": []}
    for cat in sorted(all_of(ctx, "macros"), key=lambda c: (c.get("sort", 0), c["id"])):
        owner = cat.get("owner_staff_id", 0)
        if owner not in (0, me(ctx)):
            continue
        out["common" if owner == 0 else "personal"].append({
            "macros_category_id": cat["macros_category_id"], "title": cat["title"],
            "sort": cat["sort"], "data": cat.get("data") or []})
    return out
