"""Monitoring with CloudWatch: custom metrics with dimensions, an alarm, a log metric filter, and
the alarm's evaluation done by hand.

Interviewers ask "how would you use CloudWatch to monitor an application?" and listen for more
than "look at CPU": custom application metrics (latency, errors) with dimensions, alarms that
page on M out of N periods rather than on one blip, a deliberate choice of what a MISSING
datapoint means, and metrics extracted from logs. moto stores metrics, alarms and filters but
evaluates nothing, so the evaluation is yours to write, exactly as the service documents it.

    publish_requests(cloudwatch, "checkout", [Sample("/pay", 120.0, False, t0), ...])
    read_series(cloudwatch, "checkout", "/pay", "Errors", "Sum", t0, periods=10)
    # [0.0, 1.0, None, 6.0, ...]          one value per minute, None where nothing was published
    alarm = put_error_alarm(cloudwatch, "checkout", "/pay", topic_arn)   # as describe_alarms shows it
    alarm_timeline(alarm, [0, 6, 7, None, 9, 0, 0, 0, 0, 0])
    # ['OK', 'OK', 'OK', 'OK', 'ALARM', 'ALARM', 'ALARM', 'OK', 'OK', 'OK']

Requirements
- Metrics (namespace NAMESPACE): `publish_requests(client, service, samples)` puts two datums per
  Sample with put_metric_data: "Latency" (Unit "Milliseconds", the latency) and "Errors" (Unit
  "Count", 1 if failed else 0), both with the dimensions Service and Endpoint and the sample's
  timestamp; at most MAX_DATUMS datums per call. Returns the number of put_metric_data calls.
- `read_series(client, service, endpoint, metric, statistic, start, periods, period=60)`: one
  get_metric_statistics call with exactly those two dimensions, from start to
  start + periods * period; returns one value per period, oldest first, None for a period with no
  datapoint. A metric is its namespace, name AND full set of dimensions: other endpoints' data
  must not leak in.
- `put_error_alarm(client, service, endpoint, topic_arn)`: put_metric_alarm named
  "{service}{endpoint}-errors" on Errors (same two dimensions), Statistic Sum, Period 60,
  EvaluationPeriods 5, DatapointsToAlarm 3, Threshold 5, GreaterThanOrEqualToThreshold,
  TreatMissingData "notBreaching" (no traffic is not an outage of this metric), the topic in
  AlarmActions and OKActions. Returns the alarm as describe_alarms returns it.
- Logs: `put_error_filter(logs, log_group, service)` puts a metric filter named
  "{service}-logged-errors" on the log group, matching JSON log events whose "level" is "ERROR",
  emitting metric "LoggedErrors" in NAMESPACE with value "1" and defaultValue 0.
  `matches(pattern, message)` says whether a JSON filter pattern matches one log message, for
  this subset of the documented syntax: `{ $.a.b OP value }` terms joined by `&&` or `||` (`&&`
  binds tighter, no parentheses); OP is = or != with a double-quoted string (a `*` in it matches
  any run of characters), or =, !=, <, <=, >, >= with a number. A message that is not a JSON
  object, a property that is absent, or a number compared with a string (or the reverse) does
  not match.
- `evaluate_alarm(alarm, values, current_state)` returns the state after one evaluation, from
  the alarm's ComparisonOperator (the four Greater/Less...Threshold ones), Threshold,
  EvaluationPeriods N, DatapointsToAlarm M (N when absent) and TreatMissingData ("missing" when
  absent). `values` is the evaluation range, oldest first, None for a missing datapoint; it may
  be longer than N. As the CloudWatch documentation describes it:
    1. every datapoint of the range missing: missing -> "INSUFFICIENT_DATA", breaching ->
       "ALARM", notBreaching -> "OK", ignore -> current_state;
    2. at least N real datapoints: the N most recent REAL ones decide (missing treatment unused):
       "ALARM" when at least M of them breach, else "OK";
    3. fewer than N real datapoints (k of them): all of them count, plus N - k filled in as the
       treatment says. breaching: each filler breaches; notBreaching: none does. missing and
       ignore leave them unknown: "ALARM" if the real ones alone reach M, "OK" if even N - k
       breaching fillers could not reach M, otherwise undecided: ignore keeps current_state;
       missing goes to "ALARM" when, within the last N datapoints of the range, the oldest real
       breaching one is at least M datapoints old (the newest is 1 old) and every datapoint after
       it breaches or is missing (CloudWatch's rule against alarming late on sparse data), and
       keeps current_state otherwise.
- `alarm_timeline(alarm, series, *, range_size=None, initial_state="INSUFFICIENT_DATA")`: the
  state after each period of the series, evaluating over the last range_size periods (N + 2 when
  None; the service reads further back than N without publishing how far), periods before the
  series counting as missing.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

NAMESPACE = "Shop/App"
MAX_DATUMS = 1000           # PutMetricData accepts at most 1000 metrics per request

COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "GreaterThanThreshold": operator.gt,
    "GreaterThanOrEqualToThreshold": operator.ge,
    "LessThanThreshold": operator.lt,
    "LessThanOrEqualToThreshold": operator.le,
}


@dataclass(frozen=True)
class Sample:
    endpoint: str
    latency_ms: float
    failed: bool
    at: datetime


def publish_requests(client: Any, service: str, samples: list[Sample]) -> int:
    raise NotImplementedError("TODO: put_metric_data Latency and Errors with Service and Endpoint, <= 1000 per call")


def read_series(client: Any, service: str, endpoint: str, metric: str, statistic: str, start: datetime,
                periods: int, period: int = 60) -> list[float | None]:
    raise NotImplementedError("TODO: one get_metric_statistics call, one value per period, None where none came back")


def put_error_alarm(client: Any, service: str, endpoint: str, topic_arn: str) -> dict:
    raise NotImplementedError("TODO: put_metric_alarm (Errors Sum >= 5 in 3 of 5 minutes), return describe_alarms' view")


def put_error_filter(logs: Any, log_group: str, service: str) -> None:
    raise NotImplementedError("TODO: put_metric_filter for level ERROR emitting LoggedErrors, value 1, default 0")


def matches(pattern: str, message: str) -> bool:
    raise NotImplementedError("TODO: evaluate a JSON filter pattern ($.path OP value, && and ||) on one message")


def evaluate_alarm(alarm: dict, values: list[float | None], current_state: str) -> str:
    raise NotImplementedError("TODO: all missing / at least N real / fewer than N real, as the docstring describes")


def alarm_timeline(alarm: dict, series: list[float | None], *, range_size: int | None = None,
                   initial_state: str = "INSUFFICIENT_DATA") -> list[str]:
    raise NotImplementedError("TODO: slide an evaluation range of range_size periods over the series")
