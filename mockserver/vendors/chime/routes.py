"""Chime views, one per operationId: the six catalogues, every /Chime/Report/<Name>, and
SessionDetails. Thin: check the window and access (models), compute rows (reports), then answer the
notes' JSON envelope (§6.2) or the same rows as CSV (§7). The catalogue, titles and CSV column
order are read from the spec's `x-sandbox-report` entries and `Columns` consts, so the spec stays
the one list of reports.
"""
from __future__ import annotations

from datetime import datetime

from mockserver.core.clock import iso_z
from mockserver.core.errors import SandboxError
from mockserver.core.tabular import csv_response

from . import models
from .models import TENANT, V
from .reports import REPORTS, Data

CATALOG_COLUMNS = ("Name", "Title", "Group", "RequiresQueue", "Description", "Url")
TRANSCRIPT_COLUMNS = ("Sequence", "TimestampUtc", "SenderType", "SenderName", "Text")

_catalogs: dict[int, tuple[dict, dict]] = {}


def catalog(document: dict) -> dict:
    """{report name: entry} in spec order, with each report's Columns from its schema."""
    key = id(document)
    if key not in _catalogs or _catalogs[key][0] is not document:
        schemas = document["components"]["schemas"]
        entries = {}
        for path, item in document["paths"].items():
            meta = (item.get("get") or {}).get("x-sandbox-report")
            if meta:
                columns = schemas[f"{meta['name']}Report"]["properties"]["Columns"]["const"]
                entries[meta["name"]] = {**meta, "path": path,
                                         "columns": [c["Name"] for c in columns],
                                         "column_types": columns}
        _catalogs[key] = (document, entries)
    return _catalogs[key][1]


def _document(ctx) -> dict:
    return ctx.runtime.vendors[V].document


# -- catalogues (notes §6.1) ------------------------------------------------------------------
def _catalogue(ctx):
    meta = ctx.operation.spec["x-sandbox-catalog"]
    models.window(ctx)  # start/stop/zone are checked like everywhere, and change nothing
    csv = models.wants_csv(ctx)
    queue_id = ctx.query.get("queueId") if meta["scope"] == "queue" else None
    if queue_id is not None:
        models.check_queue(queue_id, models.queues_by_id(ctx.store), models.caller(ctx))
    rows = []
    for name, entry in catalog(_document(ctx)).items():
        if entry["group"] != meta["group"]:
            continue
        url = entry["path"]
        if entry["scope"] == "queue":
            url += f"?queueId={queue_id if queue_id is not None else '{queueId}'}"
        rows.append({"Name": name, "Title": entry["title"], "Group": entry["group"],
                     "RequiresQueue": entry["scope"] == "queue",
                     "Description": entry["description"], "Url": url})
    if csv:
        route = ctx.operation.path.rsplit("/", 1)[-1]
        return csv_response(CATALOG_COLUMNS, rows,
                            f"{route}_{queue_id if queue_id is not None else 'All'}.csv")
    return rows


get_available_global_reports = _catalogue
get_queue_basic_reports = _catalogue
get_queue_agent_reports = _catalogue
get_queue_performance_reports = _catalogue
get_queue_text_analytics_reports = _catalogue
get_queue_bot_reports = _catalogue


# -- reports (notes §5, §6.2, §7) ---------------------------------------------------------------
def _data(ctx, win, queues: list[dict]) -> Data:
    now = int(ctx.clock.now().timestamp())
    return Data(win, queues, models.sessions_in(ctx.store, win, [q["id"] for q in queues], now),
                models.users_by_id(ctx.store), now, ctx.runtime.seed,
                ctx.store.get(V, TENANT, "config", "default") or {},
                {t["id"]: t for t in ctx.store.all(V, TENANT, "topics")},
                ctx.runtime.cache(V).setdefault("transcripts", {}))


def _report(ctx):
    entry = catalog(_document(ctx))[ctx.operation.spec["x-sandbox-report"]["name"]]
    win = models.window(ctx)
    csv = models.wants_csv(ctx)
    user = models.caller(ctx)
    queues = models.queues_by_id(ctx.store)
    if entry["scope"] == "queue":
        covered = [models.check_queue(ctx.query["queueId"], queues, user)]
    else:
        covered = [queues[q] for q in models.scope(user, queues)]
    rows = REPORTS[entry["name"]](_data(ctx, win, covered))
    if csv:
        label = covered[0]["id"] if entry["scope"] == "queue" else "All"
        first = win.start.astimezone(win.tz).strftime("%Y%m%d")
        last = win.stop.astimezone(win.tz).strftime("%Y%m%d")
        return csv_response(entry["columns"], rows, f"{entry['name']}_{label}_{first}-{last}.csv")
    body = {"Name": entry["name"], "Title": entry["title"], "Group": entry["group"],
            "QueueId": covered[0]["id"] if entry["scope"] == "queue" else None,
            "QueueName": covered[0]["name"] if entry["scope"] == "queue" else None}
    if entry["scope"] != "queue":
        body["QueueIds"] = [q["id"] for q in covered]
    body.update({"Start": models.zoned(win.start, win.tz), "Stop": models.zoned(win.stop, win.tz),
                 "Zone": win.zone, "GeneratedUtc": iso_z(ctx.clock.now()),
                 "Columns": entry["column_types"], "Rows": rows})
    return body


