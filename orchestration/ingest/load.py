"""Files under EGOV_DATA_DIR into the warehouse's `raw` schema.

Bulk data goes through DuckDB's own CSV reader (or openpyxl for XLSX) into a table of
cells whose columns we name ourselves (c0, c1, …); the file's header only decides, in
Python, which of those columns means what. No input text is ever pasted into SQL.
"""

import csv
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import frameworks, parse

RAW_DDL = {
    "units": """
        unit_code varchar, unit_name varchar, unit_type varchar, parent_code varchar,
        valid_from varchar, valid_to varchar, source_file varchar, row_number integer""",
    "frameworks": "framework_code varchar, title varchar, evaluator varchar, unit_type varchar, source_file varchar",
    "framework_years": "framework_code varchar, year integer",
    "rating_bands": """
        framework_code varchar, band_order integer, label varchar,
        min_pct decimal(9, 4), min_criterion_pct decimal(9, 4)""",
    "criteria": """
        framework_code varchar, criterion_order integer, criterion_code varchar,
        criterion_name varchar, max_points decimal(18, 4), required_for_rank boolean""",
    "indicators": """
        framework_code varchar, criterion_code varchar, indicator_order integer,
        indicator_code varchar, indicator_name varchar, max_points decimal(18, 4),
        rule_type varchar, full_at decimal(18, 6)""",
    "indicator_steps": "framework_code varchar, indicator_code varchar, threshold decimal(18, 6), points decimal(18, 4)",
    "submissions": """
        year integer, source_file varchar, row_number integer, unit_code varchar,
        indicator_code varchar, value_text varchar, note varchar""",
    "file_issues": """
        year integer, source_file varchar, row_number integer, unit_code varchar,
        indicator_code varchar, severity varchar, reason varchar""",
}

REGISTRY_COLUMNS = ("unit_code", "unit_name", "unit_type", "parent_code", "valid_from", "valid_to")
SUBMISSION_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}

# Files past these limits are refused with a reason instead of exhausting memory: a whole
# province's submissions for a year are a few MB; a workbook's parts are read unzipped.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_XLSX_UNZIPPED_BYTES = 256 * 1024 * 1024
BLANK_LINE = re.compile(r"\n[ \t]*(?=\r?\n)")


class RegistryError(ValueError):
    """The unit registry cannot be used; the message names the file and the field."""


