"""The one git-ignored folder that holds everything the learner's command remembers.

Progress (`results.json`) is written by the pytest plugin; this module keeps the rest: hints
revealed, the review schedule, mock sessions, pristine stubs and backups. Writes are atomic
(write a temp file, then rename) so an interrupted command never leaves half a JSON file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dojo import paths


def folder(*parts: str) -> Path:
    """A path inside the state folder (`.dojo/`, or $DOJO_STATE)."""
    return paths.STATE.joinpath(*parts)


def read_json(name: str) -> dict[str, Any]:
    try:
        return json.loads(folder(name).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def write_json(name: str, data: dict[str, Any]) -> None:
    target = folder(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, target)
