"""Schemathesis over each vendor's spec, against the app in process: positive and negative data,
every check (server errors, schema conformance, negative-data rejection, missing auth -> 401,
unsupported method -> 405 with Allow). Each vendor is served alone, so at its real root paths.

Credentials go in through an auth provider, not a headers override: Schemathesis then leaves them
out of the cases it deliberately sends without auth. Unknown query parameters are not generated:
the vendors ignore them, as the real services do, so they are not negative data."""
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import sandbox_app, test_vendors

from . import served

MAX_EXAMPLES = 30


def _schema_test(name):
    app = sandbox_app(vendors=(name,), rate_limits="off")
    runtime = app.extensions["sandbox"]
    schema = schemathesis.openapi.from_wsgi(f"/__sandbox/specs/{name}", app)
    unserved = served.unserved_ids(runtime.vendors[name].operations)
    if unserved:  # they answer 501 by design (x-sandbox-unserved); README lists them
        schema = schema.exclude(operation_id=unserved)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                    max_examples=MAX_EXAMPLES, database="none",
                                    allow_extra_parameters=False)
    headers = runtime.vendors[name].vendor.sample_headers(runtime)

    @schema.auth(refresh_interval=None, retry_on=[])
    class SampleCredentials:
        def get(self, case, context):
            return headers

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), **data}

    @schema.parametrize()
    @settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def test(case):
        runtime.limiter.reset()
        # Generated ids rarely exist, so a valid request may rightly be a 404.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    return test


for _name in test_vendors():
    globals()[f"test_schemathesis_{_name}"] = _schema_test(_name)