def recreate(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    con.execute("create schema if not exists raw")
    for table in tables:
        con.execute(f"create or replace table raw.{table} ({RAW_DDL[table]})")


def relative_name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def inside(path: Path, root: Path) -> bool:
    """False for a symlink (or anything) that resolves outside the input root."""
    return path.resolve().is_relative_to(root.resolve())


# --- registry -------------------------------------------------------------------------

def load_units(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    path = data_dir / "units" / "units.csv"
    source = relative_name(path, data_dir)
    if not path.is_file():
        raise RegistryError(f"{source}: the unit registry is missing")
    text = parse.decode(path.read_bytes())
    lines = text.splitlines()
    rows = list(csv.reader(lines, delimiter=parse.sniff_delimiter(lines[0] if lines else "")))
    if not rows:
        raise RegistryError(f"{source}: the unit registry is empty")
    header = [parse.normalise_header(cell) for cell in rows[0]]
    missing = [column for column in REGISTRY_COLUMNS if column not in header]
    if missing:
        raise RegistryError(f"{source}: missing column(s) {', '.join(missing)} in the header")
    at = [header.index(column) for column in REGISTRY_COLUMNS]
    records = [
        tuple((row[i].strip() or None) if i < len(row) else None for i in at) + (source, n)
        for n, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    for record in records:
        _check_unit(record)
    recreate(con, "units")
    con.executemany("insert into raw.units values (?, ?, ?, ?, ?, ?, ?, ?)", records)
    return len(records)


def _check_unit(record: tuple) -> None:
    code, name, unit_type, _, valid_from, valid_to, source, row = record
    where = f"{source}, row {row}"
    for field, value in (("unit_code", code), ("unit_name", name), ("unit_type", unit_type)):
        if value is None:
            raise RegistryError(f"{where}: {field} is empty")
    if unit_type.lower() not in frameworks.UNIT_TYPES:
        raise RegistryError(f"{where}: unit_type {unit_type!r} is not one of {sorted(frameworks.UNIT_TYPES)}")
    for field, value in (("valid_from", valid_from), ("valid_to", valid_to)):
        if value is not None and not re.fullmatch(r"\d{4}", value):
            raise RegistryError(f"{where}: {field} {value!r} is not a year")
    if valid_from and valid_to and int(valid_from) > int(valid_to):
        raise RegistryError(f"{where}: valid_from {valid_from} is after valid_to {valid_to}")


# --- frameworks -----------------------------------------------------------------------

def load_frameworks(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    folder = data_dir / "frameworks"
    paths = sorted(p for p in folder.glob("*.y*ml") if inside(p, data_dir)) if folder.is_dir() else []
    tables = ("frameworks", "framework_years", "rating_bands", "criteria", "indicators", "indicator_steps")
    rows: dict[str, list[tuple]] = {table: [] for table in tables}
    for path in paths:
        source = relative_name(path, data_dir)
        try:
            doc = parse.load_yaml(parse.decode(path.read_bytes()))
        except Exception as error:  # a YAML syntax error names the line itself
            raise frameworks.FrameworkError(f"{source}: not readable YAML: {error}") from error
        for table, table_rows in frameworks.flatten(doc, source).items():
            rows[table].extend(table_rows)
    frameworks.check_unique_claims(rows)
    recreate(con, *tables)
    for table in tables:
        if rows[table]:
            placeholders = ", ".join("?" * len(rows[table][0]))
            con.executemany(f"insert into raw.{table} values ({placeholders})", rows[table])
    return len(rows["frameworks"])


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


def submission_files(data_dir: Path) -> list[tuple[int, Path]]:
    """(year, path) of every submission file, sorted so runs do not depend on listing order."""
    root = data_dir / "submissions"
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and folder.name.isdigit() and inside(folder, data_dir):
            for path in sorted(folder.rglob("*")):
                if path.suffix.lower() in SUBMISSION_SUFFIXES and path.is_file() and inside(path, data_dir):
                    found.append((int(folder.name), path))
    return found


def _cells_from_csv(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Load a delimited text file into the temp table `cells`; return its header."""
    data = path.read_bytes()
    text = parse.decode(data)
    header_line = text.split("\n", 1)[0]
    delimiter = parse.sniff_delimiter(header_line)
    header = next(csv.reader(io.StringIO(header_line), delimiter=delimiter), [])
    names = [f"c{i}" for i in range(len(header))]
    with tempfile.TemporaryDirectory() as tmp:
        readable = path
        # DuckDB reads UTF-8 and skips blank lines; hand it a normalised copy when the
        # file is in another encoding, or when blank lines would shift the row numbers.
        if not parse.is_clean_utf8(data) or BLANK_LINE.search(text):
            readable = Path(tmp) / "normalised.csv"
            readable.write_text(BLANK_LINE.sub("\n" + delimiter, text), encoding="utf-8")
        con.execute(
            """
            create or replace temp table cells as
            select row_number() over () + 1 as row_number, *
            from read_csv($path, delim = $delim, header = false, skip = 1, names = $names,
                          all_varchar = true, quote = '"', escape = '"', null_padding = true,
                          strict_mode = false)
            """,
            {"path": str(readable), "delim": delimiter, "names": names},
        )
    return header


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n} bytes"


def _check_xlsx_size(path: Path) -> None:
    """Refuse a workbook whose parts unzip to more than the limit (a zip bomb)."""
    with zipfile.ZipFile(path) as archive:
        unzipped = sum(member.file_size for member in archive.infolist())
    if unzipped > MAX_XLSX_UNZIPPED_BYTES:
        raise ValueError(f"the workbook unzips to {_size(unzipped)}, over the {_size(MAX_XLSX_UNZIPPED_BYTES)} limit")


def _cells_from_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Load the first sheet of a workbook into the temp table `cells`; return its header."""
    import openpyxl
    import pandas as pd

    _check_xlsx_size(path)
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    at = parse.find_header_row(rows)
    if at is None:
        return []
    header = [parse.cell_text(cell) or "" for cell in rows[at]]
    width = len(header)
    frame = pd.DataFrame(
        [[n] + [parse.cell_text(c) for c in (row + [None] * width)[:width]]
         for n, row in enumerate(rows[at + 1:], start=at + 2)],
        columns=["row_number"] + [f"c{i}" for i in range(width)],
        dtype=object,
    )
    con.register("xlsx_frame", frame)
    con.execute("create or replace temp table cells as select * from xlsx_frame")
    con.unregister("xlsx_frame")
    return header


def _insert_long(con, layout: parse.Layout, year: int, source: str) -> None:
    note = f"c{layout.note_column}" if layout.note_column is not None else "null"
    con.execute(
        f"""
        insert into raw.submissions
        select $year, $source, row_number, c{layout.unit_column}, c{layout.indicator_column},
               c{layout.value_column}, {note}
        from cells
        where coalesce(c{layout.unit_column}, c{layout.indicator_column}, c{layout.value_column}) is not null
        """,
        {"year": year, "source": source},
    )


def _insert_wide(con, layout: parse.Layout, year: int, source: str) -> None:
    con.execute("create or replace temp table wide_columns (column_name varchar, indicator_code varchar)")
    con.executemany(
        "insert into wide_columns values (?, ?)",
        [(f"c{i}", code) for i, code in layout.indicator_columns],
    )
    columns = ", ".join(f"c{i}" for i, _ in layout.indicator_columns)
    con.execute(
        f"""
        insert into raw.submissions
        select $year, $source, u.row_number, u.unit_code, w.indicator_code, u.value_text, null
        -- rows with no cell filled are layout, not data; a row with values but no unit is
        -- kept, and reported by the checks
        from (select row_number, c{layout.unit_column} as unit_code, {columns}
              from cells where coalesce(c{layout.unit_column}, {columns}) is not null)
             unpivot include nulls (value_text for column_name in ({columns})) as u
        join wide_columns as w using (column_name)
        """,
        {"year": year, "source": source},
    )


def load_submission_file(con: duckdb.DuckDBPyConnection, year: int, path: Path, source: str) -> FileIssue | None:
    """Append one file's values to raw.submissions, or return why it was refused.

    The column names interpolated above are our own (c0, c1, …), never the file's text.
    """
    try:
        size = path.stat().st_size
        if size == 0:
            return FileIssue(year, source, "empty file")
        if size > MAX_FILE_BYTES:
            return FileIssue(year, source, f"file of {_size(size)} is over the {_size(MAX_FILE_BYTES)} limit")
        if path.suffix.lower() == ".xlsx":
            header = _cells_from_xlsx(con, path)
        else:
            header = _cells_from_csv(con, path)
    except Exception as error:
        return FileIssue(year, source, f"unreadable file: {type(error).__name__}: {error}")
    layout = parse.detect_layout(header)
    if layout is None:
        return FileIssue(
            year, source, "unrecognised header: expected unit_code,indicator_code,value[,note] "
            "(long) or unit_code followed by indicator codes (wide)", row_number=1,
        )
    (_insert_long if layout.kind == "long" else _insert_wide)(con, layout, year, source)
    return None


def load_submissions(
    con: duckdb.DuckDBPyConnection, data_dir: Path, years: list[int] | None = None
) -> dict[str, int]:
    """(Re)load the submission files of `years` (every year when None), replacing only
    those years' rows of raw.submissions and raw.file_issues."""
    con.execute("create schema if not exists raw")
    for table in ("submissions", "file_issues"):
        con.execute(f"create table if not exists raw.{table} ({RAW_DDL[table]})")
    files = [(year, path) for year, path in submission_files(data_dir) if years is None or year in years]
    con.begin()  # a run that dies while loading leaves the previous rows
    if years is None:
        con.execute("delete from raw.submissions; delete from raw.file_issues")
    else:
        for table in ("submissions", "file_issues"):
            con.execute(f"delete from raw.{table} where list_contains($years, year)", {"years": years})
    issues = []
    for year, path in files:
        issue = load_submission_file(con, year, path, relative_name(path, data_dir))
        if issue:
            issues.append(issue.as_row())
    if issues:
        con.executemany("insert into raw.file_issues values (?, ?, ?, ?, ?, ?, ?)", issues)
    con.commit()
    values = con.execute(
        "select count(*) from raw.submissions where $years is null or list_contains($years, year)",
        {"years": years},
    ).fetchall()[0][0]
    return {"files": len(files), "values": values, "refused_files": len(issues)}
