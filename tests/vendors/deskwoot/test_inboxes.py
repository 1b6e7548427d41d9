"""Inboxes through HTTP: list and get, create every channel type, the CSAT rules (four styles,
a prompt of at most 240 characters, empty -> null), delete with its conversations, the
permission gate, and another account's inboxes."""
from __future__ import annotations

import pytest

from .conftest import session



def test_list_and_get(dw, state):
    stored = state("inboxes")
    status, listed = dw("/accounts/{acc}/inboxes")
    assert status == 200 and {i["id"] for i in listed} == {i["id"] for i in stored}
    chat = next(i for i in listed if i["channelType"] == "WEB")
    assert chat["greeting"] == chat["greetingMessage"] == "Hi! How can we help?"
    assert dw(f"/accounts/{{acc}}/inboxes/{chat['id']}") == (200, chat)
    status, answer = dw("/accounts/{acc}/inboxes/cnothere000000000000000000")
    assert status == 404 and "cnothere000000000000000000" in answer["error"]


@pytest.mark.parametrize("channel", ["WEB", "EMAIL", "TELEGRAM", "WHATSAPP", "SMS", "LINE",
                                     "TWITTER", "FACEBOOK", "INSTAGRAM", "WEBCHAT"])
def test_create_every_channel_type(dw, ent, channel):
    body = {"name": f"{channel} inbox", "channelType": channel}
    if channel == "EMAIL":
        body["emailAddress"] = "help@acme-support.example.com"
    if channel == "TELEGRAM":
        body["telegramBotToken"] = "123456:ABC-DEF"
    status, made = dw("/accounts/{acc}/inboxes", method="POST", json=body,
                      headers=session(ent))
    assert status == 201
    assert made["channelType"] == ("WEB" if channel == "WEBCHAT" else channel)
    assert made["enableAutoAssign"] is True and made["greetingEnabled"] is False
    assert dw(f"/accounts/{{acc}}/inboxes/{made['id']}") == (200, made)


def test_create_is_audited(dw, ent, state):
    status, made = dw("/accounts/{acc}/inboxes", method="POST", headers=session(ent),
                      json={"name": "WhatsApp EU", "channelType": "WHATSAPP"})
    assert status == 201
    entry = next(a for a in state("audit_logs") if a["action"] == "inbox.created"
                 and a["details"].get("inboxId") == made["id"])
    assert entry["details"]["inboxName"] == "WhatsApp EU"
    assert entry["actorEmail"] == next(u["email"] for u in ent["users"]
                                       if u["role"] == "ADMINISTRATOR")


def test_create_refusals(dw, ent, state):
    before = state("inboxes")
    status, answer = dw("/accounts/{acc}/inboxes", method="POST", headers=session(ent),
                        json={"name": "Mail", "channelType": "EMAIL"})
    assert status == 400 and "emailAddress" in answer["error"]
    status, answer = dw("/accounts/{acc}/inboxes", method="POST", headers=session(ent),
                        json={"name": "Fax", "channelType": "FAX"})
    assert status == 400 and "channelType" in answer["error"]
    status, answer = dw("/accounts/{acc}/inboxes", method="POST", headers=session(ent),
                        json={"channelType": "WEB"})
    assert status == 400 and "name" in answer["error"]
    status, answer = dw("/accounts/{acc}/inboxes", method="POST", headers=session(ent),
                        json={"name": "Bot", "channelType": "WEB", "botEnabled": True,
                              "agentBotId": "cnothere000000000000000000"})
    assert status == 404 and answer["error"].startswith("agentBotId:")
    # a token is not a session; a plain agent lacks settings.manage_inboxes
    assert dw("/accounts/{acc}/inboxes", method="POST",
              json={"name": "T", "channelType": "WEB"})[0] == 403
    assert dw("/accounts/{acc}/inboxes", method="POST", json={"name": "T", "channelType": "WEB"},
              headers=session(ent, "AGENT", 0))[0] == 403
    assert state("inboxes") == before


def test_csat_rules(dw, ent):
    _, listed = dw("/accounts/{acc}/inboxes")
    inbox = listed[0]["id"]
    path = f"/accounts/{{acc}}/inboxes/{inbox}"
    status, changed = dw(path, method="PATCH", headers=session(ent),
                         json={"csatEnabled": True, "csatRatingStyle": "HEARTS",
                               "csatPromptText": "How was your experience today?"})
    assert status == 200 and changed["csatRatingStyle"] == "HEARTS"
    assert changed["csatPromptText"] == "How was your experience today?"
    assert dw(path)[1] == changed
    status, changed = dw(path, method="PATCH", headers=session(ent), json={"csatPromptText": ""})
    assert status == 200 and changed["csatPromptText"] is None
    for style in ("STARS", "FIRE", "SMILEYS"):
        assert dw(path, method="PATCH", headers=session(ent),
                  json={"csatRatingStyle": style})[1]["csatRatingStyle"] == style
    status, answer = dw(path, method="PATCH", headers=session(ent),
                        json={"csatRatingStyle": "THUMBS"})
    assert status == 400 and "csatRatingStyle" in answer["error"]
    assert dw(path, method="PATCH", headers=session(ent),
              json={"csatPromptText": "x" * 240})[0] == 200
    status, answer = dw(path, method="PATCH", headers=session(ent),
                        json={"csatPromptText": "x" * 241})
    assert status == 400 and "csatPromptText" in answer["error"]
    assert dw(path)[1]["csatPromptText"] == "x" * 240


def test_update_by_a_custom_role_and_unknown_ids(dw, ent):
    _, listed = dw("/accounts/{acc}/inboxes")
    manager = session(ent, "AGENT", 1)  # the agent whose custom role manages inboxes
    status, changed = dw(f"/accounts/{{acc}}/inboxes/{listed[0]['id']}", method="PATCH",
                         headers=manager, json={"name": "Renamed", "greetingMessage": "Hey"})
    assert status == 200 and changed["name"] == "Renamed" and changed["greeting"] == "Hey"
    assert dw("/accounts/{acc}/inboxes/cnothere000000000000000000", method="PATCH",
              headers=session(ent), json={"name": "x"})[0] == 404


def test_delete_takes_its_conversations_and_messages(dw, ent, state):
    convs = state("conversations")
    inbox = convs[0]["inboxId"]
    gone = {c["id"] for c in convs if c["inboxId"] == inbox}
    assert dw(f"/accounts/{{acc}}/inboxes/{inbox}", method="DELETE",
              headers=session(ent)) == (204, None)
    assert dw(f"/accounts/{{acc}}/inboxes/{inbox}")[0] == 404
    assert not gone & {c["id"] for c in state("conversations")}
    assert not gone & {m["conversationId"] for m in state("messages")}
    assert dw(f"/conversations/{next(iter(gone))}")[0] == 404
    assert dw(f"/accounts/{{acc}}/inboxes/{inbox}", method="DELETE",
              headers=session(ent))[0] == 404


def test_another_accounts_inboxes_are_unreachable(dw, ent, creds, state):
    other = creds["BUSINESS"]
    theirs = state("inboxes", other)[0]["id"]
    assert dw(f"/accounts/{{acc}}/inboxes/{theirs}")[0] == 404
    assert dw(f"/accounts/{{acc}}/inboxes/{theirs}", method="DELETE",
              headers=session(ent))[0] == 404
    assert dw(f"/accounts/{other['id']}/inboxes")[0] == 404
    assert len(state("inboxes", other)) == 3
