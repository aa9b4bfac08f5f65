"""The short ranking summary `make run` ends with, read from the published marts."""

import sys
from decimal import Decimal
from pathlib import Path

import duckdb

from .settings import Settings

TOP = 3


def _number(value: Decimal) -> str:
    """62.300000 → 62.3, 53.000000 → 53: DECIMAL columns printed as people write them."""
    return f"{value.normalize():f}"


def _group(unit_type: str, peer_group: str) -> str:
    return unit_type if peer_group == unit_type else f"{unit_type} ({peer_group})"


def summary_lines(marts: Path, top: int = TOP) -> list[str]:
    with duckdb.connect(str(marts), read_only=True) as con:
        national = con.execute(
            """select year, unit_type, peer_group, rank, unit_name, index, rating from national_ranking
               where rank <= $top order by year, unit_type, peer_group, rank, unit_code""",
            {"top": top},
        ).fetchall()
        provincial = con.execute(
            """select year, province_code, province_name, unit_type, peer_group, rank, unit_name,
                      total_score, max_applicable, score_pct, rating
               from provincial_ranking where rank <= $top
               order by year, province_code, unit_type, peer_group, rank, unit_code""",
            {"top": top},
        ).fetchall()
    lines = [f"Published marts: {marts}"]
    heading = None
    for year, unit_type, peer_group, rank, name, index, rating in national:
        if (year, unit_type, peer_group) != heading:
            heading = (year, unit_type, peer_group)
            lines.append(f"\n{year}  Bộ TT&TT (national) — {_group(unit_type, peer_group)}")
        lines.append(f"  {rank:>3}. {name:<45} index {index}  {rating or ''}")
    for year, code, province, unit_type, peer_group, rank, name, total, maximum, pct, rating in provincial:
        if (year, code, unit_type, peer_group) != heading:
            heading = (year, code, unit_type, peer_group)
            lines.append(f"\n{year}  {province} ({code}) — {_group(unit_type, peer_group)}")
        points = f"{_number(total)}/{_number(maximum)} = {pct} %"
        lines.append(f"  {rank:>3}. {name:<45} {points:<26} {rating or ''}")
    return lines


def publication_metadata(con: duckdb.DuckDBPyConnection, top: int = TOP) -> dict[str, str]:
    """Markdown for the publish step's page in the UI: units per peer group, values held
    back, and the top of each ranking."""
    groups = con.execute(
        """select year, 'national' as evaluator, unit_type, peer_group, count(*), count(rank) from national_ranking
           group by all
           union all
           select year, province_code, unit_type, peer_group, count(*), count(rank) from provincial_ranking
           group by all order by all"""
    ).fetchall()
    issues = con.execute(
        "select year, severity, count(*) from submission_issues group by all order by all"
    ).fetchall()
    leaders = con.execute(
        """select year, 'national', unit_type, peer_group, rank, unit_name, cast(index as varchar), rating
           from national_ranking where rank <= $top
           union all
           select year, province_code, unit_type, peer_group, rank, unit_name, cast(score_pct as varchar) || ' %', rating
           from provincial_ranking where rank <= $top order by all""",
        {"top": top},
    ).fetchall()

    def table(header: list[str], rows: list[tuple]) -> str:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join("" if cell is None else str(cell) for cell in row) + " |" for row in rows]
        return "\n".join(lines)

    return {
        "units per peer group": table(["year", "evaluator", "unit_type", "peer_group", "units", "ranked"], groups),
        "submission issues": table(["year", "severity", "rows"], issues) if issues else "none",
        "ranking preview": table(["year", "evaluator", "unit_type", "peer_group", "rank", "unit", "result", "rating"], leaders),
    }


def main() -> int:
    marts = Settings.from_env().publish_dir / "marts.duckdb"
    if not marts.exists():
        print(f"No published marts at {marts}", file=sys.stderr)
        return 1
    print("\n".join(summary_lines(marts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
