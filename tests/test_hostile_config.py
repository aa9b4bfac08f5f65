"""Hostile configuration: framework YAML and the unit registry are refused with a message
naming the file, the line or row and the field, before any raw table is touched (SPEC §6)."""

import re
from decimal import Decimal

import duckdb
import pytest
from conftest import DEMO_DATA, FIXTURES, framework_yaml

from orchestration.ingest import frameworks, load, parse

FRAMEWORK = framework_yaml("f-2018", "Bộ tiêu chí", 2018, """\
  - code: HT
    name: Hạ tầng
    max: 10
    required_for_rank: true
    indicators:
      - {code: HT.1, name: Máy tính, max: 5, rule: {type: steps, steps: [[1, 2.5], [10, 5]]}}
      - {code: HT.2, name: Tỷ lệ, max: 5, unit: percent, rule: {type: linear, full_at: 100}}
  - code: DV
    name: Dịch vụ công
    max: 10
    indicators:
      - {code: DV.1, name: Điểm, max: 10, rule: {type: score}}
""", top_band="{label: Tốt, min_pct: 80, min_criterion_pct: 50}")
WHERE = "frameworks/f.yaml (f-2018): "
REGISTRY_HEADER = "unit_code,unit_name,unit_type,parent_code,valid_from,valid_to\n"
REGISTRY = REGISTRY_HEADER + "46,Thừa Thiên Huế,province,,2000,2024\n46.A,Sở Y tế,department,46,2000,\n"
FRAMEWORK_TABLES = load.FRAMEWORK_TABLES


@pytest.fixture
def con():
    """A warehouse whose raw tables already hold a row each: a refused input must leave them."""
    with duckdb.connect() as connection:
        load.recreate(connection, "units", *FRAMEWORK_TABLES)
        connection.execute("insert into raw.units (unit_code) values ('before')")
        connection.execute("insert into raw.frameworks (framework_code) values ('before')")
        yield connection


def untouched(con) -> bool:
    return (con.execute("select unit_code from raw.units").fetchall() == [("before",)]
            and con.execute("select framework_code from raw.frameworks").fetchall() == [("before",)])


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused_framework(tmp_path, con, text: str) -> str:
    """The message of loading `text` as frameworks/f.yaml, which must be refused."""
    write(tmp_path / "frameworks" / "f.yaml", text)
    with pytest.raises(frameworks.FrameworkError) as error:
        load.load_frameworks(con, tmp_path)
    assert untouched(con)
    return str(error.value)


def refused_registry(tmp_path, con, text: str) -> str:
    write(tmp_path / "units" / "units.csv", text)
    with pytest.raises(load.RegistryError) as error:
        load.load_units(con, tmp_path)
    assert untouched(con)
    return str(error.value)


def flatten_error(text: str) -> str:
    with pytest.raises(frameworks.FrameworkError) as error:
        frameworks.flatten(parse.load_yaml(text), "frameworks/f.yaml")
    return str(error.value)


def changed(*changes: tuple[str, str]) -> str:
    text = FRAMEWORK
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


# --- YAML ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "030", "07", "0o17", "0x1F", "-0x1F", "0b1", "1:30", "1:30.5", "1_000", "1_000.5",
    ".inf", "-.inf", ".nan", "1e3", "1.0e+3", "2.5E-2", "1.", ".5", "01.5", "!!float 1e3", "!!int 0x10",
])
def test_numbers_yaml_would_not_read_as_they_look_are_refused(text):
    with pytest.raises(parse.YamlError, match=re.escape(f"line 2: {text.split()[-1]!r} is not a plain decimal number")):
        parse.load_yaml(f"code: f\nmax: {text}\n")


def test_plain_numbers_stay_exact_and_quoted_ones_stay_text():
    doc = parse.load_yaml("a: [0, 30, -5, +7, 62.3, -0.125, 100.0000, '030', \"0x1F\", 08, 46.E, '1e3']")
    assert doc["a"] == [0, 30, -5, 7, Decimal("62.3"), Decimal("-0.125"), Decimal("100.0000"),
                        "030", "0x1F", "08", "46.E", "1e3"]
    assert [type(v) for v in doc["a"][:4]] == [int] * 4


@pytest.mark.parametrize("text", ["yes", "No", "on", "OFF", "Yes", "off"])
def test_yaml_1_1_booleans_are_refused_as_values_and_keys(text):
    message = f"{text!r} would be read as a boolean: write true or false, or quote it if it is text"
    with pytest.raises(parse.YamlError, match=re.escape(f"line 2: {message}")):
        parse.load_yaml(f"code: f\nrequired_for_rank: {text}\n")
    with pytest.raises(parse.YamlError, match=re.escape(f"line 3: {message}")):
        parse.load_yaml(f"code: f\nrule:\n  {text}: 1\n")


