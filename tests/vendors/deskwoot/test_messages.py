"""Messages through HTTP: list with sender and attachments; send notes, OUTGOING and INCOMING,
HTML with cc/bcc; upload attachments (multipart, 10 MB per file)."""
from __future__ import annotations

import io

import pytest


@pytest.fixture
def conv(state):
    return state("conversations")[0]


def test_list_has_senders_and_attachments_oldest_first(dw, state):
    with_file = next(m for m in state("messages") if m["attachments"])
    status, got = dw(f"/conversations/{with_file['conversationId']}/messages")
    assert status == 200
    stamps = [m["createdAt"] for m in got]
    assert stamps == sorted(stamps)
    found = next(m for m in got if m["id"] == with_file["id"])
    assert found["attachments"][0]["fileName"] == with_file["attachments"][0]["fileName"]
    assert found["attachments"][0]["fileType"] == "IMAGE"
    assert found["sender"]["type"] == "contact" and found["sender"]["name"]
    outgoing = [m for m in state("messages") if m["messageType"] == "OUTGOING"][0]
    _, got = dw(f"/conversations/{outgoing['conversationId']}/messages")
    assert next(m for m in got if m["id"] == outgoing["id"])["sender"]["type"] == "user"


def test_send_outgoing_note_and_incoming(dw, conv, ent, state):
    status, sent = dw(f"/conversations/{conv['id']}/messages", method="POST",
                      json={"content": "Your order has been shipped!", "private": False})
    assert status == 201
    assert (sent["messageType"], sent["private"], sent["contentType"]) == ("OUTGOING", False,
                                                                          "TEXT")
    assert sent["sender"]["type"] == "user"
    status, note = dw(f"/conversations/{conv['id']}/messages", method="POST",
                      json={"content": "internal", "private": True})
    assert status == 201 and note["private"] is True
    status, incoming = dw(f"/conversations/{conv['id']}/messages", method="POST",
                          json={"content": "Thanks!", "messageType": "INCOMING"})
    assert incoming["sender"] == {"id": conv["contactId"], "type": "contact",
                                  "name": incoming["sender"]["name"]}
    status, html = dw(f"/conversations/{conv['id']}/messages", method="POST",
                      json={"content": "<p>Hi</p>", "contentType": "HTML",
                            "cc": ["a@example.com"], "bcc": ["b@example.com"]})
    assert (html["contentType"], html["cc"], html["bcc"]) == ("HTML", ["a@example.com"],
                                                              ["b@example.com"])
    _, listed = dw(f"/conversations/{conv['id']}/messages")
    assert [m["id"] for m in listed[-4:]] == [sent["id"], note["id"], incoming["id"], html["id"]]
    stored = next(c for c in state("conversations") if c["id"] == conv["id"])
    assert stored["lastActivityAt"] == html["createdAt"]


def test_send_refuses_bad_input(dw, conv):
    status, answer = dw(f"/conversations/{conv['id']}/messages", method="POST", json={})
    assert status == 400 and "content" in answer["error"]
    status, answer = dw(f"/conversations/{conv['id']}/messages", method="POST",
                        json={"content": "x", "messageType": "ACTIVITY"})
    assert status == 400 and "messageType" in answer["error"]
    assert dw("/conversations/cnothere000000000000000000/messages", method="POST",
              json={"content": "x"})[0] == 404


def test_upload_an_attachment(client, conv, ent):
    from .conftest import API, bearer
    r = client.post(f"{API}/conversations/{conv['id']}/attachments", headers=bearer(ent),
                    content_type="multipart/form-data",
                    data={"file": (io.BytesIO(b"%PDF-1.4 invoice"), "invoice.pdf",
                                   "application/pdf"), "content": "Here is your invoice."})
    assert r.status_code == 201, r.get_data(as_text=True)
    sent = r.get_json()
    assert sent["content"] == "Here is your invoice."
    [file] = sent["attachments"]
    assert (file["fileName"], file["fileSize"], file["contentType"], file["fileType"]) == \
        ("invoice.pdf", 16, "application/pdf", "FILE")
    assert file["fileUrl"].endswith("/invoice.pdf")


def test_upload_limits(client, conv, ent):
    from .conftest import API, bearer
    url = f"{API}/conversations/{conv['id']}/attachments"
    big = io.BytesIO(b"0" * (10 * 1024 * 1024 + 1))
    r = client.post(url, headers=bearer(ent), content_type="multipart/form-data",
                    data={"file": (big, "big.bin")})
    assert r.status_code == 413 and "10 MB" in r.get_json()["error"]
    r = client.post(url, headers=bearer(ent), content_type="multipart/form-data",
                    data={"content": "no file"})
    assert r.status_code == 400 and "file" in r.get_json()["error"]


def test_an_incoming_message_is_the_contacts_activity(dw, state, control):
    contact = next(c for c in state("contacts") if c["lastActivityAt"] is None
                   and any(v["contactId"] == c["id"] for v in state("conversations")))
    conv = next(v for v in state("conversations") if v["contactId"] == contact["id"])
    active = ("/accounts/{acc}/contacts?segment=active-7d&search="
              + (contact["email"] or contact["name"]))
    _, before = dw(active)
    assert contact["id"] not in {c["id"] for c in before["contacts"]}
    status, sent = dw(f"/conversations/{conv['id']}/messages", method="POST",
                      json={"content": "Hello again", "messageType": "INCOMING"})
    assert status == 201
    _, after = dw(active)
    assert contact["id"] in {c["id"] for c in after["contacts"]}
    assert next(c for c in state("contacts") if c["id"] == contact["id"])["lastActivityAt"] \
        == sent["createdAt"]
