"""The pages in a real headless Chromium against a live server (tests/browser.py, tests/live.py):
the index, each vendor's Swagger UI with "Try it out", the inspector (journal, clock, faults,
reset, webhook deliveries), a screenshot, and the control token. Every page load is checked to
have asked nothing of any other host and to have raised no script error."""
from __future__ import annotations

import os
import re
import signal
from urllib.parse import urlparse

import pytest
import requests

from tests.browser import launch
from tests.conftest import test_vendors
from tests.live import FROZEN_AT, serve

pytestmark = [pytest.mark.browser, pytest.mark.live]
METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def _vendor_flags() -> list[str]:
    named = os.environ.get("MOCKSERVER_TEST_VENDORS")
    return [arg for vendor in test_vendors() for arg in ("--vendor", vendor)] if named else []


def stop(proc) -> None:
    """A quick stop (SIGINT): a graceful one would wait out the browser's idle keep-alive
    connections."""
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    context, close = launch()
    yield context
    close()


@pytest.fixture(scope="module")
def server(browser):
    proc, base = serve(*_vendor_flags())
    yield base
    stop(proc)


@pytest.fixture
def base(server):
    """The live server, freshly reset."""
    assert requests.post(f"{server}/__sandbox/reset").status_code == 200
    return server


def _open(browser, base):
    page = browser.new_page()
    page.asked, page.errors = [], []
    page.on("request", lambda r: page.asked.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def _closed(page, base):
    page.close()
    assert [url for url in page.asked if not url.startswith((base + "/", "data:"))] == []
    assert page.errors == []


@pytest.fixture
def page(browser, base):
    page = _open(browser, base)
    yield page
    _closed(page, base)


def _sample(base: str, vendor: str) -> dict:
    return requests.get(f"{base}/__sandbox/docs/{vendor}/credential").json()


def _plain_get(spec: dict) -> str | None:
    """The path of a GET operation without path parameters or required query parameters."""
    def resolve(node):
        while "$ref" in node:
            target = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node
    for path, item in spec["paths"].items():
        op = item.get("get")
        declared = [*item.get("parameters", []), *(op or {}).get("parameters", [])]
        params = [resolve(p) for p in declared]
        if op and "{" not in path and not any(p.get("required") for p in params):
            return path
    return None


def _plain_request(base: str, vendor: str, path: str = None) -> requests.Response:
    sample = _sample(base, vendor)
    if path is None:
        path = _plain_get(requests.get(f"{base}/__sandbox/specs/{vendor}").json())
    return requests.get(sample["base_url"] + path, headers=sample["headers"])


def _journal(base: str) -> list[dict]:
    return requests.get(f"{base}/__sandbox/requests").json()


def test_index_lists_every_vendor(page, base):
    vendors = requests.get(f"{base}/__sandbox/health").json()["vendors"]
    credentials = requests.get(f"{base}/__sandbox/credentials").json()
    page.goto(f"{base}/")
    rows = page.locator("#vendors tbody tr")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.vendor)")) == vendors
    for vendor in vendors:
        shown = page.locator(f'tr[data-vendor="{vendor}"] .base-url').inner_text()
        assert shown == credentials[vendor]["base_url"]
    page.locator(f'tr[data-vendor="{vendors[0]}"] a.docs-link').click()
    page.wait_for_url(f"{base}/__sandbox/docs/{vendors[0]}")
    page.locator(".opblock").first.wait_for()


@pytest.mark.parametrize("vendor", test_vendors())
def test_docs_render_every_operation_and_try_it_out_reaches_the_sandbox(page, base, vendor):
    spec = requests.get(f"{base}/__sandbox/specs/{vendor}").json()
    shown = sum(max(1, len(op.get("tags", []))) for item in spec["paths"].values()
                for method, op in item.items() if method in METHODS)
    sample = _sample(base, vendor)
    page.goto(f"{base}/__sandbox/docs/{vendor}")
    page.wait_for_function("n => document.querySelectorAll('.opblock').length === n", arg=shown)
    servers = page.locator(".servers select option")
    assert servers.evaluate_all("options => options.map(o => o.value)") == [sample["base_url"]]
    assert page.locator("#sample").is_visible()
    for value in sample["headers"].values():
        assert page.locator("#sample-headers").get_by_text(value, exact=True).is_visible()

    path = _plain_get(spec)
    block = page.locator(".opblock-get", has=page.locator(
        f'.opblock-summary-path[data-path="{path}"]')).first
    block.locator(".opblock-summary").click()
    block.locator("button.try-out__btn").click()
    block.locator("button.execute").click()
    status = block.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    answered = block.locator(".live-responses-table tr.response .response-col_description"
                             ).first.inner_text()
    request_id = re.search(r"x-request-id:\s*(\S+)", answered, re.I).group(1)
    entry = next(e for e in _journal(base) if e["id"] == request_id)
    assert entry["method"] == "GET" and entry["status"] == 200
    assert entry["path"] == urlparse(sample["base_url"]).path + path


