"""The command line: parse, call generate(), report. Bad input is one stderr line and exit 2."""

from __future__ import annotations

import argparse
import signal
import sys

from .engine import DataGenError, generate
from .registry import DATASETS
from .sizes import format_bytes
from .writers import FORMATS

PROG = "data_gen"


class _Parser(argparse.ArgumentParser):
    """argparse prints usage plus the error; we promise exactly one line."""

    def error(self, message: str):
        self.exit(2, f"{PROG}: error: {message}\n")


def _int_arg(name: str, text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise DataGenError(f"{name} must be a positive integer, got {text}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Write a deterministic synthetic dataset.")
    parser.add_argument("dataset", help=f"one of: {', '.join(DATASETS)}")
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument("--rows", help="number of rows")
    amount.add_argument("--size", help="target file size, e.g. 500MB, 10GB, 1GiB")
    parser.add_argument("--format", default="csv", help=f"one of: {', '.join(FORMATS)} (default csv)")
    parser.add_argument("--seed", default="0", help="random seed (default 0)")
    parser.add_argument("--out", required=True, help="output file; its directory must exist")
    parser.add_argument("--workers", help="worker processes (default: CPU count); output does not change")
    parser.add_argument(
        "--chunk-rows", help="rows per task (whole 65,536-row blocks); output does not change"
    )
    parser.add_argument("--users", help="number of distinct users in transactions, events, orders_raw (default 10000)")
    show = parser.add_mutually_exclusive_group()
    show.add_argument("--progress", action="store_true", help="always show the progress bar")
    show.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return parser


def _on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through generate(), which removes its temp file


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        seed = _int_arg("--seed", args.seed)
        if seed is not None and seed < 0:
            raise DataGenError(f"--seed must be a non-negative integer, got {args.seed}")
        result = generate(
            args.dataset,
            args.out,
            rows=_int_arg("--rows", args.rows),
            size=args.size,
            fmt=args.format,
            seed=seed,
            workers=_int_arg("--workers", args.workers),
            chunk_rows=_int_arg("--chunk-rows", args.chunk_rows),
            users=_int_arg("--users", args.users),
            progress=args.progress or (not args.quiet and sys.stderr.isatty()),
        )
    except DataGenError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted, no file written", file=sys.stderr)
        return 130
    if not args.quiet:
        rate = result.bytes / max(result.seconds, 1e-9)
        print(
            f"{PROG}: wrote {result.rows:,} rows, {format_bytes(result.bytes)} to {result.path} "
            f"in {result.seconds:.1f} s ({format_bytes(rate)}/s)",
            file=sys.stderr,
        )
    return 0
