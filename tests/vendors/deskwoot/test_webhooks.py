"""Deskwoot webhooks through HTTP: CRUD (session, admin only) with the `whsec_` secret in the
create answer only, both spellings of the event list; and real deliveries to a receiver of the
test's own — signed X-Deskwoot-Signature, only to subscribers, only for a committed change,
retried on the sandbox clock and logged. The due work is done by the test (run_due_work); that
the background worker makes deliveries on its own, within a second, is tested in
tests/core/test_webhooks.py."""
from __future__ import annotations

import re

import pytest

from tests.conftest import run_due_work
from tests.receiver import Receiver

from .conftest import bearer, session

SIGNATURE = "X-Deskwoot-Signature"
ALL = {"message.created", "conversation.updated", "conversation.created", "contact.created",
       "contact.updated"}


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def admin(ent):
    return session(ent)


@pytest.fixture
def hook(dw, admin):
    def make(url, **fields):
        status, made = dw("/accounts/{acc}/webhooks", method="POST",
                          json={"url": url, **fields}, headers=admin)
        assert status == 201, made
        return made
    return make


def _deliveries(control, **filters):
    return control.get("/webhooks/deliveries", query_string={"vendor": "deskwoot", **filters})


def _delivery(control, ident, attempts):
    """The delivery, which must have made exactly `attempts` attempts."""
    delivery = control.get(f"/webhooks/deliveries/{ident}")
    assert len(delivery["attempts"]) == attempts, delivery
    return delivery


def test_create_list_update_delete(dw, admin, ent):
    status, made = dw("/accounts/{acc}/webhooks", method="POST", headers=admin,
                      json={"url": "https://example.com/hooks/deskwoot",
                            "subscriptions": ["message.created", "conversation.updated"]})
    assert status == 201
    seeded = dw("/accounts/{acc}/webhooks", headers=admin)[1][:-1]
    assert re.fullmatch(r"whsec_[0-9a-f]{32}", made["secret"])
    assert made["subscriptions"] == made["events"] == ["message.created", "conversation.updated"]
    assert made["active"] is True and made["accountId"] == ent["id"]
    status, listed = dw("/accounts/{acc}/webhooks", headers=admin)
    assert status == 200 and listed[-1]["id"] == made["id"]
    assert all("secret" not in w for w in listed)
    # the official client's spelling, and active
    status, changed = dw(f"/accounts/{{acc}}/webhooks/{made['id']}", method="PATCH",
                         headers=admin, json={"events": ["contact.created"], "active": False})
    assert status == 200 and changed["subscriptions"] == changed["events"] == ["contact.created"]
    assert changed["active"] is False and "secret" not in changed
    status, changed = dw(f"/accounts/{{acc}}/webhooks/{made['id']}", method="PATCH",
                         headers=admin, json={"url": "http://127.0.0.1:9/x"})
    assert status == 200 and changed["url"] == "http://127.0.0.1:9/x"
    assert changed["subscriptions"] == ["contact.created"]
    assert dw(f"/accounts/{{acc}}/webhooks/{made['id']}", method="DELETE",
              headers=admin)[0] == 204
    assert dw("/accounts/{acc}/webhooks", headers=admin) == (200, seeded)
    assert dw(f"/accounts/{{acc}}/webhooks/{made['id']}", method="DELETE",
              headers=admin)[0] == 404
    status, answer = dw(f"/accounts/{{acc}}/webhooks/{made['id']}", method="PATCH",
                        headers=admin, json={"active": True})
    assert status == 404 and made["id"] in answer["error"]


def test_the_seed_has_a_switched_off_webhook_on_business_and_higher(dw, creds):
    for plan in ("BUSINESS", "ENTERPRISE"):
        account = creds[plan]
        status, listed = dw(f"/accounts/{account['id']}/webhooks", headers=session(account))
        assert status == 200 and len(listed) == 1 and listed[0]["active"] is False, plan
        assert set(listed[0]["subscriptions"]) == ALL
    starter = creds["STARTUP"]
    assert dw(f"/accounts/{starter['id']}/webhooks", headers=session(starter)) == (200, [])


def test_subscriptions_omitted_is_every_event_and_client_spelling_is_read(hook):
    assert set(hook("https://example.com/a")["subscriptions"]) == ALL
    made = hook("https://example.com/b", events=["contact.updated"])
    assert made["subscriptions"] == made["events"] == ["contact.updated"]


def test_refusals_name_the_problem(dw, admin):
    before = dw("/accounts/{acc}/webhooks", headers=admin)
    cases = [({"url": "ftp://example.com/x"}, "url"),
             ({"subscriptions": ["message.created"]}, "url"),
             ({"url": "https://example.com/x", "subscriptions": ["ticket.created"]},
              "subscriptions"),
             ({"url": "https://example.com/x", "subscriptions": ["contact.created"],
               "events": ["message.created"]}, "subscriptions")]
    for payload, field in cases:
        status, answer = dw("/accounts/{acc}/webhooks", method="POST", json=payload,
                            headers=admin)
        assert status == 400 and field in answer["error"], (payload, answer)
    assert dw("/accounts/{acc}/webhooks", headers=admin) == before


