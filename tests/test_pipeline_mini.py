"""A real materialisation of every asset on a small hand-computed input
(tests/fixtures/mini): the numbers below were worked out by hand from SPEC §4."""

from decimal import Decimal as D

import dagster as dg
import pytest
from conftest import query


@pytest.fixture(scope="module")
def instance(mini_run):
    return mini_run[2]


@pytest.fixture(scope="module")
def published(mini_run):
    return mini_run[1]


def ranking(published, year):
    return {
        row[0]: row[1:]
        for row in query(
            published,
            """select unit_code, total_score, max_applicable, score_pct, rating, ranked, rank,
                      rank_prev, rank_change, not_ranked_reason
               from provincial_ranking where year = $year""",
            {"year": year},
        )
    }


def test_ties_share_a_rank_and_skip_the_next(published):
    r = ranking(published, 2017)
    assert {code: r[code][5] for code in r} == {
        "46.B": 1, "46.E": 2, "46.A": 3, "46.D": 3, "46.G": 5, "46.C": None,
    }
    # 18/30 and 12/20 are the same exact percentage under different maxima
    assert r["46.A"][:3] == (D(18), D(30), D("60.00"))
    assert r["46.D"][:3] == (D(12), D(20), D("60.00"))


def test_criterion_floor_demotes_an_exact_80_percent(published):
    # 24/30 is exactly 80 % (the Tốt bound, inclusive) but C2 scores 4/10 < the 50 % floor
    total, maximum, pct, rating, *_ = ranking(published, 2017)["46.E"]
    assert (total, maximum, pct, rating) == (D(24), D(30), D("80.00"), "Khá")


def test_unit_with_required_criterion_not_applicable_is_scored_not_ranked(published):
    total, maximum, pct, rating, ranked, rank, *_, reason = ranking(published, 2017)["46.C"]
    assert (total, maximum, pct) == (D("7.2"), D(20), D("36.00"))
    assert (rating, ranked, rank) == (None, False, None)
    assert reason == "tiêu chí bắt buộc không áp dụng: “Dịch vụ công trực tuyến”"
    assert query(published, """select not_ranked_code, rating_label from provincial_ranking
                                where year = 2017 and unit_code = '46.C'""") == [
        ("mandatory_not_applicable", "Không xếp hạng")]


def test_every_rule_type_from_indicator_values(published):
    scores = dict(
        query(
            published,
            """select criterion_code, score from provincial_criterion_scores
               where year = 2018 and unit_code = '46.F'""",
        )
    )
    # linear 6 × 0.333333 = 1.999998 → 2.0000 (half up, 4 decimals); boolean 0 → 0;
    # steps: "1.234,5" reaches the 10 step; relative 6 × 12,5 / 50 (best) = 1.5; score 2,25
    assert scores == {"C1": D(2), "C2": D(10), "C3": D("3.75")}


def test_year_over_year_rank_change(published):
    r = ranking(published, 2018)
    assert {code: r[code][5:8] for code in ("46.A", "46.D", "46.B", "46.F", "46.G")} == {
        "46.A": (1, 3, 2),
        "46.D": (1, 3, 2),
        "46.B": (3, 1, -2),
        "46.F": (4, None, None),  # created in 2018
        "46.G": (5, 5, 0),
    }
    assert "46.E" not in r  # valid only until 2017
    assert r["46.C"][4] is False and r["46.C"][8] == "không có tiêu chí nào được áp dụng"


def test_rating_distribution_counts_all_units_and_its_change(published):
    rows = query(
        published,
        """select rating, unit_count, share_pct, share_pct_prev, change_pct, group_units
           from provincial_rating_distribution where year = 2018 order by rating""",
    )
    assert rows == sorted([
        ("Tốt", 2, D("33.33"), D("16.67"), D("16.67"), 6),
        ("Khá", 0, D("0.00"), D("16.67"), D("-16.67"), 6),
        ("Trung bình", 2, D("33.33"), D("33.33"), D("0.00"), 6),
        ("Yếu", 1, D("16.67"), D("16.67"), D("0.00"), 6),
        ("Không xếp hạng", 1, D("16.67"), D("16.67"), D("0.00"), 6),
    ])


def test_missing_value_is_a_warning_and_scores_zero(published):
    assert query(
        published,
        "select year, source_file, row_number, unit_code, indicator_code, severity from submission_issues",
    ) == [(2018, "submissions/2018/values-wide.csv", 7, "46.G", "I5", "warning")]


