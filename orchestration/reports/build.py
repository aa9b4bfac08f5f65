"""Render every report from the published marts: per year, `national.html` and one
`<province_code>.html` per evaluating province, each with its `.xlsx` annex beside it.

The whole `reports/` folder is written aside and swapped in, as the marts are: a reader
never sees a mix of two runs, and reports of years or provinces gone from the marts go too.

A year's reports are rendered only when what they are made from has changed. A year's
fingerprint hashes every marts row its reports are read from (its own rows, and the year
before's rating distribution) with the code that renders them; `reports/.fingerprints.json`
records each year's fingerprint and files. A year whose fingerprint is the recorded one
is carried over from the previous folder (its files hard-linked) instead. The rows decide,
not the years a run was given: a one-year run rescores only that year, but every year's
marts rows join the unit registry and the frameworks, which every run reads again (a
renamed unit is renamed in every year's rows); and a change to this package changes
every report.

The years to render are rendered in parallel processes, each reading only its year's
rows, so memory grows with a year, not with the history.
"""

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import annex, charts, content, vietnamese

TEMPLATES = Path(__file__).resolve().parent / "templates"
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # where `orchestration` is imported from
RECORD = ".fingerprints.json"  # per year: its fingerprint and files
# Where the chart library goes in a rendered page: no input text can write it, as every
# "<" of the input is escaped.
BUNDLE_MARK = "<vega-bundle>"
# Processes rendering years side by side: the machine's two cores. Each holds a year's rows.
WORKERS = 2


@dataclass
class Publication:
    files: list[Path]  # every report and annex of the new reports/ folder, relative to it
    rendered: list[Path]  # those this run rendered; the others were carried over unchanged


class _Environment(jinja2.Environment):
    """The rows the templates read are dicts: `row.rank` is looked up as a key first.
    Jinja tries an attribute first, which on a dict fails, with an exception, for every
    field of every row: a fifth of the rendering time."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every name and text from the input is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        points=vietnamese.points,
        total=vietnamese.total,
        percent=vietnamese.percent,
        index=vietnamese.index,
        fixed2=lambda value: vietnamese.fixed(value, 2),
        fixed4=lambda value: vietnamese.fixed(value, 4),
        signed2=lambda value: vietnamese.signed(value, 2),
        signed4=lambda value: vietnamese.signed(value, 4),
    )
    env.globals.update(
        highlight_sentence=content.highlight_sentence,
        indicator_sentence=content.indicator_sentence,
    )
    return env


def report_charts(report: content.Report) -> dict[str, dict | None]:
    specs = {}
    for g, group in enumerate(report.groups, start=1):
        if report.kind == "national":
            specs[f"g{g}-averages"] = charts.category_averages(report.year, group)
            specs[f"g{g}-scores"] = charts.scores(group, national=True)
            specs[f"g{g}-movement"] = charts.rank_movement(report.year, group)
        else:
            specs[f"g{g}-shares"] = charts.rating_shares(report.year, group)
            specs[f"g{g}-scores"] = charts.scores(group)
    return specs


def render_html(env, report: content.Report) -> str:
    """The report's page, with BUNDLE_MARK where the chart library goes."""
    template = env.get_template(f"{report.kind}.html.j2")
    return template.render(
        report=report,
        charts=report_charts(report),
        vega_bundle=BUNDLE_MARK,
        vega_lite_version=charts.VEGA_LITE_VERSION,
    )


def write_html(env, report: content.Report, bundle: bytes, path: Path) -> None:
    """The report's page, with the chart library in its head. The library is the same
    megabyte of ASCII in every report: it is written as bytes encoded once, between the
    two halves of the rendered page, instead of going through the template (joined with
    Vietnamese text it became a string of wider characters, encoded again every time)."""
    head, mark, tail = render_html(env, report).partition(BUNDLE_MARK)
    if not mark or BUNDLE_MARK in tail:
        raise ValueError(f"{path.name}: the page must hold the chart library exactly once")
    with open(path, "wb") as page:
        page.write(head.encode("utf-8"))
        page.write(bundle)
        page.write(tail.encode("utf-8"))


