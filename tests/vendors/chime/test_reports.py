"""Report figures: JSON and CSV agree row for row, totals agree across reports and with the
session store, day rows are zero-filled, and arranging a session changes every report counting it."""
from datetime import datetime, timezone

import pytest

from .conftest import CATALOGUES, GLOBAL_REPORTS, QUEUE_REPORTS, cell, parse_csv

WINDOW = {"start": "2026-05-18", "stop": "2026-06-15"}


@pytest.mark.parametrize("name", QUEUE_REPORTS + GLOBAL_REPORTS)
def test_json_and_csv_agree_row_for_row(chime, name):
    params = {**WINDOW, "zone": "America/New_York"}
    if name in QUEUE_REPORTS:
        params["queueId"] = 1
    data = chime(f"/Chime/Report/{name}", **params).get_json()
    assert data["Rows"], name
    response = chime(f"/Chime/Report/{name}", csv="true", **params)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    label = 1 if name in QUEUE_REPORTS else "All"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="{name}_{label}_20260518-20260615.csv"'
    text = response.get_data(as_text=True)
    assert text.endswith("\r\n") and not text.startswith("\ufeff")
    lines = parse_csv(response)
    columns = [c["Name"] for c in data["Columns"]]
    assert lines[0] == columns
    assert len(lines) - 1 == len(data["Rows"])
    for line, row in zip(lines[1:], data["Rows"]):
        assert list(row) == columns
        assert line == [cell(row[c]) for c in columns]


@pytest.mark.parametrize("route", CATALOGUES)
def test_catalogue_json_and_csv_agree(chime, route):
    data = chime(f"/Chime/Report/{route}", queueId=3).get_json()
    response = chime(f"/Chime/Report/{route}", queueId=3, csv="true")
    label = "All" if route == "GetAvailableGlobalReports" else 3
    assert response.headers["Content-Disposition"] == f'attachment; filename="{route}_{label}.csv"'
    lines = parse_csv(response)
    assert lines[0] == ["Name", "Title", "Group", "RequiresQueue", "Description", "Url"]
    assert lines[1:] == [[cell(e[c]) for c in lines[0]] for e in data]


def test_empty_result_is_the_header_line_alone(chime):
    response = chime("/Chime/Report/KeywordFrequency", queueId=1, start="2021-01-01",
                     stop="2021-01-02", csv="true")
    assert response.get_data(as_text=True) == "Keyword,Occurrences,Sessions\r\n"


def _in_window(sessions, queue, lo="2026-05-18T00:00:00Z", hi="2026-06-15T00:00:00Z"):
    return [s for s in sessions if s["queue_id"] == queue and lo <= s["started_utc"] < hi]


