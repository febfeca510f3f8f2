"""Measure the ladder of day3.pandas.ten_million_rows: every rung on one generated orders_raw CSV.

    python tests/perf/ladder_ten_million_rows.py                       # 10M rows, every rung
    python tests/perf/ladder_ten_million_rows.py --rows 1000000 --rungs pandas,duckdb

Generates the file with data_gen into .data/ (reused if a complete one with the same rows and seed
is there), reads it once to warm the page cache, and runs each rung in a fresh subprocess, so the
peak RSS printed is that rung's own: load plus pipeline. Peak RSS is the larger of the child's
VmHWM and the sum of the RSS of it and any children, sampled every 10 ms. The pipeline (dedupe +
impute + monthly, on the loaded frame) is timed best of --repeat runs; the row-wise rung runs once
on the first --naive-rows rows and its time is scaled to the whole file. Every rung must give the
reference's table (the row-wise one on its slice): same (region, month, orders), totals within a
cent (an imputed median ends in half a cent, so a total can be a rounding tie that summation order
tips either way). Then it checks the issue's targets. The file is deleted at the end, also on
Ctrl-C, unless --keep is given.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.perf.peak_rss import PeakRss  # noqa: E402  (after the path is set, when run as a script)

KATA = "day3.pandas.ten_million_rows"
RUNGS = {                       # name -> (loader, pipeline), functions of the reference
    "naive": ("load_orders", "ladder_rowwise"),
    "pandas_plain": ("ladder_pandas_plain_load", "ladder_pandas_plain"),
    "pandas": ("load_orders", "pipeline"),
    "polars": ("ladder_polars_load", "ladder_polars"),
    "duckdb": ("load_orders", "ladder_duckdb"),
}
LABELS = {
    "naive": "row-wise iterrows (scaled)",
    "pandas_plain": "pandas, default dtypes",
    "pandas": "pandas reference",
    "polars": "polars (lazy)",
    "duckdb": "DuckDB SQL on the frame",
}
TARGET_VS_DUCKDB = 1.5          # reference pipeline time <= 1.5 x DuckDB's, same run
TARGET_VS_NAIVE = 20            # reference at least 20 x faster than row-wise
TARGET_PEAK_MB = 1536           # load + pipeline peak RSS <= 1.5 GB


def _table(frame) -> list[list]:
    return [[str(r.region), str(r.month), float(r.total_amount), int(r.orders)] for r in frame.itertuples()]


def run_one(rung: str, path: str, repeat: int, naive_rows: int) -> None:
    """In a fresh process: load, run the pipeline, print seconds, peak RSS and the table as JSON."""
    from dojo import impl

    reference = impl.load_reference(KATA)

    def pipeline(frame):
        return reference.monthly_sales(reference.impute_amounts(reference.dedupe(frame)))

    loader_name, pipeline_name = RUNGS[rung]
    loader = getattr(reference, loader_name)
    run = pipeline if pipeline_name == "pipeline" else getattr(reference, pipeline_name)
    with PeakRss() as peak:
        start = time.perf_counter()
        frame = loader(path)
        load_seconds = time.perf_counter() - start
        rows = len(frame)
        if rung == "naive":
            frame, repeat = frame.iloc[:naive_rows], 1
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            result = run(frame)
            best = min(best, time.perf_counter() - start)
    peak_kb = peak.kb
    scale = rows / len(frame)
    want = pipeline(frame) if rung == "naive" else result         # the reference on the same slice
    print(json.dumps({"load_seconds": load_seconds, "seconds": best * scale, "measured_seconds": best,
                      "scale": scale, "rows": rows, "peak_kb": peak_kb, "table": _table(result),
                      "reference_table": _table(want)}))


def agrees(got: list[list], want: list[list]) -> bool:
    same_keys = [(r, m, n) for r, m, _, n in got] == [(r, m, n) for r, m, _, n in want]
    return same_keys and all(abs(a[2] - b[2]) <= 0.01 + 1e-6 for a, b in zip(got, want))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of orders_raw (default 10,000,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rungs", default=",".join(RUNGS), help="comma-separated, from: " + ", ".join(RUNGS))
    parser.add_argument("--repeat", type=int, default=3, help="pipeline runs per rung; the best is kept")
    parser.add_argument("--naive-rows", type=int, default=100_000, help="rows the row-wise rung runs on")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--run-one", nargs=2, metavar=("RUNG", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        run_one(*args.run_one, repeat=args.repeat, naive_rows=args.naive_rows)
        return 0

    import data_gen
    from dojo.paths import DATA

    DATA.mkdir(exist_ok=True)
    path = DATA / f"ladder-orders_raw-{args.rows}-seed{args.seed}.csv"
    try:
        if not path.exists():
            print(f"generating {path} ({args.rows:,} rows) with data_gen ...", flush=True)
            data_gen.generate("orders_raw", path, rows=args.rows, fmt="csv", seed=args.seed)
        with open(path, "rb") as f:                      # warm the page cache: all rungs read from RAM
            while f.read(16 << 20):
                pass
        print(f"{path.name}: {path.stat().st_size / 1e6:,.0f} MB, {args.rows:,} rows, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}\n", flush=True)
        print(f"| {'rung':<27} | {'load s':>6} | {'pipeline s':>10} | {'peak RSS MB':>11} | {'agrees':>6} |")
        print(f"|{'-' * 29}|{'-' * 8}|{'-' * 12}|{'-' * 13}|{'-' * 8}|", flush=True)
        results, reference_table = {}, None
        for rung in args.rungs.split(","):
            out = subprocess.run([sys.executable, __file__, "--run-one", rung, str(path), "--repeat",
                                  str(args.repeat), "--naive-rows", str(args.naive_rows)],
                                 cwd=ROOT, capture_output=True, text=True, check=False)
            if out.returncode != 0:
                print(f"| {LABELS[rung]:<27} | failed: {out.stderr.strip().splitlines()[-1:]}", flush=True)
                continue
            r = results[rung] = json.loads(out.stdout.strip().splitlines()[-1])
            if rung != "naive":
                reference_table = reference_table or r["table"]
            ok = agrees(r["table"], r["reference_table"] if rung == "naive" else reference_table)
            seconds = f"{r['seconds']:.1f}" + ("*" if r["scale"] > 1 else "")
            print(f"| {LABELS[rung]:<27} | {r['load_seconds']:6.1f} | {seconds:>10} | {r['peak_kb'] / 1024:11.0f} | "
                  f"{'yes' if ok else 'NO':>6} |", flush=True)
        if "naive" in results:
            n = results["naive"]
            print(f"\n* measured {n['measured_seconds']:.1f} s on the first {args.naive_rows:,} rows, x{n['scale']:.0f}")
        print(f"load average now {os.getloadavg()[0]:.1f}")
        report_targets(results)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
            for part in DATA.glob(f".{path.name}.*.part"):
                part.unlink(missing_ok=True)
    return 0


def report_targets(results: dict) -> None:
    pandas = results.get("pandas")
    if pandas is None:
        return
    print("\ntargets (the issue's, for the pandas reference):")
    if "duckdb" in results:
        ratio = pandas["seconds"] / results["duckdb"]["seconds"]
        print(f"  pipeline <= {TARGET_VS_DUCKDB}x DuckDB's time: {ratio:.2f}x  "
              f"{'met' if ratio <= TARGET_VS_DUCKDB else 'NOT met'}")
    if "naive" in results:
        ratio = results["naive"]["seconds"] / pandas["seconds"]
        print(f"  >= {TARGET_VS_NAIVE}x faster than row-wise: {ratio:.0f}x  {'met' if ratio >= TARGET_VS_NAIVE else 'NOT met'}")
    peak = pandas["peak_kb"] / 1024
    print(f"  peak RSS of load + pipeline <= {TARGET_PEAK_MB} MB: {peak:.0f} MB  "
          f"{'met' if peak <= TARGET_PEAK_MB else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
