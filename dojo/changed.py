"""Which katas a change touches: the author's loop runs `kata verify --changed` on just those.

A kata is touched when its stub, tests, reference or wrong variants differ from the last commit on
main (untracked files count), or when its own block of katas.toml changed. CI still checks them all.
"""
from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from dojo import manifest, paths

BASE = "main"
KATA_ROOTS = (paths.KATAS, paths.SOLUTIONS, paths.WRONG_VARIANTS)


class NotARepository(RuntimeError):
    """--changed needs git and a `main` branch to compare with."""


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise NotARepository(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def changed_files(base: str = BASE) -> list[Path]:
    """Files that differ from `base`, committed or not, plus untracked ones (git-ignored ones excluded)."""
    names = _git("diff", "--name-only", base, "--").splitlines()
    names += _git("ls-files", "--others", "--exclude-standard").splitlines()
    return sorted({paths.ROOT / name for name in names})


def kata_of_path(path: Path, katas: list[manifest.Kata]) -> str | None:
    """The kata a file under katas/, solutions/ or tests/wrong/ belongs to, or None."""
    owner = manifest.kata_for_test_file(path, katas)
    if owner is not None:
        return owner.id
    ids = {k.id for k in katas}
    for root in KATA_ROOTS:
        if path.is_relative_to(root):
            parts = path.relative_to(root).with_suffix("").parts
            matches = [".".join(parts[:n]) for n in range(1, len(parts) + 1) if ".".join(parts[:n]) in ids]
            return matches[-1] if matches else None
    return None


def manifest_changes(base: str = BASE) -> set[str]:
    """Ids whose katas.toml block is new or differs from `base`."""
    try:
        before = tomllib.loads(_git("show", f"{base}:{paths.MANIFEST.name}"))
    except NotARepository:
        before = {}
    old = {entry["id"]: entry for entry in before.get("kata", [])}
    now = tomllib.loads(paths.MANIFEST.read_text(encoding="utf-8")).get("kata", [])
    return {entry["id"] for entry in now if old.get(entry["id"]) != entry}


def changed_katas(katas: list[manifest.Kata], base: str = BASE) -> tuple[list[manifest.Kata], list[Path]]:
    """The touched katas in manifest order, and changed files outside any kata (the harness, data_gen)."""
    touched = manifest_changes(base)
    elsewhere = []
    for path in changed_files(base):
        kata_id = kata_of_path(path, katas)
        if kata_id:
            touched.add(kata_id)
        elif path != paths.MANIFEST:
            elsewhere.append(path)
    return [k for k in katas if k.id in touched], elsewhere
