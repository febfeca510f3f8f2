"""bench: the learner's code, the reference and a naive baseline in one run, with ratios; save, compare, plot."""
import json

import pytest

# Imported here, not inside a test: pytester drops modules a test imported, and numpy cannot load twice.
from dojo.learner import bench_plot, benchmarks
from dojo.learner.benchmarks import SavedRun, Timing, parse

TOTAL_STUB = "def total(xs):\n    raise NotImplementedError('TODO')\n"
TOTAL_SOLVED = "def total(xs):\n    return sum(xs)\n"
TOTAL_TESTS = """
    import pytest

    from dojo.bench import CONTENDERS, race
    from katas.day0.demo.total import total


    def naive(xs):
        out = 0
        for x in list(xs):
            out = out + x
        return out


    def test_total():
        assert total([1, 2, 3]) == 6


    @pytest.mark.perf
    @pytest.mark.parametrize("contender", CONTENDERS)
    def test_benchmark_total(benchmark, contender):
        race(benchmark, "day0.demo.total", "total", contender, naive, list(range(1000)))
"""


@pytest.fixture
def bench_project(project):
    project.append_manifest('\n[[kata]]\nid = "day0.demo.total"\ntitle = "Total"\nseed = "demo"\n'
                            'needs = ["perf"]\nhints = ["one", "two"]\n')
    project.ini("markers =\n    perf: benchmarks")
    project.write("katas/day0/demo/total.py", TOTAL_STUB)
    project.write("solutions/day0/demo/total.py", TOTAL_SOLVED)
    project.write("katas/day0/demo/test_total.py", TOTAL_TESTS)
    return project


def test_bench_shows_three_contenders_with_ratios_then_compares_with_a_save(bench_project):
    project = bench_project
    result = project.kata("bench", "day0.demo.total", "--max-time", "0.01")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*no timing came back*"])

    project.write("katas/day0/demo/total.py", TOTAL_SOLVED)
    result = project.kata("bench", "day0.demo.total", "--max-time", "0.01", "--save")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["kata * contender * mean * x reference * x fastest"])
    text = result.stdout.str()
    for contender in ("learner", "reference", "naive"):
        assert f"day0.demo.total  {contender}" in text or f"day0.demo.total {contender}" in " ".join(text.split())
    assert list((project.root / ".dojo" / "benchmarks").rglob("*.json"))

    result = project.kata("bench", "day0.demo.total", "--max-time", "0.01", "--compare")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["kata * contender * mean * x reference * x fastest * x last save",
                                 "day0.demo.total * reference * 1.00x *x *x"])


def test_bench_of_a_kata_without_benchmarks_says_which_have_them(bench_project):
    result = bench_project.kata("bench", "day0.demo.add")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["day0.demo.add has no benchmark; these have: day0.demo.total"])


def saved_reports(project) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((project.root / ".dojo" / "benchmarks").rglob("*.json"),
                                                        key=lambda p: p.name)]


