"""Seed builders for the help center: the portals of seed_data/deskwoot.yaml's `portals`, each
with its categories (in position order) and articles with their translations. Ids come from a
stream of their own, so the rest of the seed is unchanged by them."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from mockserver.core.clock import iso_z

from . import help_center_rules as rules
from . import records_help_center as records
from .ids import V, cuid


def account_ids(doc: dict, rng) -> dict[str, str]:
    """Each account's id by name: the first id of its account's stream (factories._account)."""
    return {acc["name"]: cuid(rng.stream(V, "ids", index))
            for index, acc in enumerate(doc.get("accounts", []))}


def build_seed(doc: dict, rng, anchor: datetime) -> Iterator[tuple[str, str, object, dict]]:
    tenants = account_ids(doc, rng)
    for index, spec in enumerate(doc.get("portals") or []):
        yield from _portal(index, spec, tenants[spec["account"]], rng, anchor)


def _portal(index: int, spec: dict, tenant: str, rng, now: datetime):
    ids = rng.stream(V, "help-center", index)
    step = [0]

    def at(days: float) -> str:
        return iso_z(now - timedelta(days=days))

    settings = dict(spec.get("settings") or {})
    if "enabledLocales" in settings:
        settings["enabledLocales"] = rules.enabled_locales(settings["enabledLocales"])
    portal = records.portal(cuid(ids), tenant, name=spec["name"], slug=spec["slug"],
                            created_at=at(200), custom_domain=spec.get("customDomain"),
                            custom_domain_status=spec.get("customDomainStatus", "PENDING"),
                            **settings)
    rows = []
    for position, cat in enumerate(spec.get("categories") or []):
        category = records.category(cuid(ids), portal["id"], name=cat["name"], slug=cat["slug"],
                                    position=position, created_at=at(190 - position),
                                    description=cat.get("description"),
                                    icon=rules.icon(cat.get("icon", "book")))
        rows.append(("categories", category))
        for art in cat.get("articles") or []:
            step[0] += 1
            article = records.article(
                cuid(ids), portal["id"], category_id=category["id"], title=art["title"],
                slug=art["slug"], content=art["content"], created_at=at(180 - 7 * step[0]),
                status=art.get("status", "DRAFT"),
                translations=rules.translations(art.get("translations") or {}, partial=False),
                **{k: art.get(k) for k in ("navTitle", "description", "metaTitle",
                                            "metaDescription")})
            rows.append(("articles", article))
            if art["slug"] == spec.get("featured"):
                portal["featuredArticleId"] = article["id"]
    yield tenant, "portals", portal["id"], portal
    for collection, record in rows:
        yield tenant, collection, record["id"], record