def test_true_false_and_quoted_words_are_fine():
    assert parse.load_yaml("a: [true, false, True, FALSE, 'yes', \"on\", y, n]") == {
        "a": [True, False, True, False, "yes", "on", "y", "n"]}


@pytest.mark.parametrize("text, message", [
    ("max: 30\ncode: f\nmax: 3000\n", "line 3: key 'max' is given twice (first on line 1)"),
    ("criteria:\n  - code: HT\n    max: 30\n    name: x\n    max: 3000\n", "line 5: key 'max' is given twice (first on line 3)"),
    ("rating:\n  - {label: A, min_pct: 80, label: B}\n", "line 2: key 'label' is given twice (first on line 2)"),
    ("a:\n  b:\n    c: 1\n    c: 1\n", "line 4: key 'c' is given twice (first on line 3)"),
    ("1: a\n1: b\n", "line 2: key 1 is given twice (first on line 1)"),
])
def test_duplicate_keys_are_refused_at_any_depth(text, message):
    with pytest.raises(parse.YamlError, match=re.escape(message)):
        parse.load_yaml(text)


def test_a_merge_key_may_be_overridden():
    doc = parse.load_yaml("base: &b {type: linear, full_at: 1}\nrule:\n  <<: *b\n  full_at: 100\n")
    assert doc["rule"] == {"type": "linear", "full_at": 100}


@pytest.mark.parametrize("levels", [9, 10])
def test_an_alias_bomb_is_refused(levels):
    text = alias_bomb(levels)
    assert len(text) < 600
    with pytest.raises(parse.YamlError, match=r"line \d+: aliases expand the document past 10,000,000 nodes"):
        parse.load_yaml(text)


def test_aliases_that_expand_modestly_are_fine():
    assert parse.load_yaml(alias_bomb(5))["a4"][0][0][0][0] == ["lol"] * 9
    many = "s: &s {type: score}\ncriteria:\n" + "".join(f"  - {{code: I{n}, rule: *s}}\n" for n in range(5000))
    assert len(parse.load_yaml(many)["criteria"]) == 5000


@pytest.mark.parametrize("change, message", [
    (("max: 10\n    required", "max: 010\n    required"), "line 12: '010' is not a plain decimal number"),
    (("max: 10\n    required", "max: 1_0\n    required"), "line 12: '1_0' is not a plain decimal number"),
    (("full_at: 100", "full_at: 1e2"), "line 16: '1e2' is not a plain decimal number"),
    (("required_for_rank: true", "required_for_rank: yes"), "line 13: 'yes' would be read as a boolean"),
    (("max: 10\n    required", "max: 10\n    max: 30\n    required"), "line 13: key 'max' is given twice (first on line 12)"),
    (("code: f-2018\n", "code: f-2018\n" + alias_bomb()), "aliases expand the document past"),
    (("title: Bộ tiêu chí", "title: [Bộ, [tiêu, chí"), "not readable YAML: while parsing a flow sequence"),
])
def test_yaml_errors_name_the_file_and_line_and_write_nothing(tmp_path, con, change, message):
    error = refused_framework(tmp_path, con, changed(change))
    assert error.startswith("frameworks/f.yaml: ") and message in error


def test_a_framework_file_over_the_size_limit_is_refused_unread(tmp_path, con, monkeypatch):
    assert frameworks.MAX_FILE_BYTES == 2 * 1024 * 1024
    monkeypatch.setattr(frameworks, "MAX_FILE_BYTES", 1000)
    error = refused_framework(tmp_path, con, FRAMEWORK + "#" * 1000 + "\n")
    assert re.fullmatch(r"frameworks/f.yaml: file of \d+ bytes is over the 1000 bytes limit", error)


# --- framework fields -------------------------------------------------------------------

STEPS = "criteria[0].indicators[0].rule.steps"


@pytest.mark.parametrize("steps, message", [
    ("5", f"{STEPS}: expected a non-empty list, got 5"),
    ("[]", f"{STEPS}: expected a non-empty list, got []"),
    ("{a: 1}", f"{STEPS}: expected a non-empty list, got {{'a': 1}}"),
    ("[[1, 2.5], 10]", f"{STEPS}[1]: expected a [threshold, points] pair, got 10"),
    ("[[1, 2.5], [10]]", f"{STEPS}[1]: expected a [threshold, points] pair, got [10]"),
    ("[[1, 2.5, 3]]", f"{STEPS}[0]: expected a [threshold, points] pair, got [1, Decimal('2.5'), 3]"),
    ("[[1, five]]", f"{STEPS}[0][1]: expected a number, got 'five'"),
    ("[[one, 5]]", f"{STEPS}[0][0]: expected a number, got 'one'"),
    ("[[null, 5]]", f"{STEPS}[0][0]: missing"),
    ("[[true, 5]]", f"{STEPS}[0][0]: expected a number, got True"),
    ("[[-1, 5]]", f"{STEPS}[0][0]: -1 must be at least 0"),
    ("[[1, 5], [1, 5]]", f"{STEPS}: thresholds must be strictly ascending (steps[1] is 1 after 1)"),
    ("[[100000000000000000000, 5]]", f"{STEPS}[0][0]: 100000000000000000000 must be below 10^20"),
    ("[[0.1234567, 5]]", f"{STEPS}[0][0]: 0.1234567 has more than 6 decimals"),
    ("[[1, 2.12345]]", f"{STEPS}[0][1]: 2.12345 has more than 4 decimals"),
])
def test_malformed_steps_are_named(steps, message):
    assert flatten_error(changed(("[[1, 2.5], [10, 5]]", steps))) == WHERE + message


