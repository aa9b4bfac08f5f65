"""Publishing safely: names from the input never lead a file outside the reports folder,
and a publication switches whole — marts.duckdb and every parquet/<table>.parquet (and
reports/) together, or not at all (SPEC §5, §6).

The publishing tests run the real publish_marts on small DuckDB warehouses built here;
the report tests build reports from the mini run's marts with hostile codes put in."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import versions
from orchestration.publish import MART_TABLES, publish_marts
from orchestration.reports import build
from orchestration.reports.build import RECORD, UnsafeName, build_reports, report_path

# --------------------------------------------------------------- a small warehouse per run


def make_warehouse(path: Path, tag: str) -> Path:
    """A warehouse whose `marts` schema holds every MART_TABLE, each row marked `tag`:
    what publication_metadata reads, and a `run` column telling the runs apart."""
    ranking = "2018 as year, '{tag}' as run, 'province' as unit_type, 'province' as peer_group, '{code}' as unit_code, " \
              "'Tỉnh {tag}' as unit_name, 1 as rank, 0.5 as index, 50.0 as score_pct, 'Khá' as rating"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for table in MART_TABLES:
            if table == "national_ranking":
                select = ranking.format(tag=tag, code="46")
            elif table == "provincial_ranking":
                select = ranking.format(tag=tag, code="46.A") + ", '46' as province_code"
            elif table == "submission_issues":
                select = f"2018 as year, '{tag}' as run, 'error' as severity"
            else:
                select = f"2018 as year, '{tag}' as run"
            con.execute(f"create table marts.{table} as select {select}")
    return path


def runs_seen(publish_dir: Path) -> set[str]:
    """The runs a reader sees: through marts.duckdb (read-only) and every parquet file."""
    seen = set()
    with duckdb.connect(str(publish_dir / "marts.duckdb"), read_only=True) as con:
        for table in MART_TABLES:
            seen |= {run for (run,) in con.execute(f"select run from {table}").fetchall()}
        for table in MART_TABLES:
            path = str(publish_dir / "parquet" / f"{table}.parquet")
            seen |= {run for (run,) in con.execute("select run from read_parquet($p)", {"p": path}).fetchall()}
    return seen


def public_bytes(publish_dir: Path) -> dict[str, bytes]:
    """What a BI tool reads, by the paths of SPEC §5."""
    names = ["marts.duckdb", *(f"parquet/{table}.parquet" for table in MART_TABLES)]
    return {name: (publish_dir / name).read_bytes() for name in names}


def marts_versions(publish_dir: Path) -> list[str]:
    return sorted(p.name for p in (publish_dir / versions.VERSIONS).glob("marts-*"))


@pytest.fixture
def run(tmp_path):
    """Publish a run marked `tag` into tmp_path/published."""
    published = tmp_path / "published"

    def publish_run(tag: str) -> Path:
        publish_marts(make_warehouse(tmp_path / f"warehouse-{tag}.duckdb", tag), published)
        return published

    return publish_run


def fail_on(monkeypatch, function: str, name: str, skip: int = 0) -> None:
    """Make os.<function> raise when the name of its target path contains `name`, after
    letting the first `skip` such calls through."""
    real = getattr(os, function)
    calls = []

    def failing(source, target, *args, **kwargs):
        if name in Path(target).name:
            calls.append(target)
            if len(calls) > skip:
                raise OSError(f"injected failure: {function} to {target}")
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, function, failing)


# --------------------------------------------------------------- the layout


def test_the_public_paths_are_fixed_links_through_current(run):
    published = run("A")
    assert os.readlink(published / "marts.duckdb") == "current/marts.duckdb"
    assert os.readlink(published / "parquet") == "current/parquet"
    (version,) = marts_versions(published)
    assert os.readlink(published / "current") == f"{versions.VERSIONS}/{version}"
    assert runs_seen(published) == {"A"}
    assert sorted(p.name for p in (published / "parquet").iterdir()) == sorted(f"{t}.parquet" for t in MART_TABLES)
    published = run("B")
    assert runs_seen(published) == {"B"}
    assert os.readlink(published / "marts.duckdb") == "current/marts.duckdb"


def test_only_the_last_two_versions_are_kept(run):
    for tag in "ABCD":
        published = run(tag)
    kept = marts_versions(published)
    assert len(kept) == versions.KEEP == 2
    assert os.readlink(published / "current").endswith(kept[-1])
    assert runs_seen(published) == {"D"}
    assert not [p for p in published.rglob("*") if ".tmp-" in p.name or ".link-" in p.name or ".old-" in p.name]


# --------------------------------------------------------------- all or nothing


@pytest.mark.parametrize("function, name", [
    ("replace", "current"),  # the switch itself: replacing the link `current`
    ("symlink", ".current.link-"),  # making the new link
    ("rename", "marts-"),  # completing the version folder, just before
])
def test_a_failure_at_the_switch_leaves_the_previous_publication_whole(run, monkeypatch, function, name):
    published = run("A")
    before, version_before = public_bytes(published), marts_versions(published)
    with monkeypatch.context() as patch:
        fail_on(patch, function, name)
        with pytest.raises(OSError, match="injected failure"):
            run("B")
    # the database and every parquet file: the previous run's, byte for byte
    assert public_bytes(published) == before
    assert runs_seen(published) == {"A"}
    assert marts_versions(published) == version_before, "the unswitched version is removed"
    assert not list((published / versions.VERSIONS).glob("*.tmp-*"))
    # the next run publishes whole
    run("C")
    assert runs_seen(published) == {"C"}


def test_a_failure_while_writing_leaves_the_previous_publication(run, tmp_path):
    published = run("A")
    before = public_bytes(published)
    broken = make_warehouse(tmp_path / "broken.duckdb", "B")
    with duckdb.connect(str(broken)) as con:
        con.execute(f"drop table marts.{MART_TABLES[-1]}")  # the last table, after the others are copied
    with pytest.raises(duckdb.Error):
        publish_marts(broken, published)
    assert public_bytes(published) == before
    assert not list((published / versions.VERSIONS).glob("*.tmp-*"))


def test_a_reader_holding_the_database_keeps_its_version_and_a_new_one_sees_the_new(run):
    published = run("A")
    reader = duckdb.connect(str(published / "marts.duckdb"), read_only=True)
    try:
        assert reader.execute("select run from provincial_ranking").fetchall() == [("A",)]
        for tag in "BCD":  # A's version is deleted on the way: the open file outlives its name
            run(tag)
            assert runs_seen(published) == {tag}
        assert reader.execute("select run, unit_name from provincial_ranking").fetchall() == [("A", "Tỉnh A")]
        assert reader.execute("select count(*) from submission_issues").fetchall() == [(1,)]
    finally:
        reader.close()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_half_written_versions_of_runs_that_are_gone_are_removed(run):
    published = run("A")
    store = published / versions.VERSIONS
    killed = store / f"marts-20000101T000000000000Z.tmp-{_dead_pid()}"
    (killed / "parquet").mkdir(parents=True)
    (killed / "marts.duckdb").write_bytes(b"half")
    alive = store / f"marts-20000101T000000000001Z.tmp-{os.getppid()}"  # a run still writing
    alive.mkdir()
    stray_link = published / f".current.link-{_dead_pid()}"
    stray_link.symlink_to("nowhere")
    run("B")
    assert not killed.exists() and not stray_link.is_symlink()
    assert alive.is_dir()
    assert runs_seen(published) == {"B"}


# --------------------------------------------------------------- from the layout before versions


def plain_layout(published: Path, tmp_path: Path, tag: str) -> None:
    """marts.duckdb and parquet/ as files, as runs before versions left them, with the
    leftovers of a run killed while publishing."""
    published.mkdir(parents=True)
    (published / "parquet").mkdir()
    warehouse = make_warehouse(tmp_path / f"warehouse-{tag}.duckdb", tag)
    with duckdb.connect(str(published / "marts.duckdb")) as con:
        con.execute("attach $p as w (read_only)", {"p": str(warehouse)})
        for table in MART_TABLES:
            con.execute(f"create table main.{table} as select * from w.marts.{table}")
            con.execute(f"copy main.{table} to $p (format parquet)",
                        {"p": str(published / "parquet" / f"{table}.parquet")})
    (published / f".marts.duckdb.tmp-{_dead_pid()}").write_bytes(b"half")
    (published / "parquet" / f".national_ranking.parquet.tmp-{_dead_pid()}").write_bytes(b"half")


def test_a_plain_layout_is_taken_over_without_changing_what_readers_see(run, tmp_path, monkeypatch):
    published = tmp_path / "published"
    plain_layout(published, tmp_path, "OLD")
    before = public_bytes(published)
    inode = (published / "marts.duckdb").stat().st_ino
    # the new run fails at its switch: the old data, now a version, is what readers see
    with monkeypatch.context() as patch:
        fail_on(patch, "replace", "current", skip=1)  # the first: taking the plain files over
        with pytest.raises(OSError, match="injected failure"):
            run("B")
    assert public_bytes(published) == before
    assert (published / "marts.duckdb").is_symlink() and (published / "parquet").is_symlink()
    assert (published / "marts.duckdb").stat().st_ino == inode, "hard-linked, not copied"
    assert not [p for p in published.iterdir() if ".tmp-" in p.name]
    run("C")
    assert runs_seen(published) == {"C"}
    assert not [p for p in published.rglob("*") if ".tmp-" in p.name]


def test_a_copy_that_followed_the_links_is_taken_over_too(run, tmp_path):
    # `cp -rL` or shutil.copytree(symlinks=False): current/, parquet/, marts.duckdb are plain
    published = run("A")
    copy = tmp_path / "copy"
    shutil.copytree(published, copy)
    assert not (copy / "current").is_symlink()
    publish_marts(make_warehouse(tmp_path / "warehouse-B.duckdb", "B"), copy)
    assert runs_seen(copy) == {"B"}
    assert (copy / "current").is_symlink() and (copy / "marts.duckdb").is_symlink()
    assert runs_seen(published) == {"A"}, "the original is untouched"


# --------------------------------------------------------------- names from the input


@pytest.mark.parametrize("code", [
    "..", ".", "../../x", "../../../x", "/tmp/x", "a/b", "a\\b", "", "a\x00b", "\x00",
    "-rf", "_x", ".hidden", "x" * 33, "46 ", "tỉnh", None, 46,
])
def test_report_path_refuses_codes_that_are_not_plain_names(tmp_path, code):
    with pytest.raises(UnsafeName):
        report_path(tmp_path, 2018, code, ".html")


@pytest.mark.parametrize("year", ["../2018", "201", "20188", "-201", "２０１８", "2018\n", 12345, -1, 2018.0, None, "/tmp"])
def test_report_path_refuses_years_that_are_not_four_digits(tmp_path, year):
    with pytest.raises(UnsafeName):
        report_path(tmp_path, year)


def test_report_path_takes_plain_codes(tmp_path):
    assert report_path(tmp_path, 2018, "46", ".xlsx") == tmp_path / "2018" / "46.xlsx"
    assert report_path(tmp_path, "2018", "national", ".html") == tmp_path / "2018" / "national.html"
    assert report_path(tmp_path, 2018, "46.A_b-1", ".html") == tmp_path / "2018" / "46.A_b-1.html"
    assert report_path(tmp_path, 2018) == tmp_path / "2018"
    with pytest.raises(UnsafeName):
        report_path(tmp_path, 2018, "46", ".sh")


def test_report_path_refuses_a_symlink_leading_outside(tmp_path):
    root, outside = tmp_path / "reports", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "2018").symlink_to(outside)
    with pytest.raises(UnsafeName, match="leads outside"):
        report_path(root, 2018, "46", ".html")
    with pytest.raises(UnsafeName, match="leads outside"):
        report_path(root, 2018)
    (root / "2019").mkdir()
    (root / "2019" / "46.html").symlink_to(outside / "46.html")
    with pytest.raises(UnsafeName, match="leads outside"):
        report_path(root, 2019, "46", ".html")
    # a link that stays inside is fine, and so is a root that is itself a link
    (root / "2020").symlink_to(root / "2019")
    assert report_path(root, 2020, "47", ".html") == root / "2020" / "47.html"
    (tmp_path / "link").symlink_to(root)
    assert report_path(tmp_path / "link", 2019, "47", ".html") == tmp_path / "link" / "2019" / "47.html"


HOSTILE = ["../../../escape", "/tmp/egov-escape", "a/b", "a\\b", "", "..", "x\x00y"]


@pytest.fixture(scope="module")
def hostile_marts(mini_run, tmp_path_factory):
    """The mini run's marts, with province 46's reports copied under hostile codes: in 2017
    the hostile ones, in 2018 a plain code `47` too (it must still be written)."""
    _, published, _ = mini_run
    marts = tmp_path_factory.mktemp("hostile-marts") / "marts.duckdb"
    shutil.copyfile(published / "marts.duckdb", marts)
    tables = ("provincial_ranking", "provincial_criterion_scores", "provincial_rating_distribution",
              "provincial_criterion_highlights", "provincial_indicator_statistics")
    with duckdb.connect(str(marts)) as con:
        for table in tables:  # our own constant names
            for year, code in [*((2017, c) for c in HOSTILE), (2018, "47"), (2018, "../2018-escape")]:
                con.execute(f"insert into {table} select * replace ($code as province_code) "
                            f"from {table} where province_code = '46' and year = $year",
                            {"code": code, "year": year})
    return marts


def every_file(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def test_hostile_codes_are_not_written_and_the_others_are(hostile_marts, tmp_path):
    root = tmp_path / "root"
    publish_dir = root / "a" / "b" / "c" / "published"  # ../../../ from a year folder stays in root
    publication = build_reports(hostile_marts, publish_dir / "reports")
    reports = publish_dir / "reports"
    assert every_file(reports) == [RECORD, "2017/46.html", "2017/46.xlsx",
                                   "2018/46.html", "2018/46.xlsx", "2018/47.html", "2018/47.xlsx"]
    # nothing anywhere else: only the link and the version it leads to, nothing in /tmp
    version = f"a/b/c/published/{os.readlink(reports)}"
    assert every_file(root) == sorted(["a/b/c/published/reports", *(f"{version}/{f}" for f in every_file(reports))])
    assert not list(Path("/tmp").glob("egov-escape*"))
    skipped = "\n".join(publication.skipped)
    for code in HOSTILE + ["../2018-escape"]:
        assert repr(code) in skipped, code
    assert len(publication.skipped) == len(HOSTILE) + 1
    # recorded, and said again by a run that carries the years over
    record = json.loads((reports / RECORD).read_text(encoding="utf-8"))
    assert len(record["2017"]["skipped"]) == len(HOSTILE)
    again = build_reports(hostile_marts, reports)
    assert again.rendered == [] and again.skipped == publication.skipped


def test_a_second_report_with_the_same_file_name_is_not_written(mini_run, tmp_path, monkeypatch):
    # a province whose code is "national" would write over the national report
    _, published, _ = mini_run
    twice = lambda marts: [*provincial_reports(marts), *provincial_reports(marts)]  # noqa: E731
    provincial_reports = build.content.provincial_reports
    monkeypatch.setattr(build.content, "provincial_reports", twice)
    (tmp_path / "staged").mkdir()
    skipped = build.build_year(published / "marts.duckdb", 2017, tmp_path / "staged")
    assert skipped == ["2017: the province report of '46' is not written: 46.html is another report's file"]
    assert every_file(tmp_path / "staged") == ["2017/46.html", "2017/46.xlsx"]


def test_a_tampered_record_cannot_carry_files_from_outside(mini_run, tmp_path):
    _, published, _ = mini_run
    reports = tmp_path / "published" / "reports"
    build_reports(published / "marts.duckdb", reports)
    secret = tmp_path / "secret.html"
    secret.write_text("not a report")
    record = json.loads((reports / RECORD).read_text(encoding="utf-8"))
    record["2017"]["files"] = ["2017/../../../secret.html", "2017/46.xlsx"]
    record["2018"]["files"].append("2018/x.html")
    version = (reports / RECORD).resolve().parent
    (version / RECORD).unlink()  # written anew, not through the hard link other versions share
    (version / RECORD).write_text(json.dumps(record), encoding="utf-8")
    (version / "2018" / "x.html").symlink_to(secret)
    publication = build_reports(published / "marts.duckdb", reports)
    assert sorted(str(p) for p in publication.rendered) == ["2017/46.html", "2017/46.xlsx",
                                                             "2018/46.html", "2018/46.xlsx"]
    assert every_file(reports) == [RECORD, "2017/46.html", "2017/46.xlsx", "2018/46.html", "2018/46.xlsx"]


# --------------------------------------------------------------- reports switch whole too


def test_reports_switch_by_one_link_and_a_failure_leaves_the_previous_folder(mini_run, tmp_path, monkeypatch):
    _, published, _ = mini_run
    reports = tmp_path / "published" / "reports"
    shutil.copytree(published / "reports", reports)  # a plain folder, as before versions
    (reports / RECORD).write_text("{}", encoding="utf-8")  # so every report is rendered again
    inode = (reports / "2017" / "46.html").stat().st_ino
    before = {name: (reports / name).read_bytes() for name in every_file(reports)}
    with monkeypatch.context() as patch:
        fail_on(patch, "replace", "reports", skip=1)  # the first: taking the plain folder over
        with pytest.raises(OSError, match="injected failure"):
            build_reports(published / "marts.duckdb", reports)
    assert reports.is_symlink(), "the plain folder is taken over as a version (renamed, the very files)"
    assert (reports / "2017" / "46.html").stat().st_ino == inode
    assert {name: (reports / name).read_bytes() for name in every_file(reports)} == before
    build_reports(published / "marts.duckdb", reports)
    assert os.readlink(reports).startswith(f"{versions.VERSIONS}/reports-")
    assert every_file(reports) == [RECORD, "2017/46.html", "2017/46.xlsx", "2018/46.html", "2018/46.xlsx"]
    assert len(list((tmp_path / "published" / versions.VERSIONS).glob("reports-*"))) == 2
    assert not [p for p in (tmp_path / "published").rglob("*") if ".tmp-" in p.name or ".old-" in p.name]
