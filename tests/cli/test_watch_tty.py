"""watch in a real pseudo-terminal: start it, save a file, read the screen; Ctrl-C leaves files alone."""
import os
import sys
import time

import pytest

from tests.cli.conftest import ADD_SOLVED

pexpect = pytest.importorskip("pexpect")


def spawn(project, *args):
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "120"}
    return pexpect.spawn(sys.executable, ["-m", "dojo", *args], cwd=str(project.root), env=env,
                         encoding="utf-8", timeout=30, dimensions=(40, 120))


def test_watch_reruns_on_save_and_moves_on_when_green(project):
    child = spawn(project, "watch", "day0.demo.add")
    child.expect("watching day0.demo.add")
    child.expect("NotImplementedError")
    child.expect("type h and Enter for a hint")
    child.sendline("h")
    child.expect("hint 1: one")
    time.sleep(0.3)
    project.write("katas/day0/demo/add.py", ADD_SOLVED)
    child.expect("day0.demo.add is green")
    child.expect("moving on to day0.demo.report")
    child.expect("watching day0.demo.report")
    child.expect("type h and Enter")
    child.sendintr()
    child.expect("stopped watching")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert project.read("katas/day0/demo/add.py") == ADD_SOLVED
    assert project.read("katas/day0/demo/report/query.sql") == "SELECT 'TODO' AS todo;\n"


def test_ctrl_c_while_tests_run_touches_nothing(project):
    project.write("katas/day0/demo/test_add.py", "import time\nfrom katas.day0.demo.add import add\n\n"
                                                 "def test_slow():\n    time.sleep(30)\n    assert add(2, 3) == 5\n")
    child = spawn(project, "watch", "day0.demo.add")
    child.expect("running day0.demo.add")
    time.sleep(1.5)
    child.sendintr()
    child.expect("stopped watching")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert project.read("katas/day0/demo/add.py") == "def add(a, b):\n    raise NotImplementedError('TODO')\n"


def test_rich_output_on_a_terminal(project):
    child = spawn(project, "status")
    child.expect(pexpect.EOF)
    assert "┃" in child.before or "│" in child.before      # a rich table, not the plain columns