def test_session_only_and_admin_only(dw, ent, creds):
    token = dw("/accounts/{acc}/webhooks", headers=bearer(ent))
    assert token[0] == 403 and "session" in token[1]["error"]
    status, answer = dw("/accounts/{acc}/webhooks", method="POST", headers=session(ent, "AGENT"),
                        json={"url": "https://example.com/x"})
    assert status == 403 and answer["error"] == "You do not have permission to perform this action"
    other = creds["BUSINESS"]
    assert dw("/accounts/{acc}/webhooks", headers=session(other))[0] == 404


def test_a_change_delivers_a_signed_payload(dw, hook, receiver, state, control, ent, runtime):
    made = hook(receiver.url(), subscriptions=["conversation.updated"])
    conv = next(c for c in state("conversations") if c["status"] != "RESOLVED")
    status, changed = dw(f"/conversations/{conv['id']}", method="PATCH",
                         json={"status": "RESOLVED"})
    assert status == 200
    run_due_work(runtime)
    [got] = receiver.received
    assert got.signed_by(made["secret"], SIGNATURE)
    assert not got.signed_by("whsec_" + "0" * 32, SIGNATURE)
    payload = got.json()
    assert payload["event"] == "conversation.updated" and payload["accountId"] == ent["id"]
    assert payload["data"]["id"] == conv["id"] and payload["data"]["status"] == "RESOLVED"
    assert payload["timestamp"].endswith("Z")
    [delivery] = _deliveries(control)
    delivery = _delivery(control, delivery["id"], 1)
    assert delivery["state"] == "delivered" and delivery["webhook"] == made["id"]
    assert delivery["payload"].encode() == got.body and delivery["id"] == payload["id"]
    assert delivery["headers"][SIGNATURE] == got.headers[SIGNATURE]


def test_every_event_of_the_page_is_raised_by_its_change(dw, hook, receiver, state, runtime):
    made = hook(receiver.url())
    conv = next(c for c in state("conversations") if c["priority"] != "URGENT")
    contact = state("contacts")[0]
    assert dw("/accounts/{acc}/contacts", method="POST",
              json={"name": "Hook Person", "email": "hook.person@example.com"})[0] == 201
    assert dw(f"/accounts/{{acc}}/contacts/{contact['id']}", method="PATCH",
              json={"company": "Hooked Ltd"})[0] == 200
    assert dw(f"/conversations/{conv['id']}", method="PATCH", json={"priority": "URGENT"})[0] \
        == 200
    assert dw(f"/conversations/{conv['id']}/messages", method="POST",
              json={"content": "hello from the desk"})[0] == 201
    assert dw("/accounts/{acc}/conversations", method="POST",
              json={"inboxId": conv["inboxId"], "contactId": conv["contactId"]})[0] == 201
    run_due_work(runtime)
    got = list(receiver.received)
    assert len(got) == 5 and {g.json()["event"] for g in got} == ALL
    assert all(g.signed_by(made["secret"], SIGNATURE) for g in got)
    by_event = {g.json()["event"]: g.json()["data"] for g in got}
    assert by_event["contact.updated"]["company"] == "Hooked Ltd"
    assert by_event["message.created"]["content"] == "hello from the desk"


def test_unsubscribed_events_inactive_hooks_and_unwatched_changes_deliver_nothing(
        dw, hook, receiver, state, control, runtime):
    hook(receiver.url(), subscriptions=["conversation.updated"])
    hook(receiver.url("/off"), active=False)
    conv = next(c for c in state("conversations") if not c["muted"])
    assert dw(f"/conversations/{conv['id']}/messages", method="POST",
              json={"content": "not subscribed"})[0] == 201
    # muted is not one of the page's watched fields (status, assignee, team, priority)
    assert dw(f"/conversations/{conv['id']}", method="PATCH", json={"muted": True})[0] == 200
    run_due_work(runtime)
    assert receiver.received == []
    assert _deliveries(control) == []


def test_a_refused_request_delivers_nothing(dw, hook, receiver, state, control, runtime):
    hook(receiver.url())
    conv = state("conversations")[0]
    status, _ = dw("/accounts/{acc}/conversations/bulk", method="POST",
                   json={"action": "change_status", "value": "PENDING",
                         "conversationIds": [conv["id"], "cnothere000000000000000000"]})
    assert status == 404
    run_due_work(runtime)
    assert receiver.received == []
    assert _deliveries(control) == []


def test_a_failing_receiver_is_retried_on_the_clock(dw, hook, receiver, control, runtime):
    receiver.status = 500
    hook(receiver.url(), subscriptions=["contact.created"])
    assert dw("/accounts/{acc}/contacts", method="POST",
              json={"name": "Retry Person", "email": "retry@example.com"})[0] == 201
    run_due_work(runtime)
    assert len(receiver.received) == 1  # no retry until the sandbox clock moves
    [delivery] = _deliveries(control, event="contact.created")
    first = _delivery(control, delivery["id"], 1)
    assert first["state"] == "pending" and first["attempts"][0]["status"] == 500
    assert first["next_attempt_at"] is not None
    receiver.status = 200
    control.post("/clock", json={"advance": 60})
    run_due_work(runtime)
    assert len(receiver.received) == 2
    done = _delivery(control, delivery["id"], 2)
    assert done["state"] == "delivered" and [a["status"] for a in done["attempts"]] == [500, 200]
    assert receiver.received[0].body == receiver.received[1].body
