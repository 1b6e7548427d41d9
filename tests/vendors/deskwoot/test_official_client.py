"""The official JavaScript client's surface (Deskwoot/deskwoot-js), driven through HTTP in the
shapes it sends, for the operations the sandbox serves: `baseUrl` is the sandbox's
/deskwoot, every request carries `Content-Type: application/json` and the bearer token, a body
is JSON (also on DELETE), its query names are assignee_id, team_id, inbox_id, label_id, page,
pageSize; a non-2xx answer is an error read from `error`, a 204 is no value. The README's
examples are included."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from .conftest import bearer


class ClientError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Client:
    """What the client puts on the wire, method by method (a test double of its transport)."""

    def __init__(self, http, token: str, account_id: str, base_url: str = "/deskwoot"):
        self.http, self.token, self.account = http, token, account_id
        self.base = base_url.rstrip("/")
        self.sent = []

    def request(self, method: str, path: str, body=None):
        data = json.dumps(body) if body else None  # the client sends a body only when given
        self.sent.append((method, path))
        r = self.http.open(self.base + path, method=method, data=data, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        if not 200 <= r.status_code < 300:
            error = (r.get_json(silent=True) or {}).get("error")
            raise ClientError(r.status_code, error or r.status)
        return None if r.status_code == 204 else r.get_json()

    @property
    def base_path(self):
        return f"/api/v1/accounts/{self.account}"

    # conversations
    def list_conversations(self, **filters):
        names = {"status": "status", "assigneeId": "assignee_id", "teamId": "team_id",
                 "inboxId": "inbox_id", "labelId": "label_id", "page": "page",
                 "pageSize": "pageSize"}
        qs = urlencode({names[k]: v for k, v in filters.items() if v})
        return self.request("GET", f"{self.base_path}/conversations" + (f"?{qs}" if qs else ""))

    def get_conversation(self, cid):
        return self.request("GET", f"/api/v1/conversations/{cid}")

    def create_conversation(self, data):
        return self.request("POST", f"{self.base_path}/conversations", data)

    def update_conversation(self, cid, data):
        return self.request("PATCH", f"/api/v1/conversations/{cid}", data)

    def bulk_conversation_action(self, action):
        return self.request("POST", f"{self.base_path}/conversations/bulk", action)

    # messages
    def list_messages(self, cid):
        return self.request("GET", f"/api/v1/conversations/{cid}/messages")

    def send_message(self, cid, data):
        return self.request("POST", f"/api/v1/conversations/{cid}/messages", data)

    # contacts
    def list_contacts(self, **filters):
        qs = urlencode({k: v for k, v in filters.items() if v})
        return self.request("GET", f"{self.base_path}/contacts" + (f"?{qs}" if qs else ""))

    def get_contact(self, contact_id):
        return self.request("GET", f"{self.base_path}/contacts/{contact_id}")

    def create_contact(self, data):
        return self.request("POST", f"{self.base_path}/contacts", data)

    def update_contact(self, contact_id, data):
        return self.request("PATCH", f"{self.base_path}/contacts/{contact_id}", data)

    def delete_contact(self, contact_id):
        return self.request("DELETE", f"{self.base_path}/contacts/{contact_id}")

    def merge_contacts(self, primary, secondary):
        return self.request("POST", f"{self.base_path}/contacts/merge",
                            {"primaryContactId": primary, "secondaryContactId": secondary})

    # labels on conversations
    def add_label_to_conversation(self, cid, label_id):
        return self.request("POST", f"/api/v1/conversations/{cid}/labels", {"labelId": label_id})

    def remove_label_from_conversation(self, cid, label_id):
        return self.request("DELETE", f"/api/v1/conversations/{cid}/labels",
                            {"labelId": label_id})


@pytest.fixture
def js(client, ent):
    token = bearer(ent)["Authorization"].split()[1]
    return Client(client, token, ent["id"])


def test_the_readme_quick_start(js):
    conversations = js.list_conversations(status="OPEN")
    assert conversations and all(c["status"] == "OPEN" for c in conversations)
    sent = js.send_message(conversations[0]["id"],
                           {"content": "Thanks for reaching out! We'll look into this."})
    assert sent["conversationId"] == conversations[0]["id"]
    contact = js.create_contact({"name": "Jane Doe", "email": "jane@example.com",
                                 "company": "Acme Inc"})
    assert contact["email"] == "jane@example.com" and contact["accountId"] == js.account
    found = js.list_contacts(search="jane@example.com")
    assert [c["id"] for c in found["contacts"]] == [contact["id"]]


def test_the_readme_examples(js, state):
    inbox = state("inboxes")[0]["id"]
    page = js.list_conversations(inboxId=inbox, status="OPEN", page=1, pageSize=25)
    assert page and all(c["inboxId"] == inbox and c["status"] == "OPEN" for c in page)
    assert js.update_conversation(page[0]["id"], {"status": "RESOLVED"})["status"] == "RESOLVED"
    agent = state("users")[0]["id"]
    ids = [c["id"] for c in page[:3]]
    js.bulk_conversation_action({"action": "assign_agent", "conversationIds": ids,
                                 "value": agent})
    assert all(js.get_conversation(i)["assigneeId"] == agent for i in ids)
    with pytest.raises(ClientError) as refused:
        js.get_conversation("invalid-id")
    assert refused.value.status == 404 and "not found" in str(refused.value)


def test_every_conversation_method(js, state):
    contact, inbox = state("contacts")[0], state("inboxes")[1]
    team = state("teams")[0]["id"]
    made = js.create_conversation({"inboxId": inbox["id"], "contactId": contact["id"],
                                   "message": "Hello from the widget", "status": "OPEN",
                                   "teamId": team})
    assert (made["inboxId"], made["contactId"], made["teamId"]) == (inbox["id"], contact["id"],
                                                                    team)
    assert isinstance(made["displayId"], int)
    got = js.get_conversation(made["id"])
    assert got["messages"][0]["content"] == "Hello from the widget"
    changed = js.update_conversation(made["id"], {"priority": "HIGH", "assigneeId": None,
                                                  "teamId": None, "muted": True})
    assert (changed["priority"], changed["teamId"], changed["muted"]) == ("HIGH", None, True)
    for filters in ({"teamId": team}, {"labelId": state("labels")[0]["id"]},
                    {"assigneeId": state("users")[0]["id"]}):
        listed = js.list_conversations(**filters, pageSize=100)
        key, value = next(iter(filters.items()))
        if key == "labelId":
            assert all(value in [lab["id"] for lab in c["labels"]] for c in listed)
        else:
            assert listed and all(c[key] == value for c in listed)
    for action, value in (("change_status", "PENDING"), ("change_priority", "LOW"),
                          ("assign_team", team), ("add_label", state("labels")[0]["id"]),
                          ("mute", None), ("unmute", None), ("mark_unread", None),
                          ("snooze", None)):
        body = {"action": action, "conversationIds": [made["id"]]}
        if value is not None:
            body["value"] = value
        js.bulk_conversation_action(body)
    after = js.get_conversation(made["id"])
    assert (after["status"], after["priority"], after["teamId"], after["muted"]) == \
        ("SNOOZED", "LOW", team, False)
    js.bulk_conversation_action({"action": "delete", "conversationIds": [made["id"]]})
    with pytest.raises(ClientError) as gone:
        js.get_conversation(made["id"])
    assert gone.value.status == 404


def test_messages_in_the_clients_shapes(js, state):
    conv = state("conversations")[0]["id"]
    sent = js.send_message(conv, {"content": "<b>Shipped</b>", "messageType": "OUTGOING",
                                  "contentType": "HTML", "private": False,
                                  "cc": ["boss@example.com"], "bcc": ["audit@example.com"]})
    assert (sent["contentType"], sent["cc"], sent["bcc"]) == ("HTML", ["boss@example.com"],
                                                              ["audit@example.com"])
    note = js.send_message(conv, {"content": "internal", "private": True})
    incoming = js.send_message(conv, {"content": "Still broken", "messageType": "INCOMING"})
    listed = js.list_messages(conv)
    assert [m["id"] for m in listed[-3:]] == [sent["id"], note["id"], incoming["id"]]
    assert all({"id", "conversationId", "content", "messageType", "contentType", "private",
                "createdAt", "attachments"} <= set(m) for m in listed)


def test_every_contact_method(js, state):
    made = js.create_contact({"name": "Kai Berg", "email": "kai@example.com",
                              "phone": "+49 151 5550000", "company": "Berg AG",
                              "location": "Kiel", "description": "via client",
                              "customAttributes": {"plan": "pro"}})
    assert js.get_contact(made["id"])["location"] == "Kiel"
    assert js.update_contact(made["id"], {"company": "Berg GmbH"})["company"] == "Berg GmbH"
    listed = js.list_contacts(search="Kai Berg", segment="has-phone", page=1, pageSize=10)
    assert [c["id"] for c in listed["contacts"]] == [made["id"]]
    other = js.create_contact({"name": "Kai B.", "phone": "+49 151 5550001"})
    conv = js.create_conversation({"inboxId": state("inboxes")[0]["id"],
                                   "contactId": other["id"], "message": "hi"})
    merged = js.merge_contacts(made["id"], other["id"])
    assert merged["id"] == made["id"]
    assert js.get_conversation(conv["id"])["contactId"] == made["id"]
    assert js.delete_contact(made["id"]) is None
    with pytest.raises(ClientError) as gone:
        js.get_contact(made["id"])
    assert gone.value.status == 404


def test_conversation_labels_with_a_json_body_on_delete(js, state):
    conv = next(c for c in state("conversations") if not c["labelIds"])["id"]
    label = state("labels")[2]["id"]
    js.add_label_to_conversation(conv, label)
    assert [lab["id"] for lab in js.get_conversation(conv)["labels"]] == [label]
    js.remove_label_from_conversation(conv, label)
    assert js.get_conversation(conv)["labels"] == []


def test_errors_reach_the_client_as_the_error_field(js):
    with pytest.raises(ClientError) as refused:
        js.create_contact({"company": "nobody"})
    assert refused.value.status == 400 and "name, email or phone" in str(refused.value)
