"""Where things live. Everything else asks here, so the layout is written down once."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("DOJO_ROOT", Path(__file__).resolve().parent.parent))
KATAS = ROOT / "katas"
SOLUTIONS = ROOT / "solutions"
WRONG_VARIANTS = ROOT / "tests" / "wrong"
MANIFEST = ROOT / "katas.toml"
STATE = Path(os.environ.get("DOJO_STATE", ROOT / ".dojo"))   # git-ignored learner state
DATA = ROOT / ".data"                                        # git-ignored generated data


def kata_relpath(kata_id: str) -> Path:
    """`day1.exercises.memoize` -> `day1/exercises/memoize` (no suffix)."""
    return Path(*kata_id.split("."))
