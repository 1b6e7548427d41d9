"""The help center's rules on saved input (page "Help Center (Portals)"): supported languages,
theme tokens, custom CSS and HTML made safe on save, slugs, article translations merged field by
field, and the visitor's language (?locale=, then Accept-Language with q-values, then English).

HTML is cleaned by nh3 (the ammonia sanitiser): no script, style, iframe, form or event
handlers, no javascript: URLs; `class` and `style` survive (a style attribute's CSS goes
through the same filter as customCss).
"""
from __future__ import annotations

import re
import unicodedata

import nh3

from mockserver.core.errors import SandboxError

from .records_help_center import ARTICLE_TEXT

LOCALES = ("en", "ar", "de", "es", "fr", "hi", "id", "ja", "ko", "mn", "pt-BR", "ru", "tr",
           "uz", "zh-CN", "zh-TW")
_BY_FOLD = {code.casefold(): code for code in LOCALES}
THEME_TOKENS = ("pageBg", "surface", "border", "text", "muted", "heading")
HEX = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$")
FONTS = ("", "Inter", "Roboto", "Open Sans", "Lato", "Poppins", "Montserrat", "Nunito",
         "Source Sans 3", "Plus Jakarta Sans")
ICONS = ("book", "rocket", "sparkles", "gear", "chat", "shield", "wallet", "credit-card", "chart",
         "key", "lifebuoy", "globe", "bolt", "document")
STATUSES = ("DRAFT", "PUBLISHED", "ARCHIVED")
MAX_HTML = 20000


def bad(message: str) -> SandboxError:
    return SandboxError(400, "validation_error", message)


# -- languages ---------------------------------------------------------------------------------
def locale_code(value) -> str | None:
    """The supported code a tag names (case and `_` forgiven: `zh_cn` is zh-CN), else None."""
    if not isinstance(value, str):
        return None
    return _BY_FOLD.get(value.strip().replace("_", "-").casefold())


def enabled_locales(values: list) -> list[str]:
    """Unknown codes dropped, duplicates once, English always kept (first when it was not
    sent)."""
    out = []
    for value in values:
        code = locale_code(value)
        if code and code not in out:
            out.append(code)
    return out if "en" in out else ["en", *out]


def _tag_matches(tag: str, offered: list[str]) -> str | None:
    exact = locale_code(tag)
    if exact in offered:
        return exact
    primary = tag.split("-")[0].casefold()
    return next((c for c in offered if c.split("-")[0].casefold() == primary), None)


def accept_language(header: str | None) -> list[str]:
    """The tags of an Accept-Language header, best first by q-value (ties keep their order);
    q=0 and `*` are left out."""
    weighted = []
    for n, part in enumerate((header or "").split(",")):
        tag, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if tag and tag != "*" and q > 0:
            weighted.append((-q, n, tag))
    return [tag for _, _, tag in sorted(weighted)]


def visitor_locale(query_locale: str | None, header: str | None, offered: list[str]) -> str:
    """?locale= when the portal offers it, then the best Accept-Language tag it offers (a
    language without its region matches a regional code: `pt` → pt-BR), then English."""
    if query_locale:
        code = _tag_matches(query_locale, offered)
        if code:
            return code
    for tag in accept_language(header):
        code = _tag_matches(tag, offered)
        if code:
            return code
    return "en"


# -- theme and layout ----------------------------------------------------------------------------
def theme_tokens(value) -> dict | None:
    if value is None:
        return None
    kept = {k: v for k, v in value.items() if k in THEME_TOKENS and isinstance(v, str)
            and HEX.fullmatch(v)}
    return kept or None


def section_order(values: list) -> list[str]:
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        raise bad(f"sectionOrder: {seen[0]} is listed twice")
    return list(values)


def font_family(value) -> str:
    return value if value in FONTS else ""


def icon(value) -> str:
    return value if value in ICONS else "book"


def status(value: str, field: str = "status") -> str:
    wanted = value.strip().upper()
    if wanted not in STATUSES:
        raise bad(f"{field}: must be one of DRAFT, PUBLISHED or ARCHIVED (got {value!r})")
    return wanted


def https_url(value, field: str) -> str | None:
    if value in (None, ""):
        return None
    if not re.match(r"^https://[^\s/]+", value):
        raise bad(f"{field}: must be an absolute https URL")
    return value


