"""The untouched stub of every kata, so `reset` and `redo` can always go back to it.

Where "the stub" comes from, in order:
1. a pristine copy in the state folder (`.dojo/pristine/<kata id>/`), once recorded never rewritten;
2. the file as committed at git HEAD (`git show`, a read), when the project is a git checkout;
   this copy is then recorded, so later commits of the learner's own work do not change the stub;
3. otherwise the file on disk, but only while the kata has no recorded test results, i.e. the
   learner has never run it: the first time the command sees a kata untouched it records it.

Every `kata` command records what it can (`record_all`), so the copy exists before it is needed.
When none of the three is available, `reset` refuses rather than guess.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from dojo import paths, results
from dojo.learner import files, state
from dojo.manifest import Kata


class NoPristineStub(LookupError):
    """No recorded copy, no git history and the kata already touched: reset cannot know the stub."""


def folder(kata: Kata) -> Path:
    return state.folder("pristine", kata.id)


def stub(kata: Kata) -> dict[str, str | None]:
    """Relative path -> stub text, recording it first if it can; raises NoPristineStub."""
    if not record(kata):
        raise NoPristineStub(
            f"kata: cannot find the original stub of {kata.id}: no copy in {folder(kata)}, no git history, "
            f"and the kata was already run. Restore it by hand from your git history.")
    return {name: _read(folder(kata) / name) for name in files.names(kata)}


def record(kata: Kata) -> bool:
    """Make sure a pristine copy is in the state folder; True when one is there."""
    target = folder(kata)
    if (target / ".complete").exists():
        return True
    copy = _from_git(kata)
    if copy is None and kata.id not in results.load_progress():
        copy = files.read(kata)
    if copy is None or all(text is None for text in copy.values()):
        return False
    if target.exists():
        shutil.rmtree(target)              # a half-written copy from an interrupted run
    for name, text in copy.items():
        if text is not None:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_text(text, encoding="utf-8")
    (target / ".complete").write_text("", encoding="utf-8")
    return True


def record_all(katas: list[Kata]) -> None:
    for kata in katas:
        record(kata)


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


@functools.lru_cache(maxsize=1)
def _git_toplevel() -> Path | None:
    try:
        done = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "--show-toplevel"],
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    top = Path(done.stdout.strip()).resolve()
    return top if top == paths.ROOT.resolve() else None


def _from_git(kata: Kata) -> dict[str, str | None] | None:
    top = _git_toplevel()
    if top is None:
        return None
    copy: dict[str, str | None] = {}
    for name in files.names(kata):
        done = subprocess.run(["git", "-C", str(top), "show", f"HEAD:katas/{name}"],
                              capture_output=True, text=True, timeout=10, check=False)
        copy[name] = done.stdout if done.returncode == 0 else None
    return None if all(text is None for text in copy.values()) else copy
