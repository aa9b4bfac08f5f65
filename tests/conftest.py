"""Shared fixtures: a prepared dbt manifest, and real materialisations of every asset on
an input root, each into its own temporary warehouse and publish directory."""

import os
import tempfile
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_DATA = ROOT / "data"


def pytest_configure(config):
    # The definitions load the manifest at import; make sure it is current (`make test`
    # has prepared it already, a bare `pytest` after editing a model may not have).
    # Once, before pytest-xdist's workers start: they would parse into one folder together.
    from orchestration.dbt_project import manifest_is_stale, prepare_manifest

    if not hasattr(config, "workerinput") and manifest_is_stale():
        prepare_manifest()
    # a test that forgets to point the pipeline somewhere must not write into data/
    scratch = Path(tempfile.mkdtemp(prefix="egov-tests-"))
    os.environ.setdefault("EGOV_WAREHOUSE", str(scratch / "warehouse.duckdb"))
    os.environ.setdefault("EGOV_PUBLISH_DIR", str(scratch / "published"))


def point_at(monkeypatch, data_dir: Path, work_dir: Path) -> Path:
    """Set the SPEC §2 variables to `data_dir` and a warehouse and publish dir in
    `work_dir`; return the publish dir."""
    monkeypatch.setenv("EGOV_DATA_DIR", str(data_dir))
    monkeypatch.setenv("EGOV_WAREHOUSE", str(work_dir / "warehouse.duckdb"))
    monkeypatch.setenv("EGOV_PUBLISH_DIR", str(work_dir / "published"))
    return work_dir / "published"


def materialize_all(data_dir: Path, work_dir: Path, monkeypatch, years=None, instance=None):
    """Materialise every asset of the code location on `data_dir` (all years, or `years`)
    as `make run` does; return the publish dir."""
    import dagster as dg

    from orchestration import annual
    from orchestration.settings import Settings

    publish_dir = point_at(monkeypatch, data_dir, work_dir)
    result = annual.run(Settings.from_env(), years, instance or dg.DagsterInstance.ephemeral())
    assert result.success
    failed_checks = [
        check.asset_check_key for check in result.get_asset_check_evaluations() if not check.passed
    ]
    assert not failed_checks, failed_checks
    return publish_dir


def query(publish_dir: Path, sql: str, params=None) -> list[tuple]:
    """Read the published marts as a BI tool does: read-only."""
    with duckdb.connect(str(publish_dir / "marts.duckdb"), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


@pytest.fixture(scope="session")
def mini_run(tmp_path_factory):
    """One materialisation of the hand-computed mini input shared by the tests that only
    read it: (work dir, publish dir, Dagster instance)."""
    import dagster as dg

    work = tmp_path_factory.mktemp("mini")
    instance = dg.DagsterInstance.ephemeral()
    with pytest.MonkeyPatch.context() as monkeypatch:
        return work, materialize_all(FIXTURES / "mini", work, monkeypatch, instance=instance), instance


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """One materialisation of the demo input (data/) shared by the tests that read it:
    (work dir, publish dir, Dagster instance)."""
    import dagster as dg

    work = tmp_path_factory.mktemp("demo")
    instance = dg.DagsterInstance.ephemeral()
    with pytest.MonkeyPatch.context() as monkeypatch:
        return work, materialize_all(DEMO_DATA, work, monkeypatch, instance=instance), instance


@pytest.fixture(scope="module")
def module_monkeypatch():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as legacy Windows-1258 files are written: base letters (ơ, â, đ…) are
    precomposed, the five tone marks are separate combining characters."""
    import unicodedata

    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONE_MARKS))
        tones = "".join(p for p in parts if p in TONE_MARKS)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


@pytest.fixture(scope="module")
def published(demo_run):
    """The publish directory of the demo run (data/); a module that materialises its own input
    defines its own `published`, which `reports` then follows."""
    return demo_run[1]


@pytest.fixture(scope="module")
def reports(published):
    return published / "reports"


def framework_yaml(code: str, title: str, year: int, criteria: str,
                   top_band: str = "{label: Tốt, min_pct: 80}") -> str:
    """A framework file of Thừa Thiên Huế (46) for its departments, rated Tốt or Yếu, with the
    criteria given as YAML text (each line indented as under `criteria:`)."""
    return (f"code: {code}\ntitle: {title}\nevaluator: \"46\"\nunit_type: department\nyears: [{year}]\n"
            f"rating:\n  - {top_band}\n  - {{label: Yếu, min_pct: 0}}\ncriteria:\n{criteria}")
