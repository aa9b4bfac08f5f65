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


def discover_years(data_dir: Path) -> list[str]:
    """Every year that has a submissions folder or a framework, as sorted partition keys.

    Frameworks are read with a pattern rather than a YAML parse: this runs when sensors
    tick and must stay cheap. A framework whose years do not match the pattern still
    loads and scores; its years just come from the submissions folders.
    """
    years: set[int] = set()
    submissions = data_dir / "submissions"
    if submissions.is_dir():
        years.update(int(p.name) for p in submissions.iterdir() if p.is_dir() and p.name.isdigit())
    frameworks = data_dir / "frameworks"
    if frameworks.is_dir():
        for path in frameworks.glob("*.y*ml"):
            for match in _FRAMEWORK_YEARS.finditer(path.read_text(encoding="utf-8", errors="replace")):
                years.update(int(y) for y in re.findall(r"\d{4}", match.group(1)))
    return [str(y) for y in sorted(years)]


def year_keys(keys: Iterable[str]) -> list[int]:
    """Partition keys as years; anything that is not a year is refused."""
    years = []
    for key in keys:
        if not re.fullmatch(r"\d{4}", str(key)):
            raise ValueError(f"not a year partition key: {key!r}")
        years.append(int(key))
    return sorted(years)
