"""reset and redo go back to the stub without losing the learner's file; review schedules with FSRS."""
import json

from tests.cli.conftest import ADD_SOLVED, ADD_WRONG

STUB = "def add(a, b):\n    raise NotImplementedError('TODO')\n"
SQL_STUB = "SELECT 'TODO' AS todo;\n"


def backups(project, kata_id):
    return sorted((project.root / ".dojo" / "backups" / kata_id).glob("*"))


def test_reset_keeps_a_backup_then_restores_the_stub(project):
    project.kata("status")                                  # first sight: the stubs are recorded
    project.write("katas/day0/demo/add.py", ADD_WRONG)
    result = project.kata("reset", "day0.demo.add")
    assert result.ret == 0, result.stderr.str()
    assert project.read("katas/day0/demo/add.py") == STUB
    [saved] = backups(project, "day0.demo.add")
    assert (saved / "day0/demo/add.py").read_text() == ADD_WRONG
    result.stdout.fnmatch_lines([f"day0.demo.add is back to its stub; your version is in {saved}", "status: attempted"])
    again = project.kata("reset", "day0.demo.add", "--no-run")
    again.stdout.fnmatch_lines(["day0.demo.add is already its stub; nothing to back up"])
    assert len(backups(project, "day0.demo.add")) == 1


def test_reset_a_sql_folder_kata(project):
    project.kata("status")
    project.write("katas/day0/demo/report/query.sql", "SELECT 42;\n")
    assert project.kata("reset", "day0.demo.report", "--no-run").ret == 0
    assert project.read("katas/day0/demo/report/query.sql") == SQL_STUB
    assert project.read("katas/day0/demo/report/test_report.py")     # tests are not the learner's files
    [saved] = backups(project, "day0.demo.report")
    assert (saved / "day0/demo/report/query.sql").read_text() == "SELECT 42;\n"


def test_reset_refuses_when_it_cannot_know_the_stub(project):
    project.pytest("katas/day0")                            # run before any kata command: nothing recorded
    project.write("katas/day0/demo/add.py", ADD_WRONG)
    result = project.kata("reset", "day0.demo.add")
    assert result.ret == 1
    assert "cannot find the original stub of day0.demo.add" in result.stderr.str()
    assert project.read("katas/day0/demo/add.py") == ADD_WRONG
    assert not backups(project, "day0.demo.add")


def test_redo_practises_a_solved_kata_and_review_schedules_it(project):
    project.kata("status")
    review = project.kata("review")
    review.stdout.fnmatch_lines(["nothing to review yet*"])
    project.write("katas/day0/demo/add.py", ADD_SOLVED)
    assert project.kata("check", "day0.demo.add").ret == 0
    project.kata("review").stdout.fnmatch_lines(["nothing is due today", "coming up", "*day0.demo.add*"])
    project.kata("review", env={"DOJO_NOW": "2099-01-01T00:00:00+00:00"}).stdout.fnmatch_lines(
        ["due for practice*", "*day0.demo.add * Add"])
    card = json.loads(project.read(".dojo/review.json"))["day0.demo.add"]

    project.kata("hint", "day0.demo.add")
    result = project.kata("redo", "day0.demo.add")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*back to its stub*", "practising day0.demo.add again*", "status: attempted"])
    assert project.read("katas/day0/demo/add.py") == STUB
    assert (backups(project, "day0.demo.add")[0] / "day0/demo/add.py").read_text() == ADD_SOLVED
    assert project.kata("hint", "day0.demo.add", "--all").stdout.str().startswith("no hint revealed yet")

    project.write("katas/day0/demo/add.py", ADD_SOLVED)
    assert project.kata("check", "day0.demo.add").ret == 0
    project.kata("review")
    entry = json.loads(project.read(".dojo/review.json"))["day0.demo.add"]
    assert [r[1] for r in entry["reviews"]] == ["good", "good"]
    assert entry["card"]["last_review"] >= card["card"]["last_review"] and not entry["practising_since"]
