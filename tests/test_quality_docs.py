"""The Great Expectations Data Docs of a run (SPEC §5: `quality/` beside the marts) open
on a closed network: every script, stylesheet and image they load is shipped beside them,
and in headless Chromium with every non-local request blocked their tables are drawn by
bootstrap-table. GE's own pages load those from CDNs, and offline show two "Clear Filters"
buttons and nothing else."""

import re
from pathlib import Path
from urllib.parse import unquote

import dagster as dg
import pytest
from browser import Chromium, PageResult, drain, ensure_chromium, full_screenshot, navigate, wait_for
from conftest import FIXTURES, ROOT, materialize_all

from orchestration.quality import expectations_dir, load_suites

ARTIFACTS = ROOT / "test-artifacts" / "quality-docs"
LOADED = re.compile(r"<(?:script|link|img)\b[^>]*>", re.IGNORECASE)
LOADED_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)

# What a page shows once its scripts ran: each bootstrap-table (wrapped by the plugin in a
# div.bootstrap-table), its rows in the DOM and in the plugin's data, and whether Bootstrap's
# styles and Font Awesome's font apply.
PROBE = """
(function () {
  var $ = window.jQuery;
  var tables = Array.from(document.querySelectorAll("table[data-toggle=table], table[id$=-body-table]"));
  return {
    jquery: typeof $ === "function",
    bootstrap_table: !!($ && $.fn.bootstrapTable),
    navbar: getComputedStyle(document.querySelector("nav.navbar")).display,
    font_awesome: Array.from(document.fonts).some(function (f) {
      return f.family.indexOf("Font Awesome") >= 0 && f.status === "loaded"; }),
    text: document.body.innerText,
    tables: tables.map(function (table) {
      var plugin = $ && $.fn.bootstrapTable && $(table).data("bootstrap.table");
      var wrapper = table.closest(".bootstrap-table");
      return {
        id: table.id,
        drawn: !!wrapper,
        rows: table.querySelectorAll("tbody tr:not(.no-records-found)").length,
        data: plugin ? JSON.stringify($(table).bootstrapTable("getData")) : null,
        pagination: wrapper && wrapper.querySelector(".pagination-info")
          ? wrapper.querySelector(".pagination-info").textContent.trim() : null,
        text: table.textContent
      };
    })
  };
})()
"""


