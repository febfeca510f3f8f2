"""How verify runs its children: a variant stops at its first failure, a hang or a crash is reported
by name, runs go two at a time, and `--changed` picks only the katas a change touches."""
from __future__ import annotations

import subprocess
import sys

from tests.harness.test_verify import SQL_VARIANT, WRONG_ADD

TWO_TESTS = """
    import time

    from katas.day0.demo.add import add

    def test_adds():
        assert add(2, 3) == 5

    def test_slow():
        time.sleep(30 if add(1, 1) != 2 else 0)
"""

HANGS = """Loops forever on import.

--- a/add.py
+++ b/add.py
@@ -1,2 +1,3 @@
+while True: pass
 def add(a, b):
     return a + b
"""

CRASHES = """Kills the interpreter on import.

--- a/add.py
+++ b/add.py
@@ -1,2 +1,3 @@
+import os; os._exit(3)
 def add(a, b):
     return a + b
"""

JUDGE = """
import sys
from dojo import manifest, verify
kata = manifest.find("day0.demo.add")
finding = verify.variant_finding(kata, kata.wrong_variants()[0], timeout=float(sys.argv[1]))
print("CAUGHT" if finding is None else f"FINDING {finding.message}")
"""


def judge(project, variant_text: str, timeout: float) -> str:
    project.write("tests/wrong/day0/demo/add/the_variant.diff", variant_text)
    project.write("judge.py", JUDGE)
    result = project.pytester.run(sys.executable, "judge.py", str(timeout), timeout=120)
    return result.stdout.str().strip().splitlines()[-1]


def test_a_variant_run_stops_at_the_first_failure(project):
    project.write("katas/day0/demo/test_add.py", TWO_TESTS)
    # the slow test would sleep 30 s on this variant; the 20 s limit is only met if the run stops first
    assert judge(project, WRONG_ADD, timeout=20) == "CAUGHT"


def test_a_hanging_variant_is_reported_by_name_with_its_time_limit(project):
    assert judge(project, HANGS, timeout=3) == "FINDING the_variant.diff: timed out after 3 s"


def test_a_crashing_variant_is_reported_by_name(project):
    last_line = judge(project, CRASHES, timeout=60)
    assert last_line.startswith("FINDING the_variant.diff: pytest crashed"), last_line


def test_the_time_limit_fits_the_kata():
    from dojo import verify

    assert verify.variant_timeout(None) == verify.VARIANT_TIMEOUT_S
    quick, slow = verify.variant_timeout(0.5), verify.variant_timeout(60)
    assert verify.VARIANT_TIMEOUT_FLOOR_S <= quick < slow
    assert slow >= verify.VARIANT_TIMEOUT_FACTOR * 60


def git(project, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=project.root,
                   check=True, capture_output=True)


def test_changed_verifies_only_the_katas_a_change_touches(project):
    project.write("tests/wrong/day0/demo/add/subtracts.diff", WRONG_ADD)
    project.write("tests/wrong/day0/demo/report/answers_41.diff", SQL_VARIANT)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")

    nothing = project.kata("verify", "--changed")
    assert nothing.ret == 0
    nothing.stdout.fnmatch_lines(["verify: no kata selected (nothing changed?)"])

    project.write("katas/day0/demo/report/query.sql", "SELECT 'TODO: write the query' AS todo;\n")
    touched = project.kata("verify", "--changed")
    assert touched.ret == 0, touched.stdout.str()
    touched.stdout.fnmatch_lines(["verify: 1 katas checked (1 layout, 1 stub, 1 solution, 1 variant); 0 problems"])