# -- CSS and HTML -----------------------------------------------------------------------------
_IMPORT = re.compile(r"@import\b[^;]*;?", re.I)
_DECL_WITH_BAD_URL = re.compile(
    r"[^;{}]*url\(\s*['\"]?\s*(?:javascript:|vbscript:|https?:|//)[^)]*\)[^;{}]*;?", re.I)
_JS = re.compile(r"(?:java|vb)script\s*:", re.I)
_EXPRESSION = re.compile(r"expression\s*\(", re.I)


def clean_css(css: str | None) -> str | None:
    """@import rules, declarations that fetch an outside resource or a javascript: URL
    (`url(https://…)`, `url(//…)`, `url(javascript:…)`) and any other javascript: are removed;
    `url(data:…)` and relative URLs stay."""
    if css is None:
        return None
    out = _IMPORT.sub("", css)
    out = _DECL_WITH_BAD_URL.sub("", out)
    out = _EXPRESSION.sub("", _JS.sub("", out))
    return out.strip() or None


def _style_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return clean_css(value.replace("\n", " "))
    return value


_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = _ATTRIBUTES.get("*", set()) | {"class", "style", "id", "title", "role",
                                                  "aria-label"}
_TAGS = set(nh3.ALLOWED_TAGS) - {"script", "style", "iframe", "form", "input", "button",
                                  "select", "textarea", "object", "embed"}
_RICH_TAGS = {"a", "b", "strong", "i", "em", "u", "p", "br", "ul", "ol", "li", "code",
              "details", "summary"}


def clean_html(html: str | None) -> str | None:
    """Header/footer HTML: nh3 with class and style kept; empty after cleaning is null."""
    if html is None:
        return None
    out = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, attribute_filter=_style_filter,
                    link_rel="noopener noreferrer").strip()
    return out or None


def rich_text(html) -> str:
    """The curated allow-list of FAQ answers and promo banner bodies."""
    return nh3.clean(html or "", tags=_RICH_TAGS, attributes={"a": {"href", "title"}},
                     link_rel="noopener noreferrer")


def plain(text) -> str:
    return nh3.clean(text or "", tags=set())


def safe_link(url) -> str | None:
    """http(s), mailto and relative links; anything else (javascript:, data:) is dropped."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if re.match(r"^(?:https?://|mailto:|/|#)", url, re.I) and not _JS.search(url):
        return url
    return None


def links(items, *, label: str = "label") -> list[dict] | None:
    if items is None:
        return None
    out = []
    for item in items:
        url = safe_link(item.get("url"))
        if url:
            out.append({label: plain(item.get(label)), "url": url})
    return out


# -- slugs -------------------------------------------------------------------------------------
def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "article"


def unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# -- translations -------------------------------------------------------------------------------
def translations(value, *, partial: bool) -> dict | None:
    """The translations object checked: English and unknown codes dropped, unknown fields
    dropped, every field a string (or null on PATCH: that field is removed); a whole language
    may be null on PATCH (that language is removed). None for `"translations": null`."""
    if value is None:
        return None
    out: dict = {}
    for raw, fields in value.items():
        code = locale_code(raw)
        if code is None or code == "en":
            continue
        where = f"translations.{raw}"
        if fields is None:
            if partial:
                out[code] = None
            continue
        if not isinstance(fields, dict):
            raise bad(f"{where}: must be an object of {', '.join(ARTICLE_TEXT)}")
        kept = {}
        for key in ARTICLE_TEXT:
            if key not in fields:
                continue
            if fields[key] is None and partial:
                kept[key] = None
            elif isinstance(fields[key], str):
                kept[key] = fields[key]
            elif fields[key] is not None:
                raise bad(f"{where}.{key}: must be a string")
        out[code] = kept
    return out


def merge_translations(stored: dict, patch: dict | None) -> dict:
    if patch is None:
        return {}
    merged = {lang: dict(fields) for lang, fields in stored.items()}
    for lang, fields in patch.items():
        if fields is None:
            merged.pop(lang, None)
            continue
        current = merged.setdefault(lang, {})
        for key, value in fields.items():
            if value is None:
                current.pop(key, None)
            else:
                current[key] = value
    return {lang: fields for lang, fields in merged.items() if fields}


def localized(article: dict, locale: str) -> dict:
    """The article's text in `locale`, field by field: a translated field when it is non-empty,
    else English; navTitle falls back to the (localized) title."""
    overlay = article["translations"].get(locale, {}) if locale != "en" else {}
    text = {k: overlay.get(k) or article.get(k) for k in ARTICLE_TEXT}
    text["navTitle"] = overlay.get("navTitle") or article.get("navTitle") or text["title"]
    return text
