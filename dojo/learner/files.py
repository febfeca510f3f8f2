"""Which files of a kata are the learner's: one `.py` module, or the artefacts in a kata folder.

A SQL kata is a folder (`katas/day2/sql/joins/`) holding the learner's `.sql` files beside its
README, `__init__.py` and tests; only the artefacts are the learner's. They are the files the
reference folder has, plus any other non-test file the stub folder has.
"""
from __future__ import annotations

from pathlib import Path

from dojo import paths
from dojo.manifest import Kata

NOT_THE_LEARNERS = {"README.md", "__init__.py"}


def is_folder(kata: Kata) -> bool:
    return (paths.KATAS / paths.kata_relpath(kata.id)).is_dir()


def names(kata: Kata) -> list[str]:
    """Paths of the learner's files, relative to katas/ (and to solutions/)."""
    rel = paths.kata_relpath(kata.id)
    if not is_folder(kata):
        return [rel.with_suffix(".py").as_posix()]
    found: set[str] = set()
    for root in (paths.KATAS / rel, paths.SOLUTIONS / rel):
        if root.is_dir():
            found |= {p.name for p in root.iterdir() if p.is_file() and _is_artefact(p.name)}
    return sorted((rel / name).as_posix() for name in found)


def _is_artefact(name: str) -> bool:
    return name not in NOT_THE_LEARNERS and not name.startswith(("test_", ".")) and not name.endswith(".pyc")


def read(kata: Kata, root: Path | None = None) -> dict[str, str | None]:
    """Relative path -> text (None when the file is missing) under katas/ or another root."""
    base = paths.KATAS if root is None else root
    out: dict[str, str | None] = {}
    for name in names(kata):
        path = base / name
        out[name] = path.read_text(encoding="utf-8") if path.is_file() else None
    return out


def watched(kata: Kata) -> list[Path]:
    """What `watch` looks at: the learner's files and the kata's tests."""
    return [paths.KATAS / n for n in names(kata)] + kata.test_paths()


def statement(kata: Kata) -> str:
    """The problem as the learner reads it: the stub's docstring, or the kata folder's README."""
    rel = paths.kata_relpath(kata.id)
    if is_folder(kata):
        readme = paths.KATAS / rel / "README.md"
        return readme.read_text(encoding="utf-8").strip() if readme.exists() else kata.title
    import ast
    stub = paths.KATAS / rel.with_suffix(".py")
    try:
        return (ast.get_docstring(ast.parse(stub.read_text(encoding="utf-8"))) or kata.title).strip()
    except (OSError, SyntaxError):
        return kata.title
