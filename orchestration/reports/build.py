"""Render every report from the published marts: per year, `national.html` and one
`<province_code>.html` per evaluating province, each with its `.xlsx` annex beside it.

The whole `reports/` folder is written aside and swapped in, as the marts are: a reader
never sees a mix of two runs, and reports of years or provinces gone from the marts go too.
"""

import os
import shutil
from pathlib import Path

from . import annex, charts, content, vietnamese

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment():
    import jinja2

    env = jinja2.Environment(
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


def render_html(env, report: content.Report, bundle: str) -> str:
    import altair as alt

    template = env.get_template(f"{report.kind}.html.j2")
    return template.render(
        report=report,
        charts=report_charts(report),
        vega_bundle=bundle,
        vega_lite_version=alt.SCHEMA_VERSION,
    )


def build_reports(marts_path: Path, reports_dir: Path) -> list[Path]:
    """Write every report under `reports_dir` (swapped in whole); return the files written,
    relative to it."""
    marts = content.read_marts(marts_path)
    reports = content.national_reports(marts) + content.provincial_reports(marts)
    env = environment()
    bundle = charts.vega_bundle()

    reports_dir.parent.mkdir(parents=True, exist_ok=True)
    staged = reports_dir.with_name(f".{reports_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(staged, ignore_errors=True)
    written = []
    try:
        for report in reports:
            folder = staged / str(report.year)
            folder.mkdir(parents=True, exist_ok=True)
            html = folder / f"{report.code}.html"
            html.write_text(render_html(env, report, bundle), encoding="utf-8")
            annex.write_annex(report, folder / f"{report.code}.xlsx")
            written += [html.relative_to(staged), (folder / f"{report.code}.xlsx").relative_to(staged)]
        _swap(staged, reports_dir)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return written


def _swap(staged: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old, ignore_errors=True)
