"""The public portal API through HTTP, with no credential: a published portal with its
categories and article counts, published articles only (search, categoryId, page and limit),
one article by slug, and the visitor's language (?locale=, then Accept-Language with q-values,
then English, field by field)."""
from __future__ import annotations

import pytest

PUB = "/public/portals"


@pytest.fixture
def pub(dw):
    def call(path, headers=None, **kw):
        return dw(PUB + path, headers=headers or {}, **kw)
    return call


def _portal(state, slug, account=None):
    return next(p for p in state("portals", account) if p["slug"] == slug)


def test_portal_info_with_categories_and_counts(pub, state):
    portal = _portal(state, "acme-help")
    status, got = pub("/acme-help")
    assert status == 200
    assert (got["name"], got["pageTitle"], got["slug"]) == \
        ("Acme Help Center", "How can we help?", "acme-help")
    live = [a for a in state("articles") if a["portalId"] == portal["id"]
            and a["status"] == "PUBLISHED"]
    assert [c["slug"] for c in got["categories"]] == ["getting-started", "billing",
                                                      "troubleshooting"]
    counts = {c["id"]: c["articleCount"] for c in got["categories"]}
    assert counts == {cid: sum(1 for a in live if a["categoryId"] == cid) for cid in counts}
    assert got["articleCount"] == len(live) and "accountId" not in got


def test_an_unknown_or_unpublished_portal_is_404(pub, dw, state):
    assert pub("/nowhere")[0] == 404
    for path in ("/acme-developers", "/acme-developers/articles",
                 "/acme-developers/articles/authentication"):
        status, answer = pub(path)
        assert status == 404 and "Portal" in answer["error"], path
    portal = _portal(state, "acme-help")
    assert dw(f"/accounts/{{acc}}/portals/{portal['id']}", method="PATCH",
              json={"published": False})[0] == 200
    assert pub("/acme-help")[0] == 404
    assert pub("/acme-help/articles/reset-your-password")[0] == 404
    dw(f"/accounts/{{acc}}/portals/{portal['id']}", method="PATCH", json={"published": True})
    assert pub("/acme-help")[0] == 200


def test_only_published_articles_are_listed(pub, state):
    portal = _portal(state, "acme-help")
    mine = [a for a in state("articles") if a["portalId"] == portal["id"]]
    status, got = pub("/acme-help/articles")
    assert status == 200 and (got["page"], got["limit"]) == (1, 20)
    assert {a["id"] for a in got["articles"]} == {a["id"] for a in mine
                                                   if a["status"] == "PUBLISHED"}
    assert got["total"] == len(got["articles"]) < len(mine)
    assert pub("/acme-help/articles/invite-your-team")[0] == 404  # a draft
    assert pub("/acme-help/articles/old-pricing-2023")[0] == 404  # archived


def test_search_in_title_and_content_and_category(pub, state):
    _, got = pub("/acme-help/articles?search=INVOICE")
    assert [a["slug"] for a in got["articles"]] == ["download-an-invoice"]
    _, got = pub("/acme-help/articles?search=browser cache")  # in the content only
    assert [a["slug"] for a in got["articles"]] == ["the-app-does-not-load"]
    _, got = pub("/acme-help/articles?search=nothing-like-this")
    assert got == {"articles": [], "total": 0, "page": 1, "limit": 20}
    billing = next(c for c in state("categories") if c["slug"] == "billing")
    _, got = pub(f"/acme-help/articles?categoryId={billing['id']}")
    assert {a["slug"] for a in got["articles"]} == {"download-an-invoice", "change-your-plan"}


