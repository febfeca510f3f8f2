"""Back to the stub, never losing the learner's work: a backup first, then the pristine files.

Backups go to `.dojo/backups/<kata id>/<timestamp>/` with the same relative paths as under katas/.
The stub is written file by file through a temp file and a rename, so an interrupted reset leaves
each file either as it was (and backed up) or as the stub, never half-written.
"""
from __future__ import annotations

import os
from pathlib import Path

from dojo import paths
from dojo.learner import clock, files, pristine, state
from dojo.manifest import Kata


def backup(kata: Kata) -> Path | None:
    """Copy the learner's current files into a new timestamped backup; None when there is nothing."""
    current = {name: text for name, text in files.read(kata).items() if text is not None}
    if not current:
        return None
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = state.folder("backups", kata.id, stamp)
    n = 1
    while target.exists():
        n += 1
        target = state.folder("backups", kata.id, f"{stamp}-{n}")
    for name, text in current.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    return target


def reset(kata: Kata) -> Path | None:
    """Back up the learner's files, then write the stub back. Raises NoPristineStub before touching anything."""
    stub = pristine.stub(kata)
    if files.read(kata) == stub:
        return None
    saved = backup(kata)
    for name, text in stub.items():
        if text is None:
            continue
        target = paths.KATAS / name
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.kata-reset")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    return saved
