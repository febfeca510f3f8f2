"""Tests for the context managers kata: run `pytest katas/day1/advanced/test_context_managers.py`."""
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.advanced.context_managers import open_all, temp_env, timer

PREFIX = "DOJO_KATA_CM_"


class Boom(Exception):
    """The error the tests raise inside a with block."""


class FakeClock:
    def __init__(self, *readings):
        self.readings, self.reads = list(readings), 0

    def __call__(self):
        self.reads += 1
        return self.readings.pop(0)


@pytest.fixture(autouse=True)
def clean_environ():
    """Start without any test variable and put os.environ back afterwards, whatever the kata did."""
    saved = dict(os.environ)
    for name in [n for n in os.environ if n.startswith(PREFIX)]:
        del os.environ[name]
    yield
    os.environ.clear()
    os.environ.update(saved)


# --- timer --------------------------------------------------------------------------------------


def test_timer_elapsed_is_none_inside_and_the_clock_difference_after():
    clock = FakeClock(5.0, 7.5)
    with timer(clock) as t:
        inside = t.elapsed
    assert inside is None, f"t.elapsed was {inside!r} inside the block, expected None"
    assert t.elapsed == 2.5, f"t.elapsed is {t.elapsed!r} with clock readings 5.0 then 7.5, expected 2.5"
    assert clock.reads == 2, f"the clock was read {clock.reads} times, expected 2"


def test_timer_sets_elapsed_and_does_not_swallow_an_exception():
    boom = Boom("inside the block")
    with pytest.raises(Boom) as caught:
        with timer(FakeClock(1.0, 4.0)) as t:
            raise boom
    assert caught.value is boom, f"the block's exception came out as {caught.value!r}"
    assert t.elapsed == 3.0, f"t.elapsed is {t.elapsed!r} after an exception, expected 3.0"


# --- temp_env -----------------------------------------------------------------------------------


def test_temp_env_sets_a_new_variable_and_removes_it_afterwards():
    name = PREFIX + "NEW"
    with temp_env(**{name: "test"}):
        inside = os.environ.get(name)
    assert inside == "test", f"inside temp_env({name}='test') the variable was {inside!r}"
    assert name not in os.environ, \
        f"{name} did not exist before, so it must be removed afterwards, found {os.environ.get(name)!r}"


def test_temp_env_overrides_and_restores_an_existing_variable():
    name = PREFIX + "STAGE"
    os.environ[name] = "prod"
    with temp_env(**{name: "test"}):
        inside = os.environ[name]
    assert (inside, os.environ.get(name)) == ("test", "prod"), \
        f"inside: {inside!r}, after: {os.environ.get(name)!r}; expected 'test' then 'prod'"


def test_temp_env_none_unsets_inside_and_restores_afterwards():
    present, absent = PREFIX + "DEBUG", PREFIX + "NEVER_SET"
    os.environ[present] = "1"
    with temp_env(**{present: None, absent: None}):
        inside = (present in os.environ, absent in os.environ)
    assert inside == (False, False), f"None must unset variables inside the block, presence was {inside}"
    assert os.environ.get(present) == "1", f"{present} must be restored to '1', is {os.environ.get(present)!r}"
    assert absent not in os.environ, f"{absent} did not exist before and must not exist after"


def test_temp_env_an_empty_string_is_a_value_not_a_deletion():
    name = PREFIX + "EMPTY"
    os.environ[name] = ""
    with temp_env(**{name: "x"}):
        pass
    assert os.environ.get(name) == "", f"{name} was '' before and is {os.environ.get(name)!r} after"


def test_temp_env_restores_on_exception_and_does_not_swallow_it():
    new, old = PREFIX + "NEW", PREFIX + "OLD"
    os.environ[old] = "before"
    with pytest.raises(Boom):
        with temp_env(**{new: "n", old: "changed"}):
            raise Boom("inside the block")
    assert new not in os.environ and os.environ.get(old) == "before", \
        f"after an exception: {new}={os.environ.get(new)!r}, {old}={os.environ.get(old)!r}; expected absent and 'before'"


