"""Pure functions that turn what agencies send into clean text and a known layout.

Nothing here touches the database or the file system; tests call them directly.
Typing of values (Vietnamese numbers, N/A spellings) happens in dbt staging, so the raw
tables keep exactly the text that was sent.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

DELIMITERS = (",", ";", "\t")
LONG_COLUMNS = ("unit_code", "indicator_code", "value")
# A column saying the year of each row: checked against the year folder, never scored.
YEAR_COLUMNS = ("year", "năm")
# A column saying whose evaluation each row is (SPEC §3.3: self-assessment or appraisal):
# kept as sent, read in dbt staging.
STAGE_COLUMNS = ("stage", "giai đoạn", "giai_doan")
# Columns of a wide file that are not indicator codes.
WIDE_DESCRIPTIVE_COLUMNS = frozenset({"unit_name", "note", *YEAR_COLUMNS, *STAGE_COLUMNS})
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
    width: int  # fields of the header: a row with more is held back whole, never shifted
    year_column: int | None = None
    stage_column: int | None = None
    indicator_column: int | None = None  # long only
    value_column: int | None = None  # long only
    note_column: int | None = None  # long only
    indicator_columns: tuple[tuple[int, str], ...] = ()  # wide only: (position, code)


def detect_layout(header: list[Any]) -> Layout | None:
    """Recognise a long (`unit_code,indicator_code,value[,note]`) or wide
    (`unit_code[,unit_name],<indicator codes>…`) header, either with optional year and
    stage columns; None when it is neither."""
    names = [normalise_header(cell) for cell in header]
    if "unit_code" not in names:
        return None
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    def first_of(spellings: tuple[str, ...]) -> int | None:
        return next((position[name] for name in spellings if name in position), None)

    common = {"unit_column": position["unit_code"], "width": len(header),
              "year_column": first_of(YEAR_COLUMNS), "stage_column": first_of(STAGE_COLUMNS)}
    if all(column in position for column in LONG_COLUMNS):
        return Layout(
            kind="long",
            **common,
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
    return Layout(kind="wide", **common, indicator_columns=indicators)


def find_header_row(rows: list[list[Any]]) -> int | None:
    """Index of the first row naming `unit_code` (spreadsheets often carry a title above)."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(normalise_header(cell) == "unit_code" for cell in row):
            return i
    return None


def is_number_cell(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cell_text(value: Any, percent: bool = False) -> str | None:
    """A spreadsheet cell as the text a person sees: 417.3 stays `417.3`, not a binary
    float expansion (Excel shows 15 significant digits), whole numbers lose the `.0` Excel
    adds, no exponent (1.25E+15 is `1250000000000000`), and a cell formatted as a
    percentage is shown as one (0.95 is `95%`)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number_cell(value):
        number = Decimal(format(value, ".15g")) * (100 if percent else 1)
        text = format(number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + ("%" if percent else "")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = nfc(str(value))
    return text if text.strip() else None


# --- framework YAML -------------------------------------------------------------------

# An alias bomb is a few kB whose aliases expand to gigabytes: a document may grow through
# its aliases to this many nodes and characters, far above any real framework (2 MiB).
MAX_YAML_EXPANSION = 10_000_000
_INT = r"[-+]?(?:0|[1-9][0-9]*)"
_PLAIN_INT = re.compile(_INT)
_PLAIN_DECIMAL = re.compile(_INT + r"(?:\.[0-9]+)?")
# Unquoted text that looks like a number YAML 1.1 leaves as text: `0o17`, `1e3`.
_NUMBER_LOOKALIKE = re.compile(r"[-+]?(?:0[oO][0-7_]+|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+)")
_BOOLEANS = {"true": True, "false": False}


class YamlError(ValueError):
    """YAML that is refused; the message names the line, the caller adds the file."""


def _line(mark_holder: Any) -> str:
    return f"line {mark_holder.start_mark.line + 1}"


def _not_plain_number(node: yaml.Node) -> YamlError:
    return YamlError(
        f"{_line(node)}: {node.value!r} is not a plain decimal number like 30 or 62.3, and YAML "
        "would not read it as it looks: write the number plainly, or quote it if it is text"
    )


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built in: ~7x faster
    """Safe YAML loader that keeps numbers exact (`62.3` is Decimal('62.3'), `30` an int)
    and refuses what YAML 1.1 would silently read otherwise: a key given twice, numbers
    that are not plain decimals, and yes/no/on/off as booleans."""

    def construct_mapping(self, node, deep=False):
        first: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                seen = first.setdefault(key, key_node)
            except TypeError:  # an unhashable key: the base class refuses it
                continue
            if seen is not key_node:
                raise YamlError(f"{_line(key_node)}: key {key!r} is given twice (first on {_line(seen)})")
        return super().construct_mapping(node, deep)

    def construct_int(self, node):
        if not _PLAIN_INT.fullmatch(self.construct_scalar(node)):
            raise _not_plain_number(node)
        return int(node.value)

    def construct_decimal(self, node):
        if not _PLAIN_DECIMAL.fullmatch(self.construct_scalar(node)):
            raise _not_plain_number(node)
        return Decimal(node.value)

    def construct_bool(self, node):
        word = self.construct_scalar(node).lower()
        if word not in _BOOLEANS:
            raise YamlError(f"{_line(node)}: {node.value!r} would be read as a boolean: write true "
                            "or false, or quote it if it is text")
        return _BOOLEANS[word]

    def construct_text(self, node):
        text = self.construct_scalar(node)
        if not node.style and _NUMBER_LOOKALIKE.fullmatch(text):  # plain (unquoted) only
            raise _not_plain_number(node)
        return text


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_decimal)
_StrictLoader.add_constructor("tag:yaml.org,2002:bool", _StrictLoader.construct_bool)
_StrictLoader.add_constructor("tag:yaml.org,2002:str", _StrictLoader.construct_text)


def _check_expansion(text: str) -> None:
    """Refuse a document that its aliases expand past MAX_YAML_EXPANSION. Counting alias
    uses would not do: 90 aliases in 10 levels of 9 expand to 9**10 nodes."""
    if "&" not in text or "*" not in text:  # no anchor or no alias: nothing to expand
        return
    anchored: dict[str, int] = {}  # anchor -> expanded size
    open_collections: list[list] = []  # [anchor, expanded size so far]
    for event in yaml.parse(text, Loader=_StrictLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            open_collections.append([event.anchor, 1])
            continue
        if isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1 + len(event.value)
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_collections.pop()
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, anchored.get(event.anchor, 1)
        else:
            continue
        if size > MAX_YAML_EXPANSION:
            raise YamlError(f"{_line(event)}: aliases expand the document past {MAX_YAML_EXPANSION:,} "
                            "nodes and characters (an alias bomb?)")
        if anchor:
            anchored[anchor] = size
        if open_collections:
            open_collections[-1][1] += size


def load_yaml(text: str) -> Any:
    """A framework document, NFC-normalised. Raises YamlError (naming the line) for what
    _StrictLoader refuses and for an alias bomb, yaml.YAMLError for a syntax error."""
    text = nfc(text)
    _check_expansion(text)
    return yaml.load(text, Loader=_StrictLoader)
