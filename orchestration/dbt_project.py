"""The dbt project handle, kept apart from the assets so the manifest can be prepared
before anything that needs it is imported (`python -m orchestration.dbt_project`)."""

from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_manifest() -> Path:
    """Run `dbt parse` once so code locations load a ready manifest instead of parsing."""
    dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path


def manifest_is_stale() -> bool:
    """True when the manifest is missing or older than a file of the dbt project."""
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    target = DBT_PROJECT_DIR / "target"
    return any(
        path.stat().st_mtime > built
        for path in DBT_PROJECT_DIR.rglob("*")
        if path.suffix in {".sql", ".yml", ".yaml"} and target not in path.parents
    )


if __name__ == "__main__":
    print(prepare_manifest())
