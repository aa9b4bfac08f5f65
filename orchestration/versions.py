"""Versioned folders behind symlinks: how a publication changes in one atomic step.

A publication is written whole into a folder of its own, `.versions/<name>-<stamp>.tmp-<pid>`,
renamed `.versions/<name>-<stamp>` once complete, and made current by renaming one new
symlink over the old one. rename(2) replaces a name atomically: a reader who follows the
link finds the previous version or the new one, whole; never a mix, never nothing. A reader
that opened a file keeps reading the file it opened, even once its version is deleted (on
Linux an open file outlives its name).

The newest KEEP complete versions of each name stay, and always the current one; older
ones, and what a killed run left half-written, go at the next run. Names here are made by
the pipeline (a name and a time stamp), never taken from the input.
"""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

VERSIONS = ".versions"
KEEP = 2


def stage(root: Path, name: str) -> Path:
    """A new empty folder under `root`/.versions to write a version of `name` into."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staged = root / VERSIONS / f"{name}-{stamp}.tmp-{os.getpid()}"
    staged.mkdir(parents=True)
    return staged


def switch(link: Path, staged: Path) -> Path:
    """Complete `staged` (drop its .tmp-<pid>) and point `link` at it: for a reader, one
    atomic step. If that step fails, `link` is as it was and the new version is removed.
    Returns the version folder."""
    version = staged.with_name(staged.name.partition(".tmp-")[0])
    os.rename(staged, version)
    try:
        point(link, os.path.relpath(version, link.parent))
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    return version


def point(link: Path, target: str) -> None:
    """Make `link` a symlink to `target` (relative to the link's folder). Over a symlink or
    a file it is one rename(2), atomic. Over a directory (a layout from before versions,
    whose content is already in a version) the directory is renamed aside and removed: the
    name is missing for an instant, once."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    temporary = link.with_name(f".{link.name}.link-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    try:
        if link.is_dir() and not link.is_symlink():
            aside = link.with_name(f".{link.name}.old-{os.getpid()}")
            os.rename(link, aside)
            try:
                os.replace(temporary, link)
            except BaseException:
                os.rename(aside, link)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.replace(temporary, link)
    finally:
        temporary.unlink(missing_ok=True)


def adopt(folder: Path) -> None:
    """A plain folder from before versions becomes a version (renamed, not copied: the very
    files) and `folder` a symlink to it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    version = folder.parent / VERSIONS / f"{folder.name}-{stamp}"
    version.parent.mkdir(exist_ok=True)
    os.rename(folder, version)
    try:
        point(folder, os.path.relpath(version, folder.parent))
    except BaseException:
        os.rename(version, folder)
        raise


def current(link: Path) -> str | None:
    """The name of the version folder `link` points to, if it is a symlink."""
    try:
        return Path(os.readlink(link)).name
    except OSError:
        return None


def remove_leftovers(root: Path, *names: str) -> None:
    """What runs that are gone left behind: half-written versions (of any name) and, beside
    each of `names` in `root`, temporary links and folders moved aside, including those of
    the layout before versions (`.marts.duckdb.tmp-<pid>`, `.reports.old-<pid>`)."""
    leftovers = list((root / VERSIONS).glob("*.tmp-*"))
    for name in names:
        for kind in ("tmp", "old", "link"):
            leftovers += root.glob(f".{name}.{kind}-*")
    for leftover in leftovers:
        if _gone(leftover):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def prune(link: Path, name: str) -> None:
    """Remove the complete versions of `name` but the newest KEEP and the one `link` points to."""
    complete = sorted(
        path for path in (link.parent / VERSIONS).glob(f"{name}-*")
        if ".tmp-" not in path.name and path.is_dir() and not path.is_symlink()
    )
    keep = {path.name for path in complete[-KEEP:]} | {current(link)}
    for path in complete:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _gone(path: Path) -> bool:
    """Whether the process named at the end of `path` (…-<pid>) is not running, or is this
    one (which is not writing anything at the moment it tidies up)."""
    pid = path.name.rpartition("-")[2]
    if not pid.isdigit() or int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, as another user
        return False
    return False
