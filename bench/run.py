"""`make bench`: the real pipeline on a generated national input, against the engine's floor.

    python -m bench.run [--scale 1] [--years 10] [--seed 1] [--input DIR] [--keep]

In a temporary directory: generate an input root (bench.generate), then, each in its own
process whose whole tree is sampled for RSS,
  1. the fixed overhead: the same pipeline on a minimal input (1 province, 1 year);
  2. the full run: every asset for every year, as `make run` does (orchestration.annual);
  3. the one-year re-run: the last year again, on the same warehouse;
  4. the floor: bench/floor.sql, one DuckDB query from the raw tables to the ranks, whose
     ranks and totals are also compared with the published marts;
  5. the ingest breakdown: the same loader (orchestration.ingest.load) on the CSV files
     alone, then on the XLSX files alone, into a scratch database;
  6. the demo input (data/): `make run` twice on one warehouse, the second warm (with nothing
     changed, it starts no run), then a third run forced (`--force`): the work of a run.
Per-stage times come from the Dagster run's step events. The last line is the summary:
`bench: values=… e2e_s=… floor_s=… ratio=… ingest_values_per_s=… peak_rss_mb=… one_year_s=…
demo_warm_s=…`.
Timings are printed, never asserted.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data"
FLOOR_SQL = Path(__file__).resolve().parent / "floor.sql"

# the targets at the default scale
TARGET_INGEST_CSV = 1_000_000  # values/s
TARGET_FLOOR_FACTOR = 3  # e2e ≤ 3 × floor + fixed overhead
TARGET_RSS_MB = 1536
TARGET_ONE_YEAR_SHARE = 0.2
TARGET_DEMO_WARM_S = 10  # the demo's `make run` after a first one


# --- the workers: each runs in its own process ----------------------------------------------

def stage_of(step: dict, asset_info: dict) -> str:
    """The benchmark stage of one Dagster step, from what it materialised or checked."""
    assets = [asset_info.get(key, {}) for key in step["assets"]]
    if any("dbt" in info.get("kinds", ()) for info in assets):
        return "dbt scoring"
    groups = {info.get("group") for info in assets}
    if "ingest" in groups:
        return "ingest"
    if "publish" in groups:
        return "publish"
    if not assets and step["checks"]:
        return "quality checks"
    return "other"


def pipeline_worker(out: Path, years: list[int] | None, if_changed: bool = False) -> int:
    started = time.time()
    import dagster as dg

    from orchestration.settings import Settings

    try:
        from orchestration import annual
    except ImportError:  # before yearly partitions: the whole code location, as tests did
        annual = None
    try:
        from orchestration import up_to_date
    except ImportError:  # before runs were skipped when nothing changed
        if_changed = False
    imported = time.time()
    report: dict = {"started": started, "imported": imported, "years": years}
    if if_changed and (built := up_to_date.unchanged(Settings.from_env(), years)):  # as `make run`
        report.update(driver="orchestration.up_to_date.unchanged", success=True, up_to_date=True,
                      finished=time.time(), steps=[], values=None, run_id=built.get("run_id"))
        out.write_text(json.dumps(report, indent=1))
        return 0
    instance = dg.DagsterInstance.get()
    try:
        if annual is not None:
            report["driver"] = "orchestration.annual.run"
            result = annual.run(Settings.from_env(), years, instance)
        elif years is None:
            from orchestration.definitions import defs

            report["driver"] = "dagster.materialize(defs.assets)"
            result = dg.materialize(list(defs.assets), resources=defs.resources, instance=instance)
        else:
            raise RuntimeError("a one-year re-run needs orchestration.annual.run")
        report["success"] = bool(result.success)
        run_id = result.run_id
    except Exception as error:  # reported by the parent, with the log
        report.update(success=False, error=f"{type(error).__name__}: {error}")
        runs = instance.get_runs(limit=1)
        run_id = runs[0].run_id if runs else None
    report["finished"] = time.time()

    from orchestration.definitions import defs

    asset_info = {
        spec.key.to_user_string(): {"group": spec.group_name, "kinds": sorted(spec.kinds or ())}
        for spec in defs.resolve_all_asset_specs()
    }
    steps: dict[str, dict] = {}
    values = None
    for record in instance.all_logs(run_id) if run_id else []:
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        step = steps.setdefault(event.step_key, {
            "key": event.step_key, "start": None, "end": None, "status": None,
            "assets": [], "checks": 0, "check_seconds": {}, "model_seconds": {},
        })
        kind = event.event_type_value
        if kind == "STEP_START":
            step["start"] = record.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            step["end"], step["status"] = record.timestamp, kind
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            key = materialization.asset_key.to_user_string()
            step["assets"].append(key)
            metadata = dict(materialization.metadata)
            if "Execution Duration" in metadata:  # dbt's timing, repeated for each partition
                node = str(metadata.get("unique_id", key))
                step["model_seconds"][node] = float(metadata["Execution Duration"].value)
            if key == "raw/submissions" and "dagster/row_count" in metadata:
                values = int(metadata["dagster/row_count"].value)
        elif kind == "ASSET_CHECK_EVALUATION":
            step["checks"] += 1
            metadata = dict(event.event_specific_data.metadata)
            if "Execution Duration" in metadata:
                node = str(metadata.get("unique_id", step["checks"]))
                step["check_seconds"][node] = float(metadata["Execution Duration"].value)
    for step in steps.values():
        step["stage"] = stage_of(step, asset_info)
    report.update(steps=list(steps.values()), values=values, run_id=run_id)
    out.write_text(json.dumps(report, indent=1))
    return 0 if report["success"] else 1


def floor_worker(out: Path, warehouse: Path, marts: Path, repeat: int) -> int:
    import duckdb

    sql = FLOOR_SQL.read_text(encoding="utf-8")
    times = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for _ in range(repeat):
            started = time.perf_counter()
            con.execute(f"create or replace temp table floor_ranks as {sql}")
            times.append(time.perf_counter() - started)
        values = con.execute("select count(*) from raw.submissions").fetchall()[0][0]
        rows = con.execute("select count(*) from floor_ranks").fetchall()[0][0]
        mismatches = None
        if marts.exists():
            con.execute("attach $path as published (read_only)", {"path": str(marts)})
            mismatches = con.execute(COMPARE_SQL).fetchall()[0][0]
    out.write_text(json.dumps({"times": times, "values": values, "rows": rows, "mismatches": mismatches}))
    return 0


# the published rankings, side by side with the floor's: rows that differ in any column
COMPARE_SQL = """
with pipeline as (
    select year, province_code as evaluator, unit_type, unit_code, total_score, max_applicable,
           score_pct, rating, ranked, rank
    from published.provincial_ranking
    union all
    select year, 'national', unit_type, unit_code, total_score, max_applicable,
           score_pct, rating, ranked, rank
    from published.national_ranking
),
floor as (
    select year, evaluator, unit_type, unit_code, total_score, max_applicable,
           score_pct, rating, ranked, rank
    from floor_ranks
)
select count(*) from (
    (select * from pipeline except all select * from floor)
    union all
    (select * from floor except all select * from pipeline)
)
"""


def ingest_worker(out: Path, data_dir: Path, scratch: Path) -> int:
    """The submission loader on the CSV files alone, then on the XLSX files alone."""
    import duckdb

    from orchestration.ingest import load

    files = load.submission_files(data_dir)
    kinds = {
        "csv": [(year, path) for year, path in files if path.suffix.lower() != ".xlsx"],
        "xlsx": [(year, path) for year, path in files if path.suffix.lower() == ".xlsx"],
    }
    result = {}
    for kind, subset in kinds.items():
        with duckdb.connect(str(scratch)) as con:
            load.recreate(con, "submissions")
            started = time.perf_counter()
            load.stage_files(con, data_dir, subset, "raw.submissions")
            seconds = time.perf_counter() - started
            values = con.execute("select count(*) from raw.submissions").fetchall()[0][0]
        result[kind] = {"seconds": seconds, "files": len(subset), "values": values}
    out.write_text(json.dumps(result))
    return 0


# --- the parent: processes, RSS of their trees, the report ----------------------------------

class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants (dbt runs as children)."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.samples: list[tuple[float, int]] = []  # (time, bytes): peaks per step afterwards
        self.done = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.done.is_set():
            try:
                tree = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                return
            total = 0
            for process in tree:
                try:
                    total += process.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.peak = max(self.peak, total)
            self.samples.append((time.time(), total))
            self.done.wait(self.interval)


def run_worker(args: list[str], env: dict, log: Path) -> dict:
    """Run `python -m bench.run --worker …` with its output to `log`; wall time and peak RSS."""
    started = time.time()
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "bench.run", *args], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        code = process.wait()
        sampler.done.set()
        sampler.join()
    return {"code": code, "wall": time.time() - started, "spawned": started,
            "peak_rss_mb": sampler.peak / 2**20, "samples": sampler.samples}


def pipeline_env(data_dir: Path, work: Path) -> dict:
    env = dict(os.environ)
    (work / "dagster").mkdir(parents=True, exist_ok=True)
    env.update(
        EGOV_DATA_DIR=str(data_dir),
        EGOV_WAREHOUSE=str(work / "warehouse.duckdb"),
        EGOV_PUBLISH_DIR=str(work / "published"),
        DAGSTER_HOME=str(work / "dagster"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def run_pipeline(name: str, data_dir: Path, work: Path, years: list[int] | None = None,
                 if_changed: bool = False) -> dict:
    out = work / f"{name}.json"
    args = ["--worker", "pipeline", "--out", str(out), *(["--if-changed"] if if_changed else [])]
    if years:
        args += ["--run-years", ",".join(map(str, years))]
    outcome = run_worker(args, pipeline_env(data_dir, work), work / f"{name}.log")
    report = json.loads(out.read_text()) if out.exists() else {"success": False, "steps": []}
    samples = outcome.pop("samples")
    report.update(outcome)
    if outcome["code"] != 0 or not report.get("success"):
        raise SystemExit(f"bench: the {name} run failed ({report.get('error', 'see the log')}): "
                         f"{work / (name + '.log')}")
    stages: dict[str, float] = {}
    stage_rss: dict[str, float] = {}
    for step in report["steps"]:
        if step["start"] is not None and step["end"] is not None:
            stages[step["stage"]] = stages.get(step["stage"], 0.0) + step["end"] - step["start"]
            inside = [rss for t, rss in samples if step["start"] <= t <= step["end"]]
            step["peak_rss_mb"] = max(inside) / 2**20 if inside else None
            if inside:
                stage_rss[step["stage"]] = max(stage_rss.get(step["stage"], 0), step["peak_rss_mb"])
    report["stage_rss_mb"] = stage_rss
    starts = [s["start"] for s in report["steps"] if s["start"] is not None]
    ends = [s["end"] for s in report["steps"] if s["end"] is not None]
    report["stages"] = stages
    report["startup"] = (min(starts) - report["spawned"]) if starts else None
    report["teardown"] = (report["spawned"] + report["wall"] - max(ends)) if ends else None
    dbt_steps = [s for s in report["steps"] if s["stage"] == "dbt scoring"]
    report["dbt_test_seconds"] = sum(sum(s["check_seconds"].values()) for s in dbt_steps)
    report["dbt_model_seconds"] = sum(sum(s["model_seconds"].values()) for s in dbt_steps)
    out.write_text(json.dumps(report, indent=1))
    return report


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int) or digits == 0:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


def rate(values, seconds) -> str:
    return fmt(values / seconds, 0) if values and seconds else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("EGOV_BENCH_SCALE", 1)))
    parser.add_argument("--years", type=int, default=int(os.environ.get("EGOV_BENCH_YEARS", 10)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--input", type=Path, help="an input root to use instead of generating one")
    parser.add_argument("--workdir", type=Path, help="where to work (default: a new temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--no-overhead", action="store_true", help="skip the fixed-overhead run")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the CSV/XLSX ingest breakdown")
    parser.add_argument("--no-one-year", action="store_true",
                        help="skip the one-year re-run (its figure prints as n/a); for the tiny test")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo input's runs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    # worker modes (internal)
    parser.add_argument("--worker", choices=("pipeline", "floor", "ingest"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run-years", help=argparse.SUPPRESS)
    parser.add_argument("--if-changed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warehouse", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--marts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker == "pipeline":
        years = [int(y) for y in args.run_years.split(",")] if args.run_years else None
        return pipeline_worker(args.out, years, args.if_changed)
    if args.worker == "floor":
        return floor_worker(args.out, args.warehouse, args.marts, args.repeat)
    if args.worker == "ingest":
        return ingest_worker(args.out, args.input, args.warehouse)
    return bench(args)


def tree_state() -> str:
    """The code measured: others change the tree while a benchmark runs."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    try:
        changed = len(git("status", "--porcelain", "--untracked-files=no").splitlines())
        return f"{git('rev-parse', '--short', 'HEAD') or 'unknown'}" + (f" + {changed} changed files" if changed else "")
    except OSError:
        return "unknown"


