"""No work when nothing changed: what the warehouse and the publication were last built from.

After a run of every year succeeds, `record` writes `<warehouse>.built-from.json`: a digest
of everything the run's results depend on, and the state the run left its outputs in.
`make run` (`python -m orchestration.annual`) first asks `unchanged`; only when neither the
inputs nor the outputs changed since is there nothing to do, and no run is started.

- The inputs, by content: the input root's `units/`, `frameworks/` and `submissions/`; the
  project (`orchestration/`, the dbt project's files, `expectations/`); the Python and the
  installed packages' versions; and where the data, the warehouse and the publication are.
- The outputs, by size and modification time: the warehouse file and every file and link
  under the publish directory. Any later write (a run launched from the UI, a run of some
  years, a hand edit, a deleted report) makes the record stale, so it is never trusted for
  a state it did not see. A failed run records nothing.
"""

import contextlib
import hashlib
import json
import os
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from .dbt_project import DBT_PROJECT_DIR, project_files
from .ingest.load import inside
from .settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INPUT_FOLDERS = ("units", "frameworks", "submissions")  # what ingest reads (SPEC §3)
PROJECT_FOLDERS = ("orchestration", "expectations")
SUFFIX = ".built-from.json"


def record_path(settings: Settings) -> Path:
    return settings.warehouse.with_name(settings.warehouse.name + SUFFIX)


def inputs_digest(settings: Settings) -> str | None:
    """A digest of what a run's results depend on; None when a file cannot be read (the run
    then goes ahead, and ingest names the file)."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        name = label.encode("utf-8", "surrogateescape")
        digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)

    for field in ("data_dir", "warehouse", "publish_dir"):
        add(field, str(getattr(settings, field)).encode("utf-8", "surrogateescape"))
    add("python", sys.version.encode())
    add("packages", "\n".join(sorted(f"{d.name}=={d.version}" for d in metadata.distributions())).encode())
    try:
        for label, root, folders in (("data", settings.data_dir, INPUT_FOLDERS),
                                     ("project", PROJECT_ROOT, PROJECT_FOLDERS)):
            for folder in folders:
                for path in _files(root / folder):
                    add(f"{label}:{path.relative_to(root).as_posix()}", _content(path, root))
        for path in sorted(project_files()):
            add(f"dbt:{path.relative_to(DBT_PROJECT_DIR).as_posix()}", path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    """Every file and link under `folder`, in a fixed order; links are not followed into."""
    found = []
    for directory, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        base = Path(directory)
        found += [base / name for name in files]
        found += [base / name for name in folders if (base / name).is_symlink()]
    return sorted(found)


def _content(path: Path, root: Path) -> bytes:
    """What a run reads of `path`: a regular file's digest, read in chunks (a link to one is
    followed only inside `root`, as ingest does); of anything else, the link's target or the
    kind of entry, never read (a FIFO or /dev/zero would never end)."""
    if path.is_symlink():
        if not (inside(path, root) and path.is_file()):
            return b"link:" + os.fsencode(os.readlink(path))
    elif not path.is_file():
        return f"mode:{path.lstat().st_mode:o}".encode()
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").digest()


def outputs_state(settings: Settings) -> dict[str, list]:
    """The warehouse's and every published entry's size and modification time (a link's
    target): what any write to them changes."""
    state = {}
    for path in (settings.warehouse, settings.warehouse.with_name(settings.warehouse.name + ".wal")):
        if path.exists():
            info = path.stat()
            state[f"warehouse:{path.name}"] = [info.st_size, info.st_mtime_ns]
    for directory, folders, files in os.walk(settings.publish_dir):
        base = Path(directory)
        for name in (*folders, *files):
            path = base / name
            info = path.lstat()
            entry = [os.readlink(path)] if path.is_symlink() else [info.st_size, info.st_mtime_ns]
            state[f"published:{path.relative_to(settings.publish_dir).as_posix()}"] = entry
    return state


def record(settings: Settings, digest: str | None, years: list[str], run_id: str) -> None:
    """After a successful run of every year: what it was built from, and what it left. A
    record that cannot be written only means the next `make run` runs."""
    if digest is None:
        return
    path = record_path(settings)
    partial = path.with_name(path.name + ".tmp")
    try:
        entry = {
            "inputs": digest, "years": years, "run_id": run_id,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "outputs": outputs_state(settings),
        }
        partial.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except (OSError, UnicodeError) as error:  # a record left before is stale: the run wrote
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        print(f"could not record what the run was built from ({error}): the next run runs again",
              file=sys.stderr)


def unchanged(settings: Settings, years: list[int] | None = None) -> dict | None:
    """The record of the last complete run when nothing changed since and it covered
    `years` (all years when None); None when a run has work to do."""
    try:
        entry = json.loads(record_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("years"), list):
        return None
    if years and not {str(year) for year in years} <= set(entry["years"]):
        return None
    try:
        if entry.get("outputs") != outputs_state(settings):
            return None
    except OSError:  # an output that cannot be looked at is not trusted
        return None
    digest = inputs_digest(settings)
    return entry if digest is not None and entry.get("inputs") == digest else None


def explain(entry: dict, settings: Settings) -> str:
    return (
        f"Nothing to do: the data, the project and the settings are those the run "
        f"{str(entry.get('run_id', ''))[:8]} of {entry.get('finished')} built the warehouse and "
        f"{settings.publish_dir} from, and both are as it left them.\n"
        f"To run anyway: python -m orchestration.annual --force"
    )