def test_vietnamese_names_survive_to_the_published_files(published):
    import duckdb

    parquet = published / "parquet" / "provincial_ranking.parquet"
    names = {row[0] for row in duckdb.sql(
        "select unit_name from read_parquet($p)", params={"p": str(parquet)}).fetchall()}
    assert "Văn phòng UBND tỉnh" in names and "Sở Thông tin và Truyền thông" in names
    assert query(published, "select distinct province_name from provincial_ranking") == [("Thừa Thiên Huế",)]


def test_the_publish_step_shows_the_publication_in_the_ui(published, instance):
    event = instance.get_latest_materialization_event(dg.AssetKey("published_marts"))
    metadata = event.asset_materialization.metadata
    preview = metadata["ranking preview"].value
    assert "| 2017 | 46 | department | department | 1 | Sở Thông tin và Truyền thông | 100.00 % | Tốt |" in preview
    assert "| 2018 | 46 | department | department | 6 | 5 |" in metadata["units per peer group"].value
    assert "| 2018 | warning | 1 |" in metadata["submission issues"].value
    assert metadata["rows/provincial_ranking"].value == 12
    # dbt models carry their column types, and those that are tables their row counts (a
    # view is not run again to count it)
    ranking = instance.get_latest_materialization_event(dg.AssetKey(["marts", "provincial_ranking"]))
    ranking_metadata = ranking.asset_materialization.metadata
    assert ranking_metadata["dagster/row_count"].value == 12
    columns = {column.name for column in ranking_metadata["dagster/column_schema"].value.columns}
    assert {"score_pct", "rank_prev", "held_back_values"} <= columns
    points = instance.get_latest_materialization_event(dg.AssetKey(["intermediate", "int_indicator_points"]))
    assert points.asset_materialization.metadata["dagster/row_count"].value > 0
    view = instance.get_latest_materialization_event(dg.AssetKey(["staging", "stg_units"]))
    view_columns = view.asset_materialization.metadata["dagster/column_schema"].value.columns
    assert [(c.name, c.type) for c in view_columns][:2] == [("unit_code", "VARCHAR"), ("unit_name", "VARCHAR")]
    assert "dagster/row_count" not in view.asset_materialization.metadata


def test_one_dbt_build_per_run_scores_every_layer_and_leaves_the_parse_state(mini_run, instance):
    from orchestration.dbt_project import PARTIAL_PARSE, parse_state
    from orchestration.settings import Settings

    run = instance.get_runs()[-1]  # the shared mini run (other modules' runs may follow it)
    steps = {stats.step_key for stats in instance.get_run_step_stats(run.run_id)}
    dbt_steps = {step for step in steps if step.startswith("dbt")}
    assert dbt_steps == {"dbt_scoring"}
    materialised = {entry.dagster_event.asset_key.path[0]
                    for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
                    if entry.step_key == "dbt_scoring"}
    assert materialised == {"staging", "intermediate", "marts"}
    # the next run on this warehouse starts from the parse this one made
    work = mini_run[0]
    state = parse_state(Settings.resolve(work, work / "warehouse.duckdb", work / "published", "1GB"))
    assert (state / PARTIAL_PARSE).stat().st_size > 0
    folders = {p.name for p in state.glob("step-*")}
    assert f"step-{run.run_id[:8]}-dbt_scoring" in folders
    # dbt wrote no manifest nor run results there (--no-write-json): the events carried them
    step = state / f"step-{run.run_id[:8]}-dbt_scoring"
    assert (step / "run").is_dir() and not {"manifest.json", "run_results.json"} & {p.name for p in step.iterdir()}
    assert all(name.endswith("-dbt_scoring") for name in folders), folders


def test_dbt_unit_tests_pass(mini_run, tmp_path):
    """dbt's unit tests are left out of the runs (they test the SQL, not the data): here
    they run, every one, on the mini warehouse the models were built in."""
    import json
    import os
    import shutil
    import subprocess

    from orchestration.dbt_project import DBT_PROJECT_DIR, PARTIAL_PARSE, dbt_executable, parse_state
    from orchestration.settings import Settings

    work = mini_run[0]
    # starting from the parse of the run's dbt step (the same profile), not parsing again
    settings = Settings.resolve(work, work / "warehouse.duckdb", work / "published", "1GB")
    shutil.copy2(parse_state(settings) / PARTIAL_PARSE, tmp_path / PARTIAL_PARSE)
    env = {**os.environ, "EGOV_WAREHOUSE": str(work / "warehouse.duckdb")}
    result = subprocess.run(
        [dbt_executable(), "test", "--select", "test_type:unit", "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(tmp_path)],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    results = json.loads((tmp_path / "run_results.json").read_text())["results"]
    assert {r["unique_id"] for r in results} == set(manifest["unit_tests"])
    assert len(results) >= 7 and all(r["status"] == "pass" for r in results)
