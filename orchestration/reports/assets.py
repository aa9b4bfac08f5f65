"""The reports as a Dagster asset, after the published marts in the lineage."""

import dagster as dg

from ..settings import Settings


@dg.asset(
    key=["published_reports"],
    group_name="publish",
    kinds={"html", "xlsx"},
    deps=[dg.AssetKey(["published_marts"])],
    description=(
        "The publication: reports/<year>/national.html and <province_code>.html under "
        "EGOV_PUBLISH_DIR (Vietnamese text, ranking tables, charts, per-criterion highlights, "
        "indicator statistics), each with its .xlsx annex; read from marts.duckdb, read-only."
    ),
)
def published_reports(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from .build import build_reports  # Altair, Jinja2 and openpyxl load only when reports are built

    settings = Settings.from_env()
    reports_dir = settings.publish_dir / "reports"
    written = build_reports(settings.publish_dir / "marts.duckdb", reports_dir)
    context.log.info(f"wrote {len(written)} files under {reports_dir}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(reports_dir)),
            "reports": len([p for p in written if p.suffix == ".html"]),
            "files": dg.MetadataValue.md("\n".join(f"- `{p}`" for p in written) or "(none)"),
        }
    )
