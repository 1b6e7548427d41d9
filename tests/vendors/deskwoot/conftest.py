import pytest

from tests.support import body

API = "/deskwoot/api/v1"


@pytest.fixture
def creds(client):
    """The credentials document's deskwoot part: {plan: account}."""
    doc = body(client.get("/__sandbox/credentials"))["deskwoot"]
    return {a["plan"]: a for a in doc["accounts"]}


@pytest.fixture
def ent(creds):
    return creds["ENTERPRISE"]


def bearer(account, scopes=("read", "write")) -> dict:
    token = next(t["token"] for t in account["tokens"] if set(t["scopes"]) == set(scopes))
    return {"Authorization": f"Bearer {token}"}


def session(account, role="ADMINISTRATOR", index=0) -> dict:
    users = [u for u in account["users"] if u["role"] == role]
    return {"Cookie": users[index]["session_cookie"]}


@pytest.fixture
def dw(client, ent):
    """Call a Deskwoot path below /deskwoot/api/v1 (`{acc}` is the Enterprise account's id),
    as its administrator's broad token unless headers are given; -> (status, json)."""
    def call(path, method="GET", json=None, headers=None, **kw):
        r = client.open(API + path.replace("{acc}", ent["id"]), method=method, json=json,
                        headers=bearer(ent) if headers is None else headers, **kw)
        return r.status_code, r.get_json(silent=True)
    return call


@pytest.fixture
def state(control, ent):
    return lambda collection, account=None: control.get(
        f"/state/deskwoot/{(account or ent)['id']}/{collection}")
