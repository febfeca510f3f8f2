"""Measure the ladder of day1.data.large_files: every rung on one generated transactions CSV.

    python tests/perf/ladder_large_files.py --size 10GB          # all rungs, fastest first
    python tests/perf/ladder_large_files.py --size 1GB --rungs numpy_blocks,polars,duckdb

Generates the file with data_gen into .data/ (reused if a complete one with the same size and seed
is there), reads it once to warm the page cache, runs each rung in a fresh subprocess, and prints
MB/s and peak RSS. Peak RSS is the larger of the child's VmHWM and the sum of the RSS of the child
and its own worker processes, sampled every 10 ms (so the two-process rung is charged for both
workers). Every rung must return the same groups. The file is deleted at the end, also on Ctrl-C,
unless --keep is given.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.perf.peak_rss import PeakRss  # noqa: E402  (after the path is set, when run as a script)

KATA = "day1.data.large_files"
RUNGS = {                       # name -> reference function
    "compiled": "ladder_compiled",
    "numpy_blocks": "aggregate_csv",
    "polars": "ladder_polars",
    "duckdb": "ladder_duckdb",
    "pyarrow_stream": "ladder_pyarrow_stream",
    "pandas_chunks": "ladder_pandas_chunks",
    "csv_module": "ladder_csv_module",
}


def run_one(rung: str, path: str) -> None:
    """In a fresh process: run one rung, print seconds, peak RSS and a digest of the groups."""
    from dojo import impl

    reference = impl.load_reference(KATA)
    fn = getattr(reference, RUNGS[rung])
    with PeakRss() as peak:
        start = time.perf_counter()
        result = fn(path)
        seconds = time.perf_counter() - start
    groups = getattr(result, "groups", result)
    digest = hashlib.sha256(repr(sorted(groups.items())).encode()).hexdigest()[:12]
    print(json.dumps({"seconds": seconds, "peak_kb": peak.kb,
                      "groups": len(groups), "rows": sum(n for _, n in groups.values()), "digest": digest}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="1GB", help="file size for data_gen, e.g. 1GB or 10GB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rungs", default=",".join(RUNGS), help="comma-separated, from: " + ", ".join(RUNGS))
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--run-one", nargs=2, metavar=("RUNG", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        run_one(*args.run_one)
        return 0

    import data_gen
    from dojo.paths import DATA

    DATA.mkdir(exist_ok=True)
    path = DATA / f"ladder-transactions-{args.size}-seed{args.seed}.csv"
    try:
        if not path.exists():
            print(f"generating {path} ({args.size}) with data_gen ...", flush=True)
            data_gen.generate("transactions", path, size=args.size, fmt="csv", seed=args.seed)
        size = path.stat().st_size
        with open(path, "rb") as f:                      # warm the page cache: all rungs read from RAM
            while f.read(16 << 20):
                pass
        print(f"{path.name}: {size / 1e6:,.0f} MB, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}\n", flush=True)
        print(f"| {'rung':<15} | {'seconds':>8} | {'MB/s':>6} | {'peak RSS MB':>11} | {'agrees':>6} |")
        print(f"|{'-' * 17}|{'-' * 10}|{'-' * 8}|{'-' * 13}|{'-' * 8}|", flush=True)
        first = None
        for rung in args.rungs.split(","):
            out = subprocess.run([sys.executable, __file__, "--run-one", rung, str(path)], cwd=ROOT,
                                 capture_output=True, text=True, check=False)
            if out.returncode != 0:
                print(f"| {rung:<15} | failed: {out.stderr.strip().splitlines()[-1:]}", flush=True)
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            first = first or r["digest"]
            print(f"| {rung:<15} | {r['seconds']:8.1f} | {size / 1e6 / r['seconds']:6.0f} | "
                  f"{r['peak_kb'] / 1024:11.0f} | {'yes' if r['digest'] == first else 'NO':>6} |", flush=True)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
            for part in DATA.glob(f".{path.name}.*.part"):
                part.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
