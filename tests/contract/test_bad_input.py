"""The promise, for every operation of every registered vendor: every bad input gets the vendor's
error envelope with a 4xx, never a 500, and one client's bad request never harms another client.

The corpus (tests/contract/corpus.py) is generated from the specs, so a new vendor gets it
unedited. Per operation, in process, on each store backend:
- every answer is a 2xx or a 4xx (no 5xx, no redirect); a case whose value is no instance of
  its schema (or no JSON, or no Unicode) must be refused; every 4xx is the vendor's envelope;
- a refused write changed no record of any tenant of the vendor;
- after the whole corpus, the reads of the collections it touched still answer 200.

The default run sends a seeded sample (a few cases of each category); MOCKSERVER_SLOW=1 sends
every case. The live layer, for what only a real HTTP server shows, is in test_bad_input_live.py.
"""
from __future__ import annotations

import io
import json
import os
import pickle
from urllib.parse import unquote_to_bytes

import orjson
import pytest
from flask.testing import FlaskClient

from mockserver.core.spec import load_document, operations
from mockserver.registry import data_dir
from tests.conftest import test_vendors

from . import served
from .corpus import Case, VendorCorpus, judge

SLOW = os.environ.get("MOCKSERVER_SLOW") == "1"
SAMPLE_PER_CATEGORY = 1
_corpora: dict[str, VendorCorpus] = {}
_samples: dict[tuple[str, str], list[Case]] = {}
_spec_verdicts: dict[tuple, str | None] = {}  # the seeded sample, the same on each backend


def _operation_ids() -> list:
    return [served.param(vendor, op) for vendor in test_vendors()
            for op in operations(load_document(data_dir("specs") / f"{vendor}.yaml"))]


OPERATIONS = _operation_ids()
IDS = [f"{p.values[0]}.{p.values[1]}" for p in OPERATIONS]


# -- sending a wire-level case in process ------------------------------------------------------
def environ_of(case: Case) -> dict:
    """The WSGI environ a server would build: PATH_INFO percent-decoded (as latin-1), the query
    string and header values as they came."""
    environ = {"PATH_INFO": unquote_to_bytes(case.path).decode("latin-1"),
               "QUERY_STRING": case.query.decode("latin-1"),
               "RAW_URI": case.target.decode("latin-1"),
               "REQUEST_URI": case.target.decode("latin-1")}
    for name, value in case.headers:
        environ["HTTP_" + name.upper().replace("-", "_")] = value.decode("latin-1")
    if case.content_type is not None:
        environ["CONTENT_TYPE"] = case.content_type
    return environ


def send(client, case: Case):
    """The case through the app, unchecked: the caller judges the answer first, then asks the
    fixture's spec check (see spec_problem)."""
    return FlaskClient.open(client, "/", method=case.method, data=case.body,
                            environ_overrides=environ_of(case))


def spec_problem(client, runtime, response, template) -> str | None:
    """What SpecCheckedClient.open checks after each request: the answer of a vendor operation
    matches the spec. The verdict depends on the answer alone (its status, which headers it
    has, and its body), so refusals that differ only in the free text of their message are
    checked once."""
    entries = runtime.journal.entries(limit=1)
    entry = entries[-1] if entries else None
    request = response.request
    if not (entry and entry.get("operation") and entry["path"] == request.path
            and not entry.get("fault")):
        return None
    key = (entry["vendor"], entry["operation"], response.status_code, response.mimetype,
           tuple(sorted(k.lower() for k in response.headers.keys())),
           _without_message(template, response.get_data()))
    if key not in _spec_verdicts:
        try:
            client._check(entry["vendor"], entry["operation"], request, response)
            _spec_verdicts[key] = None
        except AssertionError as exc:
            _spec_verdicts[key] = str(exc).split("\n")[0][:300]
    return _spec_verdicts[key]


