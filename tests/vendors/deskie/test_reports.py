"""vendor-docs/deskie-api-reports.txt: figures computed from the records, every period, custom
ranges in the documented formats and bounds, and the per-period cache lifetimes."""
from datetime import datetime, timezone

import pytest

from .conftest import rows

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc).timestamp()  # tests.conftest FROZEN_AT
PERIODS = ["last_24_hours", "last_7_days", "last_14_days", "last_30_days", "today", "yesterday",
           "this_week", "last_week", "this_month", "last_month", "month_2", "month_3", "month_4",
           "month_5", "month_6", "3_previous_months", "6_previous_months", "this_year", "last_year"]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("report", ["stats_leaderboard", "stats_satisfaction",
                                    "stats_staff_statuses"])
def test_every_period_is_served(dk, report, period):
    status, data, _ = dk(f"/api/{report}.json?period={period}")
    assert status == 200, data


def test_leaderboard_figures_match_the_records(dk, state):
    start = NOW - 30 * 86400
    data = dk("/api/stats_leaderboard.json?period=last_30_days")[1]
    assert "total_count" not in data
    board = {r["staff"]["staff_id"]: r["staff"] for r in rows(data)}
    active = {s["staff_id"] for s in state("staff") if s["active"]}
    assert set(board) == active
    cases = [c for c in state("cases") if not c["deleted"] and not c["spam"]]
    case_ids = {c["case_id"] for c in cases}
    for sid, row in board.items():
        assert row["closed_cases"] == sum(
            1 for c in cases if c["staff_id"] == sid and c["status"] == "closed"
            and c["closed_at"] is not None and start <= c["closed_at"] < NOW)
        assert row["new_cases_in_total"] == sum(
            1 for c in cases if c["staff_id"] == sid and start <= c["created_at"] < NOW)
        assert row["total_number_of_responses"] == sum(
            1 for m in state("messages") if m["case_id"] in case_ids and m["staff_id"] == sid
            and not m["note"] and start <= m["created_at"] < NOW)
        assert row["first_response_sla_violated"].endswith("%")
    assert sum(r["closed_cases"] for r in board.values()) > 0


def test_leaderboard_staff_filter_and_empty_result(dk):
    data = dk("/api/stats_leaderboard.json?period=this_year&staff_id=42047")[1]
    assert [r["staff"]["staff_id"] for r in rows(data)] == [42047]
    assert dk("/api/stats_leaderboard.json?period=this_year&staff_id=999999")[1] == []


def test_leaderboard_sample_call_of_the_page(dk):
    status, _, _ = dk("/api/stats_leaderboard.json?period=this_month&channel=telegram&status=open"
                      "&group_id=25403&priority=high&staff_id=all&labels=7152&initiator=user"
                      "&user_id[]=2414276&user_id[]=2414389&company_id=74105"
                      "&custom_fields[cf_7589]=0&custom_fields[cf_8621]=5")
    assert status == 200


def test_satisfaction_rows_match_ratings_and_are_unwrapped(dk, state):
    data = dk("/api/stats_satisfaction.json?period=last_year&limit=100")[1]
    data_all = dk("/api/stats_satisfaction.json?from_time=2020-07-16&to_time=2020-07-16")[1]
    ids = [r["rating_id"] for r in rows(data_all)]
    assert ids == [79, 78]  # newest first (added_at_desc)
    assert rows(data_all)[0]["rating"] == "3" and rows(data_all)[0]["case_number"] == "882-935664"
    start = datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp() - 3 * 3600  # Moscow +03
    end = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp() - 3 * 3600
    expected = [r for r in state("ratings") if start <= r["created_at"] < end]
    assert data["total_count"] == len(expected)


def test_satisfaction_sample_call_reads_yyyy_dd_mm(dk):
    data = dk("/api/stats_satisfaction.json?from_time=2021-01-01&to_time=2021-31-01"
              "&user_id=213450&channel=sync&sort=added_at_asc")[1]
    assert [r["rating_id"] for r in rows(data)] == [80]


def test_staff_statuses_sample_call_and_labels(dk):
    data = dk("/api/stats_staff_statuses.json?from_time=01.09.2023&to_time=01.10.2023"
              "&staff_id=193&staff_access=full")[1]
    changes = [r["status_change"] for r in rows(data)]
    assert len(changes) == 4 and data["last_page"] is True
    assert changes[0] == {"staff_id": 193, "timestamp": 1693807200, "from": "Offline (2)",
                          "to": "Online (1)"}


@pytest.mark.parametrize("query", ["from_time=1711615283&to_time=1711618883",
                                   "from_time=2024-03-28 00:00:00&to_time=2024-03-28 01:00:00",
                                   "from_time=2024-03-28 00:00:00 %2B0400&to_time=2024-03-29",
                                   "from_time=2024-03-28 00:00:00  0400&to_time=2024-03-29",
                                   "from_time=28.03.2024&to_time=28.06.2024"])
def test_custom_range_formats(dk, query):
    status, data, _ = dk(f"/api/stats_leaderboard.json?{query}")
    assert status == 200, data


@pytest.mark.parametrize("report,query", [
    ("stats_leaderboard", "from_time=1711615283&to_time=1711618882"),      # under 1 hour
    ("stats_leaderboard", "from_time=01.01.2024&to_time=02.04.2024"),      # over 3 months
    ("stats_satisfaction", "from_time=1711615283"),                         # one bound only
    ("stats_leaderboard", ""),                                              # nothing
    ("stats_staff_statuses", "from_time=01.09.2023&to_time=02.10.2023"),   # over 1 month
])
def test_custom_range_bounds(dk, report, query):
    status, data, _ = dk(f"/api/{report}.json?{query}")
    assert status == 400 and data["error"] == "wrong_period"


def test_unreadable_time_is_wrong_date(dk):
    status, data, _ = dk("/api/stats_leaderboard.json?from_time=2024-13-45&to_time=2024-13-46")
    assert status == 400 and data["error"] == "wrong_date"


def test_today_is_cached_for_five_minutes(dk, control, state):
    query = "/api/stats_satisfaction.json?period=today"
    before = dk(query)[1]
    case = next(c for c in state("cases") if c["status"] == "closed")
    dk(f"/api/cases/{case['case_id']}/rate.json", method="PUT",
       json={"rate": {"rating": "high", "rating_comment": "now"}})
    control.post("/clock", json={"advance": 299})
    assert dk(query)[1] == before
    control.post("/clock", json={"advance": 2})
    after = dk(query)[1]
    assert after["total_count"] == before["total_count"] + 1


def test_last_month_cache_outlives_a_day_and_reset_clears_it(dk, control, client, state):
    query = "/api/stats_leaderboard.json?period=last_30_days&staff_id=42047"
    before = dk(query)[1]
    case = next(c for c in state("cases") if c["staff_id"] == 42047 and c["status"] != "closed"
                and not c["deleted"] and not c["spam"])
    dk(f"/api/cases/{case['case_id']}/messages.json", method="POST",
       json={"message": {"content": "done", "staff_id": 42047}})
    control.post("/clock", json={"advance": 3600})
    assert dk(query)[1] == before                 # 1 day lifetime for last_30_days
    control.post("/clock", json={"advance": 86400})
    refreshed = dk(query)[1]
    assert refreshed != before
