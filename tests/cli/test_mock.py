"""mock and answer: on a small fixture manifest, with a sped-up clock (tests/cli/test_mock_tty.py runs
the real python track in a pseudo-terminal)."""
import json

import pytest

from dojo.learner import mock
from dojo.learner.console import Out

MOCK_KATAS = '''
[[kata]]
id = "mock.python.reverse"
title = "Reverse a list"
seed = "mock"
hints = ["one", "two"]
minutes = 20

[[kata]]
id = "mock.sql.answer"
title = "The answer"
seed = "mock"
hints = ["one", "two"]
minutes = 20

[[kata]]
id = "mock.python.double"
title = "Double it"
seed = "mock"
hints = ["one", "two"]
minutes = 20
'''
FAST = {"DOJO_TIME_SCALE": "100000"}       # a minute lasts 0.6 ms


@pytest.fixture
def mock_project(project):
    project.append_manifest(MOCK_KATAS)
    for path in ("katas/mock/__init__.py", "katas/mock/python/__init__.py", "katas/mock/sql/__init__.py"):
        project.write(path, "")
    project.write("katas/mock/python/reverse.py", '"""Reverse a list without reversed()."""\n'
                                                  "def reverse(xs):\n    raise NotImplementedError\n")
    project.write("solutions/mock/python/reverse.py", "def reverse(xs):\n"
                                                      "    # Why: slicing copies in C, one pass.\n    return xs[::-1]\n")
    project.write("katas/mock/python/test_reverse.py", "from katas.mock.python.reverse import reverse\n\n"
                                                       "def test_reverse():\n    assert reverse([1, 2]) == [2, 1]\n")
    project.write("katas/mock/python/double.py", "def double(x):\n    raise NotImplementedError\n")
    project.write("solutions/mock/python/double.py", "def double(x):\n    return 2 * x\n")
    project.write("solutions/mock/python/double.md", "# Doubling\n\nSay why `2 * x` beats `x + x` for nobody.\n")
    project.write("katas/mock/python/test_double.py", "from katas.mock.python.double import double\n\n"
                                                      "def test_double():\n    assert double(2) == 4\n")
    project.write("katas/mock/sql/answer/README.md", "Select the answer.\n")
    project.write("katas/mock/sql/answer/__init__.py", "")
    project.write("katas/mock/sql/answer/answer.sql", "SELECT 0;\n")
    project.write("solutions/mock/sql/answer/answer.sql", "-- Why: it is always 42.\nSELECT 42;\n")
    project.write("katas/mock/sql/answer/test_answer.py", "from dojo.impl import kata_file\n\n"
                  "def test_answer():\n    assert '42' in kata_file('mock.sql.answer', 'answer.sql').read_text()\n")
    return project


def test_a_timed_mock_ends_with_a_summary_and_the_model_answers(mock_project):
    project = mock_project
    project.write("katas/mock/python/reverse.py", "def reverse(xs):\n    return list(reversed(xs))\n")
    result = project.kata("mock", "--track", "python", "--minutes", "45", env=FAST)
    assert result.ret == 1                                  # one of the two failed
    result.stdout.fnmatch_lines([
        "== mock interview: 2 questions, 45 minutes",
        "1. Reverse a list  [mock.python.reverse]", "2. Double it  [mock.python.double]",
        "== question 1 of 2: mock.python.reverse", "Reverse a list", "   edit: katas/mock/python/reverse.py",
        "45 min left   (Enter for the next question, Ctrl-C to stop)", "time is up",
        "== mock interview: summary", "mock.python.reverse * passed * 4?:?? * 1 passed",
        "mock.python.double * failed * not reached * 1 failed", "1 of 2 passed",
        "the failed ones are on your review list*",
        "== model answer: mock.python.reverse", "  solutions/mock/python/reverse.py",
        "      why: slicing copies in C, one pass.",
        "== model answer: mock.python.double", "# Doubling", "Say why `2 * x` beats `x + x` for nobody.",
    ])
    assert "question 2 of 2" not in result.stdout.str(), "time ran out during question 1"
    assert "mock.sql" not in result.stdout.str()
    session = json.loads((project.root / ".dojo" / "mocks.json").read_text())["sessions"][-1]
    assert session["failed"] == ["mock.python.double"] and "mock.python.double" not in session["seconds"]
    reviews = json.loads((project.root / ".dojo" / "review.json").read_text())
    assert reviews["mock.python.double"]["reviews"][-1][1] == "again (mock)", "a failed question must come back"
    # Solved questions are not asked again; the time budget picks how many.
    result = project.kata("mock", "--minutes", "20", env=FAST)
    result.stdout.fnmatch_lines(["== mock interview: 1 question, 20 minutes", "1. The answer  [mock.sql.answer]",
                                 "*why: it is always 42."])


def test_interview_moves_on_with_enter_and_keeps_each_question_s_time():
    t = [0.0]
    presses = iter([False, True, False, False, True])       # question 1 after 1 s, question 2 after 2 s

    class Quiet(Out):
        def __init__(self):
            super().__init__(rich=False)

        def line(self, text="", style=None):
            pass

    def sleep(seconds):
        t[0] += seconds

    from dojo.manifest import Kata
    katas = [Kata(id=f"mock.python.q{i}", title=f"Q{i}", seed="", difficulty=1, hints=()) for i in (1, 2, 3)]
    spent, ended = mock.interview(katas, 600, Quiet(), now=lambda: t[0], sleep=sleep,
                                  stop=lambda: next(presses, False))
    assert spent == {"mock.python.q1": 1.0, "mock.python.q2": 2.0, "mock.python.q3": 597.0}
    assert ended == "time"


def test_answer_waits_for_an_attempt_unless_peeking(mock_project):
    project = mock_project
    before = project.kata("answer", "mock.python.double")
    assert before.ret == 1
    before.stdout.fnmatch_lines(["try it first: `kata check mock.python.double`*"])
    peek = project.kata("answer", "mock.python.double", "--peek")
    assert peek.ret == 0
    peek.stdout.fnmatch_lines(["== model answer: mock.python.double", "# Doubling"])
    project.run("katas/mock/python/test_double.py")         # an attempt: its tests ran once (red)
    after = project.kata("answer", "mock.python.double")
    assert after.ret == 0, after.stdout.str()
    after.stdout.fnmatch_lines(["Say why*"])
    assert project.kata("answer", "mock.python.reverse", "--peek").ret == 1     # no model answer there


def test_mock_without_questions_says_so(project):
    result = project.kata("mock", "--track", "aws")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["no mock questions for aws in katas.toml yet*"])
    assert project.kata("mock", "--track", "cobol").ret == 2


def test_countdown_runs_on_an_injected_clock():
    t = [0.0]
    lines = []

    class Recorder(Out):
        def __init__(self):
            super().__init__(rich=False)

        def line(self, text="", style=None):
            lines.append(text)

    ended = mock.countdown(180, Recorder(), now=lambda: t[0], sleep=lambda s: t.__setitem__(0, t[0] + s))
    assert ended == "time"
    assert [x.split(" (")[0].strip() for x in lines] == ["3 min left", "2 min left", "1 min left", "time is up"]
    t[0] = 0.0
    assert mock.countdown(180, Recorder(), now=lambda: t[0], sleep=lambda s: None, stop=lambda: True) == "enter"
