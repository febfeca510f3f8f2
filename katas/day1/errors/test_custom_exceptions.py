"""Tests for the custom exceptions kata: run `pytest katas/day1/errors/test_custom_exceptions.py`."""
import pickle
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.errors.custom_exceptions import (
    ExtractError,
    LoadError,
    PipelineError,
    ValidationError,
    process,
    read_source,
    validate_record,
)

ERRORS = {
    "base": (lambda: PipelineError("boom"), "[pipeline] boom", {"message": "boom"}),
    "extract": (lambda: ExtractError("cannot read", source="s3://raw/a.csv"),
                "[extract] s3://raw/a.csv: cannot read", {"message": "cannot read", "source": "s3://raw/a.csv"}),
    "validate": (lambda: ValidationError("not a number", record_id=7, field="amount", value="abc"),
                 "[validate] record 7, field 'amount'='abc': not a number",
                 {"message": "not a number", "record_id": 7, "field": "amount", "value": "abc"}),
    "load, not retryable": (lambda: LoadError("duplicate key", table="sales"),
                            "[load] table sales: duplicate key", {"table": "sales", "retryable": False}),
    "load, retryable": (lambda: LoadError("connection reset", table="sales", retryable=True),
                        "[load] table sales: connection reset (retryable)", {"table": "sales", "retryable": True}),
}


@pytest.mark.parametrize("build,text,fields", ERRORS.values(), ids=ERRORS.keys())
def test_each_error_keeps_its_fields_and_formats_its_message(build, text, fields):
    error = build()
    got = {name: getattr(error, name, "<missing>") for name in fields}
    assert got == fields, f"{type(error).__name__} attributes are {got}, expected {fields}"
    assert str(error) == text, f"str({type(error).__name__}(...)) is {str(error)!r}, expected {text!r}"


@pytest.mark.parametrize("build", [case[0] for case in ERRORS.values()], ids=ERRORS.keys())
def test_one_except_pipeline_error_catches_every_stage(build):
    try:
        raise build()
    except PipelineError as error:
        caught = error
    assert isinstance(caught, Exception) and caught.stage in {"pipeline", "extract", "validate", "load"}


def test_validation_error_is_also_a_value_error():
    try:
        raise ValidationError("negative", record_id=1, field="amount", value="-1")
    except ValueError as error:
        assert isinstance(error, PipelineError)


@pytest.mark.parametrize("build,text,fields", ERRORS.values(), ids=ERRORS.keys())
def test_errors_survive_a_pickle_round_trip(build, text, fields):
    error = build()
    copy = pickle.loads(pickle.dumps(error))
    got = {name: getattr(copy, name, "<missing>") for name in fields}
    assert type(copy) is type(error) and got == fields and str(copy) == text, \
        f"after pickling: {type(copy).__name__} with {got}, str {str(copy)!r}"


def test_read_source_returns_the_text(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,amount\n1,2.50\n", encoding="utf-8")
    assert read_source(path) == "id,amount\n1,2.50\n"


OS_ERRORS = {"missing file": ("missing.csv", FileNotFoundError), "a directory": (".", IsADirectoryError)}


@pytest.mark.parametrize("name,cause", OS_ERRORS.values(), ids=OS_ERRORS.keys())
def test_read_source_raises_extract_error_from_the_os_error(tmp_path, name, cause):
    path = tmp_path / name
    with pytest.raises(ExtractError) as caught:
        read_source(path)
    error = caught.value
    assert error.source == str(path), f"source is {error.source!r}, expected {str(path)!r}"
    assert isinstance(error.__cause__, cause), \
        f"__cause__ is {error.__cause__!r}, expected a {cause.__name__}: use `raise ... from exc`"


def test_a_valid_record_comes_back_with_a_decimal_amount():
    got = validate_record({"id": 1, "amount": "2.50"})
    assert got == {"id": 1, "amount": Decimal("2.50")} and isinstance(got["amount"], Decimal), \
        f"validate_record returned {got!r}"


BAD_RECORDS = {
    "missing amount": ({"id": 1}, "missing", None, KeyError),
    "not a number": ({"id": 2, "amount": "abc"}, "not a number", "abc", InvalidOperation),
    "NaN": ({"id": 3, "amount": "NaN"}, "not a number", "NaN", None),
    "negative": ({"id": 4, "amount": "-0.01"}, "negative", "-0.01", None),
}


@pytest.mark.parametrize("record,message,value,cause", BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_a_bad_record_raises_validation_error_chained_to_its_cause(record, message, value, cause):
    with pytest.raises(ValidationError) as caught:
        validate_record(record)
    error = caught.value
    got = (error.message, error.record_id, error.field, error.value)
    want = (message, record["id"], "amount", value)
    assert got == want, f"validate_record({record!r}) raised (message, record_id, field, value) = {got}, expected {want}"
    if cause is None:
        assert error.__cause__ is None and error.__context__ is None, \
            f"{message!r} has no underlying error, but __cause__={error.__cause__!r}, __context__={error.__context__!r}"
    else:
        assert isinstance(error.__cause__, cause), \
            f"__cause__ is {error.__cause__!r}, expected a {cause.__name__}: use `raise ... from exc`"


def test_process_splits_good_records_from_errors_in_order():
    records = [{"id": 1, "amount": "1"}, {"id": 2, "amount": "x"}, {"id": 3}, {"id": 4, "amount": "4.5"}]
    good, errors = process(records)
    assert good == [{"id": 1, "amount": Decimal("1")}, {"id": 4, "amount": Decimal("4.5")}], f"good = {good!r}"
    assert [(e.record_id, e.message) for e in errors] == [(2, "not a number"), (3, "missing")], \
        f"errors = {[str(e) for e in errors]}"


def test_process_lets_bugs_through_instead_of_counting_them_as_bad_data():
    with pytest.raises(AttributeError):
        process([{"id": 1, "amount": "1"}, None])


amounts = st.one_of(st.decimals(allow_nan=True).map(str), st.text(max_size=6), st.none())


@settings(max_examples=200, deadline=None)
@given(raw=st.lists(amounts, max_size=8))
def test_every_record_ends_up_good_or_in_errors(raw):
    """Property: nothing is lost, order is kept, and the split matches a direct Decimal check."""
    records = [{"id": i} if amount is None else {"id": i, "amount": amount} for i, amount in enumerate(raw)]
    good, errors = process(records)
    expected_good = []
    for i, amount in enumerate(raw):
        try:
            value = Decimal(amount)
        except (TypeError, InvalidOperation):
            continue
        if value.is_finite() and value >= 0:
            expected_good.append(i)
    assert [r["id"] for r in good] == expected_good, f"amounts {raw!r}"
    assert sorted([r["id"] for r in good] + [e.record_id for e in errors]) == list(range(len(raw)))
    assert [e.record_id for e in errors] == sorted(e.record_id for e in errors)
