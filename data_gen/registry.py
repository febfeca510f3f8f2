"""The datasets by name: their columns, formats and builder, read from the modules in datasets/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from .datasets import customers_raw, employees, events, orders_raw, sales, transactions, users


@dataclass(frozen=True)
class Dataset:
    name: str
    index: int  # part of every block's seed: fixed forever, so adding a dataset changes no output
    columns: tuple[str, ...]
    formats: tuple[str, ...]
    description: str
    build: Callable
    csv_quote_style: str = "necessary"


def _from_module(name: str, index: int, module: ModuleType) -> Dataset:
    return Dataset(
        name=name,
        index=index,
        columns=module.COLUMNS,
        formats=module.FORMATS,
        description=(module.__doc__ or "").strip(),
        build=module.build,
        csv_quote_style=getattr(module, "CSV_QUOTE_STYLE", "necessary"),
    )


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        _from_module("users", 1, users),
        _from_module("transactions", 2, transactions),
        _from_module("sales", 3, sales),
        _from_module("employees", 4, employees),
        _from_module("customers_raw", 5, customers_raw),
        _from_module("events", 6, events),
        _from_module("orders_raw", 7, orders_raw),
    )
}
