"""The narrow allowances of schemathesis_hints, on a real spec: each admits what it documents and
nothing beside it."""
import pytest
import schemathesis

from tests.conftest import sandbox_app

from .schemathesis_hints import form_text_reads_valid


@pytest.fixture(scope="module")
def create_company():
    app = sandbox_app(vendors=("deskie",), rate_limits="off")
    schema = schemathesis.openapi.from_wsgi("/__sandbox/specs/deskie", app)
    return schema.find_operation_by_label("POST /api/companies.json")


@pytest.mark.parametrize("media", ["multipart/form-data", "application/x-www-form-urlencoded"])
@pytest.mark.parametrize("field, expected", [
    (True, True),       # goes as the text "true": a name
    (5, True),          # goes as "5"
    ("Acme", True),
    (["x"], False),     # a list is no name in any encoding
    (None, False),      # goes as "": an empty name, which the schema refuses
    ({"a": "b"}, False),
])
def test_a_form_value_is_text(create_company, media, field, expected):
    case = create_company.Case(body={"company": {"company_name": field}}, media_type=media)
    assert form_text_reads_valid(case) is expected


def test_json_bodies_carry_their_types(create_company):
    case = create_company.Case(body={"company": {"company_name": True}},
                               media_type="application/json")
    assert form_text_reads_valid(case) is False
