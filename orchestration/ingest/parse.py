"""Pure functions that turn what agencies send into clean text and a known layout.

Nothing here touches the database or the file system; tests call them directly.
Typing of values (Vietnamese numbers, N/A spellings) happens in dbt staging, so the raw
tables keep exactly the text that was sent.
"""

import codecs
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

DELIMITERS = (",", ";", "\t")
LONG_COLUMNS = ("unit_code", "indicator_code", "value")
# Columns of a wide file that are not indicator codes.
WIDE_DESCRIPTIVE_COLUMNS = frozenset({"unit_name", "note"})
HEADER_SEARCH_ROWS = 20


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def decode(data: bytes) -> str:
    """Decode a text file as Vietnamese agencies save it, NFC-normalised.

    UTF-8 (with or without BOM) and UTF-16 with a BOM (Excel's "Unicode text") are
    recognised exactly; anything that is not valid UTF-8 is read as Windows-1258, the
    legacy Vietnamese code page, whose tone marks are combining characters that NFC
    composes into the precomposed letters used everywhere else.
    """
    if data.startswith(codecs.BOM_UTF8):
        return nfc(data[len(codecs.BOM_UTF8):].decode("utf-8"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return nfc(data.decode("utf-16"))
    try:
        return nfc(data.decode("utf-8"))
    except UnicodeDecodeError:
        return nfc(data.decode("cp1258"))


def is_clean_utf8(data: bytes) -> bool:
    """True when the bytes can be handed to DuckDB's reader as they are: UTF-8, NFC."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return unicodedata.is_normalized("NFC", text)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line the most (comma on a tie)."""
    return max(DELIMITERS, key=lambda d: (header_line.count(d), d == ","))


def normalise_header(cell: Any) -> str:
    return nfc(str(cell)).strip().lower() if cell is not None else ""


@dataclass(frozen=True)
class Layout:
    """Where the fields of a submission file are, by column position."""

    kind: str  # "long" or "wide"
    unit_column: int
    indicator_column: int | None = None  # long only
    value_column: int | None = None  # long only
    note_column: int | None = None  # long only
    indicator_columns: tuple[tuple[int, str], ...] = ()  # wide only: (position, code)


def detect_layout(header: list[Any]) -> Layout | None:
    """Recognise a long (`unit_code,indicator_code,value[,note]`) or wide
    (`unit_code[,unit_name],<indicator codes>…`) header; None when it is neither."""
    names = [normalise_header(cell) for cell in header]
    if "unit_code" not in names:
        return None
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    if all(column in position for column in LONG_COLUMNS):
        return Layout(
            kind="long",
            unit_column=position["unit_code"],
            indicator_column=position["indicator_code"],
            value_column=position["value"],
            note_column=position.get("note"),
        )
    indicators = tuple(
        (i, nfc(str(cell)).strip())
        for i, (cell, name) in enumerate(zip(header, names))
        if name and name != "unit_code" and name not in WIDE_DESCRIPTIVE_COLUMNS
    )
    if not indicators:
        return None
    return Layout(kind="wide", unit_column=position["unit_code"], indicator_columns=indicators)


def find_header_row(rows: list[list[Any]]) -> int | None:
    """Index of the first row naming `unit_code` (spreadsheets often carry a title above)."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(normalise_header(cell) == "unit_code" for cell in row):
            return i
    return None


def cell_text(value: Any) -> str | None:
    """A spreadsheet cell as the text a person sees: 417.3 stays `417.3`, not a binary
    float expansion, and whole numbers lose the `.0` Excel adds."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = nfc(str(value))
    return text if text.strip() else None


class _DecimalLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built in: ~7x faster
    """YAML loader that keeps `62.3` as Decimal('62.3') instead of a binary float."""


_DecimalLoader.add_constructor(
    "tag:yaml.org,2002:float",
    lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", "")),
)


def load_yaml(text: str) -> Any:
    return yaml.load(nfc(text), Loader=_DecimalLoader)
