"""Tests for the safe_file kata: run `pytest katas/day1/exercises/test_safe_file.py`."""
import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.exercises.safe_file import atomic_write


class Boom(Exception):
    """The error the tests raise half-way through a write."""


def listing(directory):
    return sorted(p.name for p in Path(directory).iterdir())


def test_writes_a_new_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "report.csv"
    with atomic_write(target) as f:
        f.write("id,total\n1,10\n")
    assert target.read_text(encoding="utf-8") == "id,total\n1,10\n", f"{target.name} holds {target.read_text()!r}"
    assert listing(tmp_path) == ["report.csv"], f"directory holds {listing(tmp_path)}: a temporary file was left"


def test_replaces_an_existing_file_completely(tmp_path):
    target = tmp_path / "report.csv"
    target.write_text("old content that is longer than the new one\n", encoding="utf-8")
    with atomic_write(str(target)) as f:
        f.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n", f"after the write the file holds {target.read_text()!r}"
    assert listing(tmp_path) == ["report.csv"], f"directory holds {listing(tmp_path)}"


def test_an_exception_mid_write_keeps_the_old_content_and_propagates(tmp_path):
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    boom = Boom("disk full, say")
    with pytest.raises(Boom) as caught:
        with atomic_write(target) as f:
            f.write("half of the new")
            f.flush()
            raise boom
    assert caught.value is boom, f"the block's exception came out as {caught.value!r}"
    assert target.read_text(encoding="utf-8") == "old\n", \
        f"after a failed write the file holds {target.read_text()!r}; the old content must be intact"
    assert listing(tmp_path) == ["report.csv"], f"directory holds {listing(tmp_path)}: the temporary file was left"


def test_an_exception_when_there_was_no_file_leaves_no_file(tmp_path):
    target = tmp_path / "new.csv"
    with pytest.raises(Boom):
        with atomic_write(target) as f:
            f.write("partial")
            raise Boom()
    assert listing(tmp_path) == [], f"a failed first write left {listing(tmp_path)} behind"


def test_while_writing_the_target_is_untouched_and_the_temporary_file_is_beside_it(tmp_path):
    target = tmp_path / "data" / "report.csv"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    with atomic_write(target) as f:
        f.write("new\n")
        f.flush()
        during = target.read_text(encoding="utf-8")
        beside = listing(target.parent)
    assert during == "old\n", f"inside the block the target already held {during!r}: the write happens in place"
    assert len(beside) == 2 and "report.csv" in beside, \
        f"inside the block the target's directory held {beside}; expected the target plus one temporary file"
    assert listing(tmp_path) == ["data"], f"the temporary file must be in the target's directory, found {listing(tmp_path)}"


def test_text_mode_writes_utf8(tmp_path):
    target = tmp_path / "names.txt"
    with atomic_write(target, "w") as f:
        f.write("naïve ✓\n")
    data = target.read_bytes()
    assert data == "naïve ✓\n".encode("utf-8"), f"mode 'w' wrote {data!r}, expected UTF-8"


def test_binary_mode_writes_bytes(tmp_path):
    target = tmp_path / "blob.bin"
    with atomic_write(target, mode="wb") as f:
        f.write(b"\x00\xffpayload")
    assert target.read_bytes() == b"\x00\xffpayload", f"mode 'wb' wrote {target.read_bytes()!r}"


@pytest.mark.parametrize("mode", ["a", "r", "w+", "ab"])
def test_other_modes_are_refused_before_anything_is_created(tmp_path, mode):
    target = tmp_path / "x.txt"
    with pytest.raises(ValueError):
        with atomic_write(target, mode):
            pytest.fail(f"atomic_write(path, {mode!r}) ran the block")
    assert listing(tmp_path) == [], f"atomic_write(path, {mode!r}) left {listing(tmp_path)}"


def test_an_existing_file_keeps_its_permission_bits(tmp_path):
    target = tmp_path / "shared.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with atomic_write(target) as f:
        f.write("new")
    got = stat.S_IMODE(target.stat().st_mode)
    assert got == 0o640, f"the file had mode 0o640 and has {oct(got)} after the write (mkstemp creates 0o600)"


ERROR_CASES = {
    "parent is a regular file": ("a_file/report.csv", NotADirectoryError, errno.ENOTDIR),
    "parent does not exist": ("missing_dir/report.csv", FileNotFoundError, errno.ENOENT),
}


@pytest.mark.parametrize("relative,error,code", ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_a_directory_that_cannot_take_a_temporary_file_gives_a_clear_error(tmp_path, relative, error, code):
    (tmp_path / "a_file").write_text("I am a file, not a directory", encoding="utf-8")
    target = tmp_path / relative
    ran = []
    with pytest.raises(error) as caught:
        with atomic_write(target) as f:
            ran.append(f)
    exc = caught.value
    assert ran == [], "the block must not run when no temporary file can be created"
    assert exc.errno == code, f"errno is {exc.errno}, expected {code} ({errno.errorcode[code]})"
    assert exc.filename == str(target), \
        f"the error's filename is {exc.filename!r}; expected the path the caller asked for, {str(target)!r}"
    assert str(target) in str(exc), f"the message {str(exc)!r} does not name {str(target)!r}"
    assert isinstance(exc.__cause__, OSError), f"the OS's own error must be kept as __cause__, got {exc.__cause__!r}"
    assert (tmp_path / "a_file").read_text(encoding="utf-8") == "I am a file, not a directory"
    assert listing(tmp_path) == ["a_file"], f"a failed atomic_write left {listing(tmp_path)}"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=20), st.booleans()), min_size=1, max_size=6))
def test_the_file_always_holds_the_last_successful_write(writes):
    """Property: after any sequence of writes, some failing half-way, the file holds the last good one."""
    with tempfile.TemporaryDirectory() as tmp:
        target, last_good = os.path.join(tmp, "state.txt"), None
        for text, fail in writes:
            try:
                with atomic_write(target) as f:
                    f.write(text)
                    if fail:
                        raise Boom()
            except Boom:
                pass
            else:
                last_good = text
            present = Path(target).read_bytes().decode("utf-8") if os.path.exists(target) else None
            assert present == last_good, f"after writes {writes}, the file holds {present!r}, expected {last_good!r}"
            assert listing(tmp) == (["state.txt"] if last_good is not None else []), f"directory holds {listing(tmp)}"