def test_bench_races_the_reference_in_the_learners_place_with_impl_solutions(bench_project):
    """Before the kata is solved, --impl solutions shows what the race looks like; nothing is recorded."""
    result = bench_project.kata("bench", "day0.demo.total", "--max-time", "0.01", "--impl", "solutions",
                                "--plot", "race.png")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*--impl solutions: the learner row runs the reference*",
                                 "day0.demo.total * learner * *x *x", "plot: *race.png"])
    assert "learner  -" not in " ".join(result.stdout.str().split())
    assert (bench_project.root / "race.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (bench_project.root / ".dojo" / "results.json").exists()
    refused = bench_project.kata("bench", "day0.demo.total", "--impl", "solutions", "--save")
    assert refused.ret == 2
    refused.stdout.fnmatch_lines(["--save keeps YOUR runs*"])


def test_bench_plot_with_compare_draws_the_saved_runs_then_this_one(bench_project):
    bench_project.write("katas/day0/demo/total.py", TOTAL_SOLVED)
    for _ in range(2):
        assert bench_project.kata("bench", "day0.demo.total", "--max-time", "0.01", "--save").ret == 0
    result = bench_project.kata("bench", "day0.demo.total", "--max-time", "0.01", "--compare",
                                "--plot", "plots/history.png")
    assert result.ret == 0, result.stdout.str()
    assert (bench_project.root / "plots" / "history.png").stat().st_size > 10_000

    saved = [benchmarks.SavedRun(r["datetime"], benchmarks.parse(r)) for r in saved_reports(bench_project)]
    assert len(saved) == 2
    fig = bench_plot.figure(saved[-1].timings, saved)
    bars, history = fig.axes
    drawn = [(label.get_text(), patch.get_height())
             for label, patch in zip(bars.get_xticklabels(), bars.patches)]
    assert drawn == [(t.contender, t.mean_s) for t in bench_plot.ordered(saved[-1].timings)]
    learner_means = [t.mean_s for run in saved for t in run.timings if t.contender == "learner"]
    assert list(history.lines[0].get_ydata()) == learner_means + [learner_means[-1]]


def test_the_figure_carries_means_spreads_and_ratios():
    now = [Timing("k", "naive", 4.0, 0.4), Timing("k", "learner", 1.5, 0.1), Timing("k", "reference", 1.0, 0.05)]
    history = [SavedRun("2026-12-01T10:00:00", [Timing("k", "learner", 3.0, 0.2)]),
               SavedRun("2026-12-02T10:00:00", [Timing("k", "learner", 2.0, 0.1)])]
    bars, line = bench_plot.figure(now, history).axes
    assert [p.get_height() for p in bars.patches] == [1.5, 1.0, 4.0]              # learner, reference, naive
    assert [t.get_text() for t in bars.texts] == ["1.50x ref", "1.00x ref", "4.00x ref"]
    errorbar = next(c for c in bars.containers if hasattr(c, "has_yerr"))
    spreads = errorbar.lines[2][0].get_segments()
    assert [round(seg[1][1] - seg[0][1], 6) for seg in spreads] == [0.2, 0.1, 0.8]   # 2 stddev tall
    assert list(line.lines[0].get_ydata()) == [3.0, 2.0, 1.5]
    assert [t.get_text() for t in line.get_xticklabels()] == ["2026-12-01 10:00", "2026-12-02 10:00", "now"]
    assert sorted(t.get_text() for t in line.get_legend().get_texts()) == ["learner", "reference 1 s"]
    assert [h.get_ydata()[0] for h in line.lines if h.get_label().startswith("reference")] == [1.0]
    assert bench_plot.figure(now).axes[0].get_yscale() == "linear"
    slow = [*now[1:], Timing("k", "naive", 400.0)]
    assert bench_plot.figure(slow).axes[0].get_yscale() == "log"


def test_parse_takes_the_contender_from_its_parameter():
    """day1.data.parallelism sets the group but not the name: the contender comes from the parameter."""
    report = {"benchmarks": [
        {"group": "g", "name": "test_race[learner]", "params": {"contender": "learner"}, "stats": {"mean": 2.0}},
        {"group": "g", "name": "test_race[reference]", "params": {"contender": "reference"},
         "stats": {"mean": 1.0, "stddev": 0.1}},
        {"group": "h", "name": "naive", "params": None, "stats": {"mean": 3.0}}]}
    assert [(t.group, t.contender, t.mean_s, t.stddev_s) for t in parse(report)] == [
        ("g", "learner", 2.0, 0.0), ("g", "reference", 1.0, 0.1), ("h", "naive", 3.0, 0.0)]


def test_the_last_save_of_a_kata_is_found_past_saves_of_other_katas(tmp_path, monkeypatch):
    from dojo import paths

    monkeypatch.setattr(paths, "STATE", tmp_path)
    folder = tmp_path / "benchmarks" / "Linux-CPython-3.11-64bit"
    folder.mkdir(parents=True)
    saves = [("0001", "a", 3.0), ("0002", "a", 2.0), ("0003", "b", 9.0)]
    for number, group, mean in saves:
        report = {"datetime": f"2026-12-0{number[-1]}T10:00:00", "benchmarks": [
            {"group": group, "name": "learner", "params": {"contender": "learner"}, "stats": {"mean": mean}}]}
        (folder / f"{number}_save.json").write_text(json.dumps(report))
    assert [t.mean_s for t in benchmarks.last_saved("a")] == [2.0]
    assert [run.timings[0].mean_s for run in benchmarks.saved_runs("a")] == [3.0, 2.0]
    assert benchmarks.saved_runs("c") == []
