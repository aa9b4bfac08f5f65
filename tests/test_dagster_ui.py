"""The Dagster UI, for real: the annual run of the mini input recorded in a Dagster home,
the webserver on it on a free loopback port, and headless Chromium driven to what the
engineer looks at after `make run`: the run, the groups, the assets' descriptions.
Screenshots are kept under test-artifacts/dagster-ui/."""

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
from conftest import FIXTURES, ROOT, materialize_all

from orchestration.publish import MART_TABLES

ARTIFACTS = ROOT / "test-artifacts" / "dagster-ui"
GROUP = "/locations/orchestration.definitions/asset-groups/marts"
SKIP_COMMUNITY_DIALOG = "[...document.querySelectorAll('button')].filter(b => b.innerText.trim() === 'Skip').forEach(b => b.click())"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dagster_home(tmp_path_factory):
    """A Dagster home holding one annual run of the mini input, as `make run` records it."""
    import dagster as dg

    home = tmp_path_factory.mktemp("dagster-home")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DAGSTER_HOME", str(home))
        with dg.DagsterInstance.get() as instance:
            materialize_all(FIXTURES / "mini", tmp_path_factory.mktemp("ui-run"), monkeypatch, instance=instance)
    return home


@pytest.fixture(scope="module")
def webserver(dagster_home):
    port = free_port()
    home = dagster_home
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


def test_make_run_is_recorded_as_the_annual_run_job(dagster_home, webserver, monkeypatch):
    import dagster as dg

    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
    assert [run.job_name for run in runs] == ["annual_run"]
    text = visit(f"{webserver}/runs", ["annual_run"], ARTIFACTS / "runs.png")
    assert "annual_run" in text and "__ephemeral_asset_job__" not in text


def test_every_dbt_layer_is_a_group(webserver):
    # the UI draws a long list only as far as it shows: name the first model of each layer
    for group, model in [("staging", "stg_units"), ("intermediate", "int_category_average_changes")]:
        text = visit(f"{webserver}/locations/orchestration.definitions/asset-groups/{group}/list",
                     [f"{group} / {model}"], ARTIFACTS / f"{group}-list.png")
        assert f"{group} / {model}" in text and "marts / " not in text, group


def test_descriptions_keep_their_placeholders_and_show_no_sql(webserver):
    text = visit(f"{webserver}/assets/published_marts", ["parquet/<table>.parquet"], ARTIFACTS / "published-marts.png")
    assert "parquet/<table>.parquet" in text
    text = visit(f"{webserver}/assets/marts/national_ranking", ["The Ministry's ranking"],
                 ARTIFACTS / "national-ranking.png")
    assert "The Ministry's ranking" in text and "Raw SQL" not in text and "{{" not in text


def test_the_demo_run_is_recorded_under_annual_run(demo_run):
    """`make run` on the demo input (data/, through orchestration.annual as the Makefile
    runs it): one run, of the job annual_run, that succeeded."""
    instance = demo_run[2]
    assert [(run.job_name, run.is_success) for run in instance.get_runs()] == [("annual_run", True)]
