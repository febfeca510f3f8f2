"""The learner's files against the reference, as a unified diff (coloured by the console)."""
from __future__ import annotations

import difflib

from dojo import paths
from dojo.learner import files
from dojo.manifest import Kata


def unified(kata: Kata) -> str:
    mine = files.read(kata)
    reference = files.read(kata, paths.SOLUTIONS)
    chunks = []
    for name in files.names(kata):
        a, b = mine.get(name) or "", reference.get(name) or ""
        chunks += difflib.unified_diff(a.splitlines(keepends=True), b.splitlines(keepends=True),
                                       fromfile=f"katas/{name} (yours)", tofile=f"solutions/{name} (reference)")
    return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)