@pytest.mark.parametrize("change, message", [
    (("code: DV\n", "code: HT\n"), "criteria[1].code: 'HT' is also criteria[0].code"),
    (("code: DV.1", "code: HT.1"), "criteria[1].indicators[0].code: 'HT.1' is also criteria[0].indicators[0].code"),
    (("code: HT.2", "code: HT.1"), "criteria[0].indicators[1].code: 'HT.1' is also criteria[0].indicators[0].code"),
    (("label: Yếu", "label: Tốt"), "rating[1].label: 'Tốt' is also rating[0].label"),
])
def test_duplicated_codes_and_labels_are_refused(change, message):
    assert flatten_error(changed(change)) == WHERE + message


CATCH_ALL = "the lowest band must take every unit (min_pct: 0 and no min_criterion_pct), or a ranked unit could get no rating"


@pytest.mark.parametrize("change, message", [
    (("{label: Yếu, min_pct: 0}", "{label: Yếu, min_pct: 10}"), f"rating[1]: {CATCH_ALL}"),
    (("{label: Yếu, min_pct: 0}", "{label: Yếu, min_pct: 0, min_criterion_pct: 20}"), f"rating[1]: {CATCH_ALL}"),
    (("  - {label: Yếu, min_pct: 0}\n", ""), f"rating[0]: {CATCH_ALL}"),
    (("min_pct: 80,", "min_pct: 101,"), "rating[0].min_pct: 101 is above 100"),
    (("min_pct: 80,", "min_pct: -1,"), "rating[0].min_pct: -1 must be at least 0"),
    (("min_pct: 80,", "min_pct: 80.12345,"), "rating[0].min_pct: 80.12345 has more than 4 decimals"),
    (("min_pct: 80,", "min_pct: '80',"), "rating[0].min_pct: expected a number, got '80'"),
    (("min_criterion_pct: 50", "min_criterion_pct: 100.5"), "rating[0].min_criterion_pct: 100.5 is above 100"),
    (("min_pct: 0}", "min_pct: 90}"), "rating[1].min_pct: bands must be listed highest first"),
    (("label: Tốt", "label: [Tốt]"), "rating[0].label: expected text, got ['Tốt']"),
    (("label: Tốt, ", ""), "rating[0].label: missing"),
])
def test_rating_bands_must_end_with_a_catch_all_and_hold_percentages(change, message):
    assert flatten_error(changed(change)) == WHERE + message


NOT_A_CODE = "is not a code (1 to 32 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit)"


@pytest.mark.parametrize("evaluator", [
    "'../../x'", "'..'", "'.'", "'/abs'", "'a/b'", '"a\\\\b"', "' 46'", "'4 6'", "'46\\t'", "'０１'",
    "'" + "x" * 33 + "'", "-5", "'national/..'", "[46]", "46.0",
])
def test_an_evaluator_must_be_national_or_a_unit_code(evaluator):
    error = flatten_error(changed(('evaluator: "46"', f"evaluator: {evaluator}")))
    assert error.startswith(WHERE + "evaluator: ") and error.endswith(NOT_A_CODE)


@pytest.mark.parametrize("evaluator, expected", [('"national"', "national"), ("46", "46"), ("'46.A'", "46.A"),
                                                  ("dept_01-b", "dept_01-b")])
def test_good_evaluators(evaluator, expected):
    rows = frameworks.flatten(parse.load_yaml(changed(('evaluator: "46"', f"evaluator: {evaluator}"))), "f.yaml")
    assert rows["frameworks"][0][2] == expected


@pytest.mark.parametrize("change, field", [
    (("code: f-2018", "code: ../f"), "frameworks/f.yaml: code: '../f'"),
    (("code: f-2018", "code: 'f 2018'"), "frameworks/f.yaml: code: 'f 2018'"),
    (("code: HT\n", "code: a/b\n"), WHERE + "criteria[0].code: 'a/b'"),
    (("code: DV.1", "code: 'DV 1'"), WHERE + "criteria[1].indicators[0].code: 'DV 1'"),
    (("code: DV.1", "code: 'DV\\1'"), WHERE + "criteria[1].indicators[0].code: 'DV\\\\1'"),
    (("code: DV.1", "code: ĐV.1"), WHERE + "criteria[1].indicators[0].code: 'ĐV.1'"),
])
def test_framework_criterion_and_indicator_codes_are_strict(change, field):
    assert flatten_error(changed(change)) == f"{field} {NOT_A_CODE}"


