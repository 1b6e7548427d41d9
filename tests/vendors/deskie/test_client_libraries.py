"""Deskie as published Omnidesk/Deskie client libraries call it: form bodies (PHP/Rails bracket
names), multipart uploads with numbers in them, and PHP-style scalars in JSON."""
from __future__ import annotations

import io
from urllib.parse import urlencode

from tests.support import body

from .conftest import rows


def test_a_form_body_with_bracket_names_creates_a_case(client, auth):
    """A PHP SDK on Guzzle sends application/x-www-form-urlencoded `case[subject]=…`."""
    form = urlencode({"case[user_email]": "guzzle@example.com", "case[subject]": "From a form",
                      "case[content]": "Hello", "case[group_id]": "318", "case[labels][]": "4",
                      "case[priority]": "high"})
    r = client.post("/deskie/api/cases.json", data=form, headers=auth(),
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200, r.get_data(as_text=True)
    case = body(r)["case"]
    assert (case["subject"], case["group_id"], case["priority"]) == ("From a form", 318, "high")
    edit = client.put(f"/deskie/api/cases/{case['case_id']}.json", headers=auth(),
                      data=urlencode({"case[subject]": "Renamed"}),
                      content_type="application/x-www-form-urlencoded")
    assert edit.status_code == 200 and body(edit)["case"]["subject"] == "Renamed"


def test_multipart_numbers_are_numbers_and_empty_brackets_are_a_list(client, auth):
    """`case[group_id]=318` in a multipart upload, files as `message[attachments][]`."""
    r = client.post("/deskie/api/cases.json", headers=auth(), content_type="multipart/form-data",
                    data={"case[user_email]": "faraday@example.com", "case[subject]": "Upload",
                          "case[content]": "see file", "case[group_id]": "318",
                          "case[attachments][1]": (io.BytesIO(b"hello"), "a.txt")})
    assert r.status_code == 200, r.get_data(as_text=True)
    case = body(r)["case"]
    assert case["group_id"] == 318
    m = client.post(f"/deskie/api/cases/{case['case_id']}/messages.json", headers=auth(),
                    content_type="multipart/form-data",
                    data={"message[content]": "two files",
                          "message[attachments][]": [(io.BytesIO(b"x"), "x.txt"),
                                                     (io.BytesIO(b"yy"), "y.txt")]})
    assert m.status_code == 200, m.get_data(as_text=True)
    files = body(m)["message"]["attachments"]
    assert [(f["file_name"], f["file_size"]) for f in files] == [("x.txt", 1), ("y.txt", 2)]
    bad = client.post("/deskie/api/cases.json", headers=auth(), content_type="multipart/form-data",
                      data={"case[user_email]": "f@example.com", "case[subject]": "s",
                            "case[content]": "c", "case[group_id]": "three"})
    assert bad.status_code == 400 and "group_id" in body(bad)["description"]
    assert "_list" not in body(bad)["description"]


def test_a_form_array_may_come_as_repeated_or_single_plain_names(client, auth):
    """Generic form encoders (OpenAPI's exploded deepObject) repeat a name for an array and send
    one plain name for an array of one: both are the list the schema names."""
    case_id = rows(body(client.get("/deskie/api/cases.json", headers=auth())))[0]["case"]["case_id"]
    for urls in (["https://example.com/a.png"],
                 ["https://example.com/a.png", "https://example.com/b.png"]):
        form = urlencode([("message[content]", "links"),
                          *(("message[attachment_urls]", url) for url in urls)])
        r = client.post(f"/deskie/api/cases/{case_id}/messages.json", data=form, headers=auth(),
                        content_type="application/x-www-form-urlencoded")
        assert r.status_code == 200, r.get_data(as_text=True)
        files = body(r)["message"]["attachments"]
        assert len(files) == len(urls)
    repeated = client.put(f"/deskie/api/cases/{case_id}.json", headers=auth(),
                          data=urlencode([("case[subject]", "first"), ("case[subject]", "last")]),
                          content_type="application/x-www-form-urlencoded")
    assert repeated.status_code == 200 and body(repeated)["case"]["subject"] == "last"


def test_php_scalars_in_json(dk):
    """A Telegram bot sends its chat id as a JSON integer in user_custom_id; "14"-style ids."""
    status, made, _ = dk("/api/cases.json", method="POST", json={"case": {
        "user_custom_id": 987654321, "channel": "cch101", "subject": "from a bot",
        "content": "hi", "group_id": "318"}})
    assert status == 200, made
    case = made["case"]
    assert case["group_id"] == 318
    user = dk(f"/api/users/{case['user_id']}.json")[1]["user"]
    assert user["user_custom_id"] == "987654321"
    status, listed, _ = dk("/api/cases.json?user_custom_id=987654321")
    assert status == 200 and [r["case"]["case_id"] for r in rows(listed)] == [case["case_id"]]
    status, data, _ = dk("/api/cases.json", method="POST", json={"case": {
        "user_email": "x@example.com", "subject": "s", "content": "c", "group_id": "3x"}})
    assert status == 400 and data["error"] == "validation_error"  # not a number: still refused
