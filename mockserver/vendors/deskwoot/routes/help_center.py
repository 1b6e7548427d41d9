"""Help center: portals with every setting of the page and its rules, categories by position,
articles with slugs, case-insensitive status and translations merged field by field (page "Help
Center (Portals)")."""
from __future__ import annotations

from mockserver.core.errors import SandboxError

from .. import help_center_rules as rules
from .. import records_help_center as records
from .. import schemas_help_center as render
from ..desk import account, conflict, mint, no_content, oldest_first, remove, save
from ..ids import V
from ..models import now_iso

__all__ = ["list_portals", "create_portal", "update_portal", "list_articles", "create_article",
           "update_article", "delete_article", "list_categories", "create_category"]

WHAT = {"portals": "Portal", "articles": "Article", "categories": "Category"}


def _find(ctx, collection: str, record_id, *, portal_id=None, field=None) -> dict:
    record = ctx.store.get(V, ctx.tenant, collection, record_id) if record_id else None
    if record is None or (portal_id and record.get("portalId") != portal_id):
        where = f"{field}: " if field else ""
        raise SandboxError(404, "not_found",
                           f"{where}{WHAT[collection]} {record_id} not found")
    return record


def _portal(ctx) -> dict:
    account(ctx)
    return _find(ctx, "portals", ctx.path_params["portalId"])


def _check_slug_free(ctx, slug: str, own_id=None) -> None:
    for tenant in ctx.store.tenants(V):
        if any(p["slug"] == slug and p["id"] != own_id
               for p in ctx.store.all(V, tenant, "portals")):
            raise conflict(f"slug: a portal with the slug {slug} already exists")


# -- portals -----------------------------------------------------------------------------------
def list_portals(ctx):
    account(ctx)
    found = oldest_first(ctx, "portals")
    return [render.portal(ctx.store, ctx.tenant, p) for p in found]


def create_portal(ctx):
    account(ctx)
    body = ctx.body
    _check_slug_free(ctx, body["slug"])
    domain = body.get("customDomain") or None
    record = records.portal(
        mint(ctx, "portals"), ctx.tenant, name=body["name"], slug=body["slug"],
        created_at=now_iso(ctx), custom_domain=domain, custom_domain_status="PENDING",
        headerText=body.get("headerText"), brandColor=body.get("brandColor", "#2563EB"))
    save(ctx, "portals", record)
    return render.portal(ctx.store, ctx.tenant, record), 201


PLAIN_SETTINGS = ("name", "headerText", "brandColor", "pageTitle", "showChatWidget",
                  "articleSidebar", "homePageLink", "topPillLabel", "topPillBg", "topPillText",
                  "searchEnabled", "searchPlaceholder", "quickJumpEnabled", "faqEnabled",
                  "promoBannerEnabled", "localeControlledExternally", "categoryCardLayout",
                  "latestGuidesEnabled", "heroAlignment", "theme", "customFooterEnabled",
                  "customFooterBottomText", "published")


def _footer_columns(columns):
    if columns is None:
        return None
    return [{"title": rules.plain(c.get("title")), "links": rules.links(c.get("links") or [])}
            for c in columns]


def _faq(items):
    if items is None:
        return None
    out = []
    for item in items:
        entry = {"question": rules.plain(item.get("question")),
                 "answer": rules.rich_text(item.get("answer"))}
        if isinstance(item.get("i18n"), dict):
            entry["i18n"] = {code: {"question": rules.plain((v or {}).get("question")),
                                    "answer": rules.rich_text((v or {}).get("answer"))}
                             for raw, v in item["i18n"].items()
                             if (code := rules.locale_code(raw)) and isinstance(v, dict)}
        out.append(entry)
    return out


def _promo(banner):
    if banner is None:
        return None
    return {"headline": rules.plain(banner.get("headline")),
            "body": rules.rich_text(banner.get("body")),
            "ctaLabel": rules.plain(banner.get("ctaLabel")),
            "ctaUrl": rules.safe_link(banner.get("ctaUrl"))}


