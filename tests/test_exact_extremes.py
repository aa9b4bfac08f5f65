"""Exact arithmetic at the sizes the inputs allow (SPEC §4), on the real dbt project.

DuckDB types DECIMAL(18, 6) × DECIMAL(18, 6) as DECIMAL(18, 12), which overflows once the
product reaches 10^6, and keeps any DECIMAL product within 38 digits. So a unit scoring
1,000 of 1,000 points (the DTI's scale) used to stop the ranking, and `linear` or
`relative` on budgets in đồng (10^12 to 10^17) used to stop the points. Here: one real
materialisation of a small input root with a 1,000-point national framework and a
provincial framework of money indicators, and the division macros at their bounds.
Every expected figure is worked out with Python's exact Fraction, rounded half up.
"""

import json
import os
import subprocess
from decimal import Decimal as D
from fractions import Fraction as F
from pathlib import Path

import duckdb
import pytest
from conftest import materialize_all, query

YEAR = 2024
FULL_AT = 10**15  # `linear`: full points at 10^15 đồng
# the largest sizes the frameworks and values allow: maxima below 10^12 points, values
# below 10^20; max × value reaches 10^31, past the 38 digits of any DECIMAL product
BIG_MAX = 10**11


def half_up(x, places: int) -> D:
    """An exact number rounded half up (halves away from zero) to `places` decimals."""
    x = F(x)
    scaled = abs(x) * 10**places
    digits = int(scaled) + (1 if scaled - int(scaled) >= F(1, 2) else 0)
    return D(f"{'-' if x < 0 else ''}{digits}e-{places}")  # exact: no context rounding


# --- the input root ----------------------------------------------------------------------

UNITS = """unit_code,unit_name,unit_type,parent_code,valid_from,valid_to
01,Tỉnh Một,province,,2000,
02,Tỉnh Hai,province,,2000,
03,Tỉnh Ba,province,,2000,
04,Tỉnh Bốn,province,,2000,
05,Tỉnh Năm,province,,2000,
01.A,Sở Tài chính,department,01,2000,
01.B,Sở Kế hoạch và Đầu tư,department,01,2000,
01.C,Sở Xây dựng,department,01,2000,
"""

DTI = f"""code: dti-{YEAR}
title: Chỉ số chuyển đổi số cấp tỉnh (1.000 điểm)
evaluator: national
unit_type: province
years: [{YEAR}]
rating:
  - {{label: Tốt, min_pct: 80, min_criterion_pct: 50}}
  - {{label: Khá, min_pct: 65}}
  - {{label: Trung bình, min_pct: 50}}
  - {{label: Yếu, min_pct: 0}}
criteria:
  - code: NT
    name: Nhận thức số
    max: 400
    indicators:
      - {{code: NT.1, name: Điểm thẩm định, max: 400, rule: {{type: score}}}}
  - code: HT
    name: Hạ tầng số
    max: 300
    indicators:
      - {{code: HT.1, name: Điểm thẩm định, max: 300, rule: {{type: score}}}}
  - code: HD
    name: Hoạt động chính quyền số
    max: 300
    indicators:
      - {{code: HD.1, name: Điểm thẩm định, max: 300, rule: {{type: score}}}}
"""

# appraised points per province; None is N/A (the criterion leaves max_applicable)
DTI_SCORES = {
    "01": ("400", "300", "300"),        # 1000 / 1000
    "02": ("400", "300", "300"),        # 1000 / 1000: ties with 01
    "03": ("399.9999", "300", "300"),   # 999.9999 / 1000: shows as 100.00 %, ranks below
    "04": ("400", "300", None),         # 700 / 700: the same exact 100 %
    "05": ("200", "150", "100"),        # 450 / 1000
}
DTI_MAXIMA = ("400", "300", "300")

BUDGET = f"""code: budget-{YEAR}
title: Bộ tiêu chí chi ngân sách cho chuyển đổi số (cấp sở)
evaluator: "01"
unit_type: department
years: [{YEAR}]
rating:
  - {{label: Tốt, min_pct: 80}}
  - {{label: Yếu, min_pct: 0}}
criteria:
  - code: L
    name: Chi cho chuyển đổi số
    max: 35
    indicators:
      - {{code: L.1, name: Kinh phí đã chi, max: 35, unit: money, rule: {{type: linear, full_at: {FULL_AT}}}}}
  - code: R
    name: Vốn đầu tư so với đơn vị cao nhất
    max: 9
    indicators:
      - {{code: R.1, name: Vốn đầu tư, max: 9, unit: money, rule: {{type: relative}}}}
  - code: S
    name: Quy mô dự án
    max: 5
    indicators:
      - {{code: S.1, name: Tổng mức đầu tư, max: 5, unit: money, rule: {{type: steps, steps: [[1, 1], [{FULL_AT}, 5]]}}}}
  - code: V
    name: Giá trị tài sản số
    max: {BIG_MAX}
    indicators:
      - {{code: V.1, name: Giá trị tài sản số, max: {BIG_MAX}, unit: money, rule: {{type: relative}}}}
"""

