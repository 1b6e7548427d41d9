"""Lookup lists (§10–§11): custom fields, languages, saved filters and custom channels, each the
account's stored records in the keyed envelope, paged; filters are the built-in ones plus the
authenticating agent's own."""
import pytest

from .conftest import rows

LOOKUPS = [("custom_fields", "custom_field", "field_id"),
           ("languages", "language", "language_id"),
           ("custom_channels", "custom_channel", "channel_id")]


@pytest.mark.parametrize("path,item,key", LOOKUPS)
def test_lookup_lists_every_stored_record(dk, state, path, item, key):
    status, data, _ = dk(f"/api/{path}.json")
    assert status == 200
    stored = sorted(state(path), key=lambda r: r[key])
    assert data["total_count"] == len(stored) > 0
    listed = [r[item] for r in rows(data)]
    assert [r[key] for r in listed] == [r[key] for r in stored]
    assert all(listed[i].items() <= stored[i].items() for i in range(len(stored)))


@pytest.mark.parametrize("path,item,key", LOOKUPS)
def test_lookup_pages(dk, state, path, item, key):
    stored = sorted(state(path), key=lambda r: r[key])
    data = dk(f"/api/{path}.json?page=2&limit=1")[1]
    assert data["total_count"] == len(stored)
    assert [r[item][key] for r in rows(data)] == [stored[1][key]]
    status, data, _ = dk(f"/api/{path}.json?limit=0")
    assert status == 400 and data["error"] == "validation_error"


def test_a_new_record_shows_in_its_lookup(dk, control):
    made = control.post("/state/deskie/robotsrule/languages",
                        json={"code": "de", "title": "Deutsch", "active": True})
    listed = [r["language"] for r in rows(dk("/api/languages.json?limit=100")[1])]
    assert {"language_id": made["language_id"], "code": "de", "title": "Deutsch",
            "active": True} in listed


def test_filters_are_the_built_in_ones_and_the_agents_own(dk, auth, agent, state):
    me, other = agent()["staff_id"], agent(access="limited")["staff_id"]
    filters = state("filters")
    status, data, _ = dk("/api/filters.json")
    assert status == 200
    ids = [r["filter"]["filter_id"] for r in rows(data)]
    assert ids == sorted(f["filter_id"] for f in filters if f["owner_staff_id"] in (0, me))
    theirs = dk("/api/filters.json", headers=auth(access="limited"))[1]
    their_ids = [r["filter"]["filter_id"] for r in rows(theirs)]
    assert their_ids == sorted(f["filter_id"] for f in filters
                               if f["owner_staff_id"] in (0, other))
    default = next(r["filter"] for r in rows(data) if r["filter"]["filter_id"] == 235)
    assert default == {"filter_id": 235, "filter_name": "Open", "is_selected": True,
                       "is_custom": False}


def test_an_agents_own_filter_is_listed_for_it_alone(dk, auth, accounts, state):
    owned = next(f for f in state("filters") if f["owner_staff_id"])
    owner = next(a for a in accounts["robotsrule"]["agents"]
                 if a["staff_id"] == owned["owner_staff_id"])
    ids = [r["filter"]["filter_id"] for r in rows(dk("/api/filters.json",
                                                     headers=auth(agent=owner))[1])]
    assert owned["filter_id"] in ids
    assert owned["filter_id"] not in [r["filter"]["filter_id"]
                                      for r in rows(dk("/api/filters.json")[1])]
