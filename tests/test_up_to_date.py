"""No work when nothing changed: `make run` (python -m orchestration.annual) after a complete
run with the same inputs starts no run; any change to what the results depend on, or to
what the run left, makes it run again."""

import os
import shutil
import threading

import dagster as dg
import pytest
from conftest import FIXTURES, point_at

from orchestration import annual, up_to_date
from orchestration.settings import Settings


@pytest.fixture(scope="module")
def built(tmp_path_factory, module_monkeypatch):
    """The mini input, copied, run once through the command line's entry point with a
    Dagster home of its own: (settings, instance)."""
    work = tmp_path_factory.mktemp("up-to-date")
    data = work / "data"
    shutil.copytree(FIXTURES / "mini", data)
    point_at(module_monkeypatch, data, work)
    module_monkeypatch.setenv("DAGSTER_HOME", str(work / "dagster"))
    (work / "dagster").mkdir()
    assert annual.main([]) == 0
    return Settings.from_env(), dg.DagsterInstance.get()


def published_files(settings: Settings) -> dict[str, int]:
    return {str(path): path.lstat().st_mtime_ns for path in settings.publish_dir.rglob("*")}


def test_a_second_run_with_nothing_changed_starts_no_run_and_says_why(built, capsys):
    settings, instance = built
    capsys.readouterr()
    before = published_files(settings)
    assert len(instance.get_runs()) == 1
    assert annual.main([]) == 0
    assert annual.main(["2018"]) == 0  # a year the complete run covered
    assert len(instance.get_runs()) == 1
    assert published_files(settings) == before
    said = capsys.readouterr().out
    assert said.count("Nothing to do") == 2 and "--force" in said
    assert instance.get_runs()[0].run_id[:8] in said


def test_an_edit_of_the_same_size_and_time_still_counts_as_a_change(built):
    """By content, not by modification time: a value changed and the file's time put back."""
    settings, _ = built
    path = settings.data_dir / "submissions" / "2017" / "values.csv"
    original, stat = path.read_bytes(), path.stat()
    changed = original.replace(b"10", b"11", 1)
    assert changed != original and len(changed) == len(original)
    try:
        path.write_bytes(changed)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert up_to_date.unchanged(settings) is None
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert up_to_date.unchanged(settings) is not None  # the same bytes again: nothing to do


@pytest.mark.parametrize("where", ["frameworks/extra.yaml", "submissions/2018/late.csv", "units/lineage.csv"])
def test_a_new_input_file_counts_as_a_change(built, where):
    settings, _ = built
    path = settings.data_dir / where
    path.write_text("anything\n", encoding="utf-8")
    try:
        assert up_to_date.unchanged(settings) is None
    finally:
        path.unlink()
    assert up_to_date.unchanged(settings) is not None


def test_a_fifo_a_device_or_a_link_outside_is_never_read_and_still_counts(built, tmp_path):
    """Entries ingest does not read (a FIFO, a link to /dev/zero or to a file outside the
    input root) are taken by what they are, not read: the check ends, and sees them come
    and go; a file outside the root changing behind a link is not an input change."""
    settings, _ = built
    folder = settings.data_dir / "submissions" / "2018"
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("unit_code,indicator_code,value\n", encoding="utf-8")
    entries = {"pipe.csv": lambda p: os.mkfifo(p), "zero.csv": lambda p: p.symlink_to("/dev/zero"),
               "outside.csv": lambda p: p.symlink_to(outside)}
    for name, make in entries.items():
        make(folder / name)
    try:
        outcome = []
        check = threading.Thread(target=lambda: outcome.append(up_to_date.unchanged(settings)), daemon=True)
        check.start()
        check.join(timeout=60)
        assert not check.is_alive(), "the check read an entry that never ends"
        assert outcome == [None]  # new entries: a change
        digest = up_to_date.inputs_digest(settings)
        outside.write_text("unit_code,indicator_code,value\n46.A,I1,5\n", encoding="utf-8")
        assert up_to_date.inputs_digest(settings) == digest
    finally:
        for name in entries:
            (folder / name).unlink()
    assert up_to_date.unchanged(settings) is not None


def test_a_file_beside_the_inputs_is_not_an_input(built):
    settings, _ = built
    note = settings.data_dir / "README.md"
    note.write_text("notes of the people who send the data\n", encoding="utf-8")
    try:
        assert up_to_date.unchanged(settings) is not None
    finally:
        note.unlink()


def test_a_touched_or_deleted_output_is_not_trusted(built):
    settings, _ = built
    report = next(p for p in (settings.publish_dir / "reports").rglob("*") if p.is_file() and not p.is_symlink())
    stat = report.stat()
    os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert up_to_date.unchanged(settings) is None
    os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert up_to_date.unchanged(settings) is not None
    saved, folder = report.read_bytes(), report.parent.stat()
    report.unlink()
    try:
        assert up_to_date.unchanged(settings) is None
    finally:
        report.write_bytes(saved)
        for path, times in ((report, stat), (report.parent, folder)):
            os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert up_to_date.unchanged(settings) is not None
    warehouse = settings.warehouse.stat()
    os.utime(settings.warehouse, ns=(warehouse.st_atime_ns, warehouse.st_mtime_ns + 1))
    try:
        assert up_to_date.unchanged(settings) is None
    finally:
        os.utime(settings.warehouse, ns=(warehouse.st_atime_ns, warehouse.st_mtime_ns))


def test_other_settings_or_a_changed_project_count_as_a_change(built, tmp_path, monkeypatch):
    settings, _ = built
    elsewhere = Settings.resolve(str(settings.data_dir), str(settings.warehouse), str(tmp_path / "published"),
                                 settings.memory_limit)
    assert up_to_date.unchanged(elsewhere) is None
    # the project's expectations, in a copy of the project whose suite gains a line
    project = tmp_path / "project"
    for folder in up_to_date.PROJECT_FOLDERS:
        shutil.copytree(up_to_date.PROJECT_ROOT / folder, project / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(up_to_date, "PROJECT_ROOT", project)
    assert up_to_date.unchanged(settings) is not None
    suite = sorted((project / "expectations").glob("*.json"))[0]
    suite.write_text(suite.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert up_to_date.unchanged(settings) is None


def test_a_record_that_cannot_be_written_fails_nothing_and_trusts_nothing(tmp_path, capsys):
    settings = Settings.resolve(str(FIXTURES / "mini"), str(tmp_path / "warehouse.duckdb"),
                                str(tmp_path / "published"), "1GB")
    up_to_date.record_path(settings).mkdir()  # where the record goes, something it cannot replace
    up_to_date.record(settings, up_to_date.inputs_digest(settings), ["2017", "2018"], "run")
    assert "the next run runs again" in capsys.readouterr().err
    assert up_to_date.unchanged(settings) is None


def test_a_forced_run_of_one_year_runs_and_leaves_the_record_stale(built, capsys):
    """A run of some years is not a complete run: it records nothing, and what it wrote
    makes the complete run's record stale, so the next `make run` runs every year."""
    settings, instance = built
    recorded = up_to_date.record_path(settings).read_text(encoding="utf-8")
    assert annual.main(["2018", "--force"]) == 0
    assert len(instance.get_runs()) == 2
    assert "Nothing to do" not in capsys.readouterr().out
    assert up_to_date.record_path(settings).read_text(encoding="utf-8") == recorded
    assert up_to_date.unchanged(settings) is None
