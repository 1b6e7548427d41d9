"""The help center through HTTP: portals and every rule of their settings (locales, theme
tokens, section order, custom CSS, sanitised custom HTML behind an ACTIVE custom domain and the
Enterprise plan, white label, the footer line, the featured article, font and icon fallbacks),
categories by position, articles (slugs, status, translations merged field by field) and the
help_center scopes."""
from __future__ import annotations

import pytest

from .conftest import bearer, session

P = "/accounts/{acc}/portals"


def _portal(state, slug, account=None):
    return next(p for p in state("portals", account) if p["slug"] == slug)


@pytest.fixture
def help_(state):
    return _portal(state, "acme-help")


def test_list_portals_with_counts(dw, state):
    status, got = dw(P)
    assert status == 200
    by_slug = {p["slug"]: p for p in got}
    assert set(by_slug) == {p["slug"] for p in state("portals")} == {"acme-help",
                                                                      "acme-developers"}
    acme = by_slug["acme-help"]
    articles = [a for a in state("articles") if a["portalId"] == acme["id"]]
    categories = [c for c in state("categories") if c["portalId"] == acme["id"]]
    assert acme["articleCount"] == len(articles) > 0
    assert acme["categoryCount"] == len(categories) == 3
    assert acme["customDomainStatus"] == "ACTIVE" and acme["enabledLocales"] == ["en", "de", "fr"]
    assert by_slug["acme-developers"]["published"] is False


def test_create_portal_defaults_and_slug_conflicts(dw, creds, state):
    status, made = dw(P, method="POST", json={"name": "Docs", "slug": "acme-docs",
                                              "customDomain": "docs.acme.example.com"})
    assert status == 201
    assert (made["brandColor"], made["published"], made["enabledLocales"]) == \
        ("#2563EB", True, ["en"])
    assert made["customDomainStatus"] == "PENDING" and made["articleCount"] == 0
    assert _portal(state, "acme-docs")["id"] == made["id"]
    # the slug names the public URL: taken in any account is a 409
    assert dw(P, method="POST", json={"name": "x", "slug": "acme-docs"})[0] == 409
    biz = creds["BUSINESS"]
    status, answer = dw(P.replace("{acc}", biz["id"]), method="POST",
                        json={"name": "x", "slug": "acme-help"}, headers=session(biz))
    assert status == 409 and answer["error"].startswith("slug:")
    status, answer = dw(P, method="POST", json={"name": "x", "slug": "Not A Slug"})
    assert status == 400 and "slug" in answer["error"]
    status, answer = dw(P, method="POST", json={"slug": "no-name"})
    assert status == 400 and "name" in answer["error"]


def _patch(dw, portal, json, headers=None, acc="{acc}"):
    return dw(f"/accounts/{acc}/portals/{portal['id']}", method="PATCH", json=json,
              headers=headers)


def test_settings_are_stored_and_read_back(dw, help_, state):
    settings = {"pageTitle": "Help", "headerText": "Hi", "showChatWidget": True,
                "articleSidebar": True, "searchEnabled": False, "searchPlaceholder": "Search…",
                "heroAlignment": "left", "theme": "dark", "categoryCardLayout": True,
                "latestGuidesEnabled": True, "localeControlledExternally": True,
                "topPillLabel": "New", "topPillBg": "#000000", "customFooterEnabled": True,
                "faviconUrl": "https://acme.example.com/favicon.png", "homePageLink":
                "https://acme.example.com", "customFooterBottomText": "© Acme"}
    status, got = _patch(dw, help_, settings)
    assert status == 200 and {k: got[k] for k in settings} == settings
    stored = _portal(state, "acme-help")
    assert {k: stored[k] for k in settings} == settings
    status, got = _patch(dw, help_, {"faviconUrl": ""})
    assert status == 200 and got["faviconUrl"] is None