@pytest.mark.parametrize("years, message", [
    ("[1989]", "years[0]: 1989 is not a year (1990 to 2100)"),
    ("[2018, 2101]", "years[1]: 2101 is not a year (1990 to 2100)"),
    ("[18]", "years[0]: 18 is not a year (1990 to 2100)"),
    ("['2018']", "years[0]: '2018' is not a year (1990 to 2100)"),
    ("[2018.5]", "years[0]: 2018.5 is not a year (1990 to 2100)"),
    ("[true]", "years[0]: True is not a year (1990 to 2100)"),
    ("2018", "years: expected a non-empty list, got 2018"),
    ("[]", "years: expected a non-empty list, got []"),
])
def test_years_must_be_plausible(years, message):
    assert flatten_error(changed(("years: [2018]", f"years: {years}"))) == WHERE + message


@pytest.mark.parametrize("change, message", [
    (("unit: percent", "unit: kg"),
     "criteria[0].indicators[1].unit: unknown unit 'kg' (one of ['count', 'money', 'percent', 'points', 'ratio'])"),
    (("unit: percent", "unit: [percent]"), "criteria[0].indicators[1].unit: unknown unit ['percent']"),
    (("unit: percent", "unit: Percent"), "criteria[0].indicators[1].unit: unknown unit 'Percent'"),
    (("type: score", "type: [score]"), "criteria[1].indicators[0].rule.type: unknown rule type ['score']"),
    (("unit_type: department", "unit_type: [department]"), "unit_type ['department'] is not one of"),
])
def test_choices_are_checked_even_when_not_text(change, message):
    assert flatten_error(changed(change)).startswith(WHERE + message)


def test_the_indicator_unit_is_kept():
    rows = frameworks.flatten(parse.load_yaml(FRAMEWORK), "f.yaml")
    assert [(row[3], row[-1]) for row in rows["indicators"]] == [("HT.1", None), ("HT.2", "percent"), ("DV.1", None)]


@pytest.mark.parametrize("change, message", [
    (("max: 10\n    required", "max: 0\n    required"), "criteria[0].max: 0 must be above 0"),
    (("max: 10\n    indicators", "max: -10\n    indicators"), "criteria[1].max: -10 must be above 0"),
    (("max: 10\n    required", "max: 1000000000000\n    required"), "criteria[0].max: 1000000000000 must be below 10^12"),
    (("max: 10\n    required", "max: 10.12345\n    required"), "criteria[0].max: 10.12345 has more than 4 decimals"),
    (("max: 10\n    required", "max: '10'\n    required"), "criteria[0].max: expected a number, got '10'"),
    (("max: 10\n    required", "max: 10,5\n    required"), "criteria[0].max: expected a number, got '10,5'"),
    (("max: 10\n    required", "max: 2018-01-01\n    required"), "criteria[0].max: expected a number, got datetime.date(2018, 1, 1)"),
    (("max: 10\n    required", "max:\n    required"), "criteria[0].max: missing"),
    (("max: 5, rule: {type: steps", "max: 0, rule: {type: steps"), "criteria[0].indicators[0].max: 0 must be above 0"),
    (("max: 10, rule", "max: 10.00001, rule"), "criteria[1].indicators[0].max: 10.00001 has more than 4 decimals"),
    (("full_at: 100", "full_at: 0"), "criteria[0].indicators[1].rule.full_at: 0 must be above 0"),
    (("full_at: 100", "full_at: 1.0000001"), "criteria[0].indicators[1].rule.full_at: 1.0000001 has more than 6 decimals"),
    (("full_at: 100", "full_at: 100000000000000000000"), "criteria[0].indicators[1].rule.full_at: 100000000000000000000 must be below 10^20"),
    (("full_at: 100", "full_of: 100"), "criteria[0].indicators[1].rule.full_at: missing"),
])
def test_numbers_must_fit_their_decimal_columns(change, message):
    assert flatten_error(changed(change)) == WHERE + message


def test_trailing_zeros_within_the_columns_are_fine():
    rows = frameworks.flatten(parse.load_yaml(changed(("max: 10\n    required", "max: 10.000000\n    required"))), "f.yaml")
    assert rows["criteria"][0][4] == Decimal("10.000000")


