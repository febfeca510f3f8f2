"""status, next and hint, as a learner types them; status always agrees with the last pytest run."""
import json

from tests.cli.conftest import ADD_SOLVED, ADD_WRONG

SUBCOMMANDS = ("status", "next", "start", "hint", "check", "watch", "diff", "bench", "reset", "review", "redo",
               "mock", "verify")


def test_help_lists_every_subcommand_with_a_one_line_help(project):
    result = project.kata("--help")
    assert result.ret == 0
    text = result.stdout.str()
    for name in SUBCOMMANDS:
        assert f"    {name} " in text, name


def test_a_bad_id_gets_one_line_with_the_nearest_ids_and_exit_2(project):
    for args in (("hint", "day0.demo.ad"), ("check", "day0.demo.ad"), ("diff", "day0.demo.ad"),
                 ("reset", "day0.demo.ad"), ("bench", "day0.demo.ad"), ("check", "dya0")):
        result = project.kata(*args)
        assert result.ret == 2, args
        lines = result.stderr.str().strip().splitlines()
        assert len(lines) == 1 and "did you mean" in lines[0], (args, lines)
    assert "day0.demo.add" in project.kata("hint", "day0.demo.ad").stderr.str()


def test_status_follows_every_plain_pytest_run(project):
    result = project.kata("status")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["day0 * 0 * 0 * 2", "  demo * 0 * 0 * 2", "0 of 2 katas solved*"])

    assert project.pytest("katas/day0/demo/test_add.py").ret == 1       # red on the stub
    project.kata("status", "day0").stdout.fnmatch_lines(["day0.demo.add * attempted * 0/1 *",
                                                         "day0.demo.report * untouched *"])
    project.write("katas/day0/demo/add.py", ADD_SOLVED)
    assert project.pytest("katas/day0/demo/test_add.py").ret == 0
    project.kata("status", "day0").stdout.fnmatch_lines(["day0.demo.add * solved * 1/1 *"])
    project.kata("status").stdout.fnmatch_lines(["day0 *##########* 1 * 0 * 1", "1 of 2 katas solved*"])

    project.write("katas/day0/demo/add.py", ADD_WRONG)
    assert project.pytest("katas/day0").ret == 1
    project.kata("status", "day0").stdout.fnmatch_lines(["day0.demo.add * attempted *"])
    recorded = json.loads(project.read(".dojo/results.json"))
    assert set(recorded) == {"day0.demo.add", "day0.demo.report"}


def test_editing_a_stub_without_running_it_counts_as_attempted(project):
    project.kata("status")                                   # the command sees the stub untouched
    project.write("katas/day0/demo/add.py", ADD_WRONG)
    project.kata("status", "day0").stdout.fnmatch_lines(["day0.demo.add * attempted * - *"])


def test_output_is_plain_when_piped(project):
    out = project.kata("status").stdout.str()
    assert "\x1b[" not in out and "━" not in out and "│" not in out


def test_next_shows_the_statement_and_the_command_then_moves_on(project):
    project.write("katas/day0/demo/add.py", '"""Add two numbers: the statement."""\n' + ADD_WRONG)
    result = project.kata("next")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["== day0.demo.add: Add", "Add two numbers: the statement.",
                                 "edit:  katas/day0/demo/add.py", "run:   kata check day0.demo.add*"])
    project.write("katas/day0/demo/add.py", ADD_SOLVED)
    project.pytest("katas/day0/demo/test_add.py")
    project.kata("next").stdout.fnmatch_lines(["== day0.demo.report: A SQL artefact", "edit:  katas/day0/demo/report/query.sql"])


def test_hints_are_revealed_one_at_a_time_and_remembered(project):
    project.kata("hint", "day0.demo.add", "--all").stdout.fnmatch_lines(["no hint revealed yet*"])
    project.kata("hint", "day0.demo.add").stdout.fnmatch_lines(["hint 1/2: one"])
    project.kata("hint", "day0.demo.add").stdout.fnmatch_lines(["hint 2/2: two"])
    project.kata("hint", "day0.demo.add").stdout.fnmatch_lines(["all 2 hints of day0.demo.add are shown*"])
    project.kata("hint", "day0.demo.add", "--all").stdout.fnmatch_lines(["hint 1/2: one", "hint 2/2: two"])
    project.kata("hint", "day0.demo.report", "--all").stdout.fnmatch_lines(["no hint revealed yet*"])
