"""Missing data: forward fill within a group, interpolation in time, and what happens at the edges.

Interviewers hand you sensor readings with holes and ask you to fill them, then listen for the
traps: a forward fill over the whole column copies one sensor's value into the next sensor's
gap; default interpolation spaces points by row position, not by time, when readings are
irregular; pandas happily extends the last value over a trailing gap; and a long outage should
not be papered over. Knowing `groupby(...).ffill`, `interpolate(method="time")`, `limit` and
`limit_area` is the answer.

    readings                                  interpolate_per_sensor(readings)
        sensor_id  ts                 value       value
        a          2024-01-01 00:00     0.0        0.0
        a          2024-01-01 01:00     NaN        2.0    1 hour of the 4 between the known readings
        a          2024-01-01 04:00     8.0        8.0
        b          2024-01-01 00:00     NaN        NaN    leading gap: nothing before it
        b          2024-01-01 02:00     5.0        5.0
        b          2024-01-01 03:00     NaN        NaN    trailing gap: nothing after it

    forward_fill_per_sensor(readings)  ->  0.0, 0.0, 8.0, NaN, 5.0, 5.0

A readings frame has the columns sensor_id (str), ts (datetime64) and value (float; NaN is a
missing reading), a unique index, rows in any order, and at most one reading per sensor and ts.

Requirements
- `forward_fill_per_sensor(readings, limit=None)` returns a copy of readings (same index, same row
  order, same columns) where each missing value takes the sensor's last known value at an earlier
  ts. Values never come from another sensor; "earlier" is about ts, not row order. A leading gap
  (nothing known before it) and an all-missing sensor stay missing. With `limit`, at most `limit`
  consecutive missing readings after a known one are filled; the rest of that gap stays missing.
- `interpolate_in_time(series, limit=None)` takes a float Series on a sorted DatetimeIndex with
  irregular spacing and returns a new Series (same index): a missing value strictly between two
  known ones becomes the straight line between them, weighted by time
  (v0 + (v1 - v0) * (t - t0) / (t1 - t0)). Leading and trailing gaps stay missing: nothing is
  extrapolated, not even by repeating the last value. With `limit`, only the first `limit`
  missing readings of a gap are filled and the rest of that gap stays missing (pandas' own meaning
  of `limit`); a gap of at most `limit` readings is filled whole.
- `interpolate_per_sensor(readings, limit=None)` returns a copy of readings (same index, same row
  order) with each sensor's values interpolated in time as interpolate_in_time does, using only
  that sensor's readings. An all-missing sensor stays missing.
- None of the functions changes its input.
"""
from __future__ import annotations

import pandas as pd


def forward_fill_per_sensor(readings: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    raise NotImplementedError("TODO: sort by sensor and ts, forward fill within each sensor, realign on the index")


def interpolate_in_time(series: pd.Series, limit: int | None = None) -> pd.Series:
    raise NotImplementedError("TODO: interpolate weighted by time, inside gaps only, honouring limit")


def interpolate_per_sensor(readings: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    raise NotImplementedError("TODO: interpolate each sensor's readings in time on their own")
