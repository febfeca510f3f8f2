"""Known-wrong variants: the bug a real candidate writes, kept as a small patch on the reference.

A variant is `tests/wrong/<kata path>/<name>.diff`: a unified diff against the kata's reference
(`a/memoize.py` for a module kata, `a/latest.sql` for a file inside a folder kata). The lines
before the diff say what the bug is. Applying one gives a substitute for DOJO_SUBSTITUTE.

    python -m dojo.variants make day1.exercises.memoize fifo_eviction /tmp/my_wrong_memoize.py
"""
from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
from pathlib import Path

from dojo import manifest
from dojo.paths import WRONG_VARIANTS, kata_relpath


def describe(variant: Path) -> str:
    """The explanation written above the diff."""
    lines = []
    for line in variant.read_text(encoding="utf-8").splitlines():
        if line.startswith(("--- ", "diff ")):
            break
        lines.append(line)
    return " ".join(" ".join(lines).split())


def apply(kata: manifest.Kata, variant: Path, workdir: Path) -> Path:
    """Copy the reference into workdir, apply the patch, return the substitute file or folder."""
    reference = kata.solution_paths()[0]
    target = workdir / reference.name
    if reference.is_dir():
        shutil.copytree(reference, target, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        shutil.copyfile(reference, target)
    patch_root = target if reference.is_dir() else workdir
    done = subprocess.run(["git", "apply", "--unidiff-zero", "-p1", str(variant.resolve())],
                          cwd=patch_root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{variant}: the patch no longer applies to the reference: {done.stderr.strip()}")
    return target


def make(kata_id: str, name: str, edited: Path, why: str) -> Path:
    """Write a variant from an edited copy of the reference (a file, or one file of a folder kata)."""
    kata = manifest.find(kata_id)
    reference = kata.solution_paths()[0]
    original = reference / edited.name if reference.is_dir() else reference
    diff = difflib.unified_diff(original.read_text(encoding="utf-8").splitlines(keepends=True),
                                edited.read_text(encoding="utf-8").splitlines(keepends=True),
                                fromfile=f"a/{original.name}", tofile=f"b/{original.name}")
    body = "".join(diff)
    if not body:
        raise SystemExit(f"{edited} is identical to the reference: nothing to record")
    out = WRONG_VARIANTS / kata_relpath(kata_id) / f"{name}.diff"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"{why.strip()}\n\n{body}", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dojo.variants", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    made = sub.add_parser("make", help="record an edited copy of a reference as a known-wrong variant")
    made.add_argument("kata_id")
    made.add_argument("name", help="a snake_case name for the bug, e.g. fifo_eviction")
    made.add_argument("edited", type=Path)
    made.add_argument("--why", required=True, help="one or two sentences: the bug and why candidates write it")
    args = parser.parse_args(argv)
    print(make(args.kata_id, args.name, args.edited, args.why))
    return 0


if __name__ == "__main__":
    sys.exit(main())