@pytest.mark.parametrize("change, message", [
    (("title: Bộ tiêu chí", "title: [Bộ, [tiêu, chí]]"), "title: expected text, got ['Bộ', ['tiêu', 'chí']]"),
    (("title: Bộ tiêu chí", "title: {a: 1}"), "title: expected text, got {'a': 1}"),
    (("title: Bộ tiêu chí", "title: 2018"), "title: expected text, got 2018"),
    (("title: Bộ tiêu chí", 'title: "Bộ\\0 tiêu chí"'), "title: contains the control or invisible character U+0000"),
    (("name: Hạ tầng", "name: [Hạ tầng]"), "criteria[0].name: expected text, got ['Hạ tầng']"),
    (("name: Hạ tầng", 'name: "Hạ\\u202etầng"'), "criteria[0].name: contains the control or invisible character U+202E"),
    (("name: Điểm", "name: {x: y}"), "criteria[1].indicators[0].name: expected text, got {'x': 'y'}"),
    (("name: Điểm", 'name: "Đi\\u200bểm"'), "criteria[1].indicators[0].name: contains the control or invisible character U+200B"),
    (("required_for_rank: true", "required_for_rank: y"), "criteria[0].required_for_rank: expected true or false, got 'y'"),
    (("required_for_rank: true", "required_for_rank: 1"), "criteria[0].required_for_rank: expected true or false, got 1"),
    (("rule: {type: score}", "rule: score"), "criteria[1].indicators[0].rule: expected a mapping of fields, got 'score'"),
    (("indicators:\n      - {code: DV.1", "indicators: {code: DV.1"), "criteria[1].indicators: expected a non-empty list, got {'code': 'DV.1'"),
])
def test_texts_flags_and_shapes_are_checked(change, message):
    assert flatten_error(changed(change)).startswith(WHERE + message)


def test_a_document_that_is_not_a_mapping_is_refused():
    assert flatten_error("- code: f\n") == "frameworks/f.yaml: the document: expected a mapping of fields, got [{'code': 'f'}]"
    assert flatten_error("") == "frameworks/f.yaml: the document: missing"


@pytest.mark.parametrize("change, message", [
    (("[[1, 2.5], [10, 5]]", "[[1, 2.5], [x, 5]]"), f"{STEPS}[1][0]: expected a number, got 'x'"),
    (("code: DV.1", "code: HT.1"), "criteria[1].indicators[0].code: 'HT.1' is also criteria[0].indicators[0].code"),
    (("min_pct: 0}", "min_pct: 5}"), "rating[1]: the lowest band must take every unit"),
    (('evaluator: "46"', "evaluator: ../../reports"), "evaluator: '../../reports' is not a code"),
])
def test_framework_errors_stop_the_load_before_anything_is_written(tmp_path, con, change, message):
    write(tmp_path / "frameworks" / "a-good.yaml", FRAMEWORK.replace("f-2018", "good").replace("[2018]", "[2017]"))
    assert refused_framework(tmp_path, con, changed(change)).startswith(WHERE + message)


# --- nested criteria, pillars, peer groups (the DTI) --------------------------------------

NESTED = """\
code: dti-2022
title: Bộ chỉ số DTI
evaluator: national
unit_type: province
years: [2022]
pillars:
  - {code: CQS, name: Chính quyền số, criteria: [NT, HD]}
criteria:
  - code: NT
    name: Nhận thức số
    max: 100
    criteria:
      - code: NT.1
        name: Lãnh đạo
        max: 60
        criteria:
          - code: NT.1.1
            name: Ban Chỉ đạo
            max: 60
            indicators:
              - {code: NT.1.1.1, name: Trưởng ban, max: 60, rule: {type: score}}
      - code: NT.2
        name: Tuyên truyền
        max: 40
        indicators:
          - {code: NT.2.1, name: Chuyên mục, max: 40, rule: {type: score}}
  - code: HD
    name: Hoạt động
    max: 200
    indicators:
      - {code: HD.1, name: Dịch vụ công, max: 200, rule: {type: score}}
"""
NESTED_WHERE = "frameworks/f.yaml (dti-2022): "


def nested(*changes: tuple[str, str]) -> str:
    text = NESTED
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def nested_error(text: str) -> str:
    with pytest.raises(frameworks.FrameworkError) as error:
        frameworks.flatten(parse.load_yaml(text), "frameworks/f.yaml")
    return str(error.value)


def test_nested_criteria_are_flattened_depth_first_with_parent_level_and_height():
    rows = frameworks.flatten(parse.load_yaml(NESTED), "frameworks/f.yaml")
    assert [row[1:3] + row[6:] for row in rows["criteria"]] == [
        (1, "NT", None, 1, 2), (2, "NT.1", "NT", 2, 1), (3, "NT.1.1", "NT.1", 3, 0),
        (4, "NT.2", "NT", 2, 0), (5, "HD", None, 1, 0),
    ]
    assert [row[1] for row in rows["indicators"]] == ["NT.1.1", "NT.2", "HD"]
    assert rows["rating_bands"] == []  # no `rating`: the DTI publishes an index and a rank
    assert rows["pillars"] == [("dti-2022", 1, "CQS", "Chính quyền số")]
    assert rows["pillar_criteria"] == [("dti-2022", "CQS", "NT"), ("dti-2022", "CQS", "HD")]
    assert rows["frameworks"][0][5] == "province"  # the peer group defaults to the unit_type
    assert rows["framework_units"] == []


