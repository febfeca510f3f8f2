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