def test_pages_and_limit(pub, dw, state):
    portal = _portal(state, "acme-help")
    cat = next(c for c in state("categories") if c["portalId"] == portal["id"])
    for n in range(55):
        assert dw(f"/accounts/{{acc}}/portals/{portal['id']}/articles", method="POST",
                  json={"title": f"Guide {n}", "content": "c", "categoryId": cat["id"],
                        "status": "PUBLISHED"})[0] == 201
    _, first = pub("/acme-help/articles")
    total = first["total"]
    assert len(first["articles"]) == 20 and total >= 60
    _, big = pub("/acme-help/articles?limit=50&page=2")
    assert big["limit"] == 50 and len(big["articles"]) == total - 50
    _, again = pub("/acme-help/articles?limit=50")
    assert not {a["id"] for a in again["articles"]} & {a["id"] for a in big["articles"]}
    status, answer = pub("/acme-help/articles?limit=51")
    assert status == 400 and "limit" in answer["error"]
    assert pub("/acme-help/articles?limit=0")[0] == 400


def test_article_by_slug_in_english_by_default(pub):
    status, got = pub("/acme-help/articles/reset-your-password")
    assert status == 200 and got["locale"] == "en"
    assert (got["title"], got["navTitle"], got["metaTitle"]) == \
        ("Reset your password", "Password reset", "Reset your Acme password")
    assert pub("/acme-help/articles/no-such-article")[0] == 404


def test_locale_query_then_field_by_field_english(pub):
    _, got = pub("/acme-help/articles/reset-your-password?locale=de")
    assert got["locale"] == "de" and got["title"] == "Passwort zurücksetzen"
    assert got["navTitle"] == "Passwort" and "Passwort vergessen" in got["content"]
    assert got["metaTitle"] == "Reset your Acme password"  # not translated: English
    _, got = pub("/acme-help/articles/create-your-account?locale=fr")
    assert got["title"] == "Créer votre compte" and got["content"].startswith("<p>Sign up")
    assert got["navTitle"] == "Créer votre compte"  # navTitle falls back to the title
    # ja is not offered by the portal, es is unknown to it: English
    assert pub("/acme-help/articles/create-your-account?locale=ja")[1]["locale"] == "en"


def test_accept_language_with_q_values(pub):
    path = "/acme-help/articles/create-your-account"
    got = pub(path, headers={"Accept-Language": "ja;q=1, fr;q=0.5, de-DE;q=0.8"})[1]
    assert got["title"] == "Konto erstellen" and got["locale"] == "de"
    got = pub(path, headers={"Accept-Language": "de;q=0, fr-CA"})[1]
    assert got["title"] == "Créer votre compte"
    got = pub(path, headers={"Accept-Language": "ko, *;q=0.5"})[1]
    assert got["title"] == "Create your account" and got["locale"] == "en"
    # ?locale= wins over the header
    got = pub(path + "?locale=fr", headers={"Accept-Language": "de"})[1]
    assert got["title"] == "Créer votre compte"


def test_the_list_and_portal_in_the_visitors_language(pub):
    _, got = pub("/acme-help/articles?locale=de")
    titles = {a["slug"]: a["title"] for a in got["articles"]}
    assert titles["create-your-account"] == "Konto erstellen"
    assert titles["change-your-plan"] == "Change your plan"
    _, got = pub("/acme-help/articles?search=konto", headers={"Accept-Language": "de"})
    assert [a["slug"] for a in got["articles"]] == ["create-your-account"]
    assert pub("/acme-help", headers={"Accept-Language": "fr"})[1]["locale"] == "fr"


def test_translations_saved_through_the_api_are_served(pub, dw, state):
    portal = _portal(state, "acme-help")
    art = next(a for a in state("articles") if a["slug"] == "change-your-plan")
    status, _ = dw(f"/accounts/{{acc}}/portals/{portal['id']}/articles/{art['id']}",
                   method="PATCH", json={"translations": {"de": {"title": "Tarif wechseln"}}})
    assert status == 200
    got = pub("/acme-help/articles/change-your-plan?locale=de")[1]
    assert got["title"] == "Tarif wechseln" and got["content"] == art["content"]


def test_needs_no_credential_and_ignores_a_bad_one(pub):
    assert pub("/bright-help")[0] == 200
    assert pub("/bright-help", headers={"Authorization": "Bearer nope"})[0] == 200
    got = pub("/bright-help/articles/track-your-order", headers={"Accept-Language": "es-MX"})[1]
    assert got["title"] == "Rastrea tu pedido"