def test_enabled_locales_keep_english_and_drop_unknown_codes(dw, help_):
    status, got = _patch(dw, help_, {"enabledLocales": ["de", "xx", "zh-cn", "de", "pt-BR"]})
    assert status == 200 and got["enabledLocales"] == ["en", "de", "zh-CN", "pt-BR"]
    assert _patch(dw, help_, {"enabledLocales": []})[1]["enabledLocales"] == ["en"]
    assert _patch(dw, help_, {"enabledLocales": ["fr", "en"]})[1]["enabledLocales"] == ["fr", "en"]


def test_theme_tokens_keep_known_keys_with_hex_values(dw, help_):
    status, got = _patch(dw, help_, {"themeTokens": {"pageBg": "#FFF", "text": "red",
                                                     "surface": "#112233", "glow": "#000000"}})
    assert status == 200 and got["themeTokens"] == {"pageBg": "#FFF", "surface": "#112233"}
    assert _patch(dw, help_, {"themeTokens": None})[1]["themeTokens"] is None


def test_section_order_is_validated_against_its_keys(dw, help_, state):
    order = ["search", "categories", "featured", "latestGuides"]
    assert _patch(dw, help_, {"sectionOrder": order})[1]["sectionOrder"] == order
    before = _portal(state, "acme-help")
    status, answer = _patch(dw, help_, {"sectionOrder": ["search", "sidebar"]})
    assert status == 400 and "sectionOrder" in answer["error"]
    status, answer = _patch(dw, help_, {"sectionOrder": ["faq", "faq"], "name": "Changed"})
    assert status == 400 and "sectionOrder" in answer["error"]
    assert _portal(state, "acme-help") == before  # nothing half-applied


def test_custom_css_is_stripped_and_capped(dw, help_):
    css = ("@import url('https://evil.example.com/x.css');\n"
           ".hero { color: #111; background: url(https://cdn.example.com/bg.png); }\n"
           ".a { background: url(javascript:alert(1)); }\n"
           ".b { background-image: url(//tracker.example.com/p.gif); margin: 0 }\n"
           ".c { background: url(/local.png); }")
    status, got = _patch(dw, help_, {"customCss": css})
    assert status == 200
    kept = got["customCss"]
    for gone in ("@import", "evil.example.com", "cdn.example.com", "javascript:",
                 "tracker.example.com"):
        assert gone not in kept
    assert ".hero { color: #111;" in kept and "url(/local.png)" in kept and "margin: 0" in kept
    status, answer = _patch(dw, help_, {"customCss": "a{}" * 7000})
    assert status == 400 and "customCss" in answer["error"]
    assert _patch(dw, help_, {"customCss": "a{}" * 6666})[0] == 200
    assert _patch(dw, help_, {"customCss": None})[1]["customCss"] is None


DIRTY = ('<nav class="top" style="color: red; background: url(https://x.example.com/a.png)" '
         'onclick="steal()"><a href="javascript:alert(1)">bad</a>'
         '<a href="https://acme.example.com/pricing" class="link">Pricing</a>'
         '<script>alert(1)</script><style>body{display:none}</style>'
         '<iframe src="https://evil.example.com"></iframe><form action="/x"><input name="q">'
         '</form><img src="https://acme.example.com/logo.png" onerror="x()"></nav>')


@pytest.mark.parametrize("key", ["customHeaderHtml", "customFooterHtml"])
def test_custom_html_is_sanitised(dw, help_, state, key):
    status, got = _patch(dw, help_, {key: DIRTY})
    assert status == 200
    html = got[key]
    for gone in ("<script", "alert(1)", "<style", "display:none", "<iframe", "<form", "<input",
                 "onclick", "onerror", "javascript:", "x.example.com"):
        assert gone not in html, gone
    assert 'class="top"' in html and 'style="color: red;' in html and 'class="link"' in html
    assert 'href="https://acme.example.com/pricing"' in html and "<img" in html
    assert _portal(state, "acme-help")[key] == html
    assert _patch(dw, help_, {key: ""})[1][key] is None
    assert _patch(dw, help_, {key: None})[1][key] is None


