"""Atomic file writes: a context manager that either replaces the file completely or not at all.

Interviewers ask for this ("a context manager to handle file operations with error handling") to
see whether you know that `open(path, "w")` truncates the old content at once: a crash half-way
leaves a broken file. The fix is to write a temporary file next to the target and rename it over
the target only when everything was written.

    with atomic_write("report.csv") as f:
        f.write("id,total\\n")
        f.write(rows())        # raises? report.csv still holds its previous content

Requirements
- `atomic_write(path, mode="w")` accepts a str or os.PathLike and yields a writable file object.
  mode "w" writes text encoded as UTF-8, mode "wb" writes bytes; any other mode raises ValueError
  before anything is created.
- Writes go to a temporary file in the SAME directory as `path` (a rename is atomic only within
  one file system). While the block runs, `path` keeps its old content (or does not exist).
- When the block ends normally: flush, os.fsync, then os.replace the temporary file onto `path`.
  An existing file keeps its permission bits (mkstemp creates 0o600 files).
- When the block raises (any exception): the temporary file is removed, `path` is left exactly as
  it was (old content, or still absent), and the exception propagates unchanged.
- No temporary file is ever left behind: afterwards the directory holds only what it held before,
  plus `path` on success.
- The error when the directory cannot take a temporary file (missing, not a directory, no write
  permission, read-only file system): atomic_write raises, before the block runs, the same OSError
  subclass the OS reported (FileNotFoundError, NotADirectoryError, PermissionError, or OSError with
  errno EROFS), with the same `errno`, `filename` set to str(path) (the file the caller asked for,
  not a temporary name they never chose), a message saying no temporary file could be created in
  that directory, and the OS's original error as `__cause__`. Do not pre-check with os.access():
  root passes it even on a directory with mode 0o555, and the answer can change before you write.
  The tests run as root, where chmod cannot make a directory unwritable, so they use a path whose
  parent is a regular file (NotADirectoryError) and a path whose parent is missing
  (FileNotFoundError).
"""
from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

MODES = ("w", "wb")


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    if mode not in MODES:
        raise ValueError(f"atomic_write supports modes {MODES}, got {mode!r}")
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    except OSError as exc:
        raise type(exc)(exc.errno, f"atomic_write: cannot create a temporary file in {directory} "
                                   f"({exc.strerror})", target) from exc
    try:
        with open(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass                                    # a new file keeps mkstemp's private 0o600
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


# Why
# - Write-then-rename is the standard answer: os.replace is atomic on POSIX (and replaces on Windows),
#   so readers see the old file or the new one, never half of each. fsync before the rename makes
#   the data durable before the name points at it; for full durability also fsync the directory.
# - The temp file must live in the target's directory: across file systems rename fails (EXDEV) or
#   degrades to copy + delete, which is not atomic. mkstemp gives a unique name (no clash between
#   two writers) created with O_EXCL.
# - `except BaseException` + bare `raise` cleans up on KeyboardInterrupt too and never swallows.
#   Cleanup is idempotent (FileNotFoundError ignored) so it cannot mask the original error.
# - Errors: ask for forgiveness (EAFP). os.access is a race (TOCTOU) and lies for root; the real
#   attempt gives the real reason. Re-raising the same OSError subclass keeps `except
#   PermissionError` working for callers while the message names the file they asked for.
# - Cost: O(size) extra disk while writing; the old file's inode is replaced, so hard links and
#   ownership are not carried over (say so; copying ownership needs os.chown and privileges).