@pytest.mark.parametrize("queue", [1, 2, 3, 4, 5])
def test_totals_agree_across_reports_and_with_the_session_store(client, report, queue):
    stored = _in_window(client.get("/__sandbox/state/chime/default/sessions").get_json(), queue)
    inbound = sum(1 for s in stored if s["state"] != "Deflected")
    answered = sum(1 for s in stored if s["state"] in ("Completed", "Connected"))
    deflected = sum(1 for s in stored if s["state"] == "Deflected")
    assert inbound > 20

    q = {**WINDOW, "queueId": queue}
    rows = lambda name: report(name, **q)["Rows"]  # noqa: E731
    summary = next(r for r in report("QueueSummary", **WINDOW)["Rows"] if r["QueueId"] == queue)
    assert (summary["Inbound"], summary["Answered"]) == (inbound, answered)
    assert summary["Unanswered"] == inbound - answered
    daily = rows("InboundVsAnsweredChats")
    assert sum(r["Inbound"] for r in daily) == inbound
    assert sum(r["Answered"] for r in daily) == answered
    assert all(r["Inbound"] == r["Answered"] + r["Unanswered"] for r in daily)
    assert sum(r["Inbound"] for r in rows("ChatsByHourOfDay")) == inbound
    assert sum(r["Answered"] for r in rows("ChatsByDayOfWeek")) == answered
    sessions = rows("ChatSessions")
    assert sorted(r["SessionId"] for r in sessions) == sorted(s["id"] for s in stored)
    assert sum(r["State"] != "Deflected" for r in sessions) == inbound
    per_agent = rows("ChatsPerAgent")
    assert sum(r["ChatsAccepted"] for r in per_agent) == answered
    assert all(r["ChatsOffered"] == r["ChatsAccepted"] + r["ChatsMissed"] for r in per_agent)
    assert sum(r["ChatsMissed"] for r in per_agent) == sum(len(s["missed_offers"]) for s in stored)
    assert sum(r["Answered"] for r in rows("AverageSpeedToAnswer")) == answered
    assert sum(r["Answered"] for r in rows("AverageChatDuration")) == answered
    abandoned = rows("AbandonedChats")
    assert sum(r["Inbound"] for r in abandoned) == inbound
    assert sum(r["Abandoned"] for r in abandoned) == sum(s["state"] == "Abandoned" for s in stored)
    assert all(r["Abandoned"] <= r["Inbound"] for r in abandoned)
    assert sum(r["Chats"] for r in rows("WaitTimeDistribution")) == answered
    topics = rows("QuestionTopics")
    assert sum(r["Sessions"] for r in topics) == len(stored)
    bot = rows("BotDeflectedVsRouted")
    assert sum(r["Deflected"] for r in bot) == deflected
    assert sum(r["AcceptedByGuest"] for r in rows("BotFaqMatches")) == deflected
    if any(s["bot_handled"] for s in stored):  # a bot queue: everything routed is Inbound
        assert [r["RoutedToAgent"] for r in bot] == [r["Inbound"] for r in daily]
    for row in rows("AgentAvailability"):
        assert row["AvailableMinutes"] + row["AwayMinutes"] + row["OfflineMinutes"] == 1440
    load = {r["AgentId"]: r for r in rows("AgentConcurrentLoad")}
    busy = [r["AgentId"] for r in per_agent if r["ChatsAccepted"]]
    assert busy and all(load[a]["MaxConcurrentChats"] >= 1 for a in busy)
    assert all(load[a]["AvgConcurrentChats"] >= 1 for a in busy)


def test_global_totals_agree_with_the_queue_summary(report):
    summary = report("QueueSummary", **WINDOW)["Rows"]
    volume = report("GlobalChatVolume", **WINDOW)["Rows"]
    agents = report("AgentSummary", **WINDOW)["Rows"]
    assert sum(r["Inbound"] for r in volume) == sum(r["Inbound"] for r in summary)
    assert sum(r["Answered"] for r in volume) == sum(r["Answered"] for r in summary)
    assert sum(r["ChatsAccepted"] for r in agents) == sum(r["Answered"] for r in summary)


def test_day_rows_cover_every_local_day_zero_filled(report):
    rows = report("InboundVsAnsweredChats", queueId=1, start="2020-11-01T04:00:00.000Z",
                  stop="2020-12-01T04:59:59.999Z")["Rows"]  # the vendor's own sample
    assert [r["Date"] for r in rows] == [f"2020-11-{d:02d}" for d in range(1, 31)] + ["2020-12-01"]
    assert all(r == {"Date": r["Date"], "Inbound": 0, "Answered": 0, "Unanswered": 0,
                     "AnswerRatePercent": 0.0} for r in rows)
    recent = report("GlobalChatVolume", **WINDOW)["Rows"]
    assert len(recent) == 28 and all(r["Inbound"] > 0 for r in recent)


def test_seeded_rhythm_weekdays_busier_than_weekends(report):
    days = {r["DayOfWeek"]: r["Inbound"] for r in
            report("ChatsByDayOfWeek", queueId=1, start="2026-03-01", stop="2026-06-01")["Rows"]}
    assert min(days[d] for d in ("Monday", "Tuesday", "Wednesday")) > 3 * days["Sunday"]
    hours = report("ChatsByHourOfDay", queueId=1, start="2026-03-01", stop="2026-06-01",
                   zone="America/New_York")["Rows"]
    assert hours[10]["Inbound"] > 5 * hours[3]["Inbound"]