@pytest.mark.parametrize("key", ["customHeaderHtml", "customFooterHtml"])
def test_custom_html_needs_an_active_custom_domain(dw, state, key):
    docs = _portal(state, "acme-developers")
    assert docs["customDomain"] is None
    status, answer = _patch(dw, docs, {key: "<p>hi</p>"})
    assert status == 409 and key in answer["error"] and "ACTIVE" in answer["error"]
    status, got = _patch(dw, docs, {"customDomain": "dev.acme.example.com"})
    assert status == 200 and got["customDomainStatus"] == "PENDING"
    assert _patch(dw, docs, {key: "<p>hi</p>"})[0] == 409
    assert _patch(dw, docs, {key: None})[0] == 200  # clearing needs no domain
    assert _portal(state, "acme-developers")[key] is None


def _business_portal(dw, creds, control, domain_status="ACTIVE"):
    biz = creds["BUSINESS"]
    status, made = dw(P.replace("{acc}", biz["id"]), method="POST", headers=session(biz),
                      json={"name": "Biz", "slug": "biz-help", "customDomain": "help.biz.example"})
    assert status == 201
    record = control.get(f"/state/deskwoot/{biz['id']}/portals")
    record = next(p for p in record if p["id"] == made["id"])
    record["customDomainStatus"] = domain_status
    control.put(f"/state/deskwoot/{biz['id']}/portals/{made['id']}", json=record)
    return biz, made


@pytest.mark.parametrize("key", ["customHeaderHtml", "customFooterHtml"])
def test_custom_html_needs_enterprise(dw, creds, control, key):
    biz, portal = _business_portal(dw, creds, control)
    status, answer = _patch(dw, portal, {key: "<p>hi</p>"}, headers=session(biz), acc=biz["id"])
    assert status == 402 and "Enterprise" in answer["error"] and key in answer["error"]
    assert _patch(dw, portal, {key: None}, headers=session(biz), acc=biz["id"])[0] == 200


def test_white_label_needs_enterprise(dw, creds, control, help_):
    biz, portal = _business_portal(dw, creds, control)
    status, answer = _patch(dw, portal, {"whiteLabel": True}, headers=session(biz),
                            acc=biz["id"])
    assert status == 402 and "whiteLabel" in answer["error"]
    assert _patch(dw, portal, {"whiteLabel": False}, headers=session(biz), acc=biz["id"])[0] \
        == 200
    assert _patch(dw, help_, {"whiteLabel": True})[1]["whiteLabel"] is True


def test_the_footer_line_is_at_most_500_characters(dw, help_):
    assert _patch(dw, help_, {"customFooterBottomText": "x" * 500})[0] == 200
    status, answer = _patch(dw, help_, {"customFooterBottomText": "x" * 501})
    assert status == 400 and "customFooterBottomText" in answer["error"]


def test_links_and_rich_text_are_sanitised(dw, help_):
    status, got = _patch(dw, help_, {
        "quickJumpItems": [{"label": "Pricing", "url": "https://acme.example.com/pricing"},
                           {"label": "<b>x</b>", "url": "javascript:alert(1)"}],
        "faqItems": [{"question": "Why?", "answer": "<b>Because</b><script>x()</script>"}],
        "promoBanner": {"headline": "Sale", "body": "<p onclick='x()'>Now</p>",
                        "ctaLabel": "Go", "ctaUrl": "javascript:void(0)"},
        "customFooterColumns": [{"title": "Company", "links": [
            {"label": "About", "url": "/about"}, {"label": "Bad", "url": "data:text/html,x"}]}]})
    assert status == 200
    assert got["quickJumpItems"] == [{"label": "Pricing",
                                      "url": "https://acme.example.com/pricing"}]
    assert got["faqItems"][0]["answer"] == "<b>Because</b>"
    assert got["promoBanner"]["body"] == "<p>Now</p>" and got["promoBanner"]["ctaUrl"] is None
    assert got["customFooterColumns"] == [{"title": "Company",
                                           "links": [{"label": "About", "url": "/about"}]}]
    status, answer = _patch(dw, help_, {"customFooterColumns": [{"title": "c"}] * 5})
    assert status == 400 and "customFooterColumns" in answer["error"]


