"""Business hours through HTTP: the full weekly schedule read and set as a whole, with its
checks (each day once, close after open, an IANA time zone) and the manage_account gate."""
from __future__ import annotations

from .conftest import session

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _week(**overrides):
    days = [{"day": d, "enabled": d not in ("saturday", "sunday"), "openHour": 8,
             "openMinute": 30, "closeHour": 18, "closeMinute": 0} for d in DAYS]
    for d in days:
        d.update(overrides.get(d["day"], {}))
    return days


def test_get_the_seeded_schedule(dw, ent):
    status, got = dw("/accounts/{acc}/business-hours")
    assert status == 200 and got["enabled"] is True and got["timezone"] == "Europe/Berlin"
    assert [d["day"] for d in got["schedule"]] == list(DAYS)
    monday = got["schedule"][0]
    assert (monday["enabled"], monday["openHour"], monday["closeHour"]) == (True, 9, 17)
    assert got["schedule"][6]["enabled"] is False


def test_set_the_full_schedule(dw, ent):
    week = _week(saturday={"enabled": True, "openHour": 10, "closeHour": 14})
    body = {"enabled": True, "timezone": "America/New_York", "schedule": week[::-1]}
    status, got = dw("/accounts/{acc}/business-hours", method="PUT", headers=session(ent),
                     json=body)
    assert status == 200 and got == {**body, "schedule": week}
    assert dw("/accounts/{acc}/business-hours")[1] == got


def test_refusals_change_nothing(dw, ent):
    _, before = dw("/accounts/{acc}/business-hours")
    path = "/accounts/{acc}/business-hours"
    cases = [
        ({"enabled": True, "timezone": "Mars/Olympus", "schedule": _week()}, "timezone"),
        ({"enabled": True, "timezone": "UTC", "schedule": _week()[:6]}, "schedule"),
        ({"enabled": True, "timezone": "UTC",
          "schedule": _week()[:6] + [{**_week()[0]}]}, "schedule"),
        ({"enabled": True, "timezone": "UTC",
          "schedule": _week(monday={"openHour": 18, "closeHour": 9})}, "monday"),
        ({"enabled": True, "timezone": "UTC",
          "schedule": _week(monday={"openHour": 25})}, "openHour"),
        ({"timezone": "UTC", "schedule": _week()}, "enabled"),
    ]
    for body, named in cases:
        status, answer = dw(path, method="PUT", headers=session(ent), json=body)
        assert status == 400 and named in answer["error"], (named, answer)
    assert dw(path)[1] == before
    assert dw(path, method="PUT", json={"enabled": False, "timezone": "UTC",
                                        "schedule": _week()})[0] == 403  # a token
    assert dw(path, method="PUT", headers=session(ent, "AGENT", 1),
              json={"enabled": False, "timezone": "UTC", "schedule": _week()})[0] == 403
    assert dw(path)[1] == before


def test_each_account_has_its_own(dw, ent, creds):
    other = creds["BUSINESS"]
    _, theirs = dw(f"/accounts/{other['id']}/business-hours", headers=session(other))
    assert theirs["timezone"] == "America/New_York"
    assert dw(f"/accounts/{other['id']}/business-hours", method="PUT", headers=session(ent),
              json={"enabled": False, "timezone": "UTC", "schedule": _week()})[0] == 404
    assert dw(f"/accounts/{other['id']}/business-hours", headers=session(other))[1] == theirs
