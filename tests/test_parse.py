"""The pure functions of ingestion: decoding, delimiters, layouts, spreadsheet cells."""

import codecs
import unicodedata
from decimal import Decimal

import pytest
from conftest import to_cp1258

from orchestration.ingest import parse

HUE = "Thừa Thiên Huế"


@pytest.mark.parametrize(
    "data",
    [
        HUE.encode("utf-8"),
        codecs.BOM_UTF8 + HUE.encode("utf-8"),
        HUE.encode("utf-16"),  # with BOM, as Excel's "Unicode text"
        codecs.BOM_UTF16_BE + HUE.encode("utf-16-be"),
        unicodedata.normalize("NFD", HUE).encode("utf-8"),  # decomposed (macOS)
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "utf8-nfd"],
)
def test_decode_gives_nfc_text(data):
    assert parse.decode(data) == HUE


def test_decode_windows_1258_with_combining_tone_marks():
    data = to_cp1258(HUE)
    assert b"\xfd\xcc" in data  # ừ is written as ư (0xFD) then a combining grave (0xCC)
    assert parse.decode(data) == HUE


def test_is_clean_utf8():
    assert parse.is_clean_utf8(HUE.encode("utf-8"))
    assert parse.is_clean_utf8(codecs.BOM_UTF8 + HUE.encode("utf-8"))
    assert not parse.is_clean_utf8(unicodedata.normalize("NFD", HUE).encode("utf-8"))
    assert not parse.is_clean_utf8(HUE.encode("utf-16"))


@pytest.mark.parametrize(
    "line, delimiter",
    [("unit_code,indicator_code,value", ","), ("unit_code;HT.1;HT.2", ";"),
     ("unit_code\tHT.1", "\t"), ("unit_code", ",")],
)
def test_sniff_delimiter(line, delimiter):
    assert parse.sniff_delimiter(line) == delimiter


def test_detect_long_layout_in_any_column_order():
    layout = parse.detect_layout(["Value", " unit_code", "note", "INDICATOR_CODE"])
    assert (layout.kind, layout.unit_column, layout.indicator_column, layout.value_column, layout.note_column) == (
        "long", 1, 3, 0, 2)


def test_detect_wide_layout_keeps_indicator_codes_as_written():
    layout = parse.detect_layout(["unit_code", "unit_name", "HT.1", "DVC.2", ""])
    assert layout.kind == "wide"
    assert layout.indicator_columns == ((2, "HT.1"), (3, "DVC.2"))


@pytest.mark.parametrize("header", [["mã đơn vị", "giá trị"], ["unit_code"], ["unit_code", "unit_name"], []])
def test_unrecognised_headers(header):
    assert parse.detect_layout(header) is None


def test_find_header_row_under_a_title():
    rows = [["Biểu mẫu tự đánh giá năm 2018", None], [None, None], ["unit_code", "HT.1"], ["46.SYT", 1]]
    assert parse.find_header_row(rows) == 2
    assert parse.find_header_row([["no"], ["header"]]) is None


@pytest.mark.parametrize(
    "cell, text",
    [(417.3, "417.3"), (105.0, "105"), (0.1 + 0.2, "0.3"), (3, "3"), (True, "true"),
     ("  ", None), (None, None), ("có", "có")],
)
def test_cell_text_reads_as_a_person_sees_it(cell, text):
    assert parse.cell_text(cell) == text


def test_yaml_numbers_stay_exact_decimals():
    doc = parse.load_yaml("max: 62.3\nsteps: [[0.1, 5]]\nyears: [2018]\nevaluator: '33'")
    assert doc == {"max": Decimal("62.3"), "steps": [[Decimal("0.1"), 5]], "years": [2018], "evaluator": "33"}


@pytest.mark.parametrize("name", ["stage", " Stage ", "giai đoạn", "Giai Đoạn", "giai_doan",
                                  unicodedata.normalize("NFD", "giai đoạn")])
def test_detect_a_stage_column_in_either_layout(name):
    long = parse.detect_layout(["unit_code", "indicator_code", name, "value", "note"])
    assert (long.kind, long.stage_column, long.value_column, long.note_column) == ("long", 2, 3, 4)
    wide = parse.detect_layout(["unit_code", "unit_name", name, "HT.1", "HT.2"])
    assert (wide.kind, wide.stage_column) == ("wide", 2)
    assert wide.indicator_columns == ((3, "HT.1"), (4, "HT.2"))  # the stage is never an indicator


def test_a_layout_without_a_stage_column_has_none():
    assert parse.detect_layout(["unit_code", "indicator_code", "value"]).stage_column is None
    assert parse.detect_layout(["unit_code", "HT.1"]).stage_column is None


@pytest.mark.parametrize("header", [["unit_code", "stage"], ["unit_code", "unit_name", "giai đoạn", "năm"]])
def test_a_wide_header_of_descriptive_columns_only_is_unrecognised(header):
    assert parse.detect_layout(header) is None
