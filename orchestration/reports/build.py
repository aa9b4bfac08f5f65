"""Render every report from the published marts: per year, `national.html` and one
`<province_code>.html` per evaluating province, each with its `.xlsx` annex beside it.

Every run writes a whole new folder, `.versions/reports-<stamp>/`, and makes it current in
one atomic step: `reports` is a symlink replaced by a new one pointing at it (see
`orchestration/versions.py`; a plain `reports/` folder of an older run becomes the first
version). A reader never sees a mix of two runs, and reports of years or provinces gone
from the marts go too.

File names come from the data (a year, a province code): each goes through `report_path`,
which takes only a four-digit year and a code of 1 to 32 ASCII letters, digits, `.`, `_`
and `-` starting with a letter or digit (the rule frameworks.py applies at load time: never
`.`, `..`, a separator or NUL), and checks that the path, symlinks followed, stays in the
reports folder. A report whose name fails is not written, and the run says so
(`Publication.skipped`); the others are written.

A year's reports are rendered only when what they are made from has changed. A year's
fingerprint hashes every marts row its reports are read from (its own rows, the year
before's rating distribution and restated ranking, and the year before's provincial
ranking when that year is restated on this year's units) with the code that renders them;
`reports/.fingerprints.json` records each year's fingerprint and files. A year whose fingerprint is the recorded one
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
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import versions
from . import annex, charts, content, vietnamese

TEMPLATES = Path(__file__).resolve().parent / "templates"
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # where `orchestration` is imported from
RECORD = ".fingerprints.json"  # per year: its fingerprint and files
# Where the chart library goes in a rendered page: no input text can write it, as every
# "<" of the input is escaped.
BUNDLE_MARK = "<vega-bundle>"
# Processes rendering years side by side: the machine's two cores. Each holds a year's rows.
WORKERS = 2
# What a name from the data must look like to become part of a file's path (a code: as
# ingest/frameworks.py checks an evaluator at load time; this layer checks again)
YEAR = re.compile(r"[0-9]{4}")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
SUFFIXES = (".html", ".xlsx")
# The indicator rules that have a level to reach (yes/no, steps): "đạt tối đa" says nothing
# of a linear or measured value, whose cells show "–" instead
MET_RULES = ("boolean", "steps")


class UnsafeName(ValueError):
    """A year or a code from the data that cannot be made a file name."""


def report_path(root: Path, year: object, code: object = None, suffix: str = "") -> Path:
    """`root`/<year> or `root`/<year>/<code><suffix>, from a year and a code that came from
    the data: the year must be four digits, the code match CODE (so never `.`, `..`, `/`,
    `\\`, NUL or empty), and the path, symlinks followed, must stay under `root`. Raises
    UnsafeName otherwise. Every path made from the data is made here."""
    if not isinstance(year, (int, str)) or not YEAR.fullmatch(str(year)):
        raise UnsafeName(f"year {year!r} is not four digits")
    path = root / str(year)
    if code is not None or suffix:
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise UnsafeName(f"code {code!r} is not a safe file name (1 to 32 ASCII letters, digits, "
                              "'.', '_' or '-', starting with a letter or digit)")
        if suffix not in SUFFIXES:
            raise UnsafeName(f"suffix {suffix!r} is not one of {', '.join(SUFFIXES)}")
        path = path / f"{code}{suffix}"
    if not path.resolve().is_relative_to(root.resolve()):
        raise UnsafeName(f"{path.relative_to(root)} leads outside {root}")
    return path


@dataclass
class Publication:
    files: list[Path]  # every report and annex of the new reports/ folder, relative to it
    rendered: list[Path]  # those this run rendered; the others were carried over unchanged
    skipped: list[str] = field(default_factory=list)  # reports not written, and why


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
        comparison_note=content.comparison_note,
        gap_limit=content.GAPS,
        met_rules=MET_RULES,
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
    """Write every report into a new version of `reports_dir` and make it current in one
    step, rendering only the years whose fingerprint changed."""
    root = reports_dir.parent
    root.mkdir(parents=True, exist_ok=True)
    versions.remove_leftovers(root, reports_dir.name)
    if reports_dir.is_dir() and not reports_dir.is_symlink():
        versions.adopt(reports_dir)  # a plain folder of a run from before versions
    fingerprints = year_fingerprints(marts_path)
    record = _read_record(reports_dir)
    staged = versions.stage(root, reports_dir.name)
    try:
        files, skipped = {}, {}
        for year, fingerprint in list(fingerprints.items()):
            try:
                report_path(staged, year)
            except UnsafeName as error:
                skipped[year] = [f"{error}: the year's reports are not written"]
                del fingerprints[year]
                continue
            kept = _recorded(record, year, fingerprint)
            if kept and _carry_over(kept[0], reports_dir, staged):
                files[year], skipped[year] = kept
        changed = [year for year in fingerprints if year not in files]
        skipped.update(_render_years(marts_path, changed, staged))
        for year in changed:
            folder = report_path(staged, year)
            files[year] = [f"{year}/{path.name}" for path in sorted(folder.iterdir())] if folder.is_dir() else []
        record = {
            str(year): {"fingerprint": fingerprints[year], "files": files[year], "skipped": skipped.get(year, [])}
            for year in sorted(files)
        }
        (staged / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        versions.switch(reports_dir, staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # only if not switched in
    versions.prune(reports_dir, reports_dir.name)
    return Publication(
        files=[Path(name) for year in sorted(files) for name in files[year]],
        rendered=[Path(name) for year in sorted(changed) for name in files[year]],
        skipped=[message for year in sorted(skipped, key=str) for message in skipped[year]],
    )


def build_year(marts_path: Path, year: int, staged: Path) -> list[str]:
    """Render one year's reports and annexes into `staged`/<year>/. Returns why the reports
    whose code cannot be a file name were not written."""
    marts = content.read_marts(marts_path, year)
    reports = content.national_reports(marts) + content.provincial_reports(marts)
    env, bundle = _renderer()
    folder = report_path(staged, year)
    folder.mkdir()
    skipped, taken = [], set()
    for report in reports:
        try:
            html = report_path(staged, year, report.code, ".html")
            xlsx = report_path(staged, year, report.code, ".xlsx")
        except UnsafeName as error:
            skipped.append(f"{year}: the {report.kind} report of {report.code!r} is not written: {error}")
            continue
        if html.name in taken:  # e.g. a province whose code is "national"
            skipped.append(f"{year}: the {report.kind} report of {report.code!r} is not written: "
                           f"{html.name} is another report's file")
            continue
        taken.add(html.name)
        write_html(env, report, bundle, html)
        annex.write_annex(report, xlsx)
    return skipped


def _render_years(marts_path: Path, years: list[int], staged: Path) -> dict[int, list[str]]:
    """Render `years`, in worker processes side by side when there are several. Returns,
    per year, the reports not written (see `build_year`).

    A worker is a fresh `python -m orchestration.reports.build`, not a multiprocessing
    one: a forked worker would copy the locks the Dagster process's threads hold, and a
    spawned one imports the parent's main module first (all of Dagster, a second and a
    half of each worker's time)."""
    workers = min(WORKERS, len(years), os.cpu_count() or 1)
    if workers <= 1:
        return {year: build_year(marts_path, year, staged) for year in years}
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "orchestration.reports.build", str(marts_path), str(staged),
             *(str(year) for year in years[worker::workers])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        for worker in range(workers)
    ]
    failures, skipped = [], {}
    try:
        for process in processes:
            output, errors = process.communicate()
            if process.returncode:
                failures.append(errors.decode("utf-8", "replace"))
            else:
                last_line = output.decode("utf-8").strip().splitlines()[-1]  # what main() printed
                skipped.update({int(year): messages for year, messages in json.loads(last_line).items()})
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    if failures:
        raise RuntimeError("rendering the reports failed:\n" + "\n".join(failures))
    return skipped


