import pytest

from tests.support import basic, body


@pytest.fixture
def accounts(client):
    return {a["domain"]: a for a in body(client.get("/__sandbox/credentials"))["deskie"]["accounts"]}


def _agent(account, access, active=True):
    return next(a for a in account["agents"] if a["access"] == access and a["active"] == active)


@pytest.fixture
def auth(accounts):
    """auth(domain="robotsrule", access="full", active=True) -> Basic headers of such an agent."""
    def make(domain="robotsrule", access="full", active=True, agent=None):
        account = accounts[domain]
        agent = agent or _agent(account, access, active)
        return basic(agent["email"], account["api_key"])
    return make


@pytest.fixture
def agent(accounts):
    return lambda domain="robotsrule", access="full", active=True: _agent(accounts[domain], access, active)


@pytest.fixture
def dk(client, auth):
    """Call a Deskie path as robotsrule's full-access agent; returns (status, json, headers)."""
    def call(path, method="GET", json=None, headers=None, **kw):
        r = client.open(f"/deskie{path}", method=method, json=json,
                        headers=auth() if headers is None else headers, **kw)
        return r.status_code, r.get_json(silent=True), r.headers
    return call


@pytest.fixture
def state(control):
    return lambda collection, domain="robotsrule": control.get(f"/state/deskie/{domain}/{collection}")


def rows(data):
    """The items of a keyed envelope, in order."""
    return [data[k] for k in sorted((k for k in data if k.isdigit()), key=int)]
