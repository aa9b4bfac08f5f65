"""The environment is the locked one (requirements.lock, `make lock`): `make run` and `make
test` install exactly these versions, and the lock stays within pyproject.toml's ranges."""

import importlib.metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(spec) for spec in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_every_locked_package_is_installed_at_its_locked_version():
    pins = locked()
    assert len(pins) > 100  # the whole tree, not only the direct dependencies
    installed = {}
    for name in pins:
        try:
            installed[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed[name] = None
    assert {name: v for name, v in installed.items() if v != pins[name]} == {}, "run `make` again: the venv is not the lock"


def test_the_lock_pins_every_declared_dependency_within_its_range():
    pins = locked()
    outside = {str(r): pins.get(canonicalize_name(r.name)) for r in declared()
               if pins.get(canonicalize_name(r.name)) is None or not r.specifier.contains(pins[canonicalize_name(r.name)])}
    assert outside == {}, "pyproject.toml changed without `make lock`"

