"""Vendor-neutral core additions: the keyed_last_page envelope, the caret search minimum length,
integer path parameters in routing, and nameless multipart parts."""
import pytest

from mockserver.core.dialects import bracketed_form
from mockserver.core.pagination import envelope, paginate
from mockserver.core.search import caret_matcher
from mockserver.core.spec import Operation


def test_keyed_last_page_reports_whether_more_pages_follow():
    rows = list(range(250))
    first = envelope("keyed_last_page", paginate(rows, 1, 100), rows[:100], "x")
    last = envelope("keyed_last_page", paginate(rows, 3, 100), rows[200:], "x")
    assert first["last_page"] is False and first["0"] == {"x": 0} and "total_count" not in first
    assert last["last_page"] is True and last["49"] == {"x": 249}
    past = envelope("keyed_last_page", paginate(rows, 9, 100), [], "x")
    assert past == {"last_page": True}


@pytest.mark.parametrize("raw,value", [("^ann", "Anna"), ("^ann^", "ANN"), ("ann", "joann")])
def test_caret_minimum_counts_the_text_not_the_carets(raw, value):
    assert caret_matcher(raw, 3)(value)


@pytest.mark.parametrize("raw", ["^an", "an^", "^an^", "an"])
def test_caret_text_shorter_than_the_minimum_is_refused(raw):
    with pytest.raises(ValueError):
        caret_matcher(raw, 3)


def test_integer_path_parameters_use_the_int_converter():
    op = Operation("get_user", "GET", "/users/{user_id}.json",
                   {"parameters": [{"name": "user_id", "in": "path",
                                    "schema": {"type": "integer", "minimum": 1}}]}, {})
    assert op.flask_rule() == "/users/<int:user_id>.json"
    text = Operation("get", "GET", "/goals/{id}", {"parameters": [
        {"name": "id", "in": "path", "schema": {"type": "string"}}]}, {})
    assert text.flask_rule() == "/goals/<id>"


def test_bracketed_form_skips_parts_without_a_name():
    assert bracketed_form([(None, "x"), ("", "y"), ("case[subject]", "Hi")]) == {
        "case": {"subject": "Hi"}}


def test_bracketed_form_keeps_the_body_an_object_when_every_name_is_a_number():
    assert bracketed_form([("8", "x"), ("9[0]", "y")]) == {"8": "x", "9": ["y"]}
    assert bracketed_form([("a[0]", "x"), ("a[1]", "y")]) == {"a": ["x", "y"]}