@pytest.mark.parametrize("change, message", [
    (("        max: 40\n        indicators:", "        max: 40\n        criteria: [{code: X, name: X, max: 1, indicators: [{code: X.1, max: 1, rule: {type: score}}]}]\n        indicators:"),
     "criteria[0].criteria[1]: holds both indicators and criteria: a criterion holds one or the other"),
    (("    max: 200\n    indicators:\n      - {code: HD.1, name: Dịch vụ công, max: 200, rule: {type: score}}\n", "    max: 200\n"),
     "criteria[1]: holds neither indicators nor criteria"),
    (("    criteria:\n      - code: NT.1\n", "    criteria: []\n    other:\n      - code: NT.1\n"),
     "criteria[0].criteria: expected a non-empty list, got []"),
    (("code: NT.2\n", "code: NT.1.1\n"), "criteria[0].criteria[1].code: 'NT.1.1' is also criteria[0].criteria[0].criteria[0].code"),
    (("code: NT.2\n", "code: NT.1.1.1\n"), "criteria[0].criteria[1].code: 'NT.1.1.1' is also criteria[0].criteria[0].criteria[0].indicators[0].code"),
    (("criteria: [NT, HD]", "criteria: [NT, NT.1]"),
     "pillars[0].criteria[1]: 'NT.1' is not a top-level criterion of the framework (one of ['NT', 'HD'])"),
    (("criteria: [NT, HD]", "criteria: [NT, DL]"), "pillars[0].criteria[1]: 'DL' is not a top-level criterion"),
    (("criteria: [NT, HD]", "criteria: [NT, NT]"), "pillars[0].criteria[1]: 'NT' is also pillars[0].criteria[0]"),
    (("criteria: [NT, HD]", "criteria: []"), "pillars[0].criteria: expected a non-empty list"),
    (("  - {code: CQS,", "  - {code: ../x,"), "pillars[0].code: '../x' is not a code"),
    (("years: [2022]", "years: [2022]\nunits: []"), "units: expected a non-empty list"),
    (("years: [2022]", "years: [2022]\nunits: [\"01\", \"01\"]"), "units[1]: '01' is also units[0]"),
    (("years: [2022]", "years: [2022]\nunits: [\"../01\"]"), "units[0]: '../01' is not a code"),
    (("years: [2022]", "years: [2022]\npeer_group: có dịch vụ"), "peer_group: 'có dịch vụ' is not a code"),
    (("years: [2022]", "years: [2022]\nrating: []"), "rating: expected a non-empty list"),
])
def test_nesting_pillars_and_units_are_checked(change, message):
    assert nested_error(nested(change)).startswith(NESTED_WHERE + message)


def test_a_criterion_that_holds_itself_through_an_alias_is_a_cycle():
    text = nested(("  - code: HD\n    name: Hoạt động", "  - &loop\n    code: HD\n    name: Hoạt động"),
                  ("    max: 200\n    indicators:\n      - {code: HD.1, name: Dịch vụ công, max: 200, rule: {type: score}}\n",
                   "    max: 200\n    criteria: [*loop]\n"))
    assert nested_error(text) == NESTED_WHERE + "criteria[1].criteria[0]: is criteria[1] again, inside itself: a cycle"


def test_criteria_nest_at_most_the_levels_dbt_sums():
    """The dbt var `criterion_levels` and frameworks.MAX_LEVELS must agree: int_criterion_scores
    sums as many levels as the loader lets through."""
    import yaml

    from orchestration.dbt_project import DBT_PROJECT_DIR

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["criterion_levels"] == frameworks.MAX_LEVELS

    def chain(levels: int) -> str:
        node = "{code: I, max: 1, rule: {type: score}}"
        node = f"{{code: C{levels}, max: 1, indicators: [{node}]}}"
        for level in range(levels - 1, 0, -1):
            node = f"{{code: C{level}, max: 1, criteria: [{node}]}}"
        return f"code: deep\nevaluator: national\nunit_type: province\nyears: [2022]\ncriteria: [{node}]\n"

    rows = frameworks.flatten(parse.load_yaml(chain(frameworks.MAX_LEVELS)), "frameworks/f.yaml")
    assert max(row[7] for row in rows["criteria"]) == frameworks.MAX_LEVELS
    too_deep = nested_error(chain(frameworks.MAX_LEVELS + 1))
    assert too_deep.endswith(f"criteria nest deeper than {frameworks.MAX_LEVELS} levels")
    assert "frameworks/f.yaml (deep): criteria[0]" + ".criteria[0]" * frameworks.MAX_LEVELS in too_deep


PEER_GROUPS = nested(("years: [2022]", "years: [2022]\npeer_group: co-dvc\nunits: [\"01\", \"48\"]"))


