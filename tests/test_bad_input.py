"""Messy and hostile input: quarantine per row with reasons, fatal registry and framework
errors that name the file and field, and publishing that never damages what was
published before (SPEC §6)."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import openpyxl
import pytest
from conftest import FIXTURES, ROOT, materialize_all, query

from orchestration.ingest import frameworks, load
from orchestration.publish import MART_TABLES

MINI = FIXTURES / "mini"
DIRTY = FIXTURES / "dirty"
SCORES = "select year, unit_code, total_score, max_applicable, score_pct, rating, rank from provincial_ranking"


def dirty_tree(root: Path) -> Path:
    shutil.copytree(MINI, root)
    shutil.copytree(DIRTY, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    return root


def tree_hash(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def published_bytes(publish_dir: Path) -> dict[str, bytes]:
    """The published marts and reports as readers see them: through the public paths
    (marts.duckdb, parquet/, reports/, symlinks followed), not the versions behind them
    (.versions/, current); not quality/, the Data Docs of the last run, which a failed run
    replaces on purpose: that is when people read them."""
    files = {}
    for folder, dirs, names in os.walk(publish_dir, followlinks=True):
        if Path(folder) == publish_dir:
            dirs[:] = [d for d in dirs if d not in ("quality", "current") and not d.startswith(".")]
            names = [n for n in names if not n.startswith(".")]
        for name in names:
            path = Path(folder, name)
            files[path.relative_to(publish_dir).as_posix()] = path.read_bytes()
    return dict(sorted(files.items()))


@pytest.fixture(scope="module")
def clean(mini_run):
    return mini_run[1]


@pytest.fixture(scope="module")
def dirty(tmp_path_factory, module_monkeypatch):
    work = tmp_path_factory.mktemp("dirty")
    data = dirty_tree(work / "data")
    before = tree_hash(data)
    published = materialize_all(data, work, module_monkeypatch)
    return data, before, published


HELD = "given 2 times for this unit and year: every copy is held back"


def test_every_problem_is_quarantined_with_its_reason(dirty):
    _, _, published = dirty
    rows = query(published, "select year, source_file, row_number, unit_code, indicator_code, severity, reason from submission_issues")
    unreadable = [r for r in rows if r[1].endswith("corrupt.xlsx")]
    assert len(unreadable) == 1 and unreadable[0][6].startswith("unreadable file: ")
    problems = "submissions/2018/problems.csv"
    assert [r for r in rows if not r[1].endswith("corrupt.xlsx")] == [
        (2018, "submissions/2018/empty.csv", None, None, None, "error", "empty file"),
        (2018, problems, 2, "99.X", "I1", "error", "unknown unit 99.X: not in units/units.csv"),
        (2018, problems, 3, "46.E", "I1", "error", "unit 46.E is not valid in 2018"),
        (2018, problems, 4, "46.H", "I1", "error", "no framework evaluates unit 46.H in 2018"),
        (2018, problems, 5, "46.A", "I9", "error", "unknown indicator I9 for framework mini-department"),
        (2018, problems, 6, "46.K", "I1", "error", "not a number: mười"),
        (2018, problems, 7, "46.K", "I2", "error", "negative value -1"),
        # line 8 is blank: row numbers still follow the file's lines
        (2018, problems, 9, "46.K", "I5", "error", "value 7 is above the indicator maximum 6"),
        (2018, problems, 10, "46.F", "I1", "error", HELD),
        (2018, problems, 11, "46.K", "I3", "error", HELD),
        (2018, problems, 12, "46.K", "I3", "error", HELD),
        (2018, problems, 13, "46.SYT'); DROP TABLE units; --", "I1", "error",
         "unknown unit 46.SYT'); DROP TABLE units; --: not in units/units.csv"),
        (2018, problems, 14, "46.K", "I4", "warning", "missing value: scores 0"),
        (2018, "submissions/2018/unknown-header.csv", 1, None, None, "error",
         "unrecognised header: expected unit_code,indicator_code[,stage],value[,note] (long) "
         "or unit_code followed by indicator codes (wide)"),
        (2018, "submissions/2018/values-wide.csv", 6, "46.F", "I1", "error", HELD),
        (2018, "submissions/2018/values-wide.csv", 7, "46.G", "I5", "warning", "missing value: scores 0"),
        (2020, "submissions/2020/late.csv", 2, "46.A", "I1", "error", "no framework evaluates unit 46.A in 2020"),
    ]


def test_clean_units_are_unchanged_by_the_dirty_files_around_them(clean, dirty):
    _, _, published = dirty
    affected = ("46.F", "46.K")
    assert [r for r in query(published, SCORES + " order by all") if r[1] not in affected] == \
        [r for r in query(clean, SCORES + " order by all") if r[1] not in affected]


def test_held_back_values_show_in_the_marts(dirty):
    _, _, published = dirty
    held = dict(query(published, "select unit_code, held_back_values from provincial_ranking "
                                 "where year = 2018 and held_back_values > 0"))
    assert held == {"46.A": 1, "46.F": 2, "46.K": 5}
    # F's duplicated linear indicator is held back, so F loses its 2 points there
    assert query(published, "select total_score from provincial_ranking where year = 2018 and unit_code = '46.F'") \
        == [(pytest.approx(13.75),)]


def test_nothing_is_lost_and_inputs_are_untouched(dirty):
    data, before, published = dirty
    assert tree_hash(data) == before
    warehouse = published.parent / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # every value row of every readable file is kept as sent, held back or not
        assert con.execute("select count(*) from raw.submissions where year = 2018 "
                           "and source_file = 'submissions/2018/problems.csv'").fetchall() == [(12,)]
        assert con.execute("select count(*) from raw.units").fetchall() == [(10,)]  # not dropped


def test_file_order_does_not_change_the_marts(dirty, tmp_path, monkeypatch):
    _, _, published = dirty
    reordered = tmp_path / "data"
    source = dirty_tree(tmp_path / "source")
    for path in sorted(source.rglob("*"), reverse=True):  # create files in the opposite order
        target = reordered / path.relative_to(source)
        if path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    again = materialize_all(reordered, tmp_path, monkeypatch)
    for table in MART_TABLES:
        assert query(again, f"select * from {table} order by all") == query(published, f"select * from {table} order by all")


def test_symlinks_leading_outside_the_input_root_are_not_followed(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("unit_code,indicator_code,value\n46.A,I1,1\n")
    data = tmp_path / "data"
    (data / "submissions" / "2018").mkdir(parents=True)
    (data / "submissions" / "2018" / "link.csv").symlink_to(outside)
    (data / "submissions" / "2019").symlink_to(tmp_path)
    assert load.submission_files(data) == []


def test_size_limits_refuse_with_a_reason(tmp_path, monkeypatch):
    year = tmp_path / "submissions" / "2018"
    year.mkdir(parents=True)
    (year / "big.csv").write_text("unit_code,indicator_code,value\n" + "46.A,I1,1\n" * 10_000)
    workbook = openpyxl.Workbook()
    workbook.active.append(["unit_code", "I1"])
    workbook.save(year / "bomb.xlsx")
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 50_000)  # the workbook is a few kB zipped
    monkeypatch.setattr(load, "MAX_XLSX_UNZIPPED_BYTES", 1000)
    with duckdb.connect() as con:
        load.load_submissions(con, tmp_path)
        reasons = dict(con.execute("select source_file, reason from raw.file_issues").fetchall())
    assert reasons["submissions/2018/big.csv"] == "file of 100031 bytes is over the 50000 bytes limit"
    assert reasons["submissions/2018/bomb.xlsx"].startswith("unreadable file: ValueError: the workbook unzips to ")
    assert reasons["submissions/2018/bomb.xlsx"].endswith(" bytes, over the 1000 bytes limit")


def test_two_frameworks_claiming_the_same_year_is_fatal(tmp_path):
    shutil.copytree(MINI / "frameworks", tmp_path / "frameworks")
    text = (tmp_path / "frameworks" / "mini-department.yaml").read_text()
    (tmp_path / "frameworks" / "other.yaml").write_text(
        text.replace("code: mini-department", "code: other").replace("years: [2017, 2018]", "years: [2018]"))
    with duckdb.connect() as con, pytest.raises(frameworks.FrameworkError) as error:
        load.load_frameworks(con, tmp_path)
    assert "other.yaml (other): units: in 2018, frameworks/mini-department.yaml (mini-department) " \
           "evaluates evaluator '46', unit_type 'department' too, and without a `units` list" in str(error.value)


def test_bad_registry_fails_the_run_and_leaves_the_published_files(clean, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    published = tmp_path / "published"
    shutil.copytree(clean, published)
    before = published_bytes(published)
    registry = data / "units" / "units.csv"
    registry.write_text(registry.read_text().replace(",parent_code", "", 1))
    with pytest.raises(Exception, match=r"units/units.csv: missing column\(s\) parent_code"):
        materialize_all(data, tmp_path, monkeypatch)
    assert published_bytes(published) == before


def _publish_in_a_process(data: Path, work: Path) -> subprocess.Popen:
    env = {**os.environ, "EGOV_DATA_DIR": str(data), "EGOV_WAREHOUSE": str(work / "warehouse.duckdb"),
           "EGOV_PUBLISH_DIR": str(work / "published"), "DAGSTER_HOME": str(work / "dagster")}
    (work / "dagster").mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "orchestration.annual"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_run_killed_mid_publish_leaves_the_published_files(clean, tmp_path):
    published = tmp_path / "published"
    shutil.copytree(clean, published, symlinks=True)  # the links as they are
    before = published_bytes(published)
    process = _publish_in_a_process(MINI, tmp_path)
    # wait for the most fragile moment: the new marts being written beside the old ones
    while process.poll() is None and not list(published.glob(".versions/marts-*.tmp-*/marts.duckdb")):
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before its publish step"
    assert {k: v for k, v in published_bytes(published).items() if ".tmp-" not in k} == before
    # the next run clears what the killed one left and publishes normally
    assert _publish_in_a_process(MINI, tmp_path).wait() == 0
    assert not [p for p in published.rglob("*") if ".tmp-" in p.name]


def test_a_reader_holding_the_marts_keeps_working_during_a_publish(clean, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    first = materialize_all(data, tmp_path, monkeypatch)
    reader = duckdb.connect(str(first / "marts.duckdb"), read_only=True)
    try:
        assert reader.execute("select count(*) from provincial_ranking").fetchall() == [(12,)]
        (data / "submissions" / "2018" / "values-wide.csv").unlink()  # a different result
        materialize_all(data, tmp_path, monkeypatch)
        # the open reader still sees the version it opened, whole
        assert reader.execute("select count(*) from provincial_ranking").fetchall() == [(12,)]
        assert reader.execute("select max(total_score) from provincial_ranking where year = 2018").fetchall() == [(30,)]
    finally:
        reader.close()
    # reopened, it sees the new version: 2018 has no submissions left, every unit scores 0
    assert query(first, "select max(total_score) from provincial_ranking where year = 2018") == [(0,)]
