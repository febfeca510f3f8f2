"""Stops a local PostgreSQL and removes its folder when the process that started it goes away.

Started beside the server with a pipe on stdin. The pipe closes when the test session ends for any
reason (normal end, Ctrl-C, a crash, SIGKILL), and only then does this process clean up: one
cleanup path for every way a run can end. Imports nothing heavy so it starts in milliseconds.
"""
import shutil
import signal
import subprocess
import sys


def main(argv: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is for the test session, not for us
    run_as, pg_ctl, data_dir, workdir = argv
    sys.stdin.buffer.read()                            # blocks until the owner closes the pipe or dies
    prefix = ["runuser", "-u", run_as, "--"] if run_as else []
    subprocess.run([*prefix, pg_ctl, "stop", "-D", data_dir, "-m", "immediate", "-w", "-t", "10"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
