"""Self-assessment and appraisal (SPEC §3.3, §5): the `stage` column, the appraised value
scoring, provisional units, and appraisal_differences, through a real materialisation of
tests/fixtures/appraisal, every figure computed by hand below.

Framework: C1 = I1 (score, max 6) + I2 (yes/no, 4); C2 = I3 (linear, 10 at 100 %); bands
Tốt 80 %, Khá 50 %, Yếu.
2024: the units' self-assessment (long CSV with a stage column, spelled four ways) and the
council's appraisal (wide CSV, no stage column: appraised); 46.B's I3 is not appraised yet
(empty cell), 46.D did not assess itself.
2025: self-assessments only, one with an unknown stage and one given twice.
"""

from decimal import Decimal as D

import pytest
from conftest import FIXTURES, materialize_all, query


@pytest.fixture(scope="module")
def published(tmp_path_factory, module_monkeypatch):
    return materialize_all(FIXTURES / "appraisal", tmp_path_factory.mktemp("appraisal"), module_monkeypatch)


def ranking(published, year):
    return query(published, """select unit_code, total_score, rating, rank, provisional from provincial_ranking
                               where year = $year order by rank""", {"year": year})


def test_the_appraised_value_scores_and_a_unit_scored_on_a_self_value_is_provisional(published):
    assert ranking(published, 2024) == [
        # 5 + 4 + 8 (I3 not appraised: its self-assessed 80 % scores)
        ("46.B", D(17), "Tốt", 1, True),
        # appraised 4 + 4 + 7, not the self-assessed 6 + 4 + 10
        ("46.A", D(15), "Khá", 2, False),
        ("46.C", D(14), "Khá", 3, False),  # 4 + 4 + 6: it under-scored itself
        ("46.D", D(7), "Yếu", 4, False),  # appraised only
    ]


def test_a_year_of_self_assessments_only_is_a_complete_provisional_ranking(published):
    assert ranking(published, 2025) == [
        ("46.A", D(19), "Tốt", 1, True),  # 6 + 4 + 9
        ("46.B", D(17), "Tốt", 2, True),  # 3 + 4 + 10
        ("46.C", D(16), "Tốt", 3, True),  # 6 + 0 + 10
        ("46.D", D(7), "Yếu", 4, True),  # 2 + 0 (I2 given twice: held back) + 5
    ]


def test_differences_per_indicator_and_per_unit(published):
    rows = {(code, indicator): rest for code, indicator, *rest in query(published, """
        select unit_code, indicator_code, self_value, appraised_value, self_points, appraised_points,
               points_difference, indicators_compared
        from appraisal_differences where year = 2024""")}
    assert rows[("46.A", "I1")] == [D(6), D(4), D(6), D(4), D(-2), 1]
    assert rows[("46.A", "I3")] == [D(100), D(70), D(10), D(7), D(-3), 1]
    assert rows[("46.A", None)] == [None, None, D(20), D(15), D(-5), 3]  # over-scored itself by 5
    assert rows[("46.B", "I3")] == [D(80), None, D(8), None, None, 0]  # not appraised yet
    assert rows[("46.B", None)] == [None, None, D(9), D(9), D(0), 2]  # over the two with both
    assert rows[("46.C", "I2")] == [D(0), D(1), D(0), D(4), D(4), 1]
    assert rows[("46.C", None)] == [None, None, D(9), D(14), D(5), 3]
    assert not [key for key in rows if key[0] == "46.D"]  # no self-assessment, no row
    assert len(rows) == 12


def test_stages_are_no_duplicates_but_twice_at_one_stage_is(published):
    issues = query(published, "select year, unit_code, indicator_code, severity, reason from submission_issues order by all")
    assert issues == [
        (2024, "46.B", "I3", "warning", "no appraised value: the self-assessed value scores, provisionally"),
        (2025, "46.A", "I1", "error", "unknown stage `phúc tra`: expected tự đánh giá (self) or thẩm định (appraised)"),
        (2025, "46.D", "I2", "error", "given 2 times for this unit and year as a self-assessment: every copy is held back"),
        (2025, "46.D", "I2", "error", "given 2 times for this unit and year as a self-assessment: every copy is held back"),
    ]


def test_without_stages_nothing_is_provisional(mini_run):
    published = mini_run[1]
    assert query(published, "select count(*) from provincial_ranking where provisional") == [(0,)]
    assert query(published, "select count(*) from provincial_ranking where provisional is null") == [(0,)]
    assert query(published, "select count(*) from appraisal_differences") == [(0,)]


def test_the_demo_province_assessed_itself_and_one_department_awaits_its_appraisal(demo_run):
    """data/submissions/2023 (scripts/appraisal_demo.py): Thừa Thiên Huế's 20 departments
    assessed themselves; the Sở Y tế's NT.1.1.1 is not appraised yet, so it is scored on its
    self-assessed value (the appraised one it stands for: the published totals hold)."""
    published = demo_run[1]
    assert query(published, """select unit_code from provincial_ranking
                               where year = 2023 and provisional order by unit_code""") == [("46.SYT",)]
    totals = query(published, """select count(*), count(*) filter (where points_difference < 0),
                                        count(*) filter (where indicators_compared > 0)
                                 from appraisal_differences where year = 2023 and indicator_code is null""")
    assert totals[0][0] == 20 and totals[0][2] == 20 and totals[0][1] > 10  # most over-scored themselves
    assert query(published, """select self_value, appraised_value, appraised_points from appraisal_differences
                               where year = 2023 and unit_code = '46.SYT' and indicator_code = 'NT.1.1.1'""") \
        == [(D("9.97"), None, None)]
    assert query(published, "select count(*) from submission_issues where year = 2023") == [(0,)]
