"""Scoring: the dbt project as Dagster assets. One translator decides keys and groups."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from .dbt_project import dbt_project
from .settings import Settings


class EgovDbtTranslator(DagsterDbtTranslator):
    """Models are keyed by their layer (`staging/stg_units`, `marts/provincial_ranking`)
    and grouped so the lineage reads like the pipeline: scoring, then marts."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([self._layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "marts" if self._layer(dbt_resource_props) == "marts" else "scoring"

    @staticmethod
    def _layer(dbt_resource_props: Mapping[str, Any]) -> str:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "models"


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=EgovDbtTranslator())
def egov_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    Settings.from_env().export()  # dbt runs in dbt_project/: give it absolute paths
    yield from dbt.cli(["build"], context=context).stream()


dbt_resource = DbtCliResource(project_dir=dbt_project)