def bench(args) -> int:
    from . import generate

    work = args.workdir or Path(tempfile.mkdtemp(prefix="egov-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    say = lambda text: print(text, flush=True)  # noqa: E731
    try:
        if args.input:
            data_dir = args.input.resolve()
            summary = json.loads((data_dir / "bench-input.json").read_text()) \
                if (data_dir / "bench-input.json").exists() else {}
        else:
            data_dir = work / "input"
            say(f"bench: generating scale {args.scale:g}, {args.years} years, seed {args.seed} into {data_dir}")
            summary = generate.generate(data_dir, args.years, args.scale, args.seed, args.provinces)
        files = summary.get("files", {})
        say(f"bench: input {data_dir}: {fmt(summary.get('values'), 0)} values in "
            f"{fmt(sum(files.values()), 0)} files ({', '.join(f'{k} {v:,}' for k, v in files.items())}), "
            f"{len(summary.get('years', []))} years, generated in {summary.get('seconds', 'n/a')} s")
        years = sorted(int(p.name) for p in (data_dir / "submissions").iterdir() if p.name.isdigit())
        say(f"bench: code at {tree_state()}; {os.cpu_count()} cores")

        overhead = None
        if not args.no_overhead:
            say("bench: fixed overhead: the pipeline on a minimal input (1 province, 1 year) …")
            tiny = work / "overhead-input"
            if not tiny.exists():
                generate.generate(tiny, years=1, scale=0.1, seed=args.seed, provinces=1)
            overhead = run_pipeline("overhead", tiny, work / "overhead")

        say("bench: full run (every asset, every year) …")
        full = run_pipeline("full", data_dir, work / "pipeline")
        one = None
        if not args.no_one_year:
            say(f"bench: one-year re-run ({years[-1]}) …")
            one = run_pipeline("one-year", data_dir, work / "pipeline", years=[years[-1]])

        say("bench: floor (bench/floor.sql on the same raw tables) …")
        floor_out = work / "floor.json"
        floor_run = run_worker(
            ["--worker", "floor", "--out", str(floor_out), "--warehouse", str(work / "pipeline" / "warehouse.duckdb"),
             "--marts", str(work / "pipeline" / "published" / "marts.duckdb"), "--repeat", "2"],
            dict(os.environ), work / "floor.log")
        if floor_run["code"] != 0:
            raise SystemExit(f"bench: the floor query failed: {work / 'floor.log'}")
        floor = json.loads(floor_out.read_text())
        floor_s = min(floor["times"])

        breakdown = None
        if not args.no_breakdown:
            say("bench: ingest breakdown (the same loader on the CSV files, then on the XLSX files) …")
            scratch = work / "ingest-scratch.duckdb"
            breakdown_out = work / "ingest.json"
            result = run_worker(["--worker", "ingest", "--out", str(breakdown_out), "--input", str(data_dir),
                                 "--warehouse", str(scratch)], dict(os.environ), work / "ingest.log")
            breakdown = json.loads(breakdown_out.read_text()) if result["code"] == 0 else None
            scratch.unlink(missing_ok=True)

        demo = None
        if not args.no_demo:
            say("bench: the demo input (data/), `make run` twice on one warehouse, then forced …")
            run_pipeline("demo-cold", DEMO, work / "demo", if_changed=True)
            demo = run_pipeline("demo-warm", DEMO, work / "demo", if_changed=True)
            demo["forced"] = run_pipeline("demo-forced", DEMO, work / "demo")

        figures = report(summary, full, one, floor, floor_s, floor_run, overhead, breakdown, years[-1], say,
                         demo)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1))
        (work / "bench-result.json").write_text(json.dumps(figures, indent=1))
        return 0
    finally:
        if args.keep:
            print(f"bench: kept {work}", file=sys.stderr)
        elif not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def report(summary, full, one, floor, floor_s, floor_run, overhead, breakdown, last_year, say,
           demo=None) -> dict:
    values = full.get("values") or floor["values"]
    stages = full["stages"]
    ingest_s = stages.get("ingest")
    e2e = full["wall"]
    one_s = one["wall"] if one else None
    fixed = overhead["wall"] if overhead else None
    quality = stages.get("quality checks")

    def steps_of(run: dict, stage: str, most: int = 5) -> list[tuple]:
        """The stage's steps in run order; only the slowest when there are many (checks)."""
        steps = [s for s in run["steps"]
                 if s["stage"] == stage and s["start"] is not None and s["end"] is not None]
        shown = steps if len(steps) <= most else sorted(steps, key=lambda s: s["start"] - s["end"])[:most - 1]
        rows = [(f"  step {s['key'][:29] + '…' if len(s['key']) > 30 else s['key']}",
                 s["end"] - s["start"], None, "", s.get("peak_rss_mb"))
                for s in sorted(shown, key=lambda s: s["start"])]
        if len(shown) < len(steps):
            rest = [s for s in steps if s not in shown]
            rows.append((f"  {len(rest)} more steps", sum(s["end"] - s["start"] for s in rest), None, "",
                         max((s.get("peak_rss_mb") or 0) for s in rest) or None))
        return rows

    def brief(run: dict) -> str:
        parts = [("start-up", run["startup"] or 0), *run["stages"].items(), ("teardown", run["teardown"] or 0)]
        return ", ".join(f"{name} {seconds:.1f}" for name, seconds in parts)

    rows: list[tuple] = [("orchestration start-up", full["startup"], None,
             "process spawn → first step: imports, definitions, partitions, run set-up")]
    rows.append(("ingest", ingest_s, values, "raw tables from the input files"))
    rows += steps_of(full, "ingest")
    if breakdown:
        for kind in ("csv", "xlsx"):
            b = breakdown[kind]
            rows.append((f"  {kind.upper()} files only", b["seconds"], b["values"],
                         f"{b['files']:,} files: the same loader on these files alone"))
    if quality is not None:
        rows.append(("quality checks", quality, values, "asset-check steps"))
        rows += steps_of(full, "quality checks")
    else:
        rows.append(("quality checks", None, None, "no Great Expectations check step in the run"))
    rows.append(("dbt scoring", stages.get("dbt scoring"), values, "dbt build, data tests included"))
    rows += steps_of(full, "dbt scoring")
    rows.append(("  dbt models (sum)", full["dbt_model_seconds"], None, "dbt's own timing of each model"))
    rows.append(("  dbt data tests (sum)", full["dbt_test_seconds"], None, "dbt's own timing of each test"))
    rows.append(("publish", stages.get("publish"), None, ""))
    rows += steps_of(full, "publish")
    for other in sorted(set(stages) - {"ingest", "quality checks", "dbt scoring", "publish"}):
        rows.append((other, stages[other], None, ""))
        rows += steps_of(full, other)
    rows.append(("teardown", full["teardown"], None, "last step → process exit"))
    rows.append(("end to end", e2e, values, "process spawn → exit, every year, as `make run`"))
    if one:
        rows.append((f"one-year re-run ({last_year})", one_s, one.get("values"),
                     f"{one_s / e2e:.2f} of the full run: {brief(one)}"))
        rows += [(f"  {stage}", seconds, None, "", one["stage_rss_mb"].get(stage))
                 for stage, seconds in one["stages"].items()]
    else:
        rows.append(("one-year re-run", None, None, "skipped (--no-one-year)"))
    rows.append(("floor", floor_s, values,
                 f"bench/floor.sql, best of {len(floor['times'])} ({', '.join(f'{t:.2f}' for t in floor['times'])})"))
    if overhead:
        rows.append(("fixed overhead", fixed, None, f"the pipeline on a minimal input: {brief(overhead)}"))
    demo_s = demo["wall"] if demo else None
    if demo:
        what = "nothing changed: no run" if demo.get("up_to_date") else brief(demo)
        rows.append(("demo, warm", demo_s, None, f"data/, `make run` again on one warehouse: {what}"))
        forced = demo["forced"]
        rows.append(("demo, warm, forced", forced["wall"], forced.get("values"),
                     f"the same with --force, every step run: {brief(forced)}"))
    else:
        rows.append(("demo, warm", None, None, "skipped (--no-demo)"))

    say("")
    stage_rss = {**full["stage_rss_mb"], "end to end": full["peak_rss_mb"],
                 f"one-year re-run ({last_year})": one["peak_rss_mb"] if one else None,
                 "floor": floor_run["peak_rss_mb"], "fixed overhead": overhead["peak_rss_mb"] if overhead else None}
    say(f"{'stage':<36}{'seconds':>10}{'values/s':>12}{'peak RSS MB':>13}   notes")
    for row in rows:
        name, seconds, n, note = row[:4]
        peak_mb = row[4] if len(row) > 4 else stage_rss.get(name)
        say(f"{name:<36}{fmt(seconds, 2):>10}{rate(n, seconds):>12}{fmt(peak_mb, 0) if peak_mb else '':>13}   {note}")
    say("")
    say(f"peak RSS of the process tree: full run {fmt(full['peak_rss_mb'], 0)} MB, one-year re-run "
        f"{fmt(one['peak_rss_mb'] if one else None, 0)} MB, floor {fmt(floor_run['peak_rss_mb'], 0)} MB"
        + (f", minimal input {fmt(overhead['peak_rss_mb'], 0)} MB" if overhead else ""))
    match = ("agree" if floor["mismatches"] == 0 else f"DIFFER in {floor['mismatches']} rows") \
        if floor["mismatches"] is not None else "not compared (no published marts)"
    say(f"floor vs published marts: {floor['rows']:,} unit-years, totals, ratings and ranks {match}")

    ratio = e2e / floor_s
    csv_rate = breakdown["csv"]["values"] / breakdown["csv"]["seconds"] \
        if breakdown and breakdown["csv"]["seconds"] else None
    peak = max(full["peak_rss_mb"], one["peak_rss_mb"] if one else 0)
    bound = TARGET_FLOOR_FACTOR * floor_s + (fixed or 0)
    say("")
    say("targets (set for the default scale):")
    checks = [
        (f"ingest CSV ≥ {TARGET_INGEST_CSV:,} values/s", fmt(csv_rate, 0),
         csv_rate >= TARGET_INGEST_CSV if csv_rate is not None else None),
        (f"end to end ≤ {TARGET_FLOOR_FACTOR} × floor + fixed overhead", f"{e2e:.1f} s vs {bound:.1f} s",
         e2e <= bound if fixed is not None else None),
        (f"peak RSS ≤ {TARGET_RSS_MB} MB", f"{peak:,.0f} MB", peak <= TARGET_RSS_MB),
        (f"one-year re-run ≤ {TARGET_ONE_YEAR_SHARE:.0%} of the full run",
         f"{one_s / e2e:.1%}" if one else "n/a", one_s <= TARGET_ONE_YEAR_SHARE * e2e if one else None),
        (f"demo `make run`, warm ≤ {TARGET_DEMO_WARM_S} s", f"{demo_s:.1f} s" if demo else "n/a",
         demo_s <= TARGET_DEMO_WARM_S if demo else None),
    ]
    for label, measured, met in checks:
        verdict = "n/a" if met is None else ("met" if met else "NOT met")
        say(f"  {label:<50}{measured:>24}   {verdict}")
    if fixed is not None:
        say(f"  (end to end less the fixed overhead is {(e2e - fixed) / floor_s:.1f} × the floor)")
    figures = {
        "values": values, "e2e_s": round(e2e, 2), "floor_s": round(floor_s, 3), "ratio": round(ratio, 1),
        "ingest_values_per_s": round(values / ingest_s) if ingest_s else None,
        "peak_rss_mb": round(peak), "one_year_s": round(one_s, 2) if one else None,
        "fixed_overhead_s": round(fixed, 2) if fixed is not None else None,
        "demo_warm_s": round(demo_s, 2) if demo else None,
        "demo_forced_s": round(demo["forced"]["wall"], 2) if demo else None,
        "csv_values_per_s": round(csv_rate) if csv_rate else None,
        "stages": stages, "floor_mismatches": floor["mismatches"], "input": summary,
    }
    say("")
    say(f"bench: values={values} e2e_s={e2e:.2f} floor_s={floor_s:.3f} ratio={ratio:.1f} "
        f"ingest_values_per_s={figures['ingest_values_per_s']} peak_rss_mb={round(peak)} "
        f"one_year_s={f'{one_s:.2f}' if one else 'n/a'} demo_warm_s={f'{demo_s:.2f}' if demo else 'n/a'}")
    return figures


if __name__ == "__main__":
    sys.exit(main())
