"""Deskwoot campaigns through HTTP: CRUD (Business and higher, settings.manage_campaigns),
ONGOING by default, `send` of a one-off campaign creating an outgoing conversation with the
message per audience contact (409 for an ongoing or already sent one), and `scheduledAt` sends
when the sandbox clock reaches it."""
from __future__ import annotations

from tests.conftest import run_due_work

from .conftest import bearer, session

CAMPAIGNS = "/accounts/{acc}/campaigns"


def _make(dw, ent, **fields):
    status, made = dw(CAMPAIGNS, method="POST", headers=session(ent),
                      json={"title": "Spring sale", "message": "20% off this week", **fields})
    assert status == 201, made
    return made


def _audience(state, n=3):
    return [c["id"] for c in state("contacts")[:n]]


def test_create_get_list_update_delete(dw, ent, state):
    made = _make(dw, ent)
    assert made["campaignType"] == "ONGOING" and made["status"] == "ACTIVE"
    assert made["sentAt"] is None and made["accountId"] == ent["id"]
    assert dw(f"{CAMPAIGNS}/{made['id']}") == (200, made)  # a read token gets it
    assert dw(CAMPAIGNS) == (200, [made])
    inbox = state("inboxes")[0]
    status, changed = dw(f"{CAMPAIGNS}/{made['id']}", method="PATCH", headers=session(ent),
                         json={"campaignType": "ONE_OFF", "inboxId": inbox["id"],
                               "scheduledAt": "2030-01-01T09:00:00Z"})
    assert status == 200 and changed["status"] == "SCHEDULED"
    assert changed["scheduledAt"] == "2030-01-01T09:00:00Z" and changed["title"] == made["title"]
    assert dw(f"{CAMPAIGNS}/{made['id']}", method="DELETE", headers=session(ent))[0] == 204
    assert dw(f"{CAMPAIGNS}/{made['id']}")[0] == 404
    assert dw(CAMPAIGNS) == (200, [])


def test_refusals_name_the_field(dw, ent, state):
    for payload, code, field in (
            ({"message": "m"}, 400, "title"),
            ({"title": "t"}, 400, "message"),
            ({"title": "t", "message": "m", "campaignType": "FOREVER"}, 400, "campaignType"),
            ({"title": "t", "message": "m", "inboxId": "cnothere000000000000000000"}, 404,
             "inboxId"),
            ({"title": "t", "message": "m", "audience": {"segment": "rich"}}, 400,
             "audience.segment"),
            ({"title": "t", "message": "m", "audience": {"planet": "mars"}}, 400, "audience"),
            ({"title": "t", "message": "m",
              "audience": {"contactIds": ["cnothere000000000000000000"]}}, 404,
             "audience.contactIds")):
        status, answer = dw(CAMPAIGNS, method="POST", json=payload, headers=session(ent))
        assert status == code and field in answer["error"], (payload, answer)
    assert dw(CAMPAIGNS) == (200, [])


def test_access_session_permission_and_plan(dw, ent, creds, state):
    body = {"title": "t", "message": "m"}
    status, answer = dw(CAMPAIGNS, method="POST", json=body, headers=bearer(ent))
    assert status == 403 and "session" in answer["error"]
    plain = next(u for u in state("users") if u["role"] == "AGENT" and not u["customRoleId"])
    status, answer = dw(CAMPAIGNS, method="POST", json=body,
                        headers={"Cookie": f"deskwoot_session={plain['session']}"})
    assert status == 403 and "permission" in answer["error"]
    starter = creds["STARTUP"]
    status, answer = dw(f"/accounts/{starter['id']}/campaigns", headers=session(starter))
    assert status == 403 and answer["error"] == \
        "Feature not available on your plan (requires BUSINESS)"


def test_send_creates_an_outgoing_conversation_per_audience_contact(dw, ent, state):
    contacts = _audience(state)
    inbox = state("inboxes")[1]
    made = _make(dw, ent, campaignType="ONE_OFF", inboxId=inbox["id"],
                 audience={"contactIds": contacts})
    before = {c["id"] for c in state("conversations")}
    status, sent = dw(f"{CAMPAIGNS}/{made['id']}/send", method="POST", headers=session(ent))
    assert status == 200 and sent["status"] == "COMPLETED" and sent["sentAt"]
    new = [c for c in state("conversations") if c["id"] not in before]
    assert sorted(c["contactId"] for c in new) == sorted(contacts)
    assert all(c["inboxId"] == inbox["id"] and c["subject"] == "Spring sale" for c in new)
    got = dw(f"/conversations/{new[0]['id']}")[1]
    [message] = got["messages"]
    assert message["content"] == "20% off this week" and message["messageType"] == "OUTGOING"
    status, answer = dw(f"{CAMPAIGNS}/{made['id']}/send", method="POST", headers=session(ent))
    assert status == 409 and "already sent" in answer["error"]
    assert len(state("conversations")) == len(before) + len(contacts)


def test_an_ongoing_campaign_cannot_be_sent_and_a_segment_picks_the_audience(dw, ent, state):
    ongoing = _make(dw, ent)
    status, answer = dw(f"{CAMPAIGNS}/{ongoing['id']}/send", method="POST", headers=session(ent))
    assert status == 409 and "one-off" in answer["error"]
    no_email = {c["id"] for c in state("contacts") if not c["email"]}
    assert no_email
    made = _make(dw, ent, campaignType="ONE_OFF", audience={"segment": "no-email"})
    before = {c["id"] for c in state("conversations")}
    assert dw(f"{CAMPAIGNS}/{made['id']}/send", method="POST", headers=session(ent))[0] == 200
    new = {c["contactId"] for c in state("conversations") if c["id"] not in before}
    assert new == no_email


def test_a_scheduled_campaign_sends_when_the_clock_reaches_it(dw, ent, state, control,
                                                              runtime):
    contacts = _audience(state, 2)
    now = control.get("/clock")["now"]
    count = len(state("conversations"))
    made = _make(dw, ent, campaignType="ONE_OFF", audience={"contactIds": contacts},
                 scheduledAt="2031-06-01T10:00:00Z")
    assert made["status"] == "SCHEDULED" and now < "2031-06-01T10:00:00Z"
    run_due_work(runtime)  # nothing is due yet
    assert len(state("conversations")) == count
    assert dw(f"{CAMPAIGNS}/{made['id']}")[1]["status"] == "SCHEDULED"
    control.post("/clock", json={"now": "2031-06-01T09:59:59Z"})
    run_due_work(runtime)  # a second early: still nothing
    assert dw(f"{CAMPAIGNS}/{made['id']}")[1]["status"] == "SCHEDULED"
    control.post("/clock", json={"now": "2031-06-01T10:00:01Z"})
    run_due_work(runtime)
    assert dw(f"{CAMPAIGNS}/{made['id']}")[1]["status"] == "COMPLETED"
    assert len(state("conversations")) == count + 2
