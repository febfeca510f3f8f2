"""check runs pytest like a plain run (same exit code, progress recorded); diff waits for green."""
from tests.cli.conftest import ADD_SOLVED, ADD_WRONG


def test_check_summarises_and_exits_as_pytest_does(project):
    result = project.kata("check", "day0.demo.add")
    assert result.ret == project.pytest("katas/day0/demo/test_add.py").ret == 1
    result.stdout.fnmatch_lines(["*day0.demo.add * 0 * 1 * 0", "0 of 1 green; first failure:",
                                 "*test_adds*", "*NotImplementedError*", "all the details: pytest katas/day0/demo/test_add.py"])
    project.write("katas/day0/demo/add.py", ADD_SOLVED)
    result = project.kata("check", "day0.demo.add")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*day0.demo.add * 1 * 0 * 0", "all green: 1 kata solved"])
    project.kata("status", "day0").stdout.fnmatch_lines(["day0.demo.add * solved *"])


def test_check_a_whole_day(project):
    project.write("katas/day0/demo/add.py", ADD_SOLVED)
    project.write("katas/day0/demo/report/query.sql", "SELECT 42 AS answer;\n")
    result = project.kata("check", "day0")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*day0.demo.add *", "*day0.demo.report *", "all green: 2 katas solved"])


def test_diff_waits_until_the_kata_passes_unless_peeking(project):
    project.write("katas/day0/demo/add.py", ADD_WRONG)
    result = project.kata("diff", "day0.demo.add")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["day0.demo.add is not solved yet*--peek*"])
    result = project.kata("diff", "day0.demo.add", "--peek")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["--- katas/day0/demo/add.py (yours)", "+++ solutions/day0/demo/add.py (reference)",
                                 "@@*", "-    return a - b", "+    return a + b"])


def test_diff_of_a_solved_sql_kata_compares_the_folder(project):
    project.write("katas/day0/demo/report/query.sql", "select 42 as answer;\n")
    assert project.kata("check", "day0.demo.report").ret == 0
    result = project.kata("diff", "day0.demo.report")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["--- katas/day0/demo/report/query.sql (yours)", "-select 42 as answer;",
                                 "+SELECT 42 AS answer;"])


def test_check_shows_the_first_failure_of_the_first_red_kata_in_manifest_order(project):
    """pytest runs test_aaa_zeta.py first and prints fixture errors before failures; the learner is
    shown the failure of the first kata in katas.toml instead."""
    project.append_manifest('\n[[kata]]\nid = "day0.demo.aaa_zeta"\ntitle = "Z"\nseed = "demo"\nhints = ["a", "b"]\n')
    project.write("katas/day0/demo/aaa_zeta.py", "")
    project.write("solutions/day0/demo/aaa_zeta.py", "")
    project.write("katas/day0/demo/test_aaa_zeta.py", """
        import pytest

        @pytest.fixture
        def broken():
            raise RuntimeError("a set-up error in a later kata")

        def test_needs_the_fixture(broken):
            pass
    """)
    result = project.kata("check", "day0")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["0 of 3 green; first failure:", "*_ test_adds _*", "*NotImplementedError*"])
    assert "set-up error" not in result.stdout.str().split("first failure:")[1]


def test_start_runs_a_day_then_shows_progress_and_where_to_begin(project):
    result = project.kata("start", "day0")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["day / topic * progress *", "day0 *", "  demo *",
                                 "day0: 0 of 2 katas green, 2 tests red, 0 passed  (every test: add --full)",
                                 "start with day0.demo.add: *", "edit:  katas/day0/demo/add.py",
                                 "run:   kata check day0.demo.add *"])
    assert "NotImplementedError" not in result.stdout.str()
    full = project.kata("start", "day0", "--full")
    full.stdout.fnmatch_lines(["*NotImplementedError*", "day / topic * progress *"])
    project.write("katas/day0/demo/add.py", ADD_SOLVED)
    project.kata("start", "day0").stdout.fnmatch_lines(["day0: 1 of 2 katas green*", "start with day0.demo.report: *"])
