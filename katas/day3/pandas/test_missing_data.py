"""Tests for missing data: run `pytest katas/day3/pandas/test_missing_data.py`.

Each edge case is one named row; a hypothesis property compares the three functions with
plain-Python loops on shuffled readings of up to three sensors.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day3.pandas.missing_data import (
    forward_fill_per_sensor,
    interpolate_in_time,
    interpolate_per_sensor,
)

NAN = float("nan")
DAY = "2024-01-01"


def readings_frame(rows: list[tuple], index: list[int] | None = None) -> pd.DataFrame:
    """(sensor_id, 'HH:MM' on DAY, value) tuples -> a readings frame, in the given row order."""
    return pd.DataFrame({
        "sensor_id": [r[0] for r in rows],
        "ts": pd.to_datetime([f"{DAY} {r[1]}" for r in rows]),
        "value": np.array([r[2] for r in rows], dtype="float64"),
    }, index=index)


def same(got: list[float], want: list[float]) -> bool:
    """Equal lists of floats where NaN equals NaN."""
    return len(got) == len(want) and all(
        (math.isnan(g) and math.isnan(w)) or (not math.isnan(g) and not math.isnan(w) and math.isclose(g, w))
        for g, w in zip(got, want))


def values(frame: pd.DataFrame) -> list[float]:
    return [float(v) for v in frame["value"]]


# -- forward_fill_per_sensor ---------------------------------------------------------------------

FFILL_CASES = {
    "a gap takes the sensor's last earlier value": (
        [("a", "00:00", 1.0), ("a", "01:00", NAN), ("a", "02:00", 3.0)], None, [1.0, 1.0, 3.0]),
    "a leading gap stays missing: nothing earlier to copy": (
        [("a", "00:00", NAN), ("a", "01:00", 2.0), ("a", "02:00", NAN)], None, [NAN, 2.0, 2.0]),
    "a trailing gap is filled from the last reading": (
        [("a", "00:00", 4.0), ("a", "01:00", NAN), ("a", "02:00", NAN)], None, [4.0, 4.0, 4.0]),
    "never across sensors: b's leading gap does not take a's last value": (
        [("a", "00:00", 1.0), ("a", "01:00", 2.0), ("b", "02:00", NAN), ("b", "03:00", 7.0)], None,
        [1.0, 2.0, NAN, 7.0]),
    "interleaved rows: each sensor fills from its own past": (
        [("a", "00:00", 1.0), ("b", "00:00", 5.0), ("a", "01:00", NAN), ("b", "01:00", NAN)], None,
        [1.0, 5.0, 1.0, 5.0]),
    "an all-missing sensor stays missing": (
        [("a", "00:00", 1.0), ("z", "00:30", NAN), ("z", "01:30", NAN), ("a", "01:00", NAN)], None,
        [1.0, NAN, NAN, 1.0]),
    "rows out of time order: earlier means earlier ts, not an earlier row": (
        [("a", "02:00", NAN), ("a", "01:00", 6.0), ("a", "00:00", NAN), ("a", "03:00", 9.0)], None,
        [6.0, 6.0, NAN, 9.0]),
    "a gap longer than limit=1: only its first reading is filled": (
        [("a", "00:00", 1.0), ("a", "01:00", NAN), ("a", "02:00", NAN), ("a", "03:00", 4.0)], 1,
        [1.0, 1.0, NAN, 4.0]),
    "limit counts each gap afresh": (
        [("a", "00:00", 1.0), ("a", "01:00", NAN), ("a", "02:00", 3.0), ("a", "03:00", NAN)], 1,
        [1.0, 1.0, 3.0, 3.0]),
    "nothing missing: nothing changes": ([("a", "00:00", 1.0), ("b", "00:00", 2.0)], None, [1.0, 2.0]),
}


@pytest.mark.parametrize("rows,limit,want", FFILL_CASES.values(), ids=FFILL_CASES.keys())
def test_forward_fill_per_sensor(rows, limit, want):
    readings = readings_frame(rows)
    got = values(forward_fill_per_sensor(readings, limit=limit))
    assert same(got, want), (f"forward_fill_per_sensor(rows {rows}, limit={limit}) gave values {got}, "
                             f"expected {want} (listed in the input's row order)")


def test_forward_fill_keeps_index_row_order_and_columns_and_leaves_its_input_alone():
    readings = readings_frame([("b", "01:00", NAN), ("a", "00:00", 1.0), ("b", "00:00", 2.0), ("a", "01:00", NAN)],
                              index=[40, 10, 30, 20])
    before = readings.copy()
    got = forward_fill_per_sensor(readings)
    assert list(got.index) == [40, 10, 30, 20], f"the index came back as {list(got.index)}, expected [40, 10, 30, 20]"
    assert list(got.columns) == ["sensor_id", "ts", "value"], f"columns {list(got.columns)}"
    pd.testing.assert_frame_equal(got[["sensor_id", "ts"]], readings[["sensor_id", "ts"]])
    assert same(values(got), [2.0, 1.0, 2.0, 1.0]), f"values {values(got)}, expected [2.0, 1.0, 2.0, 1.0]"
    pd.testing.assert_frame_equal(readings, before, obj="the readings after forward_fill_per_sensor")


# -- interpolate_in_time -------------------------------------------------------------------------

INTERPOLATE_CASES = {
    "irregular spacing: 1 hour of 4 is a quarter of the way, not half": (
        ["00:00", "01:00", "04:00"], [0.0, NAN, 8.0], None, [0.0, 2.0, 8.0]),
    "two missing at uneven times": (
        ["00:00", "00:10", "00:40", "01:40"], [10.0, NAN, NAN, 0.0], None, [10.0, 9.0, 6.0, 0.0]),
    "a leading gap stays missing": (["00:00", "01:00", "02:00"], [NAN, 1.0, 3.0], None, [NAN, 1.0, 3.0]),
    "a trailing gap stays missing: no extrapolation, not even the last value": (
        ["00:00", "01:00", "02:00", "05:00"], [1.0, 3.0, NAN, NAN], None, [1.0, 3.0, NAN, NAN]),
    "a gap longer than limit=2: its first 2 are filled, the rest stays missing": (
        ["00:00", "01:00", "02:00", "03:00", "04:00"], [0.0, NAN, NAN, NAN, 4.0], 2, [0.0, 1.0, 2.0, NAN, 4.0]),
    "a gap of exactly limit=2 is filled whole": (
        ["00:00", "01:00", "02:00", "04:00"], [0.0, NAN, NAN, 8.0], 2, [0.0, 2.0, 4.0, 8.0]),
    "limit with edges: leading and trailing gaps still stay missing": (
        ["00:00", "01:00", "02:00", "03:00"], [NAN, 1.0, 2.0, NAN], 1, [NAN, 1.0, 2.0, NAN]),
    "all missing stays all missing": (["00:00", "01:00"], [NAN, NAN], None, [NAN, NAN]),
    "a single reading": (["00:00"], [5.0], None, [5.0]),
    "nothing missing: nothing changes": (["00:00", "00:01", "09:00"], [3.0, 1.0, 2.0], None, [3.0, 1.0, 2.0]),
}


def time_series(times: list[str], vals: list[float]) -> pd.Series:
    return pd.Series(vals, index=pd.DatetimeIndex([f"{DAY} {t}" for t in times]), dtype="float64", name="value")


@pytest.mark.parametrize("times,vals,limit,want", INTERPOLATE_CASES.values(), ids=INTERPOLATE_CASES.keys())
def test_interpolate_in_time(times, vals, limit, want):
    series = time_series(times, vals)
    before = series.copy()
    got = interpolate_in_time(series, limit=limit)
    found = [float(v) for v in got]
    assert same(found, want), (f"interpolate_in_time(values {vals} at {times}, limit={limit}) gave {found}, "
                               f"expected {want}")
    assert got.index.equals(series.index), f"the index changed to {list(got.index)}"
    pd.testing.assert_series_equal(series, before, obj="the series after interpolate_in_time")


# -- interpolate_per_sensor ----------------------------------------------------------------------

PER_SENSOR_CASES = {
    "each sensor separately: no line from a's last reading to b's first": (
        [("a", "00:00", 0.0), ("a", "02:00", 2.0), ("b", "03:00", NAN), ("b", "04:00", 10.0)], None,
        [0.0, 2.0, NAN, 10.0]),
    "interleaved rows: each sensor's own neighbours in time": (
        [("a", "00:00", 0.0), ("b", "00:00", 100.0), ("a", "01:00", NAN), ("b", "03:00", NAN),
         ("a", "04:00", 4.0), ("b", "04:00", 0.0)], None, [0.0, 100.0, 1.0, 25.0, 4.0, 0.0]),
    "an all-missing sensor stays missing beside a complete one": (
        [("z", "00:00", NAN), ("a", "00:00", 1.0), ("z", "01:00", NAN), ("a", "01:00", 2.0)], None,
        [NAN, 1.0, NAN, 2.0]),
    "rows out of time order: values come back in the input's row order": (
        [("a", "04:00", 8.0), ("a", "01:00", NAN), ("a", "00:00", 0.0)], None, [8.0, 2.0, 0.0]),
    "leading and trailing gaps of each sensor stay missing": (
        [("a", "00:00", NAN), ("a", "01:00", 1.0), ("a", "02:00", NAN), ("a", "03:00", 3.0), ("a", "04:00", NAN)],
        None, [NAN, 1.0, 2.0, 3.0, NAN]),
    "limit=1 per gap, per sensor": (
        [("a", "00:00", 0.0), ("a", "01:00", NAN), ("a", "02:00", NAN), ("a", "03:00", 3.0),
         ("b", "00:00", 0.0), ("b", "01:00", NAN), ("b", "02:00", 2.0)], 1, [0.0, 1.0, NAN, 3.0, 0.0, 1.0, 2.0]),
}


@pytest.mark.parametrize("rows,limit,want", PER_SENSOR_CASES.values(), ids=PER_SENSOR_CASES.keys())
def test_interpolate_per_sensor(rows, limit, want):
    readings = readings_frame(rows)
    got = values(interpolate_per_sensor(readings, limit=limit))
    assert same(got, want), (f"interpolate_per_sensor(rows {rows}, limit={limit}) gave values {got}, "
                             f"expected {want} (listed in the input's row order)")


def test_interpolate_per_sensor_keeps_index_and_columns_and_leaves_its_input_alone():
    readings = readings_frame([("a", "02:00", 2.0), ("b", "00:00", 1.0), ("a", "01:00", NAN), ("a", "00:00", 0.0)],
                              index=[7, 5, 3, 1])
    before = readings.copy()
    got = interpolate_per_sensor(readings)
    assert list(got.index) == [7, 5, 3, 1], f"the index came back as {list(got.index)}, expected [7, 5, 3, 1]"
    assert list(got.columns) == ["sensor_id", "ts", "value"], f"columns {list(got.columns)}"
    pd.testing.assert_frame_equal(got[["sensor_id", "ts"]], readings[["sensor_id", "ts"]])
    assert same(values(got), [2.0, 1.0, 1.0, 0.0]), f"values {values(got)}, expected [2.0, 1.0, 1.0, 0.0]"
    pd.testing.assert_frame_equal(readings, before, obj="the readings after interpolate_per_sensor")


# -- the plain-Python oracle ---------------------------------------------------------------------

def by_sensor_in_time(rows: list[tuple]) -> dict[str, list[int]]:
    """sensor -> positions of its rows, sorted by minute."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(row[0], []).append(i)
    return {s: sorted(pos, key=lambda i: rows[i][1]) for s, pos in groups.items()}