# values in đồng, written plainly (no grouping marks)
BUDGET_VALUES = {
    "01.A": {"L.1": 1_250_000_000_000, "R.1": 99_999_999_999_999_999, "S.1": FULL_AT,
             "V.1": 99_999_999_999_999_999_999},
    "01.B": {"L.1": 999_999_999_999_999, "R.1": 12_345_678_901_234_567, "S.1": FULL_AT - 1,
             "V.1": 12_345_678_901_234_567_890},
    "01.C": {"L.1": 123_456_789_012_345, "R.1": 33_333_333_333_333_333, "S.1": 100 * FULL_AT,
             "V.1": 3},
}
BUDGET_MAXIMA = {"L.1": 35, "R.1": 9, "S.1": 5, "V.1": BIG_MAX}
STEPS = [(1, 1), (FULL_AT, 5)]


def write_input_root(root: Path) -> Path:
    (root / "units").mkdir(parents=True)
    (root / "units" / "units.csv").write_text(UNITS, encoding="utf-8")
    (root / "frameworks").mkdir()
    (root / "frameworks" / "dti.yaml").write_text(DTI, encoding="utf-8")
    (root / "frameworks" / "budget.yaml").write_text(BUDGET, encoding="utf-8")
    submissions = root / "submissions" / str(YEAR)
    submissions.mkdir(parents=True)
    lines = ["unit_code,indicator_code,value"]
    for unit, scores in DTI_SCORES.items():
        for indicator, score in zip(("NT.1", "HT.1", "HD.1"), scores):
            lines.append(f"{unit},{indicator},{'N/A' if score is None else score}")
    for unit, values in BUDGET_VALUES.items():
        lines += [f"{unit},{indicator},{value}" for indicator, value in values.items()]
    (submissions / "values.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def published(tmp_path_factory, module_monkeypatch):
    work = tmp_path_factory.mktemp("extremes")
    root = write_input_root(work / "input")
    return materialize_all(root, work, module_monkeypatch)


def of_year(published, sql: str) -> list[tuple]:
    """The rows of a mart query for the one year of this input."""
    return query(published, sql, {"year": YEAR})


# --- the 1,000-point framework -------------------------------------------------------------

def expected_dti() -> dict[str, tuple]:
    """(total, max_applicable, score_pct, index, rank) per province, from DTI_SCORES."""
    fractions = {}
    for unit, scores in DTI_SCORES.items():
        total = sum(D(s) for s in scores if s is not None)
        maximum = sum(D(m) for s, m in zip(scores, DTI_MAXIMA) if s is not None)
        fractions[unit] = (total, maximum, F(total) / F(maximum))
    return {
        unit: (total, maximum, half_up(100 * share, 2), half_up(share, 4),
               1 + sum(other[2] > share for other in fractions.values()))
        for unit, (total, maximum, share) in fractions.items()
    }


def test_thousand_point_framework_is_ranked_exactly(published):
    rows = {
        unit: rest
        for unit, *rest in of_year(published, """
            select unit_code, total_score, max_applicable, score_pct, index, rank, ranked
            from national_ranking where year = $year""")
    }
    expected = expected_dti()
    assert {unit: tuple(row[:5]) for unit, row in rows.items()} == expected
    assert all(row[5] for row in rows.values())
    # spelled out: a full score is 100.00 % and index 1.0000; ties share rank 1 (1000/1000
    # and 700/700), and 999.9999/1000 shows as 100.00 % yet ranks 4th on the exact value
    assert rows["01"][:5] == [D(1000), D(1000), D("100.00"), D("1.0000"), 1]
    assert rows["02"][4] == rows["04"][4] == 1
    assert rows["03"][2:5] == [D("100.00"), D("1.0000"), 4]
    assert rows["05"][2:5] == [D("45.00"), D("0.4500"), 5]


def test_thousand_point_framework_category_averages(published):
    averages = dict(
        of_year(published, """
            select criterion_code, avg_index from national_category_averages
            where year = $year""")
    )
    nt = sum(F(D(scores[0])) for scores in DTI_SCORES.values()) / (400 * len(DTI_SCORES))
    hd_units = [scores[2] for scores in DTI_SCORES.values() if scores[2] is not None]
    hd = sum(F(D(s)) for s in hd_units) / (300 * len(hd_units))
    assert averages["NT"] == half_up(nt, 4)
    assert averages["HD"] == half_up(hd, 4)


# --- money indicators: linear, relative, steps ---------------------------------------------

def expected_points(indicator: str, value: int) -> D:
    maximum = BUDGET_MAXIMA[indicator]
    if indicator == "L.1":
        return D(maximum) if value >= FULL_AT else half_up(F(maximum * value, FULL_AT), 4)
    if indicator in ("R.1", "V.1"):
        best = max(values[indicator] for values in BUDGET_VALUES.values())
        return half_up(F(maximum * value, best), 4)
    reached = [points for threshold, points in STEPS if value >= threshold]
    return D(max(reached, default=0))


def test_money_indicators_score_exactly(published):
    scores = {
        (unit, criterion): score
        for unit, criterion, score in of_year(published, """
            select unit_code, criterion_code, score from provincial_criterion_scores
            where year = $year""")
    }
    expected = {
        (unit, indicator.split(".")[0]): expected_points(indicator, value)
        for unit, values in BUDGET_VALUES.items()
        for indicator, value in values.items()
    }
    assert scores == expected
    # spelled out: 35 × 1.25·10^12 / 10^15 = 0.04375, a half: up to 0.0438
    assert scores[("01.A", "L")] == D("0.0438")
    assert scores[("01.B", "L")] == D(35)  # 34.999999999999965 rounds to the max
    assert scores[("01.A", "R")] == D(9)  # the best value
    assert scores[("01.B", "S")] == D(1) and scores[("01.A", "S")] == D(5)
    # 10^11 × 12,345,678,901,234,567,890 / 99,999,999,999,999,999,999 (a 10^31 product)
    assert scores[("01.B", "V")] == D("12345678901.2346")


def test_money_framework_is_ranked_exactly(published):
    """Totals near 10^11 points: percentages, bands and ranks cross-multiply them."""
    rows = {
        unit: tuple(rest)
        for unit, *rest in of_year(published, """
            select unit_code, total_score, max_applicable, score_pct, rating, rank
            from provincial_ranking where year = $year""")
    }
    maximum = sum(BUDGET_MAXIMA.values())
    totals = {
        unit: sum(expected_points(indicator, value) for indicator, value in values.items())
        for unit, values in BUDGET_VALUES.items()
    }
    expected = {
        unit: (total, maximum, half_up(F(100 * total) / maximum, 2),
               "Tốt" if 100 * total >= 80 * maximum else "Yếu",
               1 + sum(other > total for other in totals.values()))
        for unit, total in totals.items()
    }
    assert rows == expected
    assert rows["01.A"][2:] == (D("100.00"), "Tốt", 1)  # 99.99999996 %


def test_money_indicator_statistics_average_exactly(published):
    averages = dict(
        of_year(published, """
            select indicator_code, value_avg from provincial_indicator_statistics
            where year = $year""")
    )
    for indicator in BUDGET_MAXIMA:
        values = [unit_values[indicator] for unit_values in BUDGET_VALUES.values()]
        assert averages[indicator] == half_up(F(sum(values), len(values)), 4), indicator


# --- the macros at their bounds --------------------------------------------------------------

# (numerator, its SQL type, denominator, its SQL type, scale, operand_scale)
DIVISIONS = [
    ("99999999999999999999999999999999.999999", "decimal(38, 6)", "7", "decimal(38, 6)", 4, 6),
    ("-99999999999999999999999999999999.999999", "decimal(38, 6)", "99999999999999999999999999.999999", "decimal(38, 6)", 4, 6),
    ("12345678901234567890123456.789012", "decimal(38, 6)", "99999999999999999999999999.999999", "decimal(38, 6)", 12, 6),
    ("1", "decimal(38, 6)", "2000000000000", "decimal(38, 6)", 12, 6),  # 5·10^-13: a half
    ("-1", "decimal(38, 6)", "2000000000000", "decimal(38, 6)", 12, 6),
    ("12345678901234.567890123456", "decimal(38, 12)", "98765432109876543.210987654321", "decimal(38, 12)", 12, 12),
    ("99999999999999.999999999999", "decimal(38, 12)", "0.000000000003", "decimal(38, 12)", 4, 12),
    ("1000000", "decimal(18, 6)", "1000", "decimal(18, 6)", 12, 6),  # 1,000 × 1,000 points
    ("2", "decimal(38, 6)", "3", "decimal(38, 6)", 2, 6),
    ("-2", "decimal(38, 6)", "3", "decimal(38, 6)", 2, 6),
    ("5", "decimal(38, 6)", "-2", "decimal(38, 6)", 0, 6),
    ("3", "decimal(38, 6)", "0", "decimal(38, 6)", 4, 6),  # null
]

# (factor, numerator, denominator): max_points (DECIMAL(18, 4)) × value / full_at or best
PRODUCT_DIVISIONS = [
    ("99999999999.9999", "99999999999999999999.999998", "99999999999999999999.999999"),
    ("99999999999.9999", "12345678901234567890.123456", "99999999999999999999.999999"),
    ("35", "1250000000000", "1000000000000000"),
    ("9", "12345678901234567", "99999999999999999"),
    ("0.0001", "1", "2"),
    ("-7.5", "1", "3"),
    ("1", "1", "0"),  # null
]


def compile_inline(sql: str, work: Path) -> str:
    """`sql` as the dbt project compiles it (its macros, DuckDB dispatch)."""
    from orchestration.dbt_project import DBT_PROJECT_DIR, dbt_executable

    env = {**os.environ, "EGOV_WAREHOUSE": str(work / "compile.duckdb")}
    completed = subprocess.run(
        [dbt_executable(), "compile", "--inline", sql, "--output", "json", "--quiet",
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(work / "target"),
         "--log-path", str(work / "logs")],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return json.loads(completed.stdout)["compiled"]


@pytest.fixture(scope="module")
def macro_results(tmp_path_factory):
    """Every case of DIVISIONS and PRODUCT_DIVISIONS through the project's macros, compiled
    by dbt at once and run in DuckDB one by one: {(kind, case number): (result, its type)},
    or the error DuckDB stopped with."""
    selects = []
    for i, (n, n_type, d, d_type, scale, k) in enumerate(DIVISIONS):
        expression = f"{{{{ divide_exact('n', 'd', {scale}, operand_scale={k}) }}}}"
        selects.append(
            f"select 'divide' as kind, {i} as i, {expression} as result from "
            f"(select cast('{n}' as {n_type}) as n, cast('{d}' as {d_type}) as d)"
        )
    for i, (f, n, d) in enumerate(PRODUCT_DIVISIONS):
        expression = "{{ multiply_divide_exact('f', 'n', 'd', 4) }}"
        selects.append(
            f"select 'multiply' as kind, {i} as i, {expression} as result from "
            f"(select cast('{f}' as decimal(18, 4)) as f, cast('{n}' as decimal(38, 6)) as n, "
            f"cast('{d}' as decimal(38, 6)) as d)"
        )
    separator = "\nunion all by name\n"
    compiled = compile_inline(separator.join(
        f"select kind, i, cast(result as varchar) as result, typeof(result) as type from ({s})"
        for s in selects
    ), tmp_path_factory.mktemp("macros"))
    results = {}
    for case, sql in zip(
        [("divide", i) for i in range(len(DIVISIONS))] + [("multiply", i) for i in range(len(PRODUCT_DIVISIONS))],
        compiled.split(separator),
    ):
        try:
            [(kind, i, result, type_)] = duckdb.sql(sql).fetchall()
        except duckdb.Error as error:  # an overflow: the case fails, not the others
            results[case] = str(error)
        else:
            assert (kind, i) == case
            results[case] = (None if result is None else D(result), type_)
    return results


@pytest.mark.parametrize("case", range(len(DIVISIONS)))
def test_divide_exact_at_its_bounds(macro_results, case):
    n, _, d, _, scale, _ = DIVISIONS[case]
    outcome = macro_results[("divide", case)]
    assert not isinstance(outcome, str), outcome
    result, type_ = outcome
    expected = None if D(d) == 0 else half_up(F(D(n)) / F(D(d)), scale)
    assert (result, type_) == (expected, f"DECIMAL(38,{scale})")


@pytest.mark.parametrize("case", range(len(PRODUCT_DIVISIONS)))
def test_multiply_divide_exact_at_its_bounds(macro_results, case):
    f, n, d = PRODUCT_DIVISIONS[case]
    outcome = macro_results[("multiply", case)]
    assert not isinstance(outcome, str), outcome
    result, type_ = outcome
    expected = None if D(d) == 0 else half_up(F(D(f)) * F(D(n)) / F(D(d)), 4)
    assert (result, type_) == (expected, "DECIMAL(38,4)")
