"""bench: the learner's code, the reference and a naive baseline in one run, with ratios; save and compare."""
import pytest

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
