"""The narrow allowances of schemathesis_hints, on a real spec: each admits what it documents and
nothing beside it."""
import types

import pytest
import schemathesis

from tests.conftest import sandbox_app

from .schemathesis_hints import _sent_nothing, body_reads_valid


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
    assert body_reads_valid(case) is expected


def test_json_bodies_carry_their_types(create_company):
    case = create_company.Case(body={"company": {"company_name": True}},
                               media_type="application/json")
    assert body_reads_valid(case) is False


def test_a_json_mutation_another_branch_admits_is_valid(create_company):
    """A number for a PHP-lenient string: Schemathesis calls it negative, the schema admits it."""
    number = create_company.Case(body={"company": {"company_name": 5}},
                                 media_type="application/json")
    assert body_reads_valid(number) is True
    nested = create_company.Case(body={"company": {"company_name": [5]}},
                                 media_type="application/json")
    assert body_reads_valid(nested) is False


def _sent(body: bytes, boundary="b0undary"):
    request = types.SimpleNamespace(body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    return types.SimpleNamespace(request=request)


EMPTY = b"--b0undary\r\n--b0undary--\r\n"
ONE_FIELD = b'--b0undary\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b0undary--\r\n'


@pytest.fixture(scope="module")
def deskie_schema():
    app = sandbox_app(vendors=("deskie",), rate_limits="off")
    return schemathesis.openapi.from_wsgi("/__sandbox/specs/deskie", app)


def test_a_body_that_is_no_object_goes_as_no_fields(deskie_schema):
    disable = deskie_schema.find_operation_by_label("PUT /api/staff/{staff_id}/disable.json")
    create = deskie_schema.find_operation_by_label("POST /api/companies.json")
    optional = disable.Case(body="x", media_type="multipart/form-data")
    required = create.Case(body="x", media_type="multipart/form-data")
    assert _sent_nothing(optional, _sent(EMPTY)) is True   # an empty body: the body is optional
    assert _sent_nothing(optional, _sent(ONE_FIELD)) is False  # a field reached the server
    assert _sent_nothing(required, _sent(EMPTY)) is False  # the body is required
