"""Output: rich (colour, bars, boxed tables) on a terminal; plain, aligned text otherwise.

CI logs and pipes get no escape codes and no box-drawing, so `kata status | grep` works.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

BAR_WIDTH = 20


class Out:
    def __init__(self, rich: bool | None = None):
        self.rich = sys.stdout.isatty() if rich is None else rich
        if self.rich:
            from rich.console import Console
            self.console = Console(highlight=False, soft_wrap=True)

    def line(self, text: str = "", style: str | None = None) -> None:
        if self.rich:
            from rich.text import Text
            self.console.print(Text(text, style=style or ""))
        else:
            print(text, flush=True)

    def heading(self, text: str) -> None:
        if self.rich:
            self.console.rule(f"[bold]{_escape(text)}")
        else:
            print(f"== {text}", flush=True)

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
        """Rows of strings (never parsed as markup) or, on a terminal, rich renderables such as bars."""
        if self.rich:
            from rich.table import Table
            table = Table(*columns, title=title, title_justify="left")
            from rich.text import Text
            for row in rows:
                table.add_row(*(Text(cell) if isinstance(cell, str) else cell for cell in row))
            self.console.print(table)
            return
        if title:
            print(title)
        plain_rows = [[str(cell) for cell in row] for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in plain_rows]) for i, c in enumerate(columns)]
        for row in [list(columns), *plain_rows]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        sys.stdout.flush()

    def bar(self, solved: int, attempted: int, total: int) -> Any:
        """A progress bar as a table cell: solved, then attempted, then untouched."""
        if total == 0:
            return ""
        full = round(BAR_WIDTH * solved / total)
        half = round(BAR_WIDTH * (solved + attempted) / total) - full
        empty = BAR_WIDTH - full - half
        if self.rich:
            from rich.text import Text
            return Text.assemble(("█" * full, "green"), ("▒" * half, "yellow"), ("·" * empty, "dim"))
        return "#" * full + "+" * half + "." * empty

    def diff(self, text: str) -> None:
        if not self.rich:
            print(text, end="" if text.endswith("\n") else "\n", flush=True)
            return
        from rich.text import Text
        styles = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))
        for row in text.splitlines():
            style = next((s for prefix, s in styles if row.startswith(prefix)), "")
            self.console.print(Text(row, style=style))


def _escape(text: str) -> str:
    from rich.markup import escape
    return escape(text)
