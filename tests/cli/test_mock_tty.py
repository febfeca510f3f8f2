"""`kata mock --track python --minutes 45` on the real mock katas, in a pseudo-terminal, as a learner
meets it: the first question solved, the second abandoned with Enter, then the summary with each
question's result and time and the model answers. Runs on a copy of the katas, never on the repo's."""
from __future__ import annotations

import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MINUTES = 15


def python_questions(minutes: int) -> list[dict]:
    """The questions `kata mock` picks on a fresh copy: manifest order, while they fit the time."""
    chosen, used = [], 0
    for entry in tomllib.loads((REPO / "katas.toml").read_text())["kata"]:
        if not entry["id"].startswith("mock.python."):
            continue
        cost = int(entry.get("minutes", DEFAULT_MINUTES))
        if chosen and used + cost > minutes:
            break
        chosen.append(entry)
        used += cost
    return chosen


@pytest.fixture
def learner_copy(tmp_path, monkeypatch) -> Path:
    for folder in ("katas", "solutions"):
        shutil.copytree(REPO / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("katas.toml", "conftest.py", "pyproject.toml"):
        shutil.copyfile(REPO / name, tmp_path / name)
    monkeypatch.setenv("DOJO_ROOT", str(tmp_path))
    monkeypatch.setenv("DOJO_STATE", str(tmp_path / ".dojo"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(REPO)]))
    for name in ("DOJO_IMPL", "DOJO_SUBSTITUTE", "DOJO_NOW", "DOJO_TIME_SCALE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.mark.timeout(240)
def test_a_python_mock_interview_end_to_end(learner_copy):
    questions = python_questions(45)
    assert len(questions) >= 2, "the python track needs two questions that fit in 45 minutes"
    first, second = questions[0]["id"], questions[1]["id"]
    relative = Path(*first.split(".")).with_suffix(".py")
    shutil.copyfile(learner_copy / "solutions" / relative, learner_copy / "katas" / relative)   # solved

    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "160"}
    child = pexpect.spawn(sys.executable, ["-m", "dojo", "mock", "--track", "python", "--minutes", "45"],
                          cwd=str(learner_copy), env=env, encoding="utf-8", timeout=180, dimensions=(60, 160))
    child.expect(f"mock interview: {len(questions)} question")
    for number, question in enumerate(questions, 1):
        child.expect(f"question {number} of {len(questions)}: {question['id']}")
        child.expect("min left")
        child.sendline("")                          # done (the first), abandoned (the others)
    child.expect("mock interview: summary")
    child.expect(f"{first}\\W+passed\\W+0:0\\d")
    child.expect(f"{second}\\W+failed\\W+0:0\\d")
    first_answer_line = (learner_copy / "solutions" / relative.with_suffix(".md")).read_text().splitlines()[0]
    child.expect(f"model answer: {first}")
    child.expect_exact(first_answer_line.strip())
    child.expect(f"model answer: {second}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1, "a failed question makes the interview's exit code 1"
    reviews = (learner_copy / ".dojo" / "review.json").read_text()
    assert second in reviews and "again (mock)" in reviews, "the abandoned question is not on the review list"
