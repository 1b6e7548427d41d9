"""Per registered vendor: the spec lints, every operation is bound, the seed loads and every
seeded record passes its collection's record schema. A new vendor is picked up unedited."""
import re

import pytest
from openapi_spec_validator import validate

from mockserver.core.vendor import record_id_field
from mockserver.registry import load_vendor
from tests.conftest import sandbox_app, test_vendors

VENDORS = test_vendors()


@pytest.mark.parametrize("name", VENDORS)
def test_spec_is_valid_openapi_31(name):
    vr = load_vendor(name)
    validate(vr.document)
    assert vr.document["openapi"].startswith("3.1")


@pytest.mark.parametrize("name", VENDORS)
def test_every_operation_is_bound_and_named(name):
    vr = load_vendor(name)
    ids = [op.operation_id for op in vr.operations]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)
    assert set(vr.views) == set(ids)
    for op in vr.operations:
        # an operation anyone may call says so itself (`security: []`), never by omission
        assert op.security or op.spec.get("security") == [], \
            f"{op.operation_id} has no security requirement"
        assert any(code.startswith("2") for code in op.spec["responses"])


@pytest.mark.parametrize("name", VENDORS)
def test_every_response_names_a_schema(name):
    vr = load_vendor(name)
    for op in vr.operations:
        for code, response in op.spec["responses"].items():
            if "$ref" in response:
                continue
            for media in response.get("content", {}).values():
                assert "schema" in media, f"{op.operation_id} {code} has no schema"


@pytest.mark.parametrize("name", VENDORS)
def test_seed_loads_and_records_match_their_schemas(name):
    app = sandbox_app(vendors=(name,))
    runtime = app.extensions["sandbox"]
    schemas = runtime.vendors[name].vendor.record_schemas
    tenants = runtime.store.tenants(name)
    assert tenants, "the seed built no tenant"
    checked = 0
    for tenant in tenants:
        for collection in runtime.store.collections(name, tenant):
            assert collection in schemas, f"{collection} has no record schema"
            # The state view finds a record by its id field (core.vendor.record_id_field).
            id_field = record_id_field(schemas[collection])
            for record in runtime.store.all(name, tenant, collection):
                errors = schemas[collection]().validate(record)
                assert not errors, (collection, record.get(id_field), errors)
                assert runtime.store.peek(name, tenant, collection, record[id_field]) is record, \
                    f"{collection} records are not stored under their {id_field!r}"
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("name", VENDORS)
def test_unbound_operation_fails_start_up(name, monkeypatch):
    vr = load_vendor(name)
    victim = next(op.operation_id for op in vr.operations if not op.unserved)
    monkeypatch.delattr(vr.vendor.routes, victim)
    with pytest.raises(RuntimeError, match=victim):
        load_vendor(name)


@pytest.mark.parametrize("name", VENDORS)
def test_unserved_operations_answer_501_naming_themselves(name):
    """An operation the spec marks `x-sandbox-unserved` (core.unserved) is still routed and
    access-checked, then answers 501 in the vendor's envelope naming its operationId."""
    from .requests_from_spec import OperationRequests, credentials, tenant_of
    app = sandbox_app(vendors=(name,))
    runtime = app.extensions["sandbox"]
    unserved = [op for op in runtime.vendors[name].operations if op.unserved]
    if not unserved:
        pytest.skip(f"{name} serves every operation of its spec")
    client = app.test_client()
    headers = credentials(runtime, name)
    for op in unserved:
        plan = OperationRequests(runtime, name, op, tenant_of(app, runtime, name, op, headers),
                                 seed=f"unserved:{op.operation_id}")
        body = plan.base_body()
        answer = client.open(plan.real_url or plan.target, method=op.method, headers=headers,
                             json=body if plan.has_body and body is not None else None)
        assert answer.status_code == 501, (op.operation_id, answer.get_data(as_text=True))
        assert op.operation_id in answer.get_data(as_text=True)