def test_inspector_shows_a_request_the_test_made(page, base):
    vendor = test_vendors()[0]
    made = _plain_request(base, vendor)
    missing = _plain_request(base, vendor, "/no-such-path")
    assert made.status_code == 200 and missing.status_code == 404
    request_id = made.headers["X-Request-Id"]
    page.goto(f"{base}/__sandbox/ui")
    row = page.locator(f'#entries tr[data-id="{request_id}"]')
    row.wait_for()
    assert vendor in row.inner_text() and "200" in row.inner_text()
    row.click()
    entry = next(e for e in _journal(base) if e["id"] == request_id)
    for field in ("id", "path", "method", "operation", "status"):
        assert page.locator(f'#detail dd[data-field="{field}"]').inner_text() == str(entry[field])
    other = f'#entries tr[data-id="{missing.headers["X-Request-Id"]}"]'

    page.fill("#filter-status", "4xx")
    assert page.locator("#entries tr").count() == 1 and page.locator(other).is_visible()
    page.fill("#filter-status", "200")
    assert page.locator("#entries tr").count() == 1 and row.is_visible()
    page.fill("#filter-status", "")
    page.fill("#filter-path", "no-such")
    assert page.locator("#entries tr").count() == 1 and page.locator(other).is_visible()
    page.fill("#filter-path", f"/{vendor}/*")
    assert page.locator("#entries tr").count() == 2
    page.fill("#filter-path", "")
    elsewhere = [v for v in test_vendors() if v != vendor]
    if elsewhere:
        page.select_option("#filter-vendor", elsewhere[0])
        assert page.locator("#entries tr").count() == 0
        page.select_option("#filter-vendor", vendor)
        assert page.locator("#entries tr").count() == 2


def test_inspector_clock_buttons_move_and_freeze_the_sandbox_clock(page, base):
    page.goto(f"{base}/__sandbox/ui")
    page.locator(f'#clock-now[data-now="{FROZEN_AT}"]').wait_for()
    page.click("button[data-advance='3600']")
    page.locator('#clock-now[data-now="2026-06-15T13:00:00Z"]').wait_for()
    assert requests.get(f"{base}/__sandbox/clock").json() == {"now": "2026-06-15T13:00:00Z",
                                                             "frozen": True}
    page.click("button[data-advance='86400']")
    page.click("button[data-advance='60']")
    page.locator('#clock-now[data-now="2026-06-16T13:01:00Z"]').wait_for()
    assert page.locator("#clock-now").inner_text() == "2026-06-16T13:01:00Z"
    assert requests.get(f"{base}/__sandbox/clock").json()["now"] == "2026-06-16T13:01:00Z"
    labelled = "label => document.getElementById('clock-freeze').textContent === label"
    page.click("#clock-freeze")
    page.wait_for_function(labelled, arg="Freeze")
    assert requests.get(f"{base}/__sandbox/clock").json()["frozen"] is False
    page.click("#clock-freeze")
    page.wait_for_function(labelled, arg="Unfreeze")
    assert requests.get(f"{base}/__sandbox/clock").json()["frozen"] is True


def test_inspector_adds_and_clears_faults_then_resets(page, base):
    vendor = test_vendors()[0]
    path = _plain_get(requests.get(f"{base}/__sandbox/specs/{vendor}").json())
    page.goto(f"{base}/__sandbox/ui")
    form = page.locator("#fault-form")
    form.locator("button[type=submit]").click()  # neither status nor latency: refused
    page.locator("#fault-error").get_by_text("status").wait_for()
    form.locator("select[name=vendor]").select_option(vendor)
    form.locator("select[name=method]").select_option("GET")
    form.locator("input[name=path]").fill(path)
    form.locator("input[name=status]").fill("503")
    form.locator("input[name=times]").fill("2")
    form.locator("button[type=submit]").click()
    page.locator("#fault-rules tr").first.wait_for()
    [rule] = requests.get(f"{base}/__sandbox/faults").json()
    assert (rule["vendor"], rule["method"], rule["path"], rule["status"], rule["times"]) == (
        vendor, "GET", path, 503, 2)
    assert _plain_request(base, vendor).status_code == 503
    page.get_by_text("1 / 2").wait_for()  # the rule's use, polled
    page.click("#faults-clear")
    page.locator("#faults-empty").wait_for()
    assert requests.get(f"{base}/__sandbox/faults").json() == []

    made = _plain_request(base, vendor)
    row = page.locator(f'#entries tr[data-id="{made.headers["X-Request-Id"]}"]')
    row.wait_for()
    page.click("button[data-advance='86400']")
    page.locator('#clock-now[data-now="2026-06-16T12:00:00Z"]').wait_for()
    page.click("#reset")
    page.locator("#reset-result").get_by_text("Reset in").wait_for()
    page.locator(f'#clock-now[data-now="{FROZEN_AT}"]').wait_for()
    assert page.locator("#journal-empty").is_visible() and row.count() == 0
    assert _journal(base) == []
    assert requests.get(f"{base}/__sandbox/clock").json()["now"] == FROZEN_AT