def _featured(ctx, portal: dict, article_id):
    if article_id is None:
        return None
    found = _find(ctx, "articles", article_id, portal_id=portal["id"],
                  field="featuredArticleId")
    if found["status"] != "PUBLISHED":
        raise rules.bad(f"featuredArticleId: article {article_id} is {found['status']}; "
                        "only a published article can be featured")
    return found["id"]


def _custom_html(ctx, portal: dict, body: dict) -> None:
    """customHeaderHtml / customFooterHtml: a non-empty value needs the Enterprise plan (402)
    and an ACTIVE custom domain (409); stored sanitised; empty or null clears."""
    for key in ("customHeaderHtml", "customFooterHtml"):
        if key not in body:
            continue
        value = body[key]
        if value:
            if account(ctx)["plan"] != "ENTERPRISE":
                raise SandboxError(402, "payment_required",
                                   f"{key}: custom HTML needs the Enterprise plan")
            if not (portal["customDomain"] and portal["customDomainStatus"] == "ACTIVE"):
                raise conflict(f"{key}: custom HTML needs the portal on an ACTIVE custom "
                               "domain; it stays hidden on the deskwoot.com subdomain")
        portal[key] = rules.clean_html(value) if value else None


def update_portal(ctx):
    portal = _portal(ctx)
    body = ctx.body
    if "slug" in body:
        _check_slug_free(ctx, body["slug"], portal["id"])
        portal["slug"] = body["slug"]
    if "customDomain" in body and (body["customDomain"] or None) != portal["customDomain"]:
        portal["customDomain"] = body["customDomain"] or None
        portal["customDomainStatus"] = "PENDING" if portal["customDomain"] else None
    for key in PLAIN_SETTINGS:
        if key in body:
            portal[key] = body[key]
    if "faviconUrl" in body:
        portal["faviconUrl"] = rules.https_url(body["faviconUrl"], "faviconUrl")
    if "homePageLink" in body and body["homePageLink"]:
        if not rules.safe_link(body["homePageLink"]):
            raise rules.bad("homePageLink: must be an http(s) or relative URL")
    if body.get("whiteLabel") and account(ctx)["plan"] != "ENTERPRISE":
        raise SandboxError(402, "payment_required",
                           "whiteLabel: removing the Deskwoot credit needs the Enterprise plan")
    if "whiteLabel" in body:
        portal["whiteLabel"] = body["whiteLabel"]
    if "enabledLocales" in body:
        portal["enabledLocales"] = rules.enabled_locales(body["enabledLocales"])
    if "themeTokens" in body:
        portal["themeTokens"] = rules.theme_tokens(body["themeTokens"])
    if "sectionOrder" in body:
        portal["sectionOrder"] = rules.section_order(body["sectionOrder"])
    if "customCss" in body:
        portal["customCss"] = rules.clean_css(body["customCss"])
    if "fontFamily" in body:
        portal["fontFamily"] = rules.font_family(body["fontFamily"])
    if "featuredArticleId" in body:
        portal["featuredArticleId"] = _featured(ctx, portal, body["featuredArticleId"])
    if "quickJumpItems" in body:
        portal["quickJumpItems"] = rules.links(body["quickJumpItems"])
    if "faqItems" in body:
        portal["faqItems"] = _faq(body["faqItems"])
    if "promoBanner" in body:
        portal["promoBanner"] = _promo(body["promoBanner"])
    if "customFooterColumns" in body:
        portal["customFooterColumns"] = _footer_columns(body["customFooterColumns"])
    _custom_html(ctx, portal, body)
    portal["updatedAt"] = now_iso(ctx)
    save(ctx, "portals", portal)
    return render.portal(ctx.store, ctx.tenant, portal)


# -- categories --------------------------------------------------------------------------------
def list_categories(ctx):
    portal = _portal(ctx)
    found = render.by_position(render.of_portal(ctx.store, ctx.tenant, "categories",
                                                portal["id"]))
    return [render.category(ctx.store, ctx.tenant, c) for c in found]