def test_featured_article_must_be_a_published_article_of_the_portal(dw, help_, state):
    articles = [a for a in state("articles") if a["portalId"] == help_["id"]]
    draft = next(a for a in articles if a["status"] == "DRAFT")
    live = next(a for a in articles if a["status"] == "PUBLISHED")
    other = next(a for a in state("articles") if a["portalId"] != help_["id"])
    assert _patch(dw, help_, {"featuredArticleId": live["id"]})[1]["featuredArticleId"] \
        == live["id"]
    status, answer = _patch(dw, help_, {"featuredArticleId": draft["id"]})
    assert status == 400 and "featuredArticleId" in answer["error"]
    status, answer = _patch(dw, help_, {"featuredArticleId": other["id"]})
    assert status == 404 and answer["error"].startswith("featuredArticleId:")
    assert _patch(dw, help_, {"featuredArticleId": None})[1]["featuredArticleId"] is None
    # unpublishing the featured article stops featuring it
    _patch(dw, help_, {"featuredArticleId": live["id"]})
    path = f"/accounts/{{acc}}/portals/{help_['id']}/articles/{live['id']}"
    assert dw(path, method="PATCH", json={"status": "draft"})[0] == 200
    assert _portal(state, "acme-help")["featuredArticleId"] is None


def test_font_family_falls_back_to_the_system_font(dw, help_):
    assert _patch(dw, help_, {"fontFamily": "Poppins"})[1]["fontFamily"] == "Poppins"
    assert _patch(dw, help_, {"fontFamily": "Comic Sans MS"})[1]["fontFamily"] == ""


def test_unknown_portal_and_other_accounts_portals_are_404(dw, creds, state):
    biz = creds["BUSINESS"]
    theirs = _portal(state, "bright-help", biz)
    status, answer = _patch(dw, theirs, {"name": "x"})
    assert status == 404 and "Portal" in answer["error"]
    assert dw(f"{P}/cnothere000000000000000000/categories")[0] == 404


# -- categories ----------------------------------------------------------------------------------
def test_categories_by_position_and_icon_fallback(dw, help_, state):
    path = f"{P}/{help_['id']}/categories"
    status, got = dw(path)
    assert status == 200
    assert [c["position"] for c in got] == sorted(c["position"] for c in got)
    assert [c["slug"] for c in got] == ["getting-started", "billing", "troubleshooting"]
    assert got[0]["articleCount"] == 3
    status, made = dw(path, method="POST", json={"name": "Security", "slug": "security",
                                                 "icon": "unicorn", "locale": "de"})
    assert status == 201 and made["icon"] == "book" and made["position"] == 3
    assert made["locale"] == "de" and made["articleCount"] == 0
    assert dw(path)[1][-1]["id"] == made["id"]
    assert dw(path, method="POST", json={"name": "x", "slug": "security", "icon": "key"})[0] \
        == 409
    status, made = dw(path, method="POST", json={"name": "Keys", "slug": "keys", "icon": "key"})
    assert made["icon"] == "key"
    assert dw(path, method="POST", json={"name": "x", "slug": "y", "locale": "xx"})[0] == 400


# -- articles ------------------------------------------------------------------------------------
@pytest.fixture
def arts(help_, state):
    cat = next(c for c in state("categories") if c["portalId"] == help_["id"])
    return f"{P}/{help_['id']}/articles", cat


def test_list_articles_with_filters(dw, arts, help_, state):
    path, cat = arts
    mine = [a for a in state("articles") if a["portalId"] == help_["id"]]
    status, got = dw(path)
    assert status == 200 and {a["id"] for a in got} == {a["id"] for a in mine}
    _, got = dw(f"{path}?status=PUBLISHED")
    assert {a["id"] for a in got} == {a["id"] for a in mine if a["status"] == "PUBLISHED"}
    _, got = dw(f"{path}?categoryId={cat['id']}")
    assert got and all(a["categoryId"] == cat["id"] for a in got)