@functools.cache
def _renderer():
    """The template environment and the chart library, made once per process (the
    library takes a second to bundle)."""
    return environment(), charts.vega_bundle().encode("utf-8")


def year_fingerprints(marts_path: Path) -> dict[int, str]:
    """Per year that has reports, what its reports are made from: its rows in the marts
    and the code that renders them."""
    return {
        year: hashlib.sha256(f"{_code_version()} {digest}".encode()).hexdigest()
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
        digest.update(f"{library}=={version(library)}\0".encode())
    return digest.hexdigest()


def _read_record(reports_dir: Path) -> dict:
    """The fingerprint and files of each year now published; nothing (every year is
    rendered) when there is no previous folder or its record cannot be read."""
    try:
        record = json.loads((reports_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _recorded(record: dict, year: int, fingerprint: str) -> tuple[list[str], list[str]] | None:
    """The files (and reports not written) the previous run recorded for `year`, if it
    recorded this fingerprint."""
    kept = record.get(str(year))
    if not isinstance(kept, dict) or kept.get("fingerprint") != fingerprint:
        return None
    files, skipped = kept.get("files"), kept.get("skipped", [])
    if not all(isinstance(x, list) and all(isinstance(item, str) for item in x) for x in (files, skipped)):
        return None
    if not all(name.startswith(f"{year}/") for name in files):
        return None
    return files, skipped


def _carry_over(names: list[str], previous: Path, staged: Path) -> bool:
    """Link a year's files from the previous folder into the staged one; False (and
    nothing carried) when one of them is missing, is not a plain file, or is named in a
    way `report_path` refuses (the record is a file in the publish directory)."""
    pairs = []
    for name in names:
        year, _, file = name.partition("/")
        code, dot, extension = file.rpartition(".")
        try:
            pairs.append((report_path(previous, year, code, dot + extension),
                          report_path(staged, year, code, dot + extension)))
        except UnsafeName:
            return False
    if not all(source.is_file() and not source.is_symlink() for source, _ in pairs):
        return False
    for source, target in pairs:
        target.parent.mkdir(exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copy2(source, target)
    return True


def main(argv: list[str]) -> None:
    """A worker: `python -m orchestration.reports.build MARTS STAGED YEAR...`."""
    marts_path, staged, *years = argv
    skipped = {year: build_year(Path(marts_path), int(year), Path(staged)) for year in years}
    print(json.dumps(skipped))


if __name__ == "__main__":
    main(sys.argv[1:])
