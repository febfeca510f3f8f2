"""The collector policy: complexity guards run with cyclic GC paused, everything else with it on."""


def test_only_complexity_guards_run_with_the_collector_paused(project):
    project.ini("markers =\n    perf: performance guard or benchmark")
    project.write("katas/day0/demo/test_gc.py", """
        import gc

        import pytest


        @pytest.mark.perf
        def test_guard():
            assert not gc.isenabled(), "a complexity guard should run with the collector paused"


        @pytest.mark.perf
        def test_benchmark(benchmark):
            assert gc.isenabled(), "a benchmark times the code as it runs anywhere: collector on"


        def test_plain():
            assert gc.isenabled(), "an ordinary test runs with the collector on"


        def test_collector_is_back_after_a_guard():
            assert gc.isenabled() and gc.get_freeze_count() > 0, "start-up objects are frozen, GC is on"
    """)
    result = project.run("katas/day0/demo/test_gc.py", "--benchmark-disable")
    result.assert_outcomes(passed=4)
