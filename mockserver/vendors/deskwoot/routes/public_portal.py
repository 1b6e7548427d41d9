"""The public portal API, no authentication (page "Public Portal API"): a published portal by
its slug with its categories and article counts, its published articles (search, categoryId,
page and limit) and one article by slug, in the visitor's language: ?locale=, then
Accept-Language with q-values, then English, field by field."""
from __future__ import annotations

from flask import request

from mockserver.core.errors import SandboxError
from mockserver.core.pagination import paginate

from .. import help_center_rules as rules
from .. import schemas_help_center as render
from ..ids import V

__all__ = ["get_public_portal", "list_public_articles", "get_public_article"]


def _portal(ctx) -> tuple[str, dict]:
    """The published portal of the slug (any account's: the slug names the public URL); an
    unpublished one is a 404 like an unknown slug."""
    slug = ctx.path_params["portalSlug"]
    for tenant in ctx.store.tenants(V):
        for portal in ctx.store.all(V, tenant, "portals"):
            if portal["slug"] == slug and portal["published"]:
                return tenant, portal
    raise SandboxError(404, "not_found", f"Portal {slug} not found")


def _locale(ctx, portal: dict) -> str:
    return rules.visitor_locale(ctx.query.get("locale"), request.headers.get("Accept-Language"),
                                portal["enabledLocales"])


def _published(ctx, tenant: str, portal: dict) -> list[dict]:
    order = {c["id"]: n for n, c in enumerate(render.by_position(
        render.of_portal(ctx.store, tenant, "categories", portal["id"])))}
    found = [a for a in render.of_portal(ctx.store, tenant, "articles", portal["id"])
             if a["status"] == "PUBLISHED"]
    return sorted(found, key=lambda a: (order.get(a["categoryId"], len(order)), a["createdAt"],
                                        a["id"]))


def get_public_portal(ctx):
    tenant, portal = _portal(ctx)
    return render.public_portal(
        portal, render.of_portal(ctx.store, tenant, "categories", portal["id"]),
        render.of_portal(ctx.store, tenant, "articles", portal["id"]), _locale(ctx, portal))


def list_public_articles(ctx):
    tenant, portal = _portal(ctx)
    locale = _locale(ctx, portal)
    found = _published(ctx, tenant, portal)
    if ctx.query.get("categoryId"):
        found = [a for a in found if a["categoryId"] == ctx.query["categoryId"]]
    term = (ctx.query.get("search") or "").strip().casefold()
    if term:
        def hit(a):
            text = rules.localized(a, locale)
            return any(term in (s or "").casefold()
                       for s in (a["title"], a["content"], text["title"], text["content"]))
        found = [a for a in found if hit(a)]
    page = paginate(found, ctx.query.get("page") or 1, ctx.query.get("limit") or 20)
    return {"articles": [render.public_article(a, locale) for a in page.items],
            "total": page.total, "page": page.page, "limit": page.limit}


def get_public_article(ctx):
    tenant, portal = _portal(ctx)
    slug = ctx.path_params["articleSlug"]
    found = next((a for a in _published(ctx, tenant, portal) if a["slug"] == slug), None)
    if found is None:
        raise SandboxError(404, "not_found", f"Article {slug} not found")
    return render.public_article(found, _locale(ctx, portal))