@pytest.mark.parametrize("other, message", [
    (nested(("code: dti-2022", "code: other")),
     "frameworks/other.yaml (other): units: in 2022, frameworks/f.yaml (dti-2022) evaluates evaluator 'national', "
     "unit_type 'province' too, and without a `units` list a framework takes every unit of its unit_type"),
    (nested(("code: dti-2022", "code: other"), ("years: [2022]", "years: [2021, 2022]\npeer_group: khong\nunits: [\"79\", \"48\"]")),
     "frameworks/other.yaml (other): units: in 2022, frameworks/f.yaml (dti-2022) evaluates evaluator 'national', "
     "unit_type 'province' too, and both list 48"),
    (nested(("code: dti-2022", "code: other"), ("years: [2022]", "years: [2022]\npeer_group: co-dvc\nunits: [\"79\"]")),
     "frameworks/other.yaml (other): peer_group: in 2022, frameworks/f.yaml (dti-2022) evaluates evaluator 'national', "
     "unit_type 'province' too, and both name the peer group 'co-dvc'"),
])
def test_two_frameworks_sharing_a_unit_in_a_year_stop_the_load(tmp_path, con, other, message):
    write(tmp_path / "frameworks" / "f.yaml", PEER_GROUPS)
    write(tmp_path / "frameworks" / "other.yaml", other)
    with pytest.raises(frameworks.FrameworkError) as error:
        load.load_frameworks(con, tmp_path)
    assert str(error.value) == message
    assert untouched(con)


def test_frameworks_with_disjoint_units_share_a_year(tmp_path, con):
    write(tmp_path / "frameworks" / "f.yaml", PEER_GROUPS)
    write(tmp_path / "frameworks" / "other.yaml", nested(
        ("code: dti-2022", "code: other"), ("years: [2022]", "years: [2022]\npeer_group: khong-dvc\nunits: [\"79\"]")))
    load.load_frameworks(con, tmp_path)
    assert con.execute("select * from raw.framework_units order by all").fetchall() == [
        ("dti-2022", "01"), ("dti-2022", "48"), ("other", "79")]
    assert con.execute("select framework_code, peer_group from raw.frameworks order by 1").fetchall() == [
        ("dti-2022", "co-dvc"), ("other", "khong-dvc")]


# --- unit registry ----------------------------------------------------------------------

@pytest.mark.parametrize("field, value", [
    ("valid_from", "２０１８"), ("valid_to", "２０２４"), ("valid_from", "1989"), ("valid_to", "2101"),
    ("valid_from", "20188"), ("valid_from", "2018.0"), ("valid_to", "٢٠٢٤"), ("valid_from", "-2018"),
])
def test_registry_years_are_ascii_and_plausible(tmp_path, con, field, value):
    row = {"valid_from": f"46.B,Sở Tư pháp,department,46,{value},", "valid_to": f"46.B,Sở Tư pháp,department,46,2000,{value}"}[field]
    error = refused_registry(tmp_path, con, REGISTRY + row + "\n")
    assert error == f"units/units.csv, row 4: {field} '{value}' is not a year (1990 to 2100)"


@pytest.mark.parametrize("field, value", [
    ("unit_code", "０１"), ("unit_code", "../x"), ("unit_code", "a/b"), ("unit_code", "a\\b"), ("unit_code", "46 B"),
    ("unit_code", ".."), ("unit_code", "x" * 33), ("unit_code", "46.Đ"),
    ("parent_code", "../46"), ("parent_code", "4 6"), ("parent_code", "/46"), ("parent_code", "４６"),
])
def test_registry_codes_are_strict(tmp_path, con, field, value):
    code, parent = (value, "46") if field == "unit_code" else ("46.B", value)
    error = refused_registry(tmp_path, con, REGISTRY + f'"{code}",Sở Tư pháp,department,"{parent}",2000,\n')
    assert error == f"units/units.csv, row 4: {field} {value!r} {NOT_A_CODE}"


def test_registry_codes_are_stripped_and_decomposed_names_stored_nfc(tmp_path, con):
    decomposed = "Sở Tư pháp".replace("ở", "o\u031b\u0309").replace("ư", "u\u031b")
    write(tmp_path / "units" / "units.csv", REGISTRY + f"  46.B ,{decomposed},department, 46 ,2000,\n")
    assert load.load_units(con, tmp_path) == 3
    assert con.execute("select unit_code, unit_name, parent_code from raw.units where row_number = 4").fetchall() == [
        ("46.B", "Sở Tư pháp", "46")]


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_registry_line_endings_and_delimiters_still_load(tmp_path, con, ending):
    write(tmp_path / "units" / "units.csv", "\ufeff" + REGISTRY.replace(",", ";").replace("\n", ending))
    assert load.load_units(con, tmp_path) == 2
    assert con.execute("select unit_code, valid_to from raw.units order by all").fetchall() == [
        ("46", "2024"), ("46.A", None)]


