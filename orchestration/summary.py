"""The short ranking summary `make run` ends with, read from the published marts."""

import sys
from pathlib import Path

import duckdb

from .settings import Settings

TOP = 3


def summary_lines(marts: Path, top: int = TOP) -> list[str]:
    with duckdb.connect(str(marts), read_only=True) as con:
        rows = con.execute(
            """
            select 'national' as evaluator, 'Bộ TT&TT' as evaluator_name, year, unit_type,
                   rank, unit_name, cast(index as varchar) || ' (chỉ số)' as result, rating
            from national_ranking where rank <= $top
            union all
            select province_code, province_name, year, unit_type,
                   rank, unit_name,
                   cast(total_score as varchar) || '/' || cast(max_applicable as varchar)
                       || ' = ' || cast(score_pct as varchar) || ' %', rating
            from provincial_ranking where rank <= $top
            order by year, evaluator, unit_type, rank, unit_name
            """,
            {"top": top},
        ).fetchall()
        counts = con.execute(
            "select count(*), count(distinct year) from "
            "(select year from national_ranking union all select year from provincial_ranking)"
        ).fetchall()[0]
    lines = [f"Published {counts[0]} ranked rows over {counts[1]} year(s) to {marts}"]
    group = None
    for evaluator, name, year, unit_type, rank, unit, result, rating in rows:
        if (evaluator, year, unit_type) != group:
            group = (evaluator, year, unit_type)
            lines.append(f"\n{year}  {name} ({evaluator}) — {unit_type}")
        lines.append(f"  {rank:>3}. {unit:<45} {_trim(result):<28} {rating or ''}")
    return lines


def _trim(result: str) -> str:
    """Drop the trailing zeros of DECIMAL text (62.300000 → 62.3) for reading."""
    def number(token: str) -> str:
        if "." in token and token.replace(".", "").isdigit():
            token = token.rstrip("0").rstrip(".")
        return token
    return " ".join("/".join(number(part) for part in word.split("/")) for word in result.split(" "))


def main() -> int:
    marts = Settings.from_env().publish_dir / "marts.duckdb"
    if not marts.exists():
        print(f"No published marts at {marts}", file=sys.stderr)
        return 1
    print("\n".join(summary_lines(marts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
