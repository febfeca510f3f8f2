"""The katas/solutions switch: one mechanism for imports, files and child processes.

Test files import what a learner expects (`from katas.day1.exercises.memoize import memoize`).
The mode comes from the environment variable DOJO_IMPL, which the pytest plugin sets from
`--impl`, so child processes (multiprocessing) inherit it. In `solutions` mode an import finder
loads `solutions/<path>.py` under the `katas.<path>` name. The verifier can also substitute one
kata with a known-wrong variant (DOJO_SUBSTITUTE="kata.id=/path/to/file-or-dir").

`katas/__init__.py` calls `install_switch()`, so any process that imports a kata gets the finder.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
from pathlib import Path

from dojo.paths import KATAS, SOLUTIONS, kata_relpath

MODES = ("katas", "solutions")
ENV_MODE = "DOJO_IMPL"
ENV_SUBSTITUTE = "DOJO_SUBSTITUTE"
DEFAULT_MODE = "katas"


def current_mode() -> str:
    mode = os.environ.get(ENV_MODE, DEFAULT_MODE) or DEFAULT_MODE
    if mode not in MODES:
        raise ValueError(f"{ENV_MODE}={mode!r}: expected one of {', '.join(MODES)}")
    return mode


def substitutes() -> dict[str, Path]:
    """Kata id -> replacement file (a Python kata) or folder (a kata made of .sql files)."""
    raw = os.environ.get(ENV_SUBSTITUTE, "")
    pairs = (item.split("=", 1) for item in raw.split(os.pathsep) if item)
    return {kata_id: Path(path) for kata_id, path in pairs}


def implementation_root() -> Path:
    return SOLUTIONS if current_mode() == "solutions" else KATAS


def kata_file(kata_id: str, name: str) -> Path:
    """A non-Python artefact of a kata (`.sql`, a template), found through the same switch."""
    substitute = substitutes().get(kata_id)
    if substitute is not None and substitute.is_dir() and (substitute / name).exists():
        return substitute / name
    return implementation_root() / kata_relpath(kata_id) / name


def reference_file(kata_id: str, name: str) -> Path:
    """The reference artefact, whatever the mode (expected results come from it)."""
    return SOLUTIONS / kata_relpath(kata_id) / name


class _SwitchFinder(importlib.abc.MetaPathFinder):
    """Resolves `katas.X` to a substitute or to `solutions/X.py`; anything else falls through."""

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("katas."):
            return None
        kata_id = fullname.removeprefix("katas.")
        substitute = substitutes().get(kata_id)
        if substitute is not None and substitute.is_file():
            return importlib.util.spec_from_file_location(fullname, substitute)
        if current_mode() != "solutions":
            return None
        candidate = SOLUTIONS / (kata_relpath(kata_id).as_posix() + ".py")
        if candidate.is_file():
            return importlib.util.spec_from_file_location(fullname, candidate)
        return None


def install_switch() -> None:
    """Put the finder first on sys.meta_path, once per process."""
    if not any(isinstance(finder, _SwitchFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SwitchFinder())


def load_reference(kata_id: str):
    """The reference module, whatever the mode (for benchmarks), as `dojo.reference.<kata id>`."""
    return importlib.import_module(f"dojo.reference.{kata_id}")
