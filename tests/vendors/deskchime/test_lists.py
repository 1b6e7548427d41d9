"""Pagination, filters and their malformed values on every list."""
from datetime import datetime

import pytest

LISTS = ["/api/v1/users", "/api/v1/feedback", "/api/v1/goals", "/api/v1/meetings",
         "/api/v1/one-on-ones"]


@pytest.mark.parametrize("path", LISTS)
def test_list_defaults_page_1_limit_20(dc, path):
    status, data, _ = dc(path)
    assert status == 200
    assert data["meta"]["page"] == 1 and data["meta"]["limit"] == 20
    assert len(data["data"]) == min(20, data["meta"]["total"])


def test_list_users_needs_more_than_one_page_of_50(dc):
    first = dc("/api/v1/users?limit=50")[1]
    assert first["meta"]["total"] > 50 and len(first["data"]) == 50
    pages = [dc(f"/api/v1/users?limit=50&page={p}")[1]["data"] for p in (1, 2, 3)]
    ids = [u["id"] for page in pages for u in page]
    assert len(ids) == len(set(ids)) == first["meta"]["total"]
    beyond = dc("/api/v1/users?limit=50&page=99")[1]
    assert beyond["data"] == [] and beyond["meta"] == {"page": 99, "limit": 50,
                                                       "total": first["meta"]["total"]}


@pytest.mark.parametrize("path", LISTS)
def test_a_page_beyond_64_bits_is_an_empty_page_not_a_server_error(dc, path):
    status, data, _ = dc(f"{path}?page={10 ** 26}")
    assert status == 200 and data["data"] == [] and data["meta"]["page"] == 10 ** 26


@pytest.mark.parametrize("query,name", [
    ("limit=51", "limit"), ("limit=0", "limit"), ("limit=abc", "limit"),
    ("page=0", "page"), ("page=-1", "page"), ("page=x", "page"),
])
@pytest.mark.parametrize("path", LISTS)
def test_list_malformed_paging_is_400_naming_it(dc, path, query, name):
    status, data, _ = dc(f"{path}?{query}")
    assert status == 400 and data["success"] is False and data["code"] == "INVALID_REQUEST"
    assert f"'{name}'" in data["error"]


@pytest.mark.parametrize("path,param,values", [
    ("/api/v1/users", "role", ["Admin", "Manager", "Member"]),
    ("/api/v1/feedback", "status", ["pending", "completed", "closed"]),
    ("/api/v1/goals", "status", ["OnTrack", "Completed", "Delayed", "AtRisk", "Abandoned"]),
    ("/api/v1/goals", "type", ["Organization", "Individual", "Team", "Self"]),
    ("/api/v1/meetings", "type", ["Goal", "Review", "Casual", "ONE_ON_ONE"]),
])
def test_list_every_filter_value_has_matches_and_only_matches(dc, path, param, values):
    total = dc(f"{path}?limit=50")[1]["meta"]["total"]
    seen = 0
    for value in values:
        data = dc(f"{path}?{param}={value}&limit=50")[1]
        assert data["meta"]["total"] > 0, f"{param}={value} has no records"
        assert all(item[param] == value for item in data["data"])
        seen += data["meta"]["total"]
    assert seen == total
    status, error, _ = dc(f"{path}?{param}=Bogus")
    assert status == 400 and f"'{param}'" in error["error"]


def _at(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("path", ["/api/v1/meetings", "/api/v1/one-on-ones"])
def test_list_from_to_filters_scheduled_at_inclusive(dc, client, path):
    everything = dc(f"{path}?limit=50")[1]
    days = sorted({m["scheduledAt"][:10] for m in everything["data"]})
    start, stop = days[1], days[-2]
    data = dc(f"{path}?from={start}&to={stop}&limit=50")[1]
    assert 0 < data["meta"]["total"] < everything["meta"]["total"]
    for m in data["data"]:
        assert start <= m["scheduledAt"][:10] <= stop  # a date-only 'to' covers its whole day
    only_to = dc(f"{path}?to={days[0]}T23:59:59Z&limit=50")[1]
    assert all(m["scheduledAt"][:10] <= days[0] for m in only_to["data"])


@pytest.mark.parametrize("query,name", [("from=2025-13-01", "from"), ("to=yesterday", "to"),
                                         ("from=2025-02-30", "from")])
def test_list_malformed_dates_are_400(dc, query, name):
    status, data, _ = dc(f"/api/v1/meetings?{query}")
    assert status == 400 and f"'{name}'" in data["error"]


def test_list_from_after_to_is_400(dc):
    status, data, _ = dc("/api/v1/one-on-ones?from=2025-03-02&to=2025-03-01")
    assert status == 400 and "'from'" in data["error"]


def test_list_one_on_ones_are_the_one_on_one_meetings(dc):
    ones = dc("/api/v1/one-on-ones?limit=50")[1]
    typed = dc("/api/v1/meetings?type=ONE_ON_ONE&limit=50")[1]
    assert ones["meta"]["total"] == typed["meta"]["total"]
    assert [o["id"] for o in ones["data"]] == [m["id"] for m in typed["data"]]
    assert all(o["organizer"]["email"] and o["participant"]["email"] for o in ones["data"])


def test_list_meetings_newest_first(dc):
    data = dc("/api/v1/meetings?limit=50")[1]["data"]
    stamps = [m["scheduledAt"] for m in data]
    assert stamps == sorted(stamps, reverse=True)