def create_category(ctx):
    portal = _portal(ctx)
    body = ctx.body
    siblings = render.of_portal(ctx.store, ctx.tenant, "categories", portal["id"])
    if any(c["slug"] == body["slug"] for c in siblings):
        raise conflict(f"slug: the portal already has a category {body['slug']}")
    record = save(ctx, "categories", records.category(
        mint(ctx, "categories"), portal["id"], name=body["name"], slug=body["slug"],
        position=max((c["position"] for c in siblings), default=-1) + 1,
        created_at=now_iso(ctx), description=body.get("description"),
        locale=body.get("locale", "en"), icon=rules.icon(body.get("icon", "book"))))
    return render.category(ctx.store, ctx.tenant, record), 201


# -- articles ----------------------------------------------------------------------------------
def list_articles(ctx):
    portal = _portal(ctx)
    q = ctx.query
    found = [a for a in render.of_portal(ctx.store, ctx.tenant, "articles", portal["id"])
             if (q.get("status") is None or a["status"] == q["status"])
             and (q.get("categoryId") is None or a["categoryId"] == q["categoryId"])]
    found.sort(key=lambda a: (a["createdAt"], a["id"]))
    return [render.article(a) for a in found]


def _slug(ctx, portal: dict, body: dict, own_id=None) -> str:
    taken = {a["slug"] for a in render.of_portal(ctx.store, ctx.tenant, "articles", portal["id"])
             if a["id"] != own_id}
    if body.get("slug"):
        if body["slug"] in taken:
            raise conflict(f"slug: the portal already has an article {body['slug']}")
        return body["slug"]
    return rules.unique_slug(rules.slugify(body["title"]), taken)


def create_article(ctx):
    portal = _portal(ctx)
    body = ctx.body
    category = _find(ctx, "categories", body["categoryId"], portal_id=portal["id"],
                     field="categoryId")
    record = records.article(
        mint(ctx, "articles"), portal["id"], category_id=category["id"], title=body["title"],
        slug=_slug(ctx, portal, body), content=body["content"], created_at=now_iso(ctx),
        status=rules.status(body.get("status", "DRAFT")),
        translations=rules.translations(body.get("translations"), partial=False) or {},
        **{k: body.get(k) or None for k in ("navTitle", "description", "metaTitle",
                                            "metaDescription")})
    save(ctx, "articles", record)
    return render.article(record), 201


def update_article(ctx):
    portal = _portal(ctx)
    record = _find(ctx, "articles", ctx.path_params["articleId"], portal_id=portal["id"])
    body = ctx.body
    if "categoryId" in body:
        record["categoryId"] = _find(ctx, "categories", body["categoryId"],
                                     portal_id=portal["id"], field="categoryId")["id"]
    if "title" in body:
        record["title"] = body["title"]
    if "slug" in body:
        record["slug"] = _slug(ctx, portal, body, record["id"])
    if "status" in body:
        record["status"] = rules.status(body["status"])
    for key in ("content", "navTitle", "description", "metaTitle", "metaDescription"):
        if key in body:
            record[key] = body[key] if key == "content" else (body[key] or None)
    if "translations" in body:
        record["translations"] = rules.merge_translations(
            record["translations"], rules.translations(body["translations"], partial=True))
    record["updatedAt"] = now_iso(ctx)
    save(ctx, "articles", record)
    if record["status"] != "PUBLISHED":
        _unfeature(ctx, portal, record["id"])
    return render.article(record)


def _unfeature(ctx, portal: dict, article_id: str) -> None:
    """A featured article that is unpublished or deleted stops being featured."""
    if portal["featuredArticleId"] == article_id:
        portal["featuredArticleId"] = None
        portal["updatedAt"] = now_iso(ctx)
        save(ctx, "portals", portal)


def delete_article(ctx):
    portal = _portal(ctx)
    record = _find(ctx, "articles", ctx.path_params["articleId"], portal_id=portal["id"])
    remove(ctx, "articles", record["id"])
    _unfeature(ctx, portal, record["id"])
    return no_content()
