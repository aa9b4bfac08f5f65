"""The Dagster UI, for real: the webserver on a free loopback port and headless Chromium
driven to the marts group, whose assets must all be listed. Screenshots are kept under
test-artifacts/dagster-ui/."""

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser import Chromium, ensure_chromium
from conftest import FIXTURES, ROOT
from orchestration.publish import MART_TABLES

ARTIFACTS = ROOT / "test-artifacts" / "dagster-ui"
GROUP = "/locations/orchestration.definitions/asset-groups/marts"
SKIP_COMMUNITY_DIALOG = "[...document.querySelectorAll('button')].filter(b => b.innerText.trim() === 'Skip').forEach(b => b.click())"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    port = free_port()
    home = tmp_path_factory.mktemp("dagster-home")
    env = {**os.environ, "DAGSTER_HOME": str(home), "EGOV_DATA_DIR": str(FIXTURES / "mini")}
    log = open(home / "webserver.log", "w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-webserver")), "-m", "orchestration.definitions",
         "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the webserver did not start: {(home / 'webserver.log').read_text()[-2000:]}")
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=30)
    log.close()


def visit(url: str, wanted: list[str], screenshot: Path, timeout: float = 90) -> str:
    """Open `url`, wait until every string of `wanted` is on the page, keep a screenshot,
    and return the page's text."""
    with Chromium(ensure_chromium()) as browser:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.call("Page.enable", {}, session)
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": 1600, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session)
        browser.post("Page.navigate", {"url": url}, session)
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline and not all(w in text for w in wanted):
            browser.events(0.5)
            browser.call("Runtime.evaluate", {"expression": SKIP_COMMUNITY_DIALOG}, session)
            text = browser.call("Runtime.evaluate", {"expression": "document.body ? document.body.innerText : ''",
                                                     "returnByValue": True}, session)["result"].get("value") or ""
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session)
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    return text


def test_the_marts_group_lists_every_mart(webserver):
    text = visit(f"{webserver}{GROUP}/list", [f"marts / {table}" for table in MART_TABLES],
                 ARTIFACTS / "marts-list.png")
    assert [table for table in MART_TABLES if f"marts / {table}" not in text] == []
    assert "Average index of each category" in text  # descriptions come from the dbt YAML
    assert (ARTIFACTS / "marts-list.png").stat().st_size > 10_000


def test_the_asset_graph_shows_the_lineage_into_publishing(webserver):
    text = visit(f"{webserver}{GROUP}", ["published_marts", "Materialize all"], ARTIFACTS / "marts-lineage.png")
    assert "published_marts" in text and "DuckDB" in text and "dbt" in text