def test_create_article_slug_from_title_unique_per_portal(dw, arts, state):
    path, cat = arts
    body = {"title": "Reset your password", "content": "<p>x</p>", "categoryId": cat["id"]}
    status, made = dw(path, method="POST", json=body)
    assert status == 201
    assert made["slug"] == "reset-your-password-2" and made["status"] == "DRAFT"
    assert dw(path, method="POST", json=body)[1]["slug"] == "reset-your-password-3"
    status, made = dw(path, method="POST", json={**body, "title": "Ünïcode & Co — FAQ!"})
    assert made["slug"] == "unicode-co-faq"
    status, answer = dw(path, method="POST", json={**body, "slug": "reset-your-password"})
    assert status == 409 and answer["error"].startswith("slug:")
    stored = {a["id"]: a for a in state("articles")}
    assert stored[made["id"]]["slug"] == "unicode-co-faq"


def test_status_is_case_insensitive(dw, arts):
    path, cat = arts
    body = {"title": "T", "content": "c", "categoryId": cat["id"]}
    assert dw(path, method="POST", json={**body, "status": "published"})[1]["status"] \
        == "PUBLISHED"
    assert dw(path, method="POST", json={**body, "status": " Archived "})[1]["status"] \
        == "ARCHIVED"
    status, answer = dw(path, method="POST", json={**body, "status": "live"})
    assert status == 400 and "status" in answer["error"]


def test_create_article_refusals(dw, arts, state):
    path, cat = arts
    before = state("articles")
    status, answer = dw(path, method="POST", json={"title": "T", "content": "c"})
    assert status == 400 and "categoryId" in answer["error"]
    other = next(c for c in state("categories") if c["portalId"] != cat["portalId"])
    status, answer = dw(path, method="POST", json={"title": "T", "content": "c",
                                                   "categoryId": other["id"]})
    assert status == 404 and answer["error"].startswith("categoryId:")
    status, answer = dw(path, method="POST", json={
        "title": "T", "content": "c", "categoryId": cat["id"], "translations": {"de": 3}})
    assert status == 400 and "translations.de" in answer["error"]
    assert state("articles") == before


def test_translations_merge_field_by_field(dw, arts, state):
    path, cat = arts
    status, made = dw(path, method="POST", json={
        "title": "Exchanges", "content": "<p>en</p>", "categoryId": cat["id"],
        "translations": {"de": {"title": "Börsen", "content": "<p>de</p>", "navTitle": "B"},
                         "fr": {"title": "Bourses"}, "en": {"title": "ignored"},
                         "xx": {"title": "dropped"}, "ja": {"title": "取引所", "color": "red"}}})
    assert status == 201
    assert made["translations"] == {"de": {"title": "Börsen", "content": "<p>de</p>",
                                           "navTitle": "B"},
                                    "fr": {"title": "Bourses"}, "ja": {"title": "取引所"}}
    one = f"{path}/{made['id']}"
    status, got = dw(one, method="PATCH", json={"translations": {"de": {"navTitle": "LeveX"}}})
    assert status == 200
    assert got["translations"]["de"] == {"title": "Börsen", "content": "<p>de</p>",
                                         "navTitle": "LeveX"}
    assert got["translations"]["fr"] == {"title": "Bourses"}
    status, got = dw(one, method="PATCH", json={"translations": {"de": {"content": None},
                                                                  "fr": None, "zz": {}}})
    assert got["translations"] == {"de": {"title": "Börsen", "navTitle": "LeveX"},
                                   "ja": {"title": "取引所"}}
    stored = next(a for a in state("articles") if a["id"] == made["id"])
    assert stored["translations"] == got["translations"]
    status, got = dw(one, method="PATCH", json={"title": "Exchanges 2"})
    assert got["translations"]["ja"] == {"title": "取引所"} and got["title"] == "Exchanges 2"
    assert dw(one, method="PATCH", json={"translations": None})[1]["translations"] == {}


