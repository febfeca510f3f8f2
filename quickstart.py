#!/usr/bin/env python3
"""Set up everything in .venv, then practise or run the project's own tests. Standard library only.

    python3 quickstart.py practice   # run the day-1 katas: one screen of progress and where to start
    python3 quickstart.py test       # the project's own tests (CI runs this)

`practice --full` also prints pytest's whole output (every red test).

Re-running is cheap: the install is redone only when pyproject.toml changed.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"
PYTHON = VENV / "bin" / "python"
NO_TESTS_COLLECTED = 5


def say(message: str) -> None:
    print(f"quickstart: {message}", flush=True)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"quickstart: Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        say("no Java found: the Spark katas will be skipped until OpenJDK 17 is installed")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not PYTHON.exists():
        say(f"creating {VENV.relative_to(ROOT)}/ ...")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("installing the project and its dependencies (a minute or two the first time) ...")
    started = time.monotonic()
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", f"{ROOT}[dev]"], check=True, cwd=ROOT)
    STAMP.write_text(wanted)
    say(f"installed in {time.monotonic() - started:.0f} s")


def run(shown: str, *args: str) -> int:
    say(shown)
    return subprocess.run([str(PYTHON), "-m", *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    commands = {("practice",): ("kata start day1", "dojo", "start", "day1"),
                ("practice", "--full"): ("kata start day1 --full", "dojo", "start", "day1", "--full"),
                ("test",): ("pytest tests --require-services", "pytest", "tests", "--require-services")}
    if tuple(argv) not in commands:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_environment()
    code = run(*commands[tuple(argv)])
    if code == NO_TESTS_COLLECTED:
        say("pytest collected no tests: that is a failure, not a pass")
        return 1
    if argv[0] == "practice" and code == 1:
        say("red is where you start: `source .venv/bin/activate` once per shell, then the command above")
    return code


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        sys.exit(f"quickstart: {' '.join(map(str, exc.cmd[:4]))} ... failed with exit code {exc.returncode}")