def test_dst_change_day_has_23_hours_of_availability(report):
    rows = report("AgentAvailability", queueId=2, start="2026-03-08", stop="2026-03-09",
                  zone="America/Chicago")["Rows"]
    assert rows and all(r["AvailableMinutes"] + r["AwayMinutes"] + r["OfflineMinutes"] == 1380
                        for r in rows)


SESSION = {
    "id": 90001, "queue_id": 3, "state": "Completed", "channel_id": "webchat",
    "started_utc": "2021-03-02T15:00:00Z", "accepted_utc": "2021-03-02T15:00:45Z",
    "ended_utc": "2021-03-02T15:10:45Z", "question": "Printer on floor 3 is offline",
    "agent_id": 13, "bot_handled": True, "faq_offer": {"title": "Printer FAQ", "accepted": False},
    "missed_offers": [14], "skill_tags": ["Printer"],
    "guest": {"id": "web_test", "name": "Test Guest", "email": None},
    "status": {"is_resolved": True, "resolution_notes": "Re-added the printer",
               "resolved_by_type": "Agent"},
    "messages": [
        {"sequence": 1, "timestamp_utc": "2021-03-02T15:00:00Z", "sender_type": "Guest",
         "sender_name": "Test Guest", "text": "Printer offline, the PRINTER says \"error, 42\""},
        {"sequence": 2, "timestamp_utc": "2021-03-02T15:00:45Z", "sender_type": "Agent",
         "sender_name": "Grace Kim", "text": "Let me look at the printer queue."}],
}
EMPTY = {"queueId": 3, "start": "2021-03-01", "stop": "2021-03-04"}


def _figures(report):
    r = lambda name: report(name, **EMPTY)["Rows"]  # noqa: E731
    daily = r("InboundVsAnsweredChats")
    return {
        "daily": [(x["Date"], x["Inbound"], x["Answered"]) for x in daily],
        "hour15": r("ChatsByHourOfDay")[15]["Inbound"],
        "tuesday": r("ChatsByDayOfWeek")[1]["Inbound"],
        "sessions": [(x["SessionId"], x["State"]) for x in r("ChatSessions")],
        "agents": {x["AgentId"]: (x["ChatsAccepted"], x["ChatsMissed"])
                   for x in r("ChatsPerAgent") if x["ChatsOffered"]},
        "load": {x["AgentId"]: x["MaxConcurrentChats"] for x in r("AgentConcurrentLoad")
                 if x["MaxConcurrentChats"]},
        "asa": [(x["Answered"], x["AvgWaitSeconds"]) for x in r("AverageSpeedToAnswer")],
        "duration": [x["AvgDurationSeconds"] for x in r("AverageChatDuration")],
        "abandoned": [(x["Inbound"], x["Abandoned"]) for x in r("AbandonedChats")],
        "waits": [x["Chats"] for x in r("WaitTimeDistribution")],
        "keywords": {x["Keyword"]: (x["Occurrences"], x["Sessions"]) for x in r("KeywordFrequency")},
        "topics": [(x["Topic"], x["SharePercent"]) for x in r("QuestionTopics")],
        "bot": [(x["BotSessions"], x["Deflected"], x["RoutedToAgent"])
                for x in r("BotDeflectedVsRouted")],
        "faq": [(x["FaqTitle"], x["Matches"], x["AcceptedByGuest"]) for x in r("BotFaqMatches")],
        "summary": next(x for x in report("QueueSummary", start="2021-03-01",
                                          stop="2021-03-04")["Rows"] if x["QueueId"] == 3),
        "agent_summary": {x["AgentId"]: x["ChatsAccepted"] for x in report(
            "AgentSummary", start="2021-03-01", stop="2021-03-04")["Rows"] if x["ChatsAccepted"]},
    }


