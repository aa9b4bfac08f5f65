"""Files under EGOV_DATA_DIR into the warehouse's `raw` schema.

Bulk data goes through DuckDB's own CSV reader (or calamine for XLSX) as cells whose
columns we name ourselves (c0, c1, …); each file's header only decides, in Python, which
of those columns means what, and reaches SQL as bound parameters. Thousands of files are
read by a handful of statements (see _Group). No input text is ever pasted into SQL.
"""

import csv
import io
import re
import sys
import tempfile
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..partitions import plausible_year
from . import frameworks, parse, xlsx

RAW_DDL = {
    "units": """
        unit_code varchar, unit_name varchar, unit_type varchar, parent_code varchar,
        valid_from varchar, valid_to varchar, source_file varchar, row_number integer""",
    "lineage": "predecessor_code varchar, successor_code varchar, year integer, source_file varchar, row_number integer",
    "frameworks": """
        framework_code varchar, title varchar, evaluator varchar, unit_type varchar,
        source_file varchar, peer_group varchar""",
    "framework_years": "framework_code varchar, year integer",
    "framework_units": "framework_code varchar, unit_code varchar",
    "rating_bands": """
        framework_code varchar, band_order integer, label varchar,
        min_pct decimal(9, 4), min_criterion_pct decimal(9, 4)""",
    "criteria": """
        framework_code varchar, criterion_order integer, criterion_code varchar,
        criterion_name varchar, max_points decimal(18, 4), required_for_rank boolean,
        parent_criterion_code varchar, level integer, height integer""",
    "indicators": """
        framework_code varchar, criterion_code varchar, indicator_order integer,
        indicator_code varchar, indicator_name varchar, max_points decimal(18, 4),
        rule_type varchar, full_at decimal(38, 6), unit varchar""",
    "indicator_steps": "framework_code varchar, indicator_code varchar, threshold decimal(38, 6), points decimal(18, 4)",
    "pillars": "framework_code varchar, pillar_order integer, pillar_code varchar, pillar_name varchar",
    "pillar_criteria": "framework_code varchar, pillar_code varchar, criterion_code varchar",
    "submissions": """
        year integer, source_file varchar, row_number integer, unit_code varchar,
        indicator_code varchar, value_text varchar, note varchar,
        value_type varchar, row_year varchar, row_problem varchar, stage varchar""",
    "file_issues": """
        year integer, source_file varchar, row_number integer, unit_code varchar,
        indicator_code varchar, severity varchar, reason varchar""",
    # the digest of the framework files the framework tables were loaded from
    "frameworks_digest": "digest varchar",
}
FRAMEWORKS_DIGEST = "frameworks_digest"

# the raw tables of frameworks/*.yaml (frameworks.flatten gives their rows), described
FRAMEWORK_TABLES = {
    "frameworks": "Evaluation frameworks, one per frameworks/*.yaml, with their peer group.",
    "framework_years": "The years each framework evaluates.",
    "framework_units": "The units a framework names (`units`); none: every unit of its unit_type.",
    "rating_bands": "Rating bands, highest first (none where the evaluator publishes no band).",
    "criteria": "Criteria at every level, with their maxima, parents, levels and heights.",
    "indicators": "Indicators and their scoring rules.",
    "indicator_steps": "Thresholds and points of `steps` rules.",
    "pillars": "Pillars: named sets of top-level criteria, scored and ranked on their own.",
    "pillar_criteria": "The top-level criteria of each pillar.",
}
REGISTRY_COLUMNS = ("unit_code", "unit_name", "unit_type", "parent_code", "valid_from", "valid_to")
# The marts join lists of unit names in one text column with " | " (dbt macro list_separator;
# names hold ", ": "Sở Văn hóa, Thể thao và Du lịch"), so no unit name may hold a "|": splitting
# a list on the separator then gives back its names, exactly.
LIST_SEPARATOR = " | "
LIST_MARK = "|"
LINEAGE_COLUMNS = ("predecessor_code", "successor_code", "year")
SUBMISSION_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}

# Files past these limits are refused with a reason instead of exhausting memory: a whole
# province's submissions for a year are a few MB; a workbook's parts are read unzipped.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_XLSX_UNZIPPED_BYTES = 256 * 1024 * 1024
# Loading statements run two at a time (two cores); chunks are cut at this many records
# so that the biggest kind of file does not leave one statement the last to run alone.
STATEMENTS_AT_ONCE = 2
CHUNK_RECORDS = 200_000
MAX_REASON_CHARS = 500  # a reader's message may quote a whole (huge) line


class ChunkMismatch(ValueError):
    """DuckDB's reader found another number of records in a chunk than its files have lines."""


# What reading a file may raise when the file is bad (DuckDB's CSV errors come as several
# classes, some as the base class); the statement's own mistakes are ours, never a file's.
READ_ERRORS = (duckdb.Error, ChunkMismatch)
OUR_ERRORS = (duckdb.BinderException, duckdb.ParserException, duckdb.CatalogException)
BLANK_LINE = re.compile(r"\n[ \t]*(?=\r?\n)")


