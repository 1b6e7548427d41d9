"""The help center's stored records in marshmallow (what the control API's state view accepts)
and its renderings: the account's view of portals, categories and articles, and the public
portal's (published only, in the visitor's language)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from . import help_center_rules as rules
from .ids import CUID, V
from .records_help_center import PORTAL_SETTINGS


def _id(**kw):
    return fields.String(validate=validate.Regexp(CUID), **kw)


def _date(**kw):
    return fields.String(validate=validate.Regexp(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"),
                         **kw)


def _opt():
    return fields.String(allow_none=True, load_default=None)


class _Record(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class PortalRecord(_Record):
    id = _id(required=True)
    accountId = _id(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    customDomain = _opt()
    customDomainStatus = fields.String(allow_none=True, load_default=None,
                                       validate=validate.OneOf(("PENDING", "ACTIVE", "FAILED")))
    createdAt = _date(required=True)
    updatedAt = _date(required=True)


for _key, _default in PORTAL_SETTINGS.items():  # every setting: any JSON value, the default
    PortalRecord._declared_fields[_key] = fields.Raw(
        allow_none=True, load_default=list(_default) if isinstance(_default, list) else _default)


class CategoryRecord(_Record):
    id = _id(required=True)
    portalId = _id(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    description = _opt()
    locale = fields.String(load_default="en", validate=validate.OneOf(rules.LOCALES))
    icon = fields.String(load_default="book", validate=validate.OneOf(rules.ICONS))
    position = fields.Integer(strict=True, required=True, validate=validate.Range(min=0))
    createdAt = _date(required=True)


class ArticleRecord(_Record):
    id = _id(required=True)
    portalId = _id(required=True)
    categoryId = _id(required=True)
    title = fields.String(required=True)
    slug = fields.String(required=True)
    content = fields.String(required=True)
    status = fields.String(load_default="DRAFT", validate=validate.OneOf(rules.STATUSES))
    navTitle = _opt()
    description = _opt()
    metaTitle = _opt()
    metaDescription = _opt()
    translations = fields.Dict(keys=fields.String(validate=validate.OneOf(rules.LOCALES)),
                               values=fields.Dict(keys=fields.String(), values=fields.String()),
                               load_default=dict)
    createdAt = _date(required=True)
    updatedAt = _date(required=True)


RECORD_SCHEMAS = {"portals": PortalRecord, "categories": CategoryRecord,
                  "articles": ArticleRecord}


# -- renderings ----------------------------------------------------------------------------------
def of_portal(store, tenant: str, collection: str, portal_id: str) -> list[dict]:
    return [r for r in store.all(V, tenant, collection) if r["portalId"] == portal_id]


def by_position(categories: list[dict]) -> list[dict]:
    return sorted(categories, key=lambda c: (c["position"], c["createdAt"], c["id"]))


def portal(store, tenant: str, record: dict) -> dict:
    out = dict(record)
    out["articleCount"] = len(of_portal(store, tenant, "articles", record["id"]))
    out["categoryCount"] = len(of_portal(store, tenant, "categories", record["id"]))
    return out


def category(store, tenant: str, record: dict) -> dict:
    out = dict(record)
    out["articleCount"] = sum(1 for a in of_portal(store, tenant, "articles", record["portalId"])
                              if a["categoryId"] == record["id"])
    return out


def article(record: dict) -> dict:
    return {**record, "translations": {k: dict(v) for k, v in record["translations"].items()}}


PRIVATE = ("accountId", "customDomainStatus", "createdAt", "updatedAt", "published")


def public_portal(portal_record: dict, categories: list[dict], articles: list[dict],
                  locale: str) -> dict:
    out = {k: v for k, v in portal_record.items() if k not in PRIVATE}
    out["pageTitle"] = portal_record["pageTitle"] or portal_record["name"]
    out["locale"] = locale
    published = [a for a in articles if a["status"] == "PUBLISHED"]
    out["categories"] = [
        {"id": c["id"], "name": c["name"], "slug": c["slug"], "description": c["description"],
         "icon": c["icon"], "position": c["position"],
         "articleCount": sum(1 for a in published if a["categoryId"] == c["id"])}
        for c in by_position(categories)]
    out["articleCount"] = len(published)
    return out


def public_article(record: dict, locale: str) -> dict:
    text = rules.localized(record, locale)
    served = locale if locale in record["translations"] or locale == "en" else "en"
    return {"id": record["id"], "slug": record["slug"], "categoryId": record["categoryId"],
            **text, "locale": served, "updatedAt": record["updatedAt"]}
