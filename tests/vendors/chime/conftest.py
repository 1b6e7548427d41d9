"""Chime fixtures: bearer headers for each kind of user, a GET helper, and the spec's report list."""
import csv
import io

import pytest

from mockserver.registry import load_vendor
from tests.support import body

ADMIN, MANAGER, REVIEWER, AGENT_ONLY = "1", "2", "3", "17"   # seed_data/chime.yaml
_DOC = load_vendor("chime").document
REPORTS = {op["get"]["x-sandbox-report"]["name"]: op["get"]["x-sandbox-report"]
           for op in _DOC["paths"].values() if "x-sandbox-report" in op.get("get", {})}
QUEUE_REPORTS = [n for n, r in REPORTS.items() if r["scope"] == "queue"]
GLOBAL_REPORTS = [n for n, r in REPORTS.items() if r["scope"] == "global"]
CATALOGUES = [p.rsplit("/", 1)[-1] for p, op in _DOC["paths"].items()
              if "x-sandbox-catalog" in op.get("get", {})]


@pytest.fixture
def creds(client):
    return body(client.get("/__sandbox/credentials"))["chime"]


@pytest.fixture
def keys(creds):
    return {u["id"]: u["api_key"] for u in creds["users"]}


@pytest.fixture
def chime(client, keys):
    """GET a Chime path as a user (admin unless told); returns the response."""
    def call(path, user=ADMIN, headers=None, **params):
        if headers is None:
            headers = {"Authorization": f"Bearer {keys[user]}"}
        return client.get(f"/chime{path}", headers=headers, query_string=params)
    return call


@pytest.fixture
def report(chime):
    """A report's JSON body (asserting 200)."""
    def call(name, user=ADMIN, **params):
        response = chime(f"/Chime/Report/{name}", user=user, **params)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()
    return call


def parse_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    return list(csv.reader(io.StringIO(text, newline="")))


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