def oracle_ffill(rows: list[tuple], limit: int | None) -> list[float]:
    out = [r[2] for r in rows]
    for positions in by_sensor_in_time(rows).values():
        last, run = NAN, 0
        for i in positions:
            if not math.isnan(rows[i][2]):
                last, run = rows[i][2], 0
            else:
                run += 1
                if limit is None or run <= limit:
                    out[i] = last
    return out


def oracle_interpolate(rows: list[tuple], limit: int | None) -> list[float]:
    out = [r[2] for r in rows]
    for positions in by_sensor_in_time(rows).values():
        known = [i for i in positions if not math.isnan(rows[i][2])]
        for left, right in zip(known, known[1:]):
            gap = positions[positions.index(left) + 1:positions.index(right)]
            (t0, v0), (t1, v1) = (rows[left][1:], rows[right][1:])
            for k, i in enumerate(gap):
                if limit is None or k < limit:
                    out[i] = v0 + (v1 - v0) * (rows[i][1] - t0) / (t1 - t0)
    return out


READING = st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 600),
                    st.one_of(st.just(NAN), st.integers(-50, 50).map(float)))


@settings(max_examples=60, deadline=None)
@given(raw=st.lists(READING, max_size=25, unique_by=lambda r: (r[0], r[1])),
       limit=st.one_of(st.none(), st.integers(1, 3)))