def build_reports(marts_path: Path, reports_dir: Path) -> Publication:
    """Write every report under `reports_dir` (swapped in whole), rendering only the years
    whose fingerprint changed."""
    fingerprints = year_fingerprints(marts_path)
    record = _read_record(reports_dir)
    reports_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(reports_dir)
    staged = reports_dir.with_name(f".{reports_dir.name}.tmp-{os.getpid()}")
    staged.mkdir()
    try:
        files = {}
        for year, fingerprint in fingerprints.items():
            kept = _recorded_files(record, year, fingerprint)
            if kept and _carry_over(kept, reports_dir, staged):
                files[year] = kept
        changed = [year for year in fingerprints if year not in files]
        _render_years(marts_path, changed, staged)
        for year in changed:
            files[year] = [f"{year}/{path.name}" for path in sorted((staged / str(year)).iterdir())]
        record = {str(year): {"fingerprint": fingerprints[year], "files": files[year]} for year in sorted(files)}
        (staged / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _swap(staged, reports_dir)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return Publication(
        files=[Path(name) for year in sorted(files) for name in files[year]],
        rendered=[Path(name) for year in sorted(changed) for name in files[year]],
    )


def build_year(marts_path: Path, year: int, staged: Path) -> None:
    """Render one year's reports and annexes into `staged`/<year>/."""
    marts = content.read_marts(marts_path, year)
    reports = content.national_reports(marts) + content.provincial_reports(marts)
    env, bundle = _renderer()
    folder = staged / str(year)
    folder.mkdir()
    for report in reports:
        write_html(env, report, bundle, folder / f"{report.code}.html")
        annex.write_annex(report, folder / f"{report.code}.xlsx")


def _render_years(marts_path: Path, years: list[int], staged: Path) -> None:
    """Render `years`, in worker processes side by side when there are several.

    A worker is a fresh `python -m orchestration.reports.build`, not a multiprocessing
    one: a forked worker would copy the locks the Dagster process's threads hold, and a
    spawned one imports the parent's main module first (all of Dagster, a second and a
    half of each worker's time)."""
    workers = min(WORKERS, len(years), os.cpu_count() or 1)
    if workers <= 1:
        for year in years:
            build_year(marts_path, year, staged)
        return
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "orchestration.reports.build", str(marts_path), str(staged),
             *(str(year) for year in years[worker::workers])],
            stderr=subprocess.PIPE, env=env,
        )
        for worker in range(workers)
    ]
    failures = []
    try:
        for process in processes:
            _, errors = process.communicate()
            if process.returncode:
                failures.append(errors.decode("utf-8", "replace"))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    if failures:
        raise RuntimeError("rendering the reports failed:\n" + "\n".join(failures))


@functools.cache
def _renderer():
    """The template environment and the chart library, made once per process (the
    library takes a second to bundle)."""
    return environment(), charts.vega_bundle().encode("utf-8")


def year_fingerprints(marts_path: Path) -> dict[int, str]:
    """Per year that has reports, what its reports are made from: its rows in the marts
    and the code that renders them."""
    return {
        year: hashlib.sha256(f"{_code_version()} {digest}".encode("utf-8")).hexdigest()
        for year, digest in content.year_digests(marts_path).items()
    }


@functools.cache
def _code_version() -> str:
    """What the reports depend on besides the marts: this package's code and templates, and
    the libraries that read the marts and write the files."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *TEMPLATES.glob("*.j2")]):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    for library in ("duckdb", "jinja2", "markupsafe", "vl-convert-python"):
        digest.update(f"{library}=={version(library)}\0".encode("utf-8"))
    return digest.hexdigest()


def _read_record(reports_dir: Path) -> dict:
    """The fingerprint and files of each year now published; nothing (every year is
    rendered) when there is no previous folder or its record cannot be read."""
    try:
        record = json.loads((reports_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _recorded_files(record: dict, year: int, fingerprint: str) -> list[str] | None:
    """The files the previous run recorded for `year`, if it recorded this fingerprint."""
    kept = record.get(str(year))
    if not isinstance(kept, dict) or kept.get("fingerprint") != fingerprint:
        return None
    files = kept.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) and f.startswith(f"{year}/") for f in files):
        return None
    return files


def _carry_over(names: list[str], previous: Path, staged: Path) -> bool:
    """Link a year's files from the previous folder into the staged one; False (and
    nothing carried) when one of them is missing."""
    if not all((previous / name).is_file() for name in names):
        return False
    for name in names:
        (staged / name).parent.mkdir(exist_ok=True)
        try:
            os.link(previous / name, staged / name)
        except OSError:  # a file system without hard links
            shutil.copy2(previous / name, staged / name)
    return True


def _remove_leftovers(target: Path) -> None:
    """What a run killed while publishing left beside the folder (never the folder itself)."""
    for pattern in (f".{target.name}.tmp-*", f".{target.name}.old-*"):
        for leftover in target.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(staged: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str]) -> None:
    """A worker: `python -m orchestration.reports.build MARTS STAGED YEAR...`."""
    marts_path, staged, *years = argv
    for year in years:
        build_year(Path(marts_path), int(year), Path(staged))


if __name__ == "__main__":
    main(sys.argv[1:])