class RegistryError(ValueError):
    """The unit registry cannot be used; the message names the file and the field."""


def _column_definitions(table: str) -> list[str]:
    """RAW_DDL's columns of `table`, each `name type`, in order (a comma inside a type's
    parentheses, as in `decimal(9, 4)`, does not end a column)."""
    return [column.strip() for column in re.split(r",(?![^(]*\))", RAW_DDL[table])]


def _create_or_upgrade(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """raw.<table> as RAW_DDL lists it; a table from a warehouse made before a column
    was added (raw.submissions before `stage`) gains the missing columns, null in its rows."""
    con.execute(f"create table if not exists raw.{table} ({RAW_DDL[table]})")
    for column in _column_definitions(table):
        con.execute(f"alter table raw.{table} add column if not exists {column}")


def recreate(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    con.execute("create schema if not exists raw")
    for table in tables:
        con.execute(f"create or replace table raw.{table} ({RAW_DDL[table]})")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Append Python rows to raw.<table> in one statement (executemany costs ~1 ms a row).

    Every value travels as text, and DuckDB casts it to the column's type on insert: a
    Decimal keeps its digits, which a float column in a frame would not.
    """
    if not rows:
        return
    import pandas as pd

    frame = pd.DataFrame(
        {f"c{i}": [None if v is None else str(v) for v in column] for i, column in enumerate(zip(*rows))},
        dtype=object,
    )
    con.register("python_rows", frame)
    try:
        con.execute(f"insert into raw.{table} select * from python_rows")
    finally:
        con.unregister("python_rows")


def relative_name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def inside(path: Path, root: Path) -> bool:
    """False for a symlink (or anything) that resolves outside the input root."""
    return path.resolve().is_relative_to(root.resolve())


# --- registry -------------------------------------------------------------------------

def load_units(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    """The registry, units/units.csv, and its lineage, units/lineage.csv (optional), both
    checked before either is written. Returns the number of registry rows."""
    units_path = data_dir / "units" / "units.csv"
    source = relative_name(units_path, data_dir)
    if not units_path.is_file():
        raise RegistryError(f"{source}: the unit registry is missing")
    rows = _read_csv(units_path, source)
    if not rows:
        raise RegistryError(f"{source}: the unit registry is empty")
    records = _records(rows, REGISTRY_COLUMNS, source)
    for record in records:
        _check_unit(record)
    _check_registry(records)
    lineage = _load_lineage(data_dir, records)
    recreate(con, "units", "lineage")
    insert_rows(con, "units", records)
    insert_rows(con, "lineage", lineage)
    return len(records)


def _read_csv(path: Path, source: str) -> list[list[str]]:
    text = parse.decode(path.read_bytes())
    # As the csv module reads: lines end at \n or \r only (not U+2028 …), a quoted field may hold one.
    header_line = io.StringIO(text, newline="").readline()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=parse.sniff_delimiter(header_line))
    try:
        return list(reader)
    except csv.Error as error:  # a field over the csv module's 128 kB limit
        raise RegistryError(f"{source}, line {reader.line_num}: not readable CSV: {error}") from error


def _records(rows: list[list[str]], columns: tuple[str, ...], source: str) -> list[tuple]:
    """The named columns of every non-blank row after the header, stripped (empty: None),
    then the file and the row's number (the header is row 1)."""
    header = [parse.normalise_header(cell) for cell in rows[0]]
    missing = [column for column in columns if column not in header]
    if missing:
        raise RegistryError(f"{source}: missing column(s) {', '.join(missing)} in the header")
    at = [header.index(column) for column in columns]
    return [
        tuple((row[i].strip() or None) if i < len(row) else None for i in at) + (source, n)
        for n, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]


def _check_unit(record: tuple) -> None:
    """One registry row: codes that can name files, a printable name, years as ASCII digits
    (DuckDB's cast would fail on `２０１８` naming no file)."""
    code, name, unit_type, parent, valid_from, valid_to, source, row = record
    where = f"{source}, row {row}"
    for field, value in (("unit_code", code), ("unit_name", name), ("unit_type", unit_type)):
        if value is None:
            raise RegistryError(f"{where}: {field} is empty")
    for field, value in (("unit_code", code), ("parent_code", parent)):
        if value is not None and not frameworks.CODE.fullmatch(value):
            raise RegistryError(f"{where}: {field} {frameworks.show(value)} is not a code ({frameworks.CODE_RULE})")
    character = frameworks.hidden_character(name)
    if character is not None:
        raise RegistryError(f"{where}: unit_name contains the control or invisible character U+{ord(character):04X}")
    if LIST_MARK in name:
        raise RegistryError(f"{where}: unit_name {name!r} contains {LIST_MARK!r}, which separates the names "
                            f"in the marts' lists ({LIST_SEPARATOR!r})")
    if unit_type.lower() not in frameworks.UNIT_TYPES:
        raise RegistryError(f"{where}: unit_type {unit_type!r} is not one of {sorted(frameworks.UNIT_TYPES)}")
    for field, value in (("valid_from", valid_from), ("valid_to", valid_to)):
        if value is not None and plausible_year(value) is None:
            raise RegistryError(f"{where}: {field} {frameworks.show(value)} is not a year "
                                f"({frameworks.FIRST_YEAR} to {frameworks.LAST_YEAR})")
    if valid_from and valid_to and int(valid_from) > int(valid_to):
        raise RegistryError(f"{where}: valid_from {valid_from} is after valid_to {valid_to}")


def _check_registry(records: list[tuple]) -> None:
    """Across rows: the rows of one unit_code cover years that do not overlap (SPEC §3.1),
    and a parent_code is a unit_code of the registry."""
    codes = {record[0] for record in records}
    for _, _, _, parent, _, _, source, row in records:
        if parent is not None and parent not in codes:
            raise RegistryError(f"{source}, row {row}: parent_code {parent!r} is not a unit_code of the registry")

    def years(record: tuple) -> tuple[int, int]:  # empty: open
        return int(record[4] or 0), int(record[5] or 9999)

    # Sorted by code and first year: when two rows of a code overlap, some row overlaps the one before it.
    ordered = sorted(records, key=lambda r: (r[0], years(r)))
    for before, record in zip(ordered, ordered[1:]):
        if before[0] == record[0] and years(record)[0] <= years(before)[1]:
            first, second = sorted((before, record), key=lambda r: r[7])
            raise RegistryError(
                f"{record[6]}, rows {first[7]} and {second[7]}: unit_code {record[0]!r} is valid in overlapping "
                f"years ({first[4] or '…'}–{first[5] or '…'} and {second[4] or '…'}–{second[5] or '…'})"
            )


def _load_lineage(data_dir: Path, units: list[tuple]) -> list[tuple]:
    """units/lineage.csv (SPEC §3.1): from `year` on, the successor carries on the
    predecessor. Each row names units of the registry, the predecessor valid the year
    before and the successor valid that year, both of one unit_type; no row is given twice,
    and within a year the rows (other than a unit carrying on itself) form no cycle. An
    error names the file, the line and the field."""
    path = data_dir / "units" / "lineage.csv"
    if not path.exists():
        return []
    source = relative_name(path, data_dir)
    if not path.is_file() or not inside(path, data_dir):
        raise RegistryError(f"{source}: not a regular file inside the input root")
    rows = _read_csv(path, source)
    if not rows:
        raise RegistryError(f"{source}: the file is empty (a header predecessor_code,successor_code,year is needed)")
    records = _records(rows, LINEAGE_COLUMNS, source)
    by_code: dict[str, list[tuple]] = {}
    for unit in units:
        by_code.setdefault(unit[0], []).append(unit)
    seen: dict[tuple, int] = {}
    for predecessor, successor, year, _, line in records:
        where = f"{source}, line {line}"
        for field, value in (("predecessor_code", predecessor), ("successor_code", successor), ("year", year)):
            if value is None:
                raise RegistryError(f"{where}, field {field}: empty")
        if plausible_year(year) is None:
            raise RegistryError(f"{where}, field year: {frameworks.show(year)} is not a year "
                                f"({frameworks.FIRST_YEAR} to {frameworks.LAST_YEAR})")
        types = []
        for field, code, valid_in in (("predecessor_code", predecessor, int(year) - 1),
                                      ("successor_code", successor, int(year))):
            if not frameworks.CODE.fullmatch(code):
                raise RegistryError(f"{where}, field {field}: {frameworks.show(code)} is not a code ({frameworks.CODE_RULE})")
            row = _valid_row(by_code.get(code, ()), valid_in)
            if row is None:
                raise RegistryError(f"{where}, field {field}: {code!r} is not a unit of the registry valid in {valid_in}")
            types.append(row[2].lower())
        if types[0] != types[1]:
            raise RegistryError(f"{where}, field successor_code: {successor!r} is a {types[1]} in {year}, "
                                f"its predecessor {predecessor!r} a {types[0]} in {int(year) - 1}")
        key = (predecessor, successor, int(year))
        if key in seen:
            raise RegistryError(f"{where}: the same row as line {seen[key]}")
        seen[key] = line
    _check_no_cycle(seen, source)
    return records


def _valid_row(rows: list[tuple], year: int) -> tuple | None:
    """The one of a code's registry rows valid in `year` (they do not overlap), if any."""
    return next((row for row in rows if int(row[4] or year) <= year <= int(row[5] or year)), None)


def _check_no_cycle(rows: dict[tuple, int], source: str) -> None:
    """Within one year, following predecessor → successor (a unit carrying on itself
    aside) never comes back to where it started: `A,B,2025` with `B,A,2025` says each
    carries on the other. Kahn's algorithm: what cannot be peeled off from the units no
    row leads to lies on a cycle."""
    edges = [(p, s, year, line) for (p, s, year), line in rows.items() if p != s]
    for year in sorted({year for _, _, year, _ in edges}):
        left = [(p, s, line) for p, s, y, line in edges if y == year]
        while True:
            targets, sources = {s for _, s, _ in left}, {p for p, _, _ in left}
            # an edge off a cycle leaves a unit no edge reaches, or reaches one no edge leaves
            kept = [edge for edge in left if edge[0] in targets and edge[1] in sources]
            if len(kept) == len(left):
                break
            left = kept
        if left:
            lines = ", ".join(str(line) for line in sorted(line for _, _, line in left))
            units = ", ".join(sorted({p for p, _, _ in left}))
            raise RegistryError(f"{source}, lines {lines}, field successor_code: the rows of {year} "
                                f"form a cycle through {units}")


# --- frameworks -----------------------------------------------------------------------

def load_frameworks(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    """Every framework file checked and flattened into the raw framework tables. When the
    files (names and bytes) and the code that reads them are those of the tables already
    loaded, the tables are kept as they are: parsing hundreds of YAML files is most of a
    small run's ingest."""
    folder = data_dir / "frameworks"
    paths = sorted(p for p in folder.glob("*.y*ml") if inside(p, data_dir)) if folder.is_dir() else []
    contents = []
    for path in paths:
        source = relative_name(path, data_dir)
        size = path.stat().st_size if path.is_file() else 0
        if size > frameworks.MAX_FILE_BYTES:
            raise frameworks.FrameworkError(
                f"{source}: file of {size} bytes is over the {frameworks.MAX_FILE_BYTES} bytes limit")
        contents.append((source, path.read_bytes()))
    digest = _frameworks_digest(contents)
    if digest == _loaded_frameworks_digest(con):
        return con.execute("select count(*) from raw.frameworks").fetchall()[0][0]
    rows: dict[str, list[tuple]] = {table: [] for table in FRAMEWORK_TABLES}
    for source, content in contents:
        try:
            doc = parse.load_yaml(parse.decode(content))
        except parse.YamlError as error:
            raise frameworks.FrameworkError(f"{source}: {error}") from error
        except Exception as error:  # a YAML syntax error names the line itself
            raise frameworks.FrameworkError(f"{source}: not readable YAML: {error}") from error
        for table, table_rows in frameworks.flatten(doc, source).items():
            rows[table].extend(table_rows)
    frameworks.check_unique_claims(rows)
    recreate(con, *FRAMEWORK_TABLES, FRAMEWORKS_DIGEST)
    for table in FRAMEWORK_TABLES:
        insert_rows(con, table, rows[table])
    con.execute(f"insert into raw.{FRAMEWORKS_DIGEST} values ($digest)", {"digest": digest})
    return len(rows["frameworks"])


def _frameworks_digest(contents: list[tuple[str, bytes]]) -> str:
    """A digest of the framework files and of the code that turns them into rows."""
    import hashlib

    digest = hashlib.sha256()
    for module in (frameworks, parse, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    for source, content in contents:
        digest.update(f"\0{source}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _loaded_frameworks_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    """The digest of the framework tables in the warehouse; None when one is missing."""
    tables = {name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
    if not {FRAMEWORKS_DIGEST, *FRAMEWORK_TABLES} <= tables:
        return None
    rows = con.execute(f"select digest from raw.{FRAMEWORKS_DIGEST}").fetchall()
    return rows[0][0] if len(rows) == 1 else None


# --- submissions ----------------------------------------------------------------------

@dataclass(frozen=True)
class FileIssue:
    year: int | None
    source_file: str
    reason: str
    row_number: int | None = None
    severity: str = "error"

    def as_row(self) -> tuple:
        return (self.year, self.source_file, self.row_number, None, None, self.severity, self.reason)


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _unreadable(error: Exception) -> str:
    reason = f"unreadable file: {type(error).__name__}: {error}"
    return reason if len(reason) <= MAX_REASON_CHARS else reason[:MAX_REASON_CHARS - 1] + "…"


def shown_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (what unzipping a Windows archive
    gives) shown as escapes, so the name can be stored and read in a message."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _not_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def submission_files(data_dir: Path) -> list[tuple[int, Path]]:
    """(year, path) of every submission file, sorted so runs do not depend on listing order."""
    return scan_submissions(data_dir)[0]


def scan_submissions(data_dir: Path) -> tuple[list[tuple[int, Path]], list[FileIssue]]:
    """The submission files, and an issue for everything else under submissions/: nothing
    there is passed over in silence. Files outside a plausible year folder, in a format
    other than CSV or XLSX (`.xls`, `.ods`), with a name that is not UTF-8, or leading
    outside the input root are not read, each with the reason."""
    root = data_dir / "submissions"
    if not root.is_dir():
        return [], []
    found: list[tuple[int, Path]] = []
    unread: list[FileIssue] = []
    for entry in sorted(root.iterdir()):
        year = plausible_year(entry.name) if entry.is_dir() else None
        if year is None:
            what = f"folder {shown_name(entry.name)!r} is not a year" if entry.is_dir() else "not in a year folder"
            unread.append(FileIssue(None, shown_name(relative_name(entry, data_dir)),
                                    f"{what} (submissions/<year>/, four digits): not read"))
            continue
        for path in sorted(entry.rglob("*")):
            if path.is_dir():
                continue
            source = relative_name(path, data_dir)
            reason = None
            if not inside(path, data_dir):
                reason = "leads outside the input root: not read"
            elif _not_utf8(source):
                reason = "the file name is not valid UTF-8 (as unzipping a Windows archive gives): rename it; not read"
            elif path.suffix.lower() not in SUBMISSION_SUFFIXES:
                reason = (f"{path.suffix or 'a file without an extension'} is not a submission format: "
                          "save it as CSV or XLSX; not read")
            if reason:
                unread.append(FileIssue(year, shown_name(source), reason))
            else:
                found.append((year, path))
    return found, unread


# Files are read by a few statements, not one per file: every file of a kind and layout kind
# (long or wide) is read together, each keeping its own column positions. Text files whose
# lines are records are concatenated into one chunk per delimiter, whose records are counted
# in Python and so attributed to their files; other text files go to DuckDB's reader as a
# list of files; workbooks become one frame of cells.
CHUNK, FILES, WORKBOOK = "chunk", "files", "workbook"


class _Group:
    """Files read by one statement into cells (file_index, row_number, c0, c1, …)."""

    def __init__(self, kind: str, layout_kind: str, delimiter: str | None, scratch: Path):
        self.kind, self.layout_kind, self.delimiter = kind, layout_kind, delimiter
        self.width = 0  # cells per row: the widest file's
        self.years: list[int] = []
        self.sources: list[str] = []
        self.origins: list[Path] = []  # the files as sent
        self.layouts: list[parse.Layout] = []
        self.paths: list[str] = []  # FILES: what DuckDB reads (the file, or a clean UTF-8 copy)
        self.rows: list[tuple] = []  # WORKBOOK: (file index, row_number, fields, cells, types)
        self.chunk = scratch / f"chunk-{id(self)}.csv"  # CHUNK: the files' records, one after another
        self.spans: list[tuple[int, int, int]] = []  # CHUNK: (file index, its first record, records)
        self.records = 0  # CHUNK: in all

    def add(self, year: int, source: str, origin: Path, layout: parse.Layout, width: int) -> int:
        self.years.append(year)
        self.sources.append(source)
        self.origins.append(origin)
        self.layouts.append(layout)
        self.width = max(self.width, width)
        return len(self.sources) - 1

    def add_text(self, body: str) -> None:
        """Append the records of the file added last to the chunk."""
        if body and not body.endswith("\n"):
            body += "\n"
        count = body.count("\n")
        if count:
            self.spans.append((len(self.sources) - 1, self.records + 1, count))
            self.records += count
            with open(self.chunk, "a", encoding="utf-8", newline="") as out:
                out.write(body)

    def frame_rows(self, width: int) -> list[list]:
        """WORKBOOK: each row as [file index, row_number, fields, c0…, t0…], `width` cells."""
        padding = [None] * width
        return [[index, row_number, fields, *(cells + padding)[:width], *(types + padding)[:width]]
                for index, row_number, fields, cells, types in self.rows]

    def single(self, i: int, scratch: Path) -> "_Group":
        """File i alone, read by DuckDB's reader as a file."""
        single = _Group(FILES, self.layout_kind, self.delimiter, scratch)
        single.add(self.years[i], self.sources[i], self.origins[i], self.layouts[i], self.width)
        _, _, text, _ = _read_text(self.origins[i])
        single.paths.append(str(_readable_copy(self.origins[i], text, scratch / f"single-{id(single)}.csv")))
        return single

    def positions(self) -> dict[str, list]:
        """Each file's column positions (1-based, for DuckDB lists), bound as parameters."""
        def at(column: int | None) -> int | None:
            return None if column is None else column + 1

        common = {
            "unit": [at(layout.unit_column) for layout in self.layouts],
            "year": [at(layout.year_column) for layout in self.layouts],
            "stage": [at(layout.stage_column) for layout in self.layouts],
            "width": [layout.width for layout in self.layouts],
        }
        if self.layout_kind == "long":
            return common | {
                "indicator": [at(layout.indicator_column) for layout in self.layouts],
                "value": [at(layout.value_column) for layout in self.layouts],
                "note": [at(layout.note_column) for layout in self.layouts],
            }
        return common | {
            "cells": [[at(i) for i, _ in layout.indicator_columns] for layout in self.layouts],
            "codes": [[code for _, code in layout.indicator_columns] for layout in self.layouts],
        }


def _read_text(path: Path) -> tuple[str, list[str], str, list[tuple[int, str]]]:
    """(delimiter, header, text, rows held back) of a delimited text file: decoded, NFC,
    blank lines made empty records (DuckDB would skip them, shifting the row numbers), and
    rows whose quote is never closed made empty too (see _open_quotes)."""
    text = parse.decode(path.read_bytes())
    header_line = text.split("\n", 1)[0]
    delimiter = parse.sniff_delimiter(header_line)
    header = next(csv.reader(io.StringIO(header_line), delimiter=delimiter), [])
    text, held_back = _open_quotes(text, delimiter, header)
    return delimiter, header, BLANK_LINE.sub("\n" + delimiter, text), held_back


def _open_quotes(text: str, delimiter: str, header: list[str]) -> tuple[str, list[tuple[int, str]]]:
    """Rows whose quote is not closed on them, when that quote swallowed the rows below it.

    A quoted field may hold a line break (a note written on two lines), but a record that
    spans lines and has more fields than its header, or a line break in any field but the
    note, is rows run together by an unterminated quote: the units below would lose their
    values. Each line of such a record is then read on its own, and the lines whose quotes
    do not close are held back whole: (row number, the line as written), the line emptied.
    """
    if '"' not in text:
        return text, []
    layout = parse.detect_layout(header)
    note = layout.note_column if layout else None
    lines = text.split("\n")
    swallowed: list[int] = []  # 0-based line indexes of records run together
    reader = csv.reader((line + "\n" for line in lines), delimiter=delimiter)
    first = 0
    for fields in reader:
        if reader.line_num - first > 1 and (
            len(fields) > len(header) or any("\n" in f for i, f in enumerate(fields) if i != note)
        ):
            swallowed.extend(range(first, reader.line_num))
        first = reader.line_num
    held_back = []
    for i in swallowed:
        if lines[i].count('"') % 2:
            held_back.append((i + 1, lines[i].rstrip("\r")))
            lines[i] = ""
    return "\n".join(lines), held_back


def _concatenable(text: str) -> bool:
    """Every line is one record: no bare carriage return, and no line with an odd number of
    quotes (a quoted field open across a line break; quotes inside a field are doubled)."""
    if "\r" in text.replace("\r\n", ""):
        return False
    return '"' not in text or not any(line.count('"') % 2 for line in text.split("\n"))


def _readable_copy(path: Path, text: str, copy: Path) -> Path:
    """The file itself when DuckDB can read it as sent; otherwise a clean UTF-8 copy."""
    data = path.read_bytes()
    if parse.is_clean_utf8(data) and text == parse.decode(data):
        return path
    copy.write_text(text, encoding="utf-8")
    return copy


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n} bytes"


def _check_xlsx_size(path: Path) -> None:
    """Refuse a workbook whose parts unzip to more than the limit (a zip bomb)."""
    with zipfile.ZipFile(path) as archive:
        unzipped = sum(member.file_size for member in archive.infolist())
    if unzipped > MAX_XLSX_UNZIPPED_BYTES:
        raise ValueError(f"the workbook unzips to {_size(unzipped)}, over the {_size(MAX_XLSX_UNZIPPED_BYTES)} limit")


def _read_workbook(path: Path) -> tuple[list[str], list[tuple]]:
    """(header, (row_number, fields, cells, types) per row below it) of a workbook's first
    sheet: cells as text as shown, `fields` up to the last filled cell, types 'number' for
    numeric cells. The header ends at its last filled cell."""
    from python_calamine import CalamineWorkbook

    _check_xlsx_size(path)
    sheet = xlsx.inspect(path)
    # the sheet from A1 (not from its first filled cell), so row numbers are the sheet's
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    at = parse.find_header_row(rows)
    if at is None:
        return [], []
    header = [parse.cell_text(cell) or "" for cell in rows[at]]
    while header and not header[-1].strip():
        header.pop()
    cells = []
    for i, row in enumerate(rows[at + 1:], start=at + 1):
        texts = [parse.cell_text(cell, (i, j) in sheet.percent_cells) for j, cell in enumerate(row)]
        filled = [j for j, text in enumerate(texts) if text is not None]
        types = ["number" if parse.is_number_cell(cell) else None for cell in row]
        cells.append((i + 1, filled[-1] + 1 if filled else 0, texts, types))
    return header, cells


# An empty field is read as '' and a field the row does not have as null (`nullstr` is a
# text no file holds), so a row's fields can be counted.
_READ_OPTIONS = """delim = $delim, header = false, columns = $columns, quote = '"', escape = '"',
                   null_padding = true, strict_mode = false, auto_detect = false,
                   nullstr = '\x01\x02'"""

# Row numbers count records from the header (line 1) of each file, in the reader's order.
# DuckDB's parallel reader refuses quoted line breaks: files that have them are read serially.
_CELLS = {
    CHUNK: f"""
        select f.file_index, (c.rn - f.first_rn + 2)::integer as row_number, c.* exclude (rn)
        from (select row_number() over () as rn, * from read_csv($chunk, {_READ_OPTIONS})) as c
        join (select file_index, first_rn, unnest(range(first_rn, first_rn + records)) as rn
              from (select unnest($file_indexes) as file_index, unnest($firsts) as first_rn,
                           unnest($records) as records)) as f
        using (rn)""",
    FILES: f"""
        select file_index::bigint as file_index,
               (rn - min(rn) over (partition by file_index) + 2)::integer as row_number,
               * exclude (file_index, rn)
        from (select file_index, row_number() over () as rn, *
              from read_csv($paths, skip = 1, parallel = false, {_READ_OPTIONS}))""",
}


def _cells(kind: str, columns: list[str]) -> str:
    """Per row: its file `f`, row number, how many fields it has, its cells as read (`raw`),
    with empty cells null (`v`), and their types (`t`)."""
    listed = ", ".join(columns)
    if kind == WORKBOOK:
        types = ", ".join(f"t{i}" for i in range(len(columns)))
        return f"""select file_index + 1 as f, row_number, fields, [{listed}] as raw, raw as v,
                          [{types}] as t
                   from workbook_cells"""
    nulled = ", ".join(f"nullif({column}, '')" for column in columns)
    return f"""select file_index + 1 as f, row_number, list_count(raw) as fields, raw,
                      [{nulled}] as v, cast(null as varchar[]) as t
               from (select *, [{listed}] as raw from ({_CELLS[kind]}))"""

# A row's cells as a list `v` (empty cells null) and `t`, the cells' types where the file
# has them ('number' for a workbook's numeric cell); each file's positions (the parameter
# lists, one entry per file) pick its unit, codes and values. Rows with no cell filled
# are layout, not data; a row with values but no unit is kept, and reported by the checks.
# A row with more fields than its header is kept with `row_problem`, and held back whole.
_ROW_PROBLEM = """
        case when fields > $width[f] and list_count(v) > 0 then
            'the row has ' || fields || ' fields, its header ' || $width[f] || ': held back whole, '
            || 'never shifted (as written: ' || array_to_string(raw, $joiner) || ')'
        end"""
_VALUES = {
    "long": f"""
        select $years[f], $sources[f], row_number, v[$unit[f]], v[$indicator[f]], v[$value[f]], v[$note[f]],
               t[$value[f]], v[$year[f]], {_ROW_PROBLEM}, v[$stage[f]]
        from cells
        where coalesce(v[$unit[f]], v[$indicator[f]], v[$value[f]]) is not null
              or (fields > $width[f] and list_count(v) > 0)""",
    "wide": f"""
        select $years[f], $sources[f], row_number, v[$unit[f]], unnest($codes[f]),
               unnest(list_select(v, $cells[f])), null, unnest(list_select(t, $cells[f])),
               v[$year[f]], {_ROW_PROBLEM}, v[$stage[f]]
        from cells
        where v[$unit[f]] is not null or list_count(list_select(v, $cells[f])) > 0
              or (fields > $width[f] and list_count(v) > 0)""",
}


def _check_chunk(con: duckdb.DuckDBPyConnection, read: dict, expected: int) -> None:
    """The records of a chunk are attributed to their files by counting: the reader's count
    must be ours, or rows would go to the wrong file."""
    found = con.execute(f"select count(*) from read_csv($chunk, {_READ_OPTIONS})", read).fetchall()[0][0]
    if found != expected:
        raise ChunkMismatch(f"the chunk has {found} records, its files {expected} lines")


def _insert_group(con: duckdb.DuckDBPyConnection, group: _Group, table: str) -> None:
    """Append a group's values to `table`. The column names pasted in are our own (c0, c1,
    …), never the file's text; the files' codes and names are bound as parameters."""
    if group.kind == CHUNK and not group.records:
        return  # headers only: no chunk was written
    # text: one column past the widest header, where a field too many shows
    width = group.width if group.kind == WORKBOOK else group.width + 1
    columns = {f"c{i}": "varchar" for i in range(width)}
    params: dict = {"years": group.years, "sources": group.sources, **group.positions(),
                    "joiner": " | " if group.kind == WORKBOOK else group.delimiter}
    if group.kind == CHUNK:
        read = {"chunk": str(group.chunk), "delim": group.delimiter, "columns": columns}
        _check_chunk(con, read, group.records)
        params |= read | dict(zip(("file_indexes", "firsts", "records"), map(list, zip(*group.spans))))
    elif group.kind == FILES:
        params |= {"paths": group.paths, "delim": group.delimiter, "columns": columns}
    else:
        import pandas as pd

        names = ["file_index", "row_number", "fields", *columns, *(f"t{i}" for i in range(width))]
        con.register("workbook_cells", pd.DataFrame(group.frame_rows(width), columns=names, dtype=object))
    try:
        con.execute(
            f"insert into {table} with cells as ({_cells(group.kind, list(columns))}) {_VALUES[group.layout_kind]}",
            params,
        )
    finally:
        if group.kind == WORKBOOK:
            con.unregister("workbook_cells")


def stage_files(con: duckdb.DuckDBPyConnection, data_dir: Path, files: list[tuple[int, Path]],
                table: str) -> list[FileIssue]:
    """Append the values of `files` to `table`; return the files refused, with why.

    The groups' statements run two at a time, each on a connection of its own: numbering
    the records keeps a statement on one core.
    """
    with tempfile.TemporaryDirectory(prefix="egov-ingest-") as scratch:
        groups, issues = _group_files(data_dir, files, Path(scratch))
        cursors = threading.local()

        def insert(group: _Group) -> list[FileIssue]:
            if not hasattr(cursors, "con"):
                cursors.con = con.cursor()
            return _insert_group_or_files(cursors.con, group, table, Path(scratch))

        with ThreadPoolExecutor(max_workers=STATEMENTS_AT_ONCE) as pool:
            for refused in pool.map(insert, groups):
                issues.extend(refused)
    return issues


def _group_files(data_dir: Path, files: list[tuple[int, Path]], scratch: Path) -> tuple[list[_Group], list[FileIssue]]:
    """Read every file's header (and every workbook), grouping the files."""
    issues: list[FileIssue] = []
    groups: dict[tuple, _Group] = {}  # the group filling, by kind, delimiter and layout
    full: list[_Group | None] = []
    for n, (year, path) in enumerate(files):
        source = relative_name(path, data_dir)
        try:
            size = path.stat().st_size
            if size == 0:
                issues.append(FileIssue(year, source, "empty file"))
                continue
            if size > MAX_FILE_BYTES:
                issues.append(FileIssue(year, source, f"file of {_size(size)} is over the {_size(MAX_FILE_BYTES)} limit"))
                continue
            if path.suffix.lower() == ".xlsx":
                kind, delimiter, (header, rows) = WORKBOOK, None, _read_workbook(path)
            else:
                delimiter, header, text, held_back = _read_text(path)
                issues.extend(
                    FileIssue(year, source, "a quote opened in this row is not closed on it: the row is held "
                              f"back whole, not joined with the rows below (as written: {_clip(line)})", row)
                    for row, line in held_back
                )
                kind = CHUNK if _concatenable(text) else FILES
                readable = None if kind == CHUNK else _readable_copy(path, text, scratch / f"{n}.csv")
        except Exception as error:
            issues.append(FileIssue(year, source, _unreadable(error)))
            continue
        layout = parse.detect_layout(header)
        if layout is None:
            issues.append(FileIssue(
                year, source, "unrecognised header: expected unit_code,indicator_code[,stage],value[,note] "
                "(long) or unit_code followed by indicator codes (wide)", row_number=1,
            ))
            continue
        key = (kind, delimiter, layout.kind)
        if key not in groups or groups[key].records >= CHUNK_RECORDS:  # a full chunk: start the next
            full.append(groups.pop(key, None))
            groups[key] = _Group(kind, layout.kind, delimiter, scratch)
        group = groups[key]
        index = group.add(year, source, path, layout, len(header))
        if kind == WORKBOOK:
            group.rows.extend((index, *row) for row in rows)
            group.width = max([group.width, *(len(row[2]) for row in rows)])
        elif kind == CHUNK:
            group.add_text(text.split("\n", 1)[1].replace("\r\n", "\n") if "\n" in text else "")
        else:
            group.paths.append(str(readable))
    return [group for group in full if group] + list(groups.values()), issues


def _insert_group_or_files(con: duckdb.DuckDBPyConnection, group: _Group, table: str,
                           scratch: Path) -> list[FileIssue]:
    """Insert a group; when its statement fails, its files one by one, so one bad file
    never stops the others. Return the files refused."""
    try:
        _insert_group(con, group, table)
        return []
    except READ_ERRORS as error:
        if group.kind == WORKBOOK or isinstance(error, OUR_ERRORS):
            raise  # workbook cells are plain text already: nothing a file can break
    refused = []
    for i in range(len(group.sources)):
        try:
            _insert_group(con, group.single(i, scratch), table)
        except READ_ERRORS as error:
            if isinstance(error, OUR_ERRORS):
                raise
            refused.append(FileIssue(group.years[i], group.sources[i], _unreadable(error)))
    return refused


def load_submissions(
    con: duckdb.DuckDBPyConnection, data_dir: Path, years: list[int] | None = None
) -> dict[str, int]:
    """(Re)load the submission files of `years` (every year when None), replacing only
    those years' rows of raw.submissions and raw.file_issues.

    The values are staged in a table of their own first; only then, in one short
    transaction, do they replace the old rows: a run that dies while loading leaves the
    previous rows.
    """
    con.execute("create schema if not exists raw")
    for table in ("submissions", "file_issues"):
        _create_or_upgrade(con, table)
    con.execute(f"create or replace table raw.submissions_staged ({RAW_DDL['submissions']})")
    found, unread = scan_submissions(data_dir)
    files = [(year, path) for year, path in found if years is None or year in years]
    issues = [issue for issue in unread if years is None or issue.year is None or issue.year in years]
    issues += stage_files(con, data_dir, files, "raw.submissions_staged")
    con.begin()
    con.execute("delete from raw.submissions where $years is null or list_contains($years, year)", {"years": years})
    # issues of no year (folders that are not years) are found anew by every run
    con.execute("delete from raw.file_issues where $years is null or year is null or list_contains($years, year)",
                {"years": years})
    if con.execute("select count(*) from raw.submissions").fetchall()[0][0]:
        # by name: an upgraded table has its columns in the order they were added
        con.execute("insert into raw.submissions by name select * from raw.submissions_staged")
        con.execute("drop table raw.submissions_staged")
    else:  # no other year's rows to keep: the staged table becomes the table, uncopied
        con.execute("drop table raw.submissions")
        con.execute("alter table raw.submissions_staged rename to submissions")
    insert_rows(con, "file_issues", [issue.as_row() for issue in issues])
    con.commit()
    values = con.execute(
        "select count(*) from raw.submissions where $years is null or list_contains($years, year)",
        {"years": years},
    ).fetchall()[0][0]
    return {"files": len(files), "values": values, "refused_files": len(issues)}
