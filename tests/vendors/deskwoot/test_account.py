"""Account settings through HTTP: read and update (IANA time zone, locale, brand colour), the
manage_account permission and another account's settings."""
from __future__ import annotations

from .conftest import session


def test_get_settings(dw, ent):
    status, got = dw("/accounts/{acc}/settings")
    assert status == 200 and got["id"] == ent["id"] and got["plan"] == "ENTERPRISE"
    assert (got["name"], got["timezone"], got["locale"]) == ("Acme Support", "Europe/Berlin",
                                                             "en")


def test_update_reads_back_and_is_audited(dw, ent, state):
    status, got = dw("/accounts/{acc}/settings", method="PATCH", headers=session(ent),
                     json={"name": "Acme Help", "timezone": "Asia/Tokyo", "locale": "ja",
                           "autoResolveEnabled": True, "autoResolveDuration": 72,
                           "brandColor": "#112233", "liveTranslateEnabled": True,
                           "liveTranslateTargetLang": "de"})
    assert status == 200 and got["name"] == "Acme Help" and got["autoResolveDuration"] == 72
    assert dw("/accounts/{acc}/settings")[1] == got
    assert any(a["action"] == "settings.updated" for a in state("audit_logs"))


def test_refusals(dw, ent, creds):
    _, before = dw("/accounts/{acc}/settings")
    for body, named in (({"timezone": "Berlin"}, "timezone"), ({"locale": "xx"}, "locale"),
                        ({"brandColor": "blue"}, "brandColor"),
                        ({"autoResolveDuration": 0}, "autoResolveDuration")):
        status, answer = dw("/accounts/{acc}/settings", method="PATCH", headers=session(ent),
                            json=body)
        assert status == 400 and named in answer["error"], named
    assert dw("/accounts/{acc}/settings", method="PATCH", json={"name": "x"})[0] == 403
    assert dw("/accounts/{acc}/settings", method="PATCH", headers=session(ent, "AGENT", 1),
              json={"name": "x"})[0] == 403
    other = creds["BUSINESS"]
    assert dw(f"/accounts/{other['id']}/settings", method="PATCH", headers=session(ent),
              json={"name": "x"})[0] == 404
    assert dw("/accounts/{acc}/settings")[1] == before
