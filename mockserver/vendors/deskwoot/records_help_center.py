"""Deskwoot's help-center record shapes (portals, categories, articles), each built in exactly
one place: the seed and the views both call these. Settings a portal is created without take
the page's defaults."""
from __future__ import annotations

from typing import Any

# Every portal setting of the page ("Update portal settings") and its default.
PORTAL_SETTINGS: dict[str, Any] = {
    "pageTitle": None, "headerText": None, "brandColor": "#2563EB", "faviconUrl": None,
    "showChatWidget": False, "articleSidebar": False, "homePageLink": None,
    "topPillLabel": None, "topPillBg": None, "topPillText": None, "searchEnabled": True,
    "searchPlaceholder": None, "quickJumpEnabled": False, "quickJumpItems": None,
    "faqEnabled": False, "faqItems": None, "promoBannerEnabled": False, "promoBanner": None,
    "enabledLocales": ["en"], "localeControlledExternally": False, "categoryCardLayout": False,
    "featuredArticleId": None, "fontFamily": "", "latestGuidesEnabled": False,
    "heroAlignment": "center", "theme": "light", "themeTokens": None, "sectionOrder": None,
    "customCss": None, "whiteLabel": False, "customFooterEnabled": False,
    "customFooterColumns": None, "customFooterBottomText": None, "customFooterHtml": None,
    "customHeaderHtml": None, "published": True,
}

ARTICLE_TEXT = ("title", "navTitle", "content", "description", "metaTitle", "metaDescription")


def portal(id: str, account_id: str, *, name: str, slug: str, created_at: str,
           custom_domain: str | None = None, custom_domain_status: str | None = None,
           **settings: Any) -> dict:
    record = {"id": id, "accountId": account_id, "name": name, "slug": slug,
              "customDomain": custom_domain,
              "customDomainStatus": custom_domain_status if custom_domain else None}
    for key, default in PORTAL_SETTINGS.items():
        value = settings.get(key, default)
        record[key] = list(value) if isinstance(value, list) else value
    record.update({"createdAt": created_at, "updatedAt": created_at})
    return record


def category(id: str, portal_id: str, *, name: str, slug: str, position: int, created_at: str,
             description: str | None = None, locale: str = "en", icon: str = "book") -> dict:
    return {"id": id, "portalId": portal_id, "name": name, "slug": slug,
            "description": description, "locale": locale, "icon": icon, "position": position,
            "createdAt": created_at}


def article(id: str, portal_id: str, *, category_id: str, title: str, slug: str, content: str,
            created_at: str, status: str = "DRAFT", translations: dict | None = None,
            **text: Any) -> dict:
    record = {"id": id, "portalId": portal_id, "categoryId": category_id, "title": title,
              "slug": slug, "content": content, "status": status}
    record.update({k: text.get(k) for k in ARTICLE_TEXT if k not in record})
    record.update({"translations": {lang: dict(fields)
                                    for lang, fields in (translations or {}).items()},
                   "createdAt": created_at, "updatedAt": created_at})
    return record