def test_arranging_a_session_changes_every_report_that_counts_it(client, report, chime):
    assert _figures(report)["sessions"] == []
    created = client.post("/__sandbox/state/chime/default/sessions", json=SESSION)
    assert created.status_code == 201, created.get_data(as_text=True)
    got = _figures(report)
    assert got["daily"] == [("2021-03-01", 0, 0), ("2021-03-02", 1, 1), ("2021-03-03", 0, 0)]
    assert got["hour15"] == 1 and got["tuesday"] == 1
    assert got["sessions"] == [(90001, "Completed")]
    assert got["agents"] == {13: (1, 0), 14: (0, 1)}
    assert got["load"] == {13: 1}
    assert got["asa"][1] == (1, 45) and got["duration"][1] == 600
    assert got["abandoned"][1] == (1, 0) and got["waits"] == [0, 1, 0, 0, 0]
    assert got["keywords"] == {"printer": (2, 1)}  # whole words in Guest lines only
    assert got["topics"] == [("Printer", 100.0)]
    assert got["bot"][1] == (1, 0, 1) and got["faq"] == [("Printer FAQ", 1, 0)]
    assert got["summary"]["Inbound"] == 1 and got["summary"]["AvgWaitSeconds"] == 45
    assert got["agent_summary"] == {13: 1}

    abandoned = {**SESSION, "state": "Abandoned", "accepted_utc": None, "agent_id": None,
                 "missed_offers": [], "status": {"is_resolved": False}}
    replaced = client.put("/__sandbox/state/chime/default/sessions/90001", json=abandoned)
    assert replaced.status_code == 200, replaced.get_data(as_text=True)
    got = _figures(report)
    assert got["daily"][1] == ("2021-03-02", 1, 0) and got["abandoned"][1] == (1, 1)
    assert got["agents"] == {} and got["load"] == {} and got["waits"] == [0, 0, 0, 0, 0]
    assert got["summary"]["Unanswered"] == 1 and got["agent_summary"] == {}

    client.delete("/__sandbox/state/chime/default/sessions/90001")
    assert _figures(report)["sessions"] == []


@pytest.mark.parametrize("change,field", [
    ({"state": "Completed", "agent_id": None}, "agent_id"),
    ({"state": "Deflected", "accepted_utc": None, "agent_id": None}, "faq_offer"),
    ({"ended_utc": "2021-03-02T14:00:00Z"}, "ended_utc"),
    ({"queue_id": 0}, "queue_id"),
])
def test_inconsistent_sessions_are_refused_by_the_state_view(client, change, field):
    response = client.post("/__sandbox/state/chime/default/sessions", json={**SESSION, **change})
    assert response.status_code == 400 and field in response.get_json()["fields"]


def test_live_sessions_count_time_so_far(client, report, control):
    live = {**SESSION, "id": 90002, "state": "Connected", "ended_utc": None,
            "started_utc": "2026-06-15T11:50:00Z", "accepted_utc": "2026-06-15T11:51:00Z",
            "status": {"is_resolved": False}, "faq_offer": None}
    waiting = {**live, "id": 90003, "state": "Waiting", "accepted_utc": None, "agent_id": None,
               "missed_offers": []}
    for record in (live, waiting):
        assert client.post("/__sandbox/state/chime/default/sessions", json=record).status_code == 201
    window = {"queueId": 3, "start": "2026-06-15T11:00:00Z", "stop": "2026-06-15T12:00:00Z"}
    rows = {r["SessionId"]: r for r in report("ChatSessions", **window)["Rows"]}
    assert rows[90002]["DurationSeconds"] == 540 and rows[90002]["EndedLocal"] is None
    assert rows[90003]["WaitSeconds"] == 600 and rows[90003]["AgentName"] is None
    control.post("/clock", json={"advance": 60})
    rows = {r["SessionId"]: r for r in report("ChatSessions", **window)["Rows"]}
    assert rows[90002]["DurationSeconds"] == 600 and rows[90003]["WaitSeconds"] == 660
