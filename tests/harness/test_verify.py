"""`kata verify` reports, by name, a test that passes on a stub, a failing reference and an uncaught variant."""

WRONG_ADD = """An adder that subtracts.

--- a/add.py
+++ b/add.py
@@ -1,2 +1,2 @@
 def add(a, b):
-    return a + b
+    return a - b
"""

HARMLESS_VARIANT = """Adds the other way round: not a bug, so no test can catch it.

--- a/add.py
+++ b/add.py
@@ -1,2 +1,2 @@
 def add(a, b):
-    return a + b
+    return b + a
"""

SQL_VARIANT = """Answers 41.

--- a/query.sql
+++ b/query.sql
@@ -1 +1 @@
-SELECT 42 AS answer;
+SELECT 41 AS answer;
"""


def with_variants(project):
    project.write("tests/wrong/day0/demo/add/subtracts.diff", WRONG_ADD)
    project.write("tests/wrong/day0/demo/report/answers_41.diff", SQL_VARIANT)
    return project


def test_an_honest_project_verifies_clean(project):
    result = with_variants(project).kata("verify")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["verify: 2 katas checked (2 layout, 2 stub, 2 solution, 2 variant); 0 problems"])


def test_a_test_that_passes_on_the_stub_is_reported_by_name(project):
    with_variants(project).write("katas/day0/demo/test_add.py", """
        from katas.day0.demo.add import add

        def test_adds():
            assert add(2, 3) == 5

        def test_cannot_fail():
            assert callable(add)
    """)
    result = project.kata("verify", "day0.demo.add")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["FAIL stub     day0.demo.add: katas/day0/demo/test_add.py::test_cannot_fail: passed (expected failed)"])


def test_a_failing_reference_is_reported_by_name(project):
    with_variants(project).write("solutions/day0/demo/add.py", "def add(a, b):\n    return a * b\n")
    result = project.kata("verify", "day0.demo.add", "--skip", "variant")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["FAIL solution day0.demo.add: katas/day0/demo/test_add.py::test_adds: failed (expected passed)"])


def test_an_uncaught_wrong_variant_is_reported_with_its_bug(project):
    with_variants(project).write("tests/wrong/day0/demo/add/commutes.diff", HARMLESS_VARIANT)
    result = project.kata("verify", "day0.demo.add")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["FAIL variant  day0.demo.add: commutes.diff passes every test: the bug it shows is "
                                 "not caught (Adds the other way round*"])
    assert not [line for line in result.outlines if line.startswith("FAIL") and "subtracts" in line], \
        "a caught variant must not be reported"


def test_missing_pieces_and_stray_files_are_layout_problems(project):
    project.write("katas/day0/demo/test_orphan.py", "def test_x():\n    assert False\n")
    result = project.kata("verify", "--skip", "stub", "--skip", "solution", "--skip", "variant")
    assert result.ret == 1
    result.stdout.fnmatch_lines([
        "FAIL layout   day0.demo.add: missing a wrong variant",
        "FAIL layout   -: katas/day0/demo/test_orphan.py belongs to no kata in katas.toml",
    ])


def test_an_unknown_id_names_the_nearest(project):
    result = project.kata("verify", "day0.demo.ad")
    assert result.ret == 2
    result.stderr.fnmatch_lines(["kata: no kata 'day0.demo.ad'; did you mean day0.demo.add*"])
