"""A `reset` fault on real servers: gunicorn's gevent and gthread workers (`mockserver serve`)
and Werkzeug's own server. The client sees its connection closed without an answer, and the next
connection is served as usual."""
from __future__ import annotations

import threading

import pytest
import requests
from werkzeug.serving import make_server

from mockserver.app import create_app
from mockserver.config import Settings
from tests.live import serve, stop

pytestmark = pytest.mark.live


def _werkzeug():
    app = create_app(Settings(vendors=("deskchime",)))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module", params=["gevent", "gthread", "werkzeug"])
def base(request):
    if request.param == "werkzeug":
        server, url = _werkzeug()
        yield url
        server.shutdown()
        return
    proc, url = serve("--vendor", "deskchime", "--worker-class", request.param)
    yield url
    stop(proc)


def test_fault_reset_is_a_connection_error_on_a_real_server(base):
    requests.post(f"{base}/__sandbox/reset")
    key = {"x-api-key": requests.get(f"{base}/__sandbox/credentials").json()[
        "deskchime"]["organizations"][0]["api_key"]}
    url = f"{base}/deskchime/api/v1/users?limit=1"
    session = requests.Session()
    assert session.get(url, headers=key).status_code == 200  # a kept-alive connection
    rule = requests.post(f"{base}/__sandbox/faults", json={"kind": "reset", "times": 2}).json()
    with pytest.raises(requests.ConnectionError):
        session.get(url, headers=key)
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{base}/deskchime/api/v1/users/activity", headers=key,
                      json={"email": "jane@acme.com"})
    assert session.get(url, headers=key).status_code == 200
    dropped = [e for e in requests.get(f"{base}/__sandbox/requests").json() if e["fault"]]
    assert [(e["fault"], e["status"]) for e in dropped] == [
        ({"id": rule["id"], "kind": "reset"}, 0)] * 2


def test_fault_malformed_on_a_real_server_is_invalid_json_with_an_honest_length(base):
    requests.post(f"{base}/__sandbox/reset")
    key = {"x-api-key": requests.get(f"{base}/__sandbox/credentials").json()[
        "deskchime"]["organizations"][0]["api_key"]}
    url = f"{base}/deskchime/api/v1/users?limit=1"
    requests.post(f"{base}/__sandbox/faults", json={"kind": "malformed", "times": 1})
    r = requests.get(url, headers=key)  # read whole: the length matches what was sent
    assert r.status_code == 200 and int(r.headers["Content-Length"]) == len(r.content)
    with pytest.raises(ValueError):
        r.json()