report_queue_summary = _report
report_global_chat_volume = _report
report_agent_summary = _report
report_inbound_vs_answered_chats = _report
report_chats_by_hour_of_day = _report
report_chats_by_day_of_week = _report
report_chat_sessions = _report
report_chats_per_agent = _report
report_agent_availability = _report
report_agent_concurrent_load = _report
report_average_speed_to_answer = _report
report_average_chat_duration = _report
report_abandoned_chats = _report
report_wait_time_distribution = _report
report_keyword_frequency = _report
report_question_topics = _report
report_bot_deflected_vs_routed = _report
report_bot_faq_matches = _report


# -- one session (notes §6.3) ------------------------------------------------------------------
def session_details(ctx):
    win = models.window(ctx)  # checked like everywhere; only the zone is used
    csv = models.wants_csv(ctx)
    session_id = ctx.path_params["SessionID"]
    record = ctx.store.get(V, TENANT, "sessions", session_id)
    if record is None:
        raise SandboxError(404, "SessionNotFound", f"Session {session_id} does not exist.")
    queues = models.queues_by_id(ctx.store)
    queue = queues.get(record["queue_id"]) or {"id": record["queue_id"],
                                               "name": f"Queue {record['queue_id']}",
                                               "dispatcher_name": "Chime"}
    user = models.caller(ctx)
    if record["queue_id"] in queues:
        models.check_queue(record["queue_id"], queues, user)
    elif not user.get("admin"):
        raise SandboxError(403, "QueueForbidden",
                           f"You do not have access to queue {record['queue_id']}.")
    data = _data(ctx, win, [queue])
    facts = models.facts(record, data.now)
    messages = data.transcript(facts)
    if csv:
        return csv_response(TRANSCRIPT_COLUMNS, messages, f"SessionDetails_{session_id}.csv")
    agent = data.users.get(record.get("agent_id")) if record.get("agent_id") else None
    status = record.get("status") or {}
    guest = record["guest"]
    started = datetime.fromisoformat(record["started_utc"])
    return {
        "SessionId": record["id"], "QueueId": record["queue_id"], "QueueName": queue["name"],
        "State": record["state"], "ChannelId": record.get("channel_id") or "msteams",
        "StartedUtc": record["started_utc"], "AcceptedUtc": record.get("accepted_utc"),
        "EndedUtc": record.get("ended_utc"), "StartedLocal": models.zoned(started, win.tz),
        "WaitSeconds": facts.wait, "DurationSeconds": facts.duration,
        "DroppedWhileConnected": bool(record.get("dropped_while_connected")),
        "Question": record.get("question") or "",
        "Guest": {"Id": guest["id"], "Name": guest["name"],
                  "GivenName": guest.get("given_name") or "", "Surname": guest.get("surname") or "",
                  "Email": guest.get("email"), "UserPrincipalName": guest.get("user_principal_name"),
                  "Locale": guest.get("locale") or "en-US", "Timezone": guest.get("timezone") or "UTC",
                  "Country": guest.get("country"), "Platform": guest.get("platform") or "Web",
                  "IsNew": bool(guest.get("is_new"))},
        "Agent": ({"Id": agent["id"], "Name": agent["name"], "Email": agent["email"]}
                  if agent else None),
        "Status": {"IsResolved": bool(status.get("is_resolved")),
                   "ResolutionNotes": status.get("resolution_notes"),
                   "ResolvedByAgentName": (agent["name"] if agent and
                                           status.get("resolved_by_type") == "Agent" else None),
                   "ResolvedByType": status.get("resolved_by_type")},
        "SeekerData": dict(record.get("seeker_data") or {}),
        "SkillTags": list(record.get("skill_tags") or []),
        "Transfers": [{"TimestampUtc": t["timestamp_utc"], "FromQueueId": t["from_queue_id"],
                       "FromAgentName": t.get("from_agent_name"), "ToQueueId": t["to_queue_id"],
                       "ToAgentName": t.get("to_agent_name")}
                      for t in record.get("transfers") or []],
        "Messages": messages,
    }


__all__ = ["get_available_global_reports", "get_queue_basic_reports", "get_queue_agent_reports",
           "get_queue_performance_reports", "get_queue_text_analytics_reports",
           "get_queue_bot_reports", *[f"report_{n}" for n in (
               "queue_summary", "global_chat_volume", "agent_summary", "inbound_vs_answered_chats",
               "chats_by_hour_of_day", "chats_by_day_of_week", "chat_sessions", "chats_per_agent",
               "agent_availability", "agent_concurrent_load", "average_speed_to_answer",
               "average_chat_duration", "abandoned_chats", "wait_time_distribution",
               "keyword_frequency", "question_topics", "bot_deflected_vs_routed",
               "bot_faq_matches")], "session_details"]
