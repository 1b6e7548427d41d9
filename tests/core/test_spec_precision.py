"""The loader's bracket encoding of form and multipart bodies, on a tiny document of its own (a
body schema's own error code, x-sandbox-error-code, is shown through HTTP by
tests/vendors/deskie/test_writes.py: wrong_email, incorrect_user_email)."""
from mockserver.core.spec import apply_sandbox_rules


def _document():
    return {
        "openapi": "3.1.0", "x-sandbox-bodies": ["json", "form", "multipart"],
        "components": {"schemas": {
            "Note": {"type": "object", "properties": {"text": {"type": "string"}}},
            "Body": {"type": "object", "properties": {
                "note": {"$ref": "#/components/schemas/Note"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "flag": {"type": "string"}}}}},
        "paths": {"/notes": {"post": {
            "operationId": "create_note", "responses": {"200": {"description": "OK"}},
            "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Body"}}}}}}}}


def test_form_and_multipart_say_that_objects_and_arrays_are_bracketed_names():
    content = apply_sandbox_rules(_document())["paths"]["/notes"]["post"]["requestBody"]["content"]
    deep = {"style": "deepObject", "explode": True}
    for media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        assert content[media]["encoding"] == {"note": deep, "tags": deep}
    assert "encoding" not in content["application/json"]