NAMES = [PREFIX + n for n in ("A", "B", "C")]
VALUE = st.one_of(st.none(), st.text(alphabet="xyz0", max_size=3))


@settings(max_examples=100, deadline=None)
@given(before=st.fixed_dictionaries({n: VALUE for n in NAMES}), change=st.dictionaries(st.sampled_from(NAMES), VALUE),
       fail=st.booleans())
def test_temp_env_leaves_the_environment_exactly_as_it_found_it(before, change, fail):
    """Property: inside, the requested values are visible; afterwards, nothing changed."""
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    snapshot = dict(os.environ)
    try:
        with temp_env(**change):
            for name, value in change.items():
                assert os.environ.get(name) == value, f"temp_env(**{change}): inside, {name}={os.environ.get(name)!r}"
            if fail:
                raise Boom()
    except Boom:
        assert fail, "temp_env raised Boom by itself"
    else:
        assert not fail, "the Boom raised inside temp_env was swallowed"
    assert dict(os.environ) == snapshot, f"temp_env(**{change}) changed os.environ starting from {before}"


# --- open_all -----------------------------------------------------------------------------------


class TrackingOpener:
    """Opens for real and remembers every file object it handed out."""

    def __init__(self):
        self.opened = []

    def __call__(self, path, mode="r"):
        handle = open(path, mode, encoding=None if "b" in mode else "utf-8")
        self.opened.append(handle)
        return handle


def make_files(tmp_path, *names):
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_text(f"content of {name}\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_open_all_reads_every_file_and_closes_all_afterwards(tmp_path):
    paths, opener = make_files(tmp_path, "a.csv", "b.csv", "ü.csv"), TrackingOpener()
    with open_all(paths, opener=opener) as files:
        contents = [f.read() for f in files]
        all_open = not any(f.closed for f in files)
    assert contents == ["content of a.csv\n", "content of b.csv\n", "content of ü.csv\n"], f"read {contents}"
    assert all_open, "the files must be open inside the block"
    assert len(opener.opened) == 3 and all(f.closed for f in opener.opened), \
        f"closed after the block: {[f.closed for f in opener.opened]}, expected all True"


def test_open_all_of_no_paths_yields_an_empty_list():
    with open_all([], opener=TrackingOpener()) as files:
        got = list(files)
    assert got == [], f"open_all([]) yielded {got!r}"


def test_open_all_passes_the_mode_to_the_opener(tmp_path):
    paths, opener = make_files(tmp_path, "a.bin"), TrackingOpener()
    with open_all(paths, "rb", opener=opener) as files:
        data = files[0].read()
    assert data == b"content of a.bin\n", f"open_all(paths, 'rb') read {data!r}, expected bytes"


def test_open_all_closes_files_when_the_block_raises_and_does_not_swallow(tmp_path):
    paths, opener = make_files(tmp_path, "a.csv", "b.csv"), TrackingOpener()
    with pytest.raises(Boom):
        with open_all(paths, opener=opener):
            raise Boom("inside the block")
    assert len(opener.opened) == 2 and all(f.closed for f in opener.opened), \
        f"after an exception, closed flags are {[f.closed for f in opener.opened]}"


def test_open_all_closes_the_files_already_opened_when_a_later_open_fails(tmp_path):
    a, b = make_files(tmp_path, "a.csv", "b.csv")
    missing, never = tmp_path / "missing.csv", make_files(tmp_path, "c.csv")[0]
    opener = TrackingOpener()
    with pytest.raises(FileNotFoundError):
        with open_all([a, b, missing, never], opener=opener):
            pytest.fail("the block must not run when a file cannot be opened")
    assert [f.name for f in opener.opened] == [str(a), str(b)], \
        f"opened {[f.name for f in opener.opened]}; expected a.csv and b.csv only, in order, then stop"
    assert all(f.closed for f in opener.opened), \
        f"a.csv and b.csv were opened before missing.csv failed and must be closed: {[f.closed for f in opener.opened]}"