def _without_message(template, raw: bytes):
    """The body with its envelope's {message} leaf blanked (any body that is no envelope as is)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return raw

    def blank(t, b):
        if isinstance(t, dict) and isinstance(b, dict):
            return {k: blank(t[k], v) if k in t else v for k, v in b.items()}
        if isinstance(t, str) and "{message}" in t and "{code}" not in t and isinstance(b, str):
            return "..."
        return b
    return json.dumps(blank(template, body), sort_keys=True)


def _dotted_path(case: Case) -> bool:
    return any(s in (b".", b"..") for s in unquote_to_bytes(case.path).split(b"/"))


# -- the state a refusal must not change ---------------------------------------------------------
def fingerprint(runtime, vendor: str) -> dict[tuple[str, str], bytes]:
    """Every record of every collection of every tenant of the vendor, serialised (compared as
    bytes: a memcmp, where hashing an accepted 11 MB string on every request would not be)."""
    store = runtime.store
    out = {}
    for tenant in store.tenants(vendor):
        for collection in store.collections(vendor, tenant):
            records = store.all(vendor, tenant, collection)
            try:
                raw = orjson.dumps(records, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
            except TypeError:  # e.g. a stored lone surrogate, which orjson refuses
                buffer = io.BytesIO()
                pickler = pickle.Pickler(buffer, protocol=5)
                pickler.fast = True  # no memo: equal content, equal bytes
                pickler.dump(records)
                raw = buffer.getvalue()
            out[(tenant, collection)] = raw
    return out


def changed(before: dict, after: dict) -> list[str]:
    return sorted(f"{t}/{c}" for t, c in set(before) | set(after)
                  if before.get((t, c)) != after.get((t, c)))


# -- the corpus of a vendor, as its sample caller sees it -------------------------------------------
def corpus_of(client, runtime, vendor: str) -> VendorCorpus:
    """The vendor's corpus, built once: both store backends hold the same seeded records, so
    the same cases (ids, credentials) serve each."""
    key = vendor
    if key not in _corpora:
        vr = runtime.vendors[vendor]
        headers = vr.vendor.sample_headers(runtime)
        probe = VendorCorpus(vendor, vr.document, headers, {})
        tenant = None
        for op in probe.operations:  # the tenant the sample caller's requests reach
            if op.method == "GET" and not probe.targets[op.operation_id].path_values:
                runtime.limiter.reset()
                send(client, probe.baseline(op.operation_id))
                entries = runtime.journal.entries(limit=1)
                tenant = entries[-1].get("tenant") if entries else None
                if tenant:
                    break
        assert tenant, f"{vendor}: no request of the sample caller reached a tenant"
        records = {c: list(runtime.store.all(vendor, tenant, c))
                   for c in runtime.store.collections(vendor, tenant)}
        _corpora[key] = VendorCorpus(vendor, vr.document, headers, records)
    return _corpora[key]


def run_corpus(client, runtime, vendor: str, operation_id: str, full: bool) -> None:
    vc = corpus_of(client, runtime, vendor)
    template = vc.template
    if full:
        cases = vc.cases(operation_id)
    else:
        if (vendor, operation_id) not in _samples:
            _samples[(vendor, operation_id)] = vc.sample(operation_id, SAMPLE_PER_CATEGORY)
        cases = _samples[(vendor, operation_id)]
    write = vc.targets[operation_id].op.method not in ("GET", "HEAD", "OPTIONS")
    problems: list[tuple[str, str, str]] = []

    def ask(case: Case):
        runtime.limiter.reset()  # the corpus is not about rate limits
        response = send(client, case)
        raw = response.get_data()
        found = judge(case, template, response.status_code, response.mimetype, raw)
        for problem in found:
            problems.append((case.category, case.describe(), problem))
        # The fixture's spec check, for the refusals (the answers the corpus is about); a path
        # with dot segments is left out: the checker's URL join would drop them.
        if not found and 400 <= response.status_code < 500 and not _dotted_path(case):
            off_spec = spec_problem(client, runtime, response, template)
            if off_spec:
                problems.append(("off_spec", case.describe(), off_spec))
        return response

    readers = []
    for reader in vc.readers(operation_id):
        runtime.limiter.reset()
        if send(client, vc.reader_case(reader, operation_id)).status_code == 200:
            readers.append(reader)

    ask(vc.baseline(operation_id))
    state = fingerprint(runtime, vendor) if write else None
    for case in cases:
        response = ask(case)
        if write:
            after = fingerprint(runtime, vendor)
            if 400 <= response.status_code < 500 and after != state:
                problems.append((case.category, case.describe(),
                                 f"refused with {response.status_code} but changed "
                                 f"{', '.join(changed(state, after))}"))
            state = after

    for reader in readers:  # the tenant is not poisoned
        case = vc.reader_case(reader, operation_id)
        runtime.limiter.reset()
        response = send(client, case)
        if response.status_code != 200:
            problems.append(("poisoned", case.describe(),
                             f"after the corpus: {response.status_code} "
                             f"{response.get_data()[:200].decode('utf-8', 'replace')}"))

    if problems:
        by_category: dict[str, list[str]] = {}
        for category, described, problem in problems:
            by_category.setdefault(category, []).append(f"    {described}\n      -> {problem}")
        report = [f"{vendor}.{operation_id}: {len(problems)} of {len(cases) + 1} answers "
                  "break the promise"]
        for category, lines in sorted(by_category.items()):
            report.append(f"  {category} ({len(lines)}):")
            report += lines[:6] + ([f"    ... and {len(lines) - 6} more"] if len(lines) > 6
                                   else [])
        pytest.fail("\n".join(report), pytrace=False)


@pytest.mark.parametrize("vendor,operation_id", OPERATIONS, ids=IDS)
def test_bad_input_sample(client, runtime, vendor, operation_id):
    run_corpus(client, runtime, vendor, operation_id, full=False)


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason="the full sweep: set MOCKSERVER_SLOW=1")
@pytest.mark.parametrize("vendor,operation_id", OPERATIONS, ids=IDS)
def test_bad_input_full(client, runtime, vendor, operation_id):
    run_corpus(client, runtime, vendor, operation_id, full=True)
