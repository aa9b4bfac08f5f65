"""Years as Dagster partitions, discovered from the data (SPEC §3: submissions/<year>/
folders and the years each framework evaluates)."""

import re
from collections.abc import Iterable
from pathlib import Path

import dagster as dg

years_partitions = dg.DynamicPartitionsDefinition(name="years")

# Each asset partitioned by year runs once per run for all the years it is given.
single_run = dg.BackfillPolicy.single_run()

_FRAMEWORK_YEARS = re.compile(r"^years:\s*\[([^\]]*)\]", re.MULTILINE)
# The years an evaluation can be of: a folder or key outside them is a typo (`20180`).
FIRST_YEAR, LAST_YEAR = 1990, 2100


def plausible_year(name: str) -> int | None:
    """The year a folder name or partition key says, when it is exactly four ASCII digits
    of a plausible year; None otherwise (`20l8`, `2019 `, `20180`, full-width digits)."""
    if not re.fullmatch(r"[0-9]{4}", name):
        return None
    year = int(name)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def discover_years(data_dir: Path) -> list[str]:
    """Every year that has a submissions folder or a framework, as sorted partition keys.

    Frameworks are read with a pattern rather than a YAML parse: this runs when sensors
    tick and must stay cheap. A framework whose years do not match the pattern still
    loads and scores; its years just come from the submissions folders.
    """
    years: set[int] = set()
    submissions = data_dir / "submissions"
    if submissions.is_dir():
        years.update(plausible_year(p.name) for p in submissions.iterdir() if p.is_dir())
        years.discard(None)
    frameworks = data_dir / "frameworks"
    if frameworks.is_dir():
        for path in frameworks.glob("*.y*ml"):
            for match in _FRAMEWORK_YEARS.finditer(path.read_text(encoding="utf-8", errors="replace")):
                years.update(plausible_year(y) for y in re.findall(r"[0-9]+", match.group(1)))
                years.discard(None)
    return [str(y) for y in sorted(years)]


def year_keys(keys: Iterable[str]) -> list[int]:
    """Partition keys as years; anything that is not a year is refused."""
    years = []
    for key in keys:
        if plausible_year(str(key)) is None:
            raise ValueError(f"not a year partition key: {key!r}")
        years.append(int(key))
    return sorted(years)
