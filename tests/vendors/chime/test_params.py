"""The shared query string: start/stop/zone/csv/queueId, their defaults and limits, ASP.NET-style
case-insensitive route and parameter names, and 400s that stay JSON even when CSV was asked for."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from .conftest import MANAGER, QUEUE_REPORTS

NAMES = ("/Chime/Report/InboundVsAnsweredChats", "/chime/report/inboundvsansweredchats",
         "/CHIME/REPORT/INBOUNDVSANSWEREDCHATS", "/Chime/Report/inboundVsAnsweredChats")


@pytest.mark.parametrize("path", NAMES)
def test_route_names_match_case_insensitively(chime, path):
    response = chime(path, queueId=1)
    assert response.status_code == 200 and response.get_json()["Name"] == "InboundVsAnsweredChats"


def test_session_route_matches_case_insensitively(chime):
    assert chime("/chime/session/sessiondetails/658").get_json()["SessionId"] == 658


@pytest.mark.parametrize("params", [{"QueueId": 3}, {"queueid": 3}, {"QUEUEID": 3}])
def test_query_names_match_case_insensitively(chime, params):
    response = chime("/Chime/Report/ChatsByHourOfDay", user=MANAGER, **params)
    assert response.status_code == 200 and response.get_json()["QueueId"] == 3


@pytest.mark.parametrize("flag", ["true", "True", "TRUE", "1"])
def test_csv_flag_spellings(chime, flag):
    response = chime("/Chime/Report/ChatsByHourOfDay", queueId=1, CSV=flag)
    assert response.mimetype == "text/csv"
    assert chime("/Chime/Report/ChatsByHourOfDay", queueId=1, csv="False").mimetype == \
        "application/json"


def test_unknown_report_is_404_and_extra_parameters_are_ignored(chime):
    missing = chime("/Chime/Report/NoSuchReport", queueId=1)
    assert missing.status_code == 404 and missing.get_json()["Error"] == "UnknownReport"
    assert chime("/Chime/Report/QueueSummary", _=12345, foo="bar").status_code == 200


@pytest.mark.parametrize("params,code", [
    ({"start": "11/01/2020"}, "InvalidDate"),
    ({"start": "2024-02-30"}, "InvalidDate"),
    ({"stop": "2024-13-01"}, "InvalidDate"),
    ({"stop": "yesterday"}, "InvalidDate"),
    ({"start": "2024-01-05", "stop": "2024-01-05"}, "InvalidRange"),
    ({"start": "2024-01-05", "stop": "2024-01-04"}, "InvalidRange"),
    ({"start": "2023-01-01", "stop": "2024-01-03"}, "InvalidRange"),
    ({"zone": "Eastern Standard Time"}, "InvalidZone"),
    ({"zone": "america/new_york"}, "InvalidZone"),
    ({"csv": "yes"}, "InvalidCsvFlag"),
    ({"csv": ""}, "InvalidCsvFlag"),
    ({"queueId": "abc"}, "InvalidQueueId"),
    ({"queueId": "0"}, "InvalidQueueId"),
])
def test_bad_values_are_400_json_even_with_csv(chime, params, code):
    for path in ("/Chime/Report/InboundVsAnsweredChats", "/Chime/Report/QueueSummary",
                 "/Chime/Report/GetQueueBasicReports"):
        if "queueId" in params and "QueueSummary" in path:
            continue
        query = {"queueId": 1, "csv": "true", **params}
        response = chime(path, **query)
        assert response.status_code == 400, (path, params)
        assert response.mimetype == "application/json"
        data = response.get_json()
        assert data["Error"] == code and data["Status"] == 400 and data["Message"]


def test_bad_session_id_is_400_and_unknown_404(chime):
    bad = chime("/Chime/Session/SessionDetails/abc", csv="true")
    assert bad.status_code == 400 and bad.get_json()["Error"] == "InvalidSessionId"
    for ident in (99999, 0, -4):
        missing = chime(f"/Chime/Session/SessionDetails/{ident}")
        assert missing.status_code == 404 and missing.get_json()["Error"] == "SessionNotFound"


def test_default_window_is_the_last_7_days_up_to_now(chime):
    data = chime("/Chime/Report/InboundVsAnsweredChats", queueId=1).get_json()
    assert data["Start"] == "2026-06-08T12:00:00+00:00" and data["Stop"] == "2026-06-15T12:00:00+00:00"
    assert data["Zone"] == "UTC" and data["GeneratedUtc"] == "2026-06-15T12:00:00Z"
    assert [r["Date"] for r in data["Rows"]] == [f"2026-06-{d:02d}" for d in range(8, 16)]


def test_default_window_follows_the_sandbox_clock(chime, control):
    control.post("/clock", json={"advance": 3 * 86400})
    data = chime("/Chime/Report/InboundVsAnsweredChats", queueId=1).get_json()
    assert data["Stop"] == "2026-06-18T12:00:00+00:00" and data["Rows"][-1]["Date"] == "2026-06-18"


def test_start_without_offset_is_read_in_zone(chime):
    data = chime("/Chime/Report/ChatSessions", queueId=1, start="2026-06-08",
                 stop="2026-06-09T06:30", zone="America/New_York").get_json()
    assert data["Start"] == "2026-06-08T00:00:00-04:00"
    assert data["Stop"] == "2026-06-09T06:30:00-04:00"
    lo = datetime(2026, 6, 8, 4, tzinfo=timezone.utc)
    hi = datetime(2026, 6, 9, 10, 30, tzinfo=timezone.utc)
    assert data["Rows"]
    for row in data["Rows"]:
        assert row["StartedLocal"].endswith("-04:00")
        assert lo <= datetime.fromisoformat(row["StartedLocal"]) < hi


def test_offset_in_the_value_wins_over_zone(chime):
    data = chime("/Chime/Report/AbandonedChats", queueId=1, start="2020-11-01T04:00:00.000Z",
                 stop="2020-12-01T04:59:59.999Z", zone="America/New_York").get_json()
    assert data["Start"] == "2020-11-01T00:00:00-04:00"
    assert data["Stop"] == "2020-11-30T23:59:59.999000-05:00"  # DST ended on Nov 1


def _local_day_counts(sessions, queue, lo, hi, zone):
    counts = {}
    for s in sessions:
        started = datetime.fromisoformat(s["started_utc"])
        if s["queue_id"] == queue and lo <= started < hi and s["state"] != "Deflected":
            day = started.astimezone(ZoneInfo(zone)).date().isoformat()
            counts[day] = counts.get(day, 0) + 1
    return counts


def test_zone_moves_sessions_between_local_days(client, chime):
    sessions = client.get("/__sandbox/state/chime/default/sessions").get_json()
    lo = datetime(2026, 6, 8, tzinfo=timezone.utc)
    hi = lo + timedelta(days=2)
    seen = {}
    for zone, dates in (("UTC", ["2026-06-08", "2026-06-09"]),
                        ("America/New_York", ["2026-06-07", "2026-06-08", "2026-06-09"]),
                        ("Asia/Kolkata", ["2026-06-08", "2026-06-09", "2026-06-10"])):
        data = chime("/Chime/Report/InboundVsAnsweredChats", queueId=1,
                     start="2026-06-08T00:00:00Z", stop="2026-06-10T00:00:00Z", zone=zone).get_json()
        assert [r["Date"] for r in data["Rows"]] == dates
        expected = _local_day_counts(sessions, 1, lo, hi, zone)
        assert {r["Date"]: r["Inbound"] for r in data["Rows"] if r["Inbound"]} == expected
        assert data["Zone"] == zone
        seen[zone] = [r["Inbound"] for r in data["Rows"]]
    assert sum(seen["UTC"]) == sum(seen["America/New_York"]) == sum(seen["Asia/Kolkata"])
    assert seen["UTC"] != seen["America/New_York"][1:]  # evening chats move a day back


def test_zone_shifts_hour_buckets_and_output_offsets(chime):
    window = {"queueId": 1, "start": "2026-05-04T00:00:00Z", "stop": "2026-06-01T00:00:00Z"}
    utc = chime("/Chime/Report/ChatsByHourOfDay", **window).get_json()["Rows"]
    ny = chime("/Chime/Report/ChatsByHourOfDay", zone="America/New_York", **window).get_json()
    assert ny["Start"] == "2026-05-03T20:00:00-04:00"
    for hour in range(24):  # EDT is UTC-4 all May: the same chats, four hours earlier
        assert ny["Rows"][(hour - 4) % 24]["Inbound"] == utc[hour]["Inbound"]
    assert [r["Inbound"] for r in ny["Rows"]] != [r["Inbound"] for r in utc]
    kolkata = chime("/Chime/Report/ChatSessions", zone="Asia/Kolkata", **window).get_json()
    assert kolkata["Start"] == "2026-05-04T05:30:00+05:30"
    assert all(r["StartedLocal"].endswith("+05:30") for r in kolkata["Rows"])
    assert chime("/Chime/Report/ChatSessions", **window).get_json()["Rows"][0][
        "StartedLocal"].endswith("+00:00")


def test_every_per_queue_report_takes_every_zone_form(chime):
    for name in QUEUE_REPORTS:
        response = chime(f"/Chime/Report/{name}", queueId=2, start="2026-03-07",
                         stop="2026-03-10", zone="America/Chicago")  # DST starts 2026-03-08
        assert response.status_code == 200, name


def test_methods_other_than_get_are_405_with_allow(client, keys):
    headers = {"Authorization": f"Bearer {keys['1']}"}
    refused = client.post("/chime/Chime/Report/QueueSummary", headers=headers)
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert refused.get_json()["Error"] == "MethodNotAllowed"


def test_unknown_route_is_404_whatever_the_key(client):
    response = client.get("/chime/Chime/Report/NoSuchReport")
    assert response.status_code == 404 and response.get_json()["Error"] == "UnknownReport"
