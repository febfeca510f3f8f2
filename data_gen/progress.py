"""A one-line progress bar on stderr: done/total, percent and MB/s. No dependencies."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .sizes import format_bytes


class Progress:
    """Redraws at most every ``interval`` seconds; does nothing when disabled."""

    def __init__(
        self,
        label: str,
        total: int,
        unit: str,
        *,
        enabled: bool,
        stream: TextIO | None = None,
        interval: float = 0.25,
    ):
        self.label, self.total, self.unit, self.enabled = label, total, unit, enabled
        self.stream = stream or sys.stderr
        self.interval = interval
        self.started = time.perf_counter()
        self.last_draw = 0.0
        self.drawn = False

    def update(self, rows: int, nbytes: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self.last_draw < self.interval:
            return
        self.last_draw = now
        done = rows if self.unit == "rows" else nbytes
        fraction = min(done / self.total, 1.0) if self.total else 1.0
        bar = "#" * int(fraction * 30)
        rate = nbytes / max(now - self.started, 1e-9)
        shown = (
            f"{rows:,}/{self.total:,} rows"
            if self.unit == "rows"
            else f"{format_bytes(nbytes)}/{format_bytes(self.total)}"
        )
        self.stream.write(f"\r{self.label} [{bar:<30}] {fraction:6.1%} {shown} {format_bytes(rate)}/s ")
        self.stream.flush()
        self.drawn = True

    def close(self, rows: int, nbytes: int) -> None:
        if self.enabled:
            self.update(rows, nbytes, force=True)
            self.stream.write("\n")
            self.stream.flush()
