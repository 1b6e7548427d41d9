"""What start-up saves and must not change: parsed documents read from a cache keyed by the
file's bytes, URL builders compiled on first use, no `requests` loaded by the validator."""
from __future__ import annotations

import subprocess
import sys

import yaml

from mockserver.app import create_app
from mockserver.config import Settings
from mockserver.core import spec


def test_a_parsed_document_is_cached_by_the_files_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "doc.yaml"
    source.write_text("openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n"
                      "        200: {description: ok}\n")
    first = spec.load_document(source)
    assert first["paths"]["/a"]["get"]["responses"] == {200: {"description": "ok"}}
    [cached] = (tmp_path / "cache").iterdir()
    assert spec.load_document(source) == first  # read from the cache now
    cached.write_bytes(b"not marshal data")  # a damaged copy: the YAML is read again
    assert spec.load_document(source) == first
    source.write_text("openapi: 3.1.0\npaths: {}\n")  # other bytes, another entry
    assert spec.load_document(source) == {"openapi": "3.1.0", "paths": {}}
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_documents_marshal_cannot_keep_are_read_from_yaml(tmp_path, monkeypatch):
    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "dated.yaml"
    source.write_text("day: 2026-01-02\n")
    assert spec.load_document(source) == yaml.safe_load(source.read_text())
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())
    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", "off")
    source.write_text("a: 1\n")
    assert spec.load_document(source) == {"a": 1}


def test_every_shipped_spec_and_seed_reads_the_same_from_the_cache(tmp_path, monkeypatch):
    from mockserver.registry import data_dir
    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", str(tmp_path))
    for folder in ("specs", "seed_data"):
        for path in sorted(data_dir(folder).glob("*.yaml")):
            fresh = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
            assert spec.load_document(path) == fresh == spec.load_document(path), path


def test_url_builders_still_work_when_first_used():
    app = create_app(Settings.load({}, environ={}))
    rule = next(r for r in app.url_map.iter_rules() if r.rule.endswith("/rotate"))
    with app.test_request_context():
        from flask import url_for
        assert url_for(rule.endpoint, vendor="deskie", ident="x", q="1") == \
            "/__sandbox/credentials/deskie/x/rotate?q=1"


def test_the_validator_does_not_load_requests_and_requests_still_imports():
    code = ("import sys, mockserver.core.validation; print('requests' in sys.modules); "
            "import requests; print(bool(requests.get))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]