def test_update_and_delete_article(dw, arts, help_, state):
    path, cat = arts
    status, made = dw(path, method="POST", json={"title": "Guide", "content": "c",
                                                 "categoryId": cat["id"], "navTitle": "G"})
    one = f"{path}/{made['id']}"
    other_cat = next(c for c in state("categories") if c["portalId"] == help_["id"]
                     and c["id"] != cat["id"])
    status, got = dw(one, method="PATCH", json={"categoryId": other_cat["id"], "navTitle": "",
                                                "slug": "guide-v2", "metaTitle": "Guide!"})
    assert status == 200 and got["categoryId"] == other_cat["id"] and got["navTitle"] is None
    assert got["slug"] == "guide-v2" and got["metaTitle"] == "Guide!"
    assert dw(one, method="PATCH", json={"slug": "reset-your-password"})[0] == 409
    assert dw(one, method="PATCH", json={})[0] == 400
    assert dw(one, method="DELETE")[0] == 204
    assert made["id"] not in {a["id"] for a in state("articles")}
    assert dw(one, method="DELETE")[0] == 404
    assert dw(one, method="PATCH", json={"title": "x"})[0] == 404


# -- access ------------------------------------------------------------------------------------
def test_help_center_scopes(dw, ent, help_):
    docs = bearer(ent, ("help_center:read", "help_center:write"))
    assert dw(P, headers=docs)[0] == 200
    assert _patch(dw, help_, {"name": "Docs bot"}, headers=docs)[0] == 200
    for scopes in (("contacts:read",), ("conversations:read", "conversations:write")):
        status, answer = dw(P, headers=bearer(ent, scopes))
        assert status == 403 and "help_center:read" in answer["error"]
    reader = bearer(ent, ("read",))
    assert dw(P, headers=reader)[0] == 200
    status, answer = _patch(dw, help_, {"name": "x"}, headers=reader)
    assert status == 403 and "help_center:write" in answer["error"]
    assert dw(P, method="POST", json={"name": "x", "slug": "x"}, headers=reader)[0] == 403
    assert dw(P, headers={})[0] == 401


def test_a_session_and_an_agent_may_manage_the_help_center(dw, ent, help_):
    assert dw(P, headers=session(ent))[0] == 200
    assert _patch(dw, help_, {"name": "By agent"}, headers=session(ent, "AGENT"))[0] == 200


def test_a_gated_change_changes_nothing(dw, state):
    docs = _portal(state, "acme-developers")
    status, _ = _patch(dw, docs, {"name": "Renamed", "customHeaderHtml": "<p>x</p>",
                                  "enabledLocales": ["de"]})
    assert status == 409
    assert _portal(state, "acme-developers") == docs


def test_a_new_portal_end_to_end(dw, client):
    status, portal = dw(P, method="POST", json={"name": "Shop Help", "slug": "shop-help"})
    assert status == 201
    base = f"{P}/{portal['id']}"
    status, cat = dw(f"{base}/categories", method="POST",
                     json={"name": "Orders", "slug": "orders", "icon": "wallet"})
    assert status == 201 and cat["position"] == 0
    status, art = dw(f"{base}/articles", method="POST",
                     json={"title": "Where is my order?", "content": "<p>Track it.</p>",
                           "categoryId": cat["id"]})
    assert status == 201 and art["slug"] == "where-is-my-order"
    public = "/public/portals/shop-help"
    assert dw(f"{public}/articles/{art['slug']}", headers={})[0] == 404  # a draft
    assert dw(f"{base}/articles/{art['id']}", method="PATCH", json={"status": "Published"})[0] \
        == 200
    status, got = dw(f"{public}/articles/{art['slug']}", headers={})
    assert status == 200 and got["title"] == "Where is my order?"
    assert _patch(dw, portal, {"featuredArticleId": art["id"]})[0] == 200
    status, info = dw(public, headers={})
    assert info["featuredArticleId"] == art["id"] and info["categories"][0]["articleCount"] == 1
    status, listed = dw(P)
    mine = next(p for p in listed if p["id"] == portal["id"])
    assert (mine["articleCount"], mine["categoryCount"]) == (1, 1)


def test_the_state_view_checks_help_center_records(client, ent):
    bad = {"id": "c" + "1" * 24, "portalId": "c" + "2" * 24, "name": "x", "slug": "x",
           "position": -1, "createdAt": "2025-01-01T00:00:00Z"}
    r = client.post(f"/__sandbox/state/deskwoot/{ent['id']}/categories", json=bad)
    assert r.status_code == 400 and "position" in r.get_data(as_text=True)