def test_all_three_agree_with_plain_python_loops(raw, limit):
    frame = pd.DataFrame({"sensor_id": [r[0] for r in raw],
                          "ts": pd.Timestamp(DAY) + pd.to_timedelta([r[1] for r in raw], unit="min"),
                          "value": pd.Series([r[2] for r in raw], dtype="float64")})
    got_ffill, want_ffill = values(forward_fill_per_sensor(frame, limit=limit)), oracle_ffill(raw, limit)
    assert same(got_ffill, want_ffill), (f"forward_fill_per_sensor(limit={limit}) on (sensor, minute, value) rows "
                                         f"{raw} gave {got_ffill}, the loop gives {want_ffill}")
    got_interp, want_interp = values(interpolate_per_sensor(frame, limit=limit)), oracle_interpolate(raw, limit)
    assert same(got_interp, want_interp), (f"interpolate_per_sensor(limit={limit}) on (sensor, minute, value) rows "
                                           f"{raw} gave {got_interp}, the loop gives {want_interp}")
    for sensor, positions in by_sensor_in_time(raw).items():
        series = pd.Series([raw[i][2] for i in positions], dtype="float64",
                           index=pd.Timestamp(DAY) + pd.to_timedelta([raw[i][1] for i in positions], unit="min"))
        got = [float(v) for v in interpolate_in_time(series, limit=limit)]
        want = [want_interp[i] for i in positions]
        assert same(got, want), (f"interpolate_in_time(limit={limit}) on sensor {sensor}'s values "
                                 f"{list(series)} gave {got}, the loop gives {want}")