def open_offline(page: Path, screenshot: Path, timeout: float = 60) -> tuple[PageResult, dict]:
    """Load `page` with every request that is not a local file blocked (and recorded), wait
    until it and its fonts are loaded, keep a full-page screenshot; return what happened
    and what the page shows."""
    result = PageResult()
    with Chromium(ensure_chromium()) as browser:
        session = navigate(browser, page, result, 1400)
        if wait_for(browser, session, result, "document.readyState + ' ' + document.fonts.status",
                    lambda state: state == "complete loaded", timeout) != "complete loaded":
            pytest.fail(f"{page} did not finish loading in {timeout} s")
        drain(browser, session, result, 0.5)  # what the scripts run on load still report
        shown = browser.call("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                             session)["result"]["value"]
        result.screenshot = full_screenshot(browser, session, screenshot, 1400)
    return result, shown


@pytest.fixture(scope="module")
def mini(tmp_path_factory, module_monkeypatch):
    """A run of its own (the shared mini run's instance and docs take other tests' runs):
    (publish dir, instance)."""
    instance = dg.DagsterInstance.ephemeral()
    work = tmp_path_factory.mktemp("quality-docs")
    return materialize_all(FIXTURES / "mini", work, module_monkeypatch, instance=instance), instance


@pytest.fixture(scope="module")
def docs(mini):
    published, _ = mini
    return published / "quality"


@pytest.fixture(scope="module")
def suite_names():
    return sorted(suite.name for suite in load_suites(expectations_dir()))


def assert_drawn_offline(result: PageResult, shown: dict) -> None:
    assert result.blocked_requests == []  # nothing is fetched from the network
    assert result.errors == []
    assert shown["jquery"] and shown["bootstrap_table"]
    assert shown["navbar"] == "flex"  # Bootstrap's stylesheet applies
    assert shown["font_awesome"]  # the status icons are drawn
    assert shown["tables"] and all(table["drawn"] for table in shown["tables"]), \
        [table["id"] for table in shown["tables"] if not table["drawn"]]
    assert result.screenshot.stat().st_size > 50_000


def test_every_page_loads_its_scripts_styles_and_images_from_the_site(docs):
    pages = list(docs.rglob("*.html"))
    assert len(pages) > 30
    remote, missing = set(), set()
    for page in pages:
        for tag in LOADED.findall(page.read_text(encoding="utf-8")):
            for url in LOADED_URL.findall(tag):
                if re.match(r"[a-z]+:", url):
                    remote.add(url)
                elif not (page.parent / unquote(url.split("?")[0])).is_file():
                    missing.add((page.relative_to(docs).as_posix(), url))
            assert "integrity=" not in tag and "crossorigin" not in tag, tag
    assert remote == set()
    assert missing == set()
    # the licences travel with the files
    assert (docs / "static" / "vendor" / "README.md").is_file()


def test_the_index_draws_its_tables_offline_in_chromium(docs, suite_names):
    result, shown = open_offline(docs / "index.html", ARTIFACTS / "index.png")
    assert_drawn_offline(result, shown)
    validations, suites = shown["tables"]
    validation_pages = list((docs / "validations").rglob("*.html"))
    # every suite's validations and its page are rows of the tables, 10 to a page
    assert len(re.findall(r'"_table_row_link_path":', validations["data"])) == len(validation_pages)
    assert len(re.findall(r'"_table_row_link_path":', suites["data"])) == len(suite_names)
    for name in suite_names:
        assert f'"{name}"' in validations["data"] and f'"{name}"' in suites["data"], name
    assert validations["rows"] == suites["rows"] == 10
    assert validations["pagination"].startswith(f"Showing 1 to 10 of {len(validation_pages)} rows")
    assert suites["pagination"].startswith(f"Showing 1 to 10 of {len(suite_names)} rows")
    shown_suites = [name for name in suite_names if name in validations["text"]]
    assert len(shown_suites) >= 5, validations["text"][:500]  # the first page's rows are in the DOM


def test_a_validation_page_draws_its_tables_offline_in_chromium(docs):
    (page,) = (docs / "validations" / "marts" / "provincial_ranking").rglob("*.html")
    result, shown = open_offline(page, ARTIFACTS / "validation-provincial_ranking.png")
    assert_drawn_offline(result, shown)
    assert "marts.provincial_ranking" in shown["text"]
    assert "Evaluated Expectations" in shown["text"]
    assert len(shown["tables"]) > 5
    assert all(table["rows"] > 0 for table in shown["tables"])


def test_a_suite_page_draws_offline_in_chromium(docs):
    result, shown = open_offline(docs / "expectations" / "marts" / "provincial_ranking.html",
                                 ARTIFACTS / "suite-provincial_ranking.png")
    assert result.blocked_requests == [] and result.errors == []
    assert shown["jquery"] and shown["navbar"] == "flex"
    assert "score_pct" in shown["text"]


def test_each_check_links_the_data_docs_by_a_file_url(mini):
    published, instance = mini
    (run,) = instance.get_runs()
    links = {
        entry.dagster_event.event_specific_data.check_name:
            entry.dagster_event.event_specific_data.metadata["data_docs"]
        for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        if entry.dagster_event.event_specific_data.check_name.startswith("ge_")
    }
    assert links
    index = published / "quality" / "index.html"
    for link in links.values():
        assert isinstance(link, dg.UrlMetadataValue)
        assert link.url == index.as_uri()
    assert index.is_file()
