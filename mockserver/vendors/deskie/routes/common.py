"""Helpers the Deskie views share: paging, search operators, uploads, the checks of an
assignee and a group, and the find-change-save, flag and delete patterns of the write views.

Section references are to shared/vendor-notes/deskie.md unless a vendor page is named."""
from __future__ import annotations

import mimetypes
from operator import itemgetter

from mockserver.core.errors import SandboxError
from mockserver.core.pagination import envelope, paginate
from mockserver.core.search import caret_matcher

from .. import models
from ..models import V, find, now_ts, save, zone

MAX_FILE, MAX_REQUEST = 25 * 1024 * 1024, 50 * 1024 * 1024  # §1: 25 MB per file, 50 MB total
EMPTY: list = []  # §4.6 / §7.2: deletions answer an empty body, sent as []


def page_envelope(ctx, rows: list, item_key: str | None):
    """§1.2–1.3: keyed envelope of one page; page/limit already validated (limit 1–100)."""
    page = paginate(rows, ctx.query.get("page", 1), ctx.query.get("limit", 100))
    return envelope(ctx.operation.pagination, page, list(page.items), item_key)


def all_of(ctx, collection: str) -> list[dict]:
    return ctx.store.all(V, ctx.tenant, collection)


def sorted_by(ctx, collection: str, key: str) -> list[dict]:
    return sorted(all_of(ctx, collection), key=itemgetter(key))


def search_matcher(ctx, name: str, raw: str):
    """§1 search: `^x^`, `^x`, `x^`, contains; the documented minimum counts the text only."""
    minimum = _min_length(ctx, name)
    try:
        return caret_matcher(raw, minimum)
    except ValueError as exc:
        raise SandboxError(400, "validation_error", f"{name}: {exc}") from None


def _min_length(ctx, name: str) -> int:
    for param in ctx.operation.spec.get("parameters", []):
        if param.get("name") == name:
            schema = param.get("schema", {})
            schema = schema.get("items", schema)
            return int(schema.get("minLength", 0))
    return 0


def any_matches(matchers, value) -> bool:
    return any(m(value) for m in matchers)


def uploaded_files(ctx, root: str) -> list[tuple]:
    """Multipart files (`case[attachments][1]`): 25 MB each, 50 MB per request (§1), as
    (file_name, size, mime) once checked; JSON `attachment_urls` become files of size 0."""
    out, total = [], 0
    files = ctx.uploads.items(multi=True) if ctx.uploads is not None else []
    for name, storage in files:
        if not name.startswith(f"{root}[attachments]"):
            continue
        storage.stream.seek(0, 2)
        size = storage.stream.tell()
        total += size
        if size > MAX_FILE:
            raise SandboxError(400, "attachment_too_large",
                               f"{storage.filename} is larger than 25 MB")
        if total > MAX_REQUEST:
            raise SandboxError(400, "attachment_too_large",
                               "the attachments of one request exceed 50 MB")
        out.append((storage.filename or "file", size, storage.mimetype or
                    "application/octet-stream"))
    body = (ctx.body or {}).get(root) or {}
    for url in body.get("attachment_urls") or []:
        file_name = url.rstrip("/").rsplit("/", 1)[-1] or "file"
        out.append((file_name, 0,
                    mimetypes.guess_type(file_name)[0] or "application/octet-stream"))
    return out


def check_active_agent(ctx, staff_id: int) -> dict:
    """The agent a body names (an assignee, a reply's author) must exist and be active."""
    agent = ctx.store.get(V, ctx.tenant, "staff", staff_id)
    if agent is None:
        raise SandboxError(400, "staff_not_found", f"agent {staff_id} does not exist")
    if not agent["active"]:
        raise SandboxError(400, "staff_not_active", f"agent {staff_id} is deactivated")
    return agent


def check_assignee(ctx, staff_id: int, group_id: int) -> None:
    """§4.5: the assignee must be an active agent who can work in the case's group."""
    if not staff_id:
        return
    agent = check_active_agent(ctx, staff_id)
    if agent["access"] != "full" and group_id not in agent.get("groups", []):
        raise SandboxError(400, "staff_has_not_access",
                           f"agent {staff_id} has no access to group {group_id}")


def check_group(ctx, group_id: int) -> None:
    if group_id and ctx.store.get(V, ctx.tenant, "groups", group_id) is None:
        raise SandboxError(400, "group_not_found", f"group {group_id} does not exist")


def change_record(ctx, collection: str, id_param: str, change) -> dict:
    """The record the path names, changed in place by `change` and saved, in one transaction."""
    record = find(ctx, collection, ctx.params[id_param])
    change(record)
    save(ctx, collection, record[id_param], record)
    return record


def set_flags(ctx, collection: str, id_param: str, *, before=None, **flags) -> dict:
    """enable / disable / block / restore (§6.2, §7.2, §8, §9): `flags` plus updated_at;
    `before` runs first on the record. Who may: the spec's x-sandbox-access."""

    def change(record):
        if before is not None:
            before(record)
        record.update(flags, updated_at=now_ts(ctx))
    return change_record(ctx, collection, id_param, change)


def delete_record(ctx, collection: str, id_param: str, *, before=None, after=None) -> dict:
    """DELETE of the record the path names: `before` runs on it first (hand-overs, §7.2 / §8),
    `after` once it is gone (references to it, §6.2 / §10)."""
    record = find(ctx, collection, ctx.params[id_param])
    if before is not None:
        before(record)
    ctx.store.delete(V, ctx.tenant, collection, record[id_param])
    if after is not None:
        after(record)
    return record


def retire(ctx, kind: str, collection: str, *, delete: bool, check=None) -> dict:
    """Disable or delete the agent or group (kind "staff" / "group") the path names, after
    `check` and the hand-over of its cases to `<kind>.replace_<kind>_id` (§7.2, §8): on disable
    the open and waiting cases move, on delete all of them."""
    def before(record):
        if check is not None:
            check(record)
        replace = ((ctx.body or {}).get(kind) or {}).get(f"replace_{kind}_id")
        models.hand_over(ctx, kind, record, None if delete else ("open", "waiting"), replace)
    if delete:
        return delete_record(ctx, collection, f"{kind}_id", before=before)
    return set_flags(ctx, collection, f"{kind}_id", before=before, active=False)


def copy_fields(record: dict, body: dict, keys: tuple[str, ...]) -> None:
    """Partial edits: only the keys the body gives replace the record's values."""
    for key in keys:
        if key in body:
            record[key] = body[key]


def known_labels(ctx, ids) -> list[int]:
    known = {lab["label_id"] for lab in all_of(ctx, "labels")}
    return [i for i in ids if i in known]


def listing(ctx, collection: str, key: str, render, item_key: str):
    """The whole collection by id, each record rendered by `render(record, zone)`, one page."""
    tz = zone(ctx)
    return page_envelope(ctx, [render(r, tz) for r in sorted_by(ctx, collection, key)], item_key)


def lookup_list(ctx, collection: str, key: str, item_key: str, fields: tuple[str, ...]):
    rows = [{f: r[f] for f in fields} for r in sorted_by(ctx, collection, key)]
    return page_envelope(ctx, rows, item_key)