def test_inspector_shows_webhook_deliveries_only_where_the_sandbox_has_them(page, base):
    page.goto(f"{base}/__sandbox/ui")
    page.locator('#health').get_by_text("seed").wait_for()
    page.wait_for_function("() => document.getElementById('clock-now').dataset.now")
    has_them = requests.get(f"{base}/__sandbox/webhooks/deliveries").status_code == 200
    assert page.locator("#webhooks").is_visible() == has_them


def test_inspector_opens_a_webhook_delivery_and_redelivers_it(browser):
    from tests.receiver import Receiver
    receiver = Receiver(status=500)
    proc, base = serve(module="tests.core.hooky_server")  # a tiny vendor with webhooks
    page = _open(browser, base)
    try:
        key = {"X-Key": "k1"}
        assert requests.post(f"{base}/hooky/hooks", json={"url": receiver.url()},
                             headers=key).status_code == 201
        assert requests.post(f"{base}/hooky/notes", json={"title": "x"},
                             headers=key).status_code == 201
        receiver.wait_for(1)
        page.goto(f"{base}/__sandbox/ui")
        row = page.locator('#deliveries tr[data-id="whd_1"]')
        row.locator("td.state", has_text="pending").wait_for()
        row.click()
        page.locator("#detail-redeliver").wait_for()
        assert page.locator("#detail-title").inner_text() == "Delivery whd_1"
        receiver.status = 200
        page.locator("#detail-redeliver").click()
        page.locator('#detail-fields dd[data-field="state"]', has_text="delivered").wait_for()
        row.locator("td.state", has_text="delivered").wait_for()
        assert len(receiver.wait_for(2)) == 2
        page.locator("#deliveries-clear").click()
        page.locator("#deliveries-empty").wait_for()
        assert requests.get(f"{base}/__sandbox/webhooks/deliveries").json() == []
    finally:
        _closed(page, base)
        stop(proc)
        receiver.close()


def test_inspector_screenshot_shows_the_page_and_the_request(page, base, tmp_path):
    from PIL import Image
    made = _plain_request(base, test_vendors()[0])
    page.goto(f"{base}/__sandbox/ui")
    row = page.locator(f'#entries tr[data-id="{made.headers["X-Request-Id"]}"]')
    row.click()
    page.locator("#detail").wait_for()
    for name, target, least in (("inspector.png", page, (1000, 600)),
                                ("request-row.png", row, (600, 20))):
        shot = tmp_path / name
        target.screenshot(path=str(shot))
        with Image.open(shot) as image:
            width, height = image.size
            colours = image.convert("RGB").getcolors(maxcolors=width * height)
        assert width >= least[0] and height >= least[1], (name, width, height)
        commonest = max(count for count, _ in colours)
        assert len(colours) > 8 and commonest < 0.97 * width * height, (name, len(colours))


def test_pages_with_a_control_token_ask_for_it_once(browser):
    proc, base = serve("--control-token", "tok", *_vendor_flags())
    page = _open(browser, base)
    try:
        token = {"Authorization": "Bearer tok"}
        schemes = requests.get(f"{base}/__sandbox/docs/{test_vendors()[0]}/credential",
                               headers=token).json()["schemes"]
        secrets = [given.get("password") or given["value"] for given in schemes.values()]
        page.goto(f"{base}/__sandbox/ui")
        page.locator("#token-dialog").wait_for()
        assert secrets and not [value for value in secrets if value in page.content()]
        page.fill("#token-input", "not-it")
        page.click("#token-form button[type=submit]")
        page.locator("#token-error").get_by_text("refused").wait_for()
        page.fill("#token-input", "tok")
        page.click("#token-form button[type=submit]")
        page.locator("#health").get_by_text("seed 1").wait_for()
        page.wait_for_function("() => document.getElementById('credentials-json').textContent")
        assert all(value in page.locator("#credentials-json").text_content() for value in secrets)
        vendor = test_vendors()[0]
        page.goto(f"{base}/__sandbox/docs/{vendor}")  # the same tab keeps the token
        page.locator(".opblock").first.wait_for()
        assert page.locator("#sample").is_visible()
        assert not page.locator("#token-dialog").is_visible()
    finally:
        stop(proc)
        _closed(page, base)
