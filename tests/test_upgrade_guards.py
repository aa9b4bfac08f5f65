"""The private parts of Dagster, dagster-dbt and Great Expectations this code leans on, each
for a reason given where it is used. An upgrade that renames or reshapes one fails here,
loudly and by name, instead of silently costing seconds or breaking a run."""

import inspect
from pathlib import Path

from dagster_dbt import DbtCliResource

from orchestration.annual import RANGE_END, RANGE_START
from orchestration.scoring import EgovDbtCliResource


def test_dbt_cli_resource_still_has_what_egov_dbt_cli_resource_overrides():
    # scoring.EgovDbtCliResource: `dbt --version` per command, and a dbt-core adapter per step
    assert isinstance(inspect.getattr_static(DbtCliResource, "_cli_version"), type(
        inspect.getattr_static(EgovDbtCliResource, "_cli_version")))
    parameters = list(inspect.signature(DbtCliResource._initialize_dbt_core_adapter).parameters)
    assert parameters == ["self", "args"]
    # both are still called where they save their cost
    source = inspect.getsource(DbtCliResource)
    assert "self._cli_version" in source and "self._initialize_dbt_core_adapter(" in source


def test_dagster_dbt_still_seeds_a_given_target_folder_only_when_it_has_no_parse_state():
    # dbt_project.step_target copies the warehouse's parse state into the folder it gives
    # dbt.cli(target_path=...): dagster-dbt must not overwrite it with its own
    from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

    source = inspect.getsource(DbtCliInvocation.run)
    assert "not partial_parse_destination_target_path.exists()" in source
    assert "target_path" in inspect.signature(DbtCliResource.cli).parameters


def test_dagster_still_reads_partition_ranges_from_these_run_tags():
    # annual.run: the years of a run given as a partition range, as the UI's backfills do
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    assert (RANGE_START, RANGE_END) == (ASSET_PARTITION_RANGE_START_TAG, ASSET_PARTITION_RANGE_END_TAG)


def test_great_expectations_still_has_what_the_checks_use():
    # quality/checks.py: the Data Docs built by one site builder, progress bars off, batches let go
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.render.renderer.site_builder import SiteBuilder

    assert "globally" in inspect.signature(ProgressBarsConfig).parameters
    assert all(p.default is not p.empty for name, p in inspect.signature(SiteBuilder.build).parameters.items()
               if name != "self"), "GxRun.publish_docs builds the whole site with no argument"
    engine = PandasExecutionEngine()
    assert callable(engine.batch_manager.reset_batch_cache)
    assert hasattr(engine.batch_manager, "batch_data_cache")
    assert Path(inspect.getfile(SiteBuilder)).name == "site_builder.py"
