"""A year's reports are rendered again only when the marts rows they are made from have
changed: a one-year run carries the other years' reports over (the very files, hard-linked),
a change that reaches every year's marts rows reaches every year's reports, and reports of
a year gone from the marts go. One real materialisation of the mini fixture
(tests/fixtures/mini), then runs on copies of its input, warehouse and publication."""

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import FIXTURES, materialize_all

from orchestration.reports.build import RECORD, build_reports
from orchestration.reports.content import REPORT_TABLES

TTH_2018_ROW = "46.B;Sở Thông tin và Truyền thông;0,75;1;5;40;0"


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, module_monkeypatch):
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(FIXTURES / "mini", root / "data")
    materialize_all(root / "data", root / "work", module_monkeypatch)
    return root


@pytest.fixture
def again(first_run, tmp_path):
    """A copy of the first run (input, warehouse, publication) to run again on."""
    shutil.copytree(first_run, tmp_path, dirs_exist_ok=True)
    return tmp_path


def files(reports: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of a reports folder: its inode (the same file when carried over) and bytes."""
    return {str(p.relative_to(reports)): (p.stat().st_ino, p.read_bytes())
            for p in sorted(reports.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def rendered_reports(instance: dg.DagsterInstance) -> int:
    event = instance.get_latest_materialization_event(dg.AssetKey("published_reports"))
    return event.asset_materialization.metadata["rendered"].value


def test_a_one_year_run_renders_only_the_year_whose_rows_changed(again, monkeypatch):
    reports = again / "work" / "published" / "reports"
    before = files(reports)
    # one more online service for Sở Thông tin và Truyền thông in 2018
    edit(again / "data" / "submissions" / "2018" / "values-wide.csv", TTH_2018_ROW, TTH_2018_ROW.replace(";5;", ";10;"))

    instance = dg.DagsterInstance.ephemeral()
    materialize_all(again / "data", again / "work", monkeypatch, years=[2018], instance=instance)

    after = files(reports)
    assert after.keys() == before.keys()
    assert after["2017/46.html"] == before["2017/46.html"] and after["2017/46.xlsx"] == before["2017/46.xlsx"]
    for name in ("2018/46.html", "2018/46.xlsx"):
        assert after[name][0] != before[name][0] and after[name][1] != before[name][1], name
    assert rendered_reports(instance) == 1
    assert sorted(json.loads((reports / RECORD).read_text(encoding="utf-8"))) == ["2017", "2018"]


def test_a_renamed_province_is_renamed_in_every_years_report_by_a_one_year_run(again, monkeypatch):
    # the registry is read again by every run, and every year's marts rows join it
    edit(again / "data" / "units" / "units.csv", "46,Thừa Thiên Huế,", "46,Thừa Thiên - Huế,")

    instance = dg.DagsterInstance.ephemeral()
    materialize_all(again / "data", again / "work", monkeypatch, years=[2018], instance=instance)

    reports = again / "work" / "published" / "reports"
    for year in (2017, 2018):
        assert f"tỉnh Thừa Thiên - Huế năm {year}" in (reports / str(year) / "46.html").read_text(encoding="utf-8")
    assert rendered_reports(instance) == 2


def test_the_same_marts_render_nothing_and_a_year_gone_from_them_goes(first_run, tmp_path):
    published = first_run / "work" / "published"
    marts, reports = tmp_path / "marts.duckdb", tmp_path / "reports"
    shutil.copy(published / "marts.duckdb", marts)
    shutil.copytree(published / "reports", reports)
    before = files(reports)

    publication = build_reports(marts, reports)
    after = files(reports)
    assert publication.rendered == []
    assert after[RECORD][1] == before.pop(RECORD)[1]  # written again, the same
    assert {name: after[name] for name in before} == before

    with duckdb.connect(str(marts)) as con:
        for table in REPORT_TABLES:  # our own constant names
            con.execute(f"delete from {table} where year = 2018")
    publication = build_reports(marts, reports)
    after = files(reports)
    assert sorted(after) == [RECORD, "2017/46.html", "2017/46.xlsx"]
    assert after["2017/46.html"] == before["2017/46.html"] and after["2017/46.xlsx"] == before["2017/46.xlsx"]
    assert publication.rendered == []
    assert [str(p) for p in publication.files] == ["2017/46.html", "2017/46.xlsx"]


def test_without_a_readable_record_every_report_is_rendered(first_run, tmp_path):
    published = first_run / "work" / "published"
    reports = tmp_path / "reports"
    shutil.copytree(published / "reports", reports)
    (reports / RECORD).write_text("{not json", encoding="utf-8")

    publication = build_reports(published / "marts.duckdb", reports)
    assert [str(p) for p in publication.rendered] == ["2017/46.html", "2017/46.xlsx", "2018/46.html", "2018/46.xlsx"]
    assert sorted(json.loads((reports / RECORD).read_text(encoding="utf-8"))) == ["2017", "2018"]
