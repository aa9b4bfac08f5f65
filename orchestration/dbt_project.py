"""The dbt project handle, kept apart from the assets so the manifest can be prepared
before anything that needs it is imported (`python -m orchestration.dbt_project`)."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from dagster_dbt import DbtProject

from .settings import Settings

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt installed beside this Python (the venv's), so nothing depends on the venv's
    bin/ being on PATH; else whatever `dbt` PATH finds."""
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def prepare_manifest() -> Path:
    """Run `dbt parse` once so code locations load a ready manifest instead of parsing.
    The paths are exported as a run exports them, so runs launched from the UI on the
    default warehouse reuse this parse state."""
    Settings.from_env().export()
    _parse(DBT_PROJECT_DIR / "target")
    return dbt_project.manifest_path


def prepare_run(settings: Settings) -> None:
    """Give the run's dbt steps a parse state made for its warehouse.

    Every dbt step starts from a copy of a saved parse state (DBT_TARGET_PATH's
    partial_parse.msgpack), and dbt re-parses the whole project when the profile (the
    warehouse path) differs from the one that state was made with: so there is one
    state per warehouse, made when missing or older than the project.
    """
    settings.export()
    key = hashlib.sha1(str(settings.warehouse).encode()).hexdigest()[:12]
    target = DBT_PROJECT_DIR / "target" / f"parse-{key}"
    if _is_stale(target / "partial_parse.msgpack"):
        _parse(target)
    _prune_step_folders(target)
    _prune_step_folders(target.parent)  # runs from the UI use the prepared state's folder
    for other in target.parent.glob("parse-*"):  # states of warehouses unused for a week
        if other != target and time.time() - other.stat().st_mtime > 7 * 24 * 3600:
            shutil.rmtree(other, ignore_errors=True)
    os.environ["DBT_TARGET_PATH"] = str(target)


def _parse(target: Path) -> None:
    subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)],
        cwd=DBT_PROJECT_DIR,
        check=True,
    )


def manifest_is_stale() -> bool:
    """True when the manifest is missing or older than a file of the dbt project."""
    return _is_stale(dbt_project.manifest_path)


def _is_stale(built_file: Path) -> bool:
    if not built_file.exists():
        return True
    built = built_file.stat().st_mtime
    return any(path.stat().st_mtime > built for path in _project_files())


def _project_files():
    """The dbt project's own files, not what dbt writes (target/, logs/: thousands)."""
    for path in DBT_PROJECT_DIR.iterdir():
        if path.is_file() and path.suffix in {".yml", ".yaml"}:
            yield path
        elif path.is_dir() and path.name not in {"target", "logs", "dbt_packages"}:
            yield from (p for p in path.rglob("*") if p.suffix in {".sql", ".yml", ".yaml"})


# dagster-dbt's folder for one dbt step: <step>-<run id[:7]>-<7 hex>
STEP_FOLDER = re.compile(r".+-[0-9a-f]{7}-[0-9a-f]{7}")


def _prune_step_folders(target: Path, keep: int = 9) -> None:
    """dagster-dbt gives every dbt step a folder of its own (a manifest, the compiled SQL,
    run results: megabytes) and never removes it: keep the last few runs' only."""
    steps = sorted((p for p in target.iterdir() if p.is_dir() and STEP_FOLDER.fullmatch(p.name)),
                   key=lambda p: p.stat().st_mtime)
    for folder in steps[:-keep]:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    print(prepare_manifest())