@pytest.mark.parametrize("rows, message", [
    ("46,Thành phố Huế,province,,2024,\n", "rows 2 and 4: unit_code '46' is valid in overlapping years (2000–2024 and 2024–…)"),
    ("46,Thành phố Huế,province,,,\n", "rows 2 and 4: unit_code '46' is valid in overlapping years (2000–2024 and …–…)"),
    ("46.A,Sở Y tế,department,46,2000,\n", "rows 3 and 4: unit_code '46.A' is valid in overlapping years (2000–… and 2000–…)"),
    ("46.A,Sở Y tế,department,46,2030,2031\n", "rows 3 and 4: unit_code '46.A' is valid in overlapping years (2000–… and 2030–2031)"),
    ("46.B,Sở Tư pháp,department,46,2000,2010\n46.B,Sở Tư pháp,department,46,2011,2020\n"
     "46.B,Sở Tư pháp,department,46,2005,2005\n", "rows 4 and 6: unit_code '46.B' is valid in overlapping years (2000–2010 and 2005–2005)"),
])
def test_rows_of_one_code_must_not_overlap(tmp_path, con, rows, message):
    assert refused_registry(tmp_path, con, REGISTRY + rows) == f"units/units.csv, {message}"


def test_rows_of_one_code_in_successive_years_are_fine(tmp_path, con):
    write(tmp_path / "units" / "units.csv", REGISTRY + "46,Thành phố Huế,province,,2025,\n")
    assert load.load_units(con, tmp_path) == 3
    assert con.execute("select unit_name from raw.units where unit_code = '46' order by valid_from").fetchall() == [
        ("Thừa Thiên Huế",), ("Thành phố Huế",)]


def test_a_parent_must_be_in_the_registry(tmp_path, con):
    error = refused_registry(tmp_path, con, REGISTRY + "46.B,Sở Tư pháp,department,47,2000,\n")
    assert error == "units/units.csv, row 4: parent_code '47' is not a unit_code of the registry"


@pytest.mark.parametrize("name, character", [
    ("Sở\x07Tư pháp", "U+0007"), ('"Sở\tTư pháp"', "U+0009"), ('"Sở\nTư pháp"', "U+000A"), ("Sở\x00Tư pháp", "U+0000"),
    ("Sở\u200bTư pháp", "U+200B"), ("Sở\u202eTư pháp", "U+202E"), ("\x1b[31mSở Tư pháp", "U+001B"),
    ("Sở\u2028Tư pháp", "U+2028"), ('"Sở\r\nTư pháp"', "U+000D"),
])
def test_unit_names_hold_no_control_characters(tmp_path, con, name, character):
    error = refused_registry(tmp_path, con, REGISTRY + f"46.B,{name},department,46,2000,\n")
    assert error == f"units/units.csv, row 4: unit_name contains the control or invisible character {character}"


@pytest.mark.parametrize("name", ["Sở A | Sở B", "Sở Tư pháp |", "Sở|Tư pháp"])
def test_a_unit_name_cannot_hold_the_marts_list_separator(tmp_path, con, name):
    error = refused_registry(tmp_path, con, REGISTRY + f"46.B,{name},department,46,2000,\n")
    assert error == (f"units/units.csv, row 4: unit_name {name!r} contains '|', which separates the names "
                     "in the marts' lists (' | ')")


def test_a_unit_name_may_hold_a_comma(tmp_path, con):
    write(tmp_path / "units" / "units.csv", REGISTRY + '46.B,"Sở Văn hóa, Thể thao và Du lịch",department,46,2000,\n')
    assert load.load_units(con, tmp_path) == 3
    assert con.execute("select unit_name from raw.units where unit_code = '46.B'").fetchall() == [
        ("Sở Văn hóa, Thể thao và Du lịch",)]


def test_an_empty_unit_name_is_refused(tmp_path, con):
    error = refused_registry(tmp_path, con, REGISTRY + "46.B,  ,department,46,2000,\n")
    assert error == "units/units.csv, row 4: unit_name is empty"


def test_a_huge_registry_field_is_named(tmp_path, con):
    error = refused_registry(tmp_path, con, REGISTRY + "46.B," + "x" * 200_000 + ",department,46,2000,\n")
    assert error == "units/units.csv, line 4: not readable CSV: field larger than field limit (131072)"


# --- what must keep working -------------------------------------------------------------

@pytest.mark.parametrize("root", [DEMO_DATA, FIXTURES / "mini"], ids=["demo", "mini"])
def test_the_demo_and_fixture_inputs_still_load(root):
    with duckdb.connect() as con:
        assert load.load_frameworks(con, root) == len(list((root / "frameworks").glob("*.yaml")))
        assert load.load_units(con, root) > 0
        # every framework with bands has a catch-all band
        assert con.execute("select count(*) from raw.rating_bands where min_pct = 0 and min_criterion_pct is null").fetchone()[0] \
            == con.execute("select count(distinct framework_code) from raw.rating_bands").fetchone()[0]
