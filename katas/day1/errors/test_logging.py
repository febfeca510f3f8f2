"""Tests for the logging kata: run `pytest katas/day1/errors/test_logging.py`.

Each test logs through its own logger name, so handlers set up by one test never reach another.
"""
import asyncio
import io
import json
import logging
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.errors.logging import RUN_ID, JsonFormatter, RunIdFilter, get_logger, run_context


@pytest.fixture
def name(request):
    """A logger name unique to the test."""
    return f"kata.logging.{request.node.name}"


def lines_of(stream):
    text = stream.getvalue()
    return [json.loads(line) for line in text.split("\n") if line]


def test_each_call_writes_one_valid_json_line(name):
    stream = io.StringIO()
    log = get_logger(name, stream=stream)
    with run_context("run-42"):
        log.info("loaded %d rows", 3, extra={"table": "sales"})
    text = stream.getvalue()
    assert text.count("\n") == 1, f"expected exactly one line, got {text!r}"
    event = json.loads(text)
    want = {"level": "INFO", "logger": name, "message": "loaded 3 rows", "run_id": "run-42", "table": "sales"}
    got = {key: event.get(key) for key in want}
    assert got == want and set(event) == set(want) | {"ts"}, f"logged {event}, expected {want} plus ts"


def test_ts_is_iso_8601_in_utc(name):
    stream = io.StringIO()
    get_logger(name, stream=stream).warning("hello")
    ts = lines_of(stream)[0]["ts"]
    parsed = datetime.fromisoformat(ts)
    assert parsed.utcoffset() == timedelta(0), f"ts {ts!r} should carry a UTC offset"


def test_a_multi_line_message_stays_on_one_line(name):
    stream = io.StringIO()
    message = 'first line\nsecond "quoted" line\r\n\ttab'
    get_logger(name, stream=stream).info(message)
    events = lines_of(stream)
    assert len(events) == 1 and events[0]["message"] == message, f"output was {stream.getvalue()!r}"


def test_an_exception_is_logged_with_its_traceback_in_the_same_line(name):
    stream = io.StringIO()
    log = get_logger(name, stream=stream)
    try:
        raise ValueError("bad amount")
    except ValueError:
        log.exception("row rejected")
    events = lines_of(stream)
    assert len(events) == 1, f"expected one line, got {stream.getvalue()!r}"
    trace = events[0].get("exc_info", "")
    assert "Traceback" in trace and "ValueError: bad amount" in trace, f"exc_info is {trace!r}"


def test_exc_info_is_absent_without_an_exception(name):
    stream = io.StringIO()
    get_logger(name, stream=stream).info("fine")
    event = lines_of(stream)[0]
    assert "exc_info" not in event and event["message"] == "fine", f"logged {event}"


def test_run_context_nests_and_restores(name):
    stream = io.StringIO()
    log = get_logger(name, stream=stream)
    log.info("before")
    with run_context("outer"):
        log.info("in outer")
        with run_context("inner") as inner:
            log.info("in inner")
        log.info("back in outer")
    log.info("after")
    got = [event["run_id"] for event in lines_of(stream)]
    assert inner == "inner" and got == [None, "outer", "inner", "outer", None], f"run ids logged: {got}"


def test_run_context_without_an_id_makes_a_fresh_one(name):
    stream = io.StringIO()
    log = get_logger(name, stream=stream)
    with run_context() as first:
        log.info("one")
    with run_context() as second:
        log.info("two")
    got = [event["run_id"] for event in lines_of(stream)]
    assert isinstance(first, str) and first and first != second and got == [first, second], \
        f"run_context() yielded {first!r} then {second!r}; lines carried {got}"


def test_each_asyncio_task_keeps_its_own_run_id(name):
    stream = io.StringIO()
    log = get_logger(name, stream=stream)

    async def job(run_id):
        with run_context(run_id):
            for _ in range(3):
                await asyncio.sleep(0)          # let the other task run in between
                log.info(run_id)

    async def main():
        await asyncio.gather(job("task-a"), job("task-b"))

    asyncio.run(main())
    events = lines_of(stream)
    mixed = [(e["message"], e["run_id"]) for e in events if e["message"] != e["run_id"]]
    assert len(events) == 6 and not mixed, f"lines from one task carried another task's run id: {mixed}"
    assert RUN_ID.get() is None


def test_caplog_sees_the_run_id_on_records(name, caplog):
    log = get_logger(name, stream=io.StringIO())
    with caplog.at_level(logging.INFO, logger=name), run_context("run-7"):
        log.info("visible to caplog")
    records = [r for r in caplog.records if r.name == name]
    assert [r.getMessage() for r in records] == ["visible to caplog"], f"caplog saw {caplog.records}"
    assert getattr(records[0], "run_id", None) == "run-7", \
        "record.run_id should be set by a RunIdFilter on the logger, so every handler (caplog too) sees it"


def test_repeated_setup_never_duplicates_lines(name):
    first = io.StringIO()
    for _ in range(3):
        log = get_logger(name, stream=first)
    log.info("once")
    assert len(lines_of(first)) == 1, f"three get_logger calls then one log call wrote {first.getvalue()!r}"
    assert len(log.handlers) == 1 and len(log.filters) == 1, \
        f"handlers={log.handlers}, filters={log.filters}: expected one of each"
    second = io.StringIO()
    get_logger(name, stream=second).info("moved")
    assert [e["message"] for e in lines_of(second)] == ["moved"] and len(lines_of(first)) == 1, \
        "a later get_logger(stream=...) should replace the handler, not add one"


def test_the_level_argument_filters_records(name):
    stream = io.StringIO()
    log = get_logger(name, level=logging.WARNING, stream=stream)
    log.info("dropped")
    log.warning("kept")
    assert [e["message"] for e in lines_of(stream)] == ["kept"], f"output was {stream.getvalue()!r}"


def test_the_root_logger_is_left_untouched(name):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    log = get_logger(name, level=logging.DEBUG, stream=io.StringIO())
    get_logger(name + ".child", level=logging.DEBUG, stream=io.StringIO())
    assert root.handlers == handlers and root.level == level, \
        f"root logger changed: handlers {handlers} -> {root.handlers}, level {level} -> {root.level}"
    assert log.propagate and log is logging.getLogger(name)


def test_formatter_and_filter_work_on_a_hand_made_record():
    record = logging.LogRecord("hand.made", logging.ERROR, __file__, 1, "%s=%s", ("k", "v"), None)
    record.batch = object()                                  # not JSON-encodable: written with str()
    with run_context("run-h"):
        assert RunIdFilter().filter(record) is True
    event = json.loads(JsonFormatter().format(record))
    assert (event["message"], event["level"], event["run_id"]) == ("k=v", "ERROR", "run-h"), f"got {event}"
    assert event["batch"].startswith("<object object"), f"batch was written as {event['batch']!r}"


LOGGER_FOR_PROPERTY = "kata.logging.property"


@settings(max_examples=100, deadline=None)
@given(message=st.text(max_size=40))
def test_any_message_round_trips_through_one_json_line(message):
    stream = io.StringIO()
    get_logger(LOGGER_FOR_PROPERTY, stream=stream).info(message)
    text = stream.getvalue()
    assert text.count("\n") == 1 and json.loads(text)["message"] == message, f"logging {message!r} wrote {text!r}"
