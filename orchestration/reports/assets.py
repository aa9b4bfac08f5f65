"""The reports as a Dagster asset, after the published marts in the lineage."""

import dagster as dg

from ..settings import SettingsResource


@dg.asset(
    key=["published_reports"],
    group_name="publish",
    kinds={"html", "xlsx"},
    deps=[dg.AssetKey(["published_marts"])],
    description=(
        "The publication: `reports/<year>/national.html` and `<province_code>.html` under "
        "`EGOV_PUBLISH_DIR` (Vietnamese text, ranking tables, charts, per-criterion highlights, "
        "indicator statistics), each with its `.xlsx` annex; read from `marts.duckdb`, read-only. "
        "A year whose marts rows and report code are unchanged keeps its files. The folder is a "
        "new version made current in one atomic step; a report whose year or province code "
        "cannot be a file name is not written and is listed under `skipped`."
    ),
)
def published_reports(context: dg.AssetExecutionContext, settings: SettingsResource) -> dg.MaterializeResult:
    from .build import build_reports  # Jinja2 and the chart library load only when reports are built

    publish_dir = settings.get().publish_dir
    reports_dir = publish_dir / "reports"
    publication = build_reports(publish_dir / "marts.duckdb", reports_dir)
    context.log.info(
        f"{len(publication.files)} files under {reports_dir}: {len(publication.rendered)} written, "
        "the others unchanged since the previous run"
    )
    for message in publication.skipped:  # a year or code from the data that cannot be a file name
        context.log.warning(message)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(reports_dir)),
            "reports": len([p for p in publication.files if p.suffix == ".html"]),
            "rendered": len([p for p in publication.rendered if p.suffix == ".html"]),
            "files": dg.MetadataValue.md("\n".join(f"- `{p}`" for p in publication.files) or "(none)"),
            "skipped": dg.MetadataValue.md("\n".join(f"- {m}" for m in publication.skipped) or "(none)"),
        }
    )
