"""The dbt project handle, kept apart from the assets so the manifest can be prepared
before anything that needs it is imported (`python -m orchestration.dbt_project`)."""

import hashlib
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from dagster_dbt import DbtProject

from .settings import Settings

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
PARTIAL_PARSE = "partial_parse.msgpack"


def dbt_executable() -> str:
    """The dbt installed beside this Python (the venv's), so nothing depends on the venv's
    bin/ being on PATH; else whatever `dbt` PATH finds."""
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def prepare_manifest() -> Path:
    """Run `dbt parse` once so code locations load a ready manifest instead of parsing."""
    _parse(DBT_PROJECT_DIR / "target", Settings.from_env())
    return dbt_project.manifest_path


def dbt_env(settings: Settings) -> dict[str, str]:
    """The variables dbt's profiles.yml reads: the warehouse, absolute (dbt runs in
    dbt_project/), and DuckDB's memory limit."""
    return {"EGOV_WAREHOUSE": str(settings.warehouse), "EGOV_DUCKDB_MEMORY_LIMIT": settings.memory_limit}


@contextmanager
def dbt_profile_environment(settings: Settings):
    """The one place that writes os.environ: dagster-dbt starts dbt with this process's
    environment and takes no other. Restored on the way out."""
    variables = dbt_env(settings)
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def parse_state(settings: Settings) -> Path:
    """The folder holding the parse state (partial_parse.msgpack) of the warehouse's dbt
    steps, which start from it instead of parsing the whole project.

    dbt re-parses the whole project when the profile (the warehouse path) differs from the
    one a state was made with: so there is one state per warehouse, left by its first dbt
    step (keep_parse_state). States of warehouses unused for a week are removed.
    """
    key = hashlib.sha1(str(settings.warehouse).encode()).hexdigest()[:12]
    state = DBT_PROJECT_DIR / "target" / f"parse-{key}"
    state.mkdir(parents=True, exist_ok=True)
    for other in state.parent.glob("parse-*"):
        if other != state and time.time() - other.stat().st_mtime > 7 * 24 * 3600:
            shutil.rmtree(other, ignore_errors=True)
    return state


def step_target(state: Path, run_id: str, step: str) -> Path:
    """A target folder of one dbt step (its compiled and run SQL, its parse),
    `<state>/step-<run id[:8]>-<step>`, starting from the state's parse when there is one.
    The folders of the last few runs are kept, for reading after a failure."""
    _prune_step_folders(state)
    folder = state / f"step-{run_id[:8]}-{step}"
    folder.mkdir(parents=True, exist_ok=True)
    if (state / PARTIAL_PARSE).exists():
        shutil.copy2(state / PARTIAL_PARSE, folder / PARTIAL_PARSE)
    return folder


def keep_parse_state(state: Path, step: Path) -> None:
    """The parse a step's dbt wrote becomes the state when it is newer: the warehouse's
    first, or one made after a project file changed. Swapped in whole (a copy, then a
    rename), so a step starting meanwhile reads the old state or the new, never half."""
    made, kept = step / PARTIAL_PARSE, state / PARTIAL_PARSE
    if made.exists() and (not kept.exists() or made.stat().st_mtime > kept.stat().st_mtime):
        partial = state / f"{PARTIAL_PARSE}.tmp"
        shutil.copy2(made, partial)
        os.replace(partial, kept)


def _parse(target: Path, settings: Settings) -> None:
    subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **dbt_env(settings)},
        check=True,
    )


def manifest_is_stale() -> bool:
    """True when the manifest is missing or older than a file of the dbt project."""
    return _is_stale(dbt_project.manifest_path)


def _is_stale(built_file: Path) -> bool:
    if not built_file.exists():
        return True
    built = built_file.stat().st_mtime
    return any(path.stat().st_mtime > built for path in project_files())


def project_files():
    """The dbt project's own files, not what dbt writes (target/, logs/: thousands)."""
    for path in DBT_PROJECT_DIR.iterdir():
        if path.is_file() and path.suffix in {".yml", ".yaml"}:
            yield path
        elif path.is_dir() and path.name not in {"target", "logs", "dbt_packages"}:
            yield from (p for p in path.rglob("*") if p.suffix in {".sql", ".yml", ".yaml"})


def _prune_step_folders(state: Path, keep: int = 9) -> None:
    """Step folders are megabytes each: keep those of the last `keep` steps."""
    steps = sorted((p for p in state.glob("step-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for folder in steps[:-keep]:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    print(prepare_manifest())
