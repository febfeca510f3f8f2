"""Benchmarks of three contenders per performance kata: the learner's code, the reference, a naive baseline.

    @pytest.mark.perf
    @pytest.mark.parametrize("contender", CONTENDERS)
    def test_benchmark_aggregate(benchmark, contender, big_csv):
        race(benchmark, "day1.data.large_files", "aggregate_csv", contender, naive_aggregate, big_csv)

Normal runs execute each once as a test (--benchmark-disable is in the project's addopts);
`pytest -m perf --benchmark-enable` times them, grouped by kata, with ratios to the fastest.
"""
from __future__ import annotations

import importlib
from typing import Callable

from dojo import impl

CONTENDERS = ("learner", "reference", "naive")


def contenders(kata_id: str, name: str, naive: Callable) -> dict[str, Callable]:
    """The three implementations of `name`: through the switch, the reference module, the baseline."""
    return {
        "learner": getattr(importlib.import_module(f"katas.{kata_id}"), name),
        "reference": getattr(impl.load_reference(kata_id), name),
        "naive": naive,
    }


def race(benchmark, kata_id: str, name: str, contender: str, naive: Callable, *args, check=None):
    """Time one contender. The others must agree with the learner's answer, so all three are red on a stub."""
    implementations = contenders(kata_id, name, naive)
    benchmark.group = kata_id
    benchmark.name = contender
    if contender == "learner":
        return benchmark(implementations["learner"], *args)
    expected = implementations["learner"](*args)
    got = benchmark(implementations[contender], *args)
    if check is not None:
        check(got, expected)
    else:
        assert got == expected, f"{contender} disagrees with your answer"
    return got
