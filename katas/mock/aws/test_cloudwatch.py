"""Tests for the CloudWatch kata: run `pytest katas/mock/aws/test_cloudwatch.py`.

Metrics, the alarm and the metric filter go into moto and are read back from it. moto evaluates
no alarm and runs no metric filter, so those are judged through your evaluate_alarm and matches:
the alarm you stored, over the series you read back, must change state when the service would.
Samples are stamped at whole minutes: moto starts its statistics periods at the first datapoint,
where CloudWatch aligns them to the period.
"""
import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.services.aws import CallLog
from katas.mock.aws.cloudwatch import (
    MAX_DATUMS,
    NAMESPACE,
    Sample,
    alarm_timeline,
    evaluate_alarm,
    matches,
    publish_requests,
    put_error_alarm,
    put_error_filter,
    read_series,
)

pytestmark = pytest.mark.needs("aws")

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
SERVICE = "checkout"


def minute(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


@pytest.fixture
def cloudwatch(aws, aws_session):
    return aws_session.client("cloudwatch")


@pytest.fixture
def topic_arn(aws, aws_session):
    return aws_session.client("sns").create_topic(Name="on-call")["TopicArn"]


def traffic(endpoint: str, errors_per_minute: list[int | None], requests: int = 8) -> list[Sample]:
    """`requests` samples a minute, the first n of them failed; None: no traffic that minute."""
    return [Sample(endpoint, 100.0 + i, i < errors, minute(m))
            for m, errors in enumerate(errors_per_minute) if errors is not None for i in range(requests)]


# ---- custom metrics -----------------------------------------------------------------------------

def test_each_request_becomes_latency_and_errors_under_service_and_endpoint(cloudwatch):
    samples = [Sample("/pay", 120.0, False, minute(0)), Sample("/pay", 380.0, True, minute(0)),
               Sample("/cart", 40.0, False, minute(0))]
    calls = publish_requests(cloudwatch, SERVICE, samples)

    assert calls == 1, f"publish_requests(3 samples) returned {calls} calls, expected 1"
    found = {(m["MetricName"], tuple(sorted((d["Name"], d["Value"]) for d in m["Dimensions"])))
             for m in cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"]}
    want = {(name, (("Endpoint", endpoint), ("Service", SERVICE)))
            for name in ("Latency", "Errors") for endpoint in ("/pay", "/cart")}
    assert found == want, f"list_metrics shows {sorted(found)}, expected {sorted(want)}"
    stats = cloudwatch.get_metric_statistics(
        Namespace=NAMESPACE, MetricName="Latency", StartTime=minute(0), EndTime=minute(1), Period=60,
        Dimensions=[{"Name": "Service", "Value": SERVICE}, {"Name": "Endpoint", "Value": "/pay"}],
        Statistics=["Average", "SampleCount"])["Datapoints"]
    assert [(p["Average"], p["SampleCount"], p["Unit"]) for p in stats] == [(250.0, 2.0, "Milliseconds")], (
        f"/pay latency for minute 0 is {stats}, expected average 250 over 2 samples in Milliseconds")


def test_more_than_max_datums_are_sent_in_several_calls(cloudwatch):
    log = CallLog(cloudwatch)
    samples = [Sample("/pay", 1.0, False, minute(i % 3)) for i in range(MAX_DATUMS // 2 + 1)]

    calls = publish_requests(cloudwatch, SERVICE, samples)

    sizes = [len(params["MetricData"]) for params in log.named("PutMetricData")]
    assert calls == 2 and sizes == [MAX_DATUMS, 2], (
        f"publish_requests({len(samples)} samples = {2 * len(samples)} datums) made calls of {sizes} datums "
        f"and returned {calls}; expected 2 calls: {MAX_DATUMS} then 2")


def test_a_series_has_one_value_per_minute_and_none_where_nothing_came(cloudwatch):
    publish_requests(cloudwatch, SERVICE, traffic("/pay", [0, 2, None, 5]) + traffic("/cart", [8, 8, 8, 8, 8, 8]))
    log = CallLog(cloudwatch)

    got = read_series(cloudwatch, SERVICE, "/pay", "Errors", "Sum", minute(0), periods=6)

    assert got == [0.0, 2.0, None, 5.0, None, None], (
        f"read_series(/pay Errors Sum, 6 minutes) returned {got}, expected [0.0, 2.0, None, 5.0, None, None]: "
        "/cart's errors must not leak in, and a silent minute is None, not 0")
    asked = log.named("GetMetricStatistics")
    assert len(asked) == 1 and sorted(d["Name"] for d in asked[0]["Dimensions"]) == ["Endpoint", "Service"], (
        f"read_series called GetMetricStatistics with {asked}: one call, with both dimensions")
    counts = read_series(cloudwatch, SERVICE, "/cart", "Latency", "SampleCount", minute(0), periods=2)
    assert counts == [8.0, 8.0], f"read_series(/cart Latency SampleCount, 2 minutes) returned {counts}"


# ---- the alarm, stored in moto, evaluated by your code ------------------------------------------

def test_the_error_alarm_pages_on_three_bad_minutes_out_of_five(cloudwatch, topic_arn):
    alarm = put_error_alarm(cloudwatch, SERVICE, "/pay", topic_arn)
    assert alarm["AlarmName"] == "checkout/pay-errors" and alarm["AlarmActions"] == [topic_arn] \
        and alarm["OKActions"] == [topic_arn], (
        f"put_error_alarm returned {alarm}: expected the alarm 'checkout/pay-errors' notifying the topic "
        "on ALARM and on OK")
    errors = [0, 6, 0, 0, 1, 7, 5, None, 9, 0, 0, 0, None, None, None, None, None, None]   # per minute
    publish_requests(cloudwatch, SERVICE, traffic("/pay", errors, requests=10))

    series = read_series(cloudwatch, SERVICE, "/pay", "Errors", "Sum", minute(0), periods=len(errors))
    states = alarm_timeline(alarm, series)

    changes = [(m, state) for m, state in enumerate(states) if m == 0 or states[m - 1] != state]
    want = [(0, "OK"), (8, "ALARM"), (11, "OK")]
    assert changes == want, (
        f"over errors per minute {errors} the alarm changed state at {changes}, expected {want}: minute 1 "
        "alone must not page; at minute 8 the last 5 REAL minutes (the silent minute 7 is skipped, not "
        "filled) hold 7, 5 and 9; at minute 11 only two of them are left")


# The 3-of-3 example of CloudWatch's "Configuring how CloudWatch alarms treat missing data":
# 5 datapoints read, oldest first; 0 not breaching, X breaching, - missing. "keep": current state.
DOC_ROWS = {
    "0 - X - X": {"missing": "OK", "ignore": "OK", "breaching": "OK", "notBreaching": "OK"},
    "- - - - 0": {"missing": "OK", "ignore": "OK", "breaching": "OK", "notBreaching": "OK"},
    "- - - - -": {"missing": "INSUFFICIENT_DATA", "ignore": "keep", "breaching": "ALARM", "notBreaching": "OK"},
    "0 X X - X": {"missing": "ALARM", "ignore": "ALARM", "breaching": "ALARM", "notBreaching": "ALARM"},
    "- - X - -": {"missing": "ALARM", "ignore": "keep", "breaching": "ALARM", "notBreaching": "OK"},
}
VALUE = {"0": 1.0, "X": 10.0, "-": None}


def alarm_of(treatment=None, periods=3, to_alarm=None, op="GreaterThanThreshold", threshold=5.0) -> dict:
    alarm = {"AlarmName": "a", "EvaluationPeriods": periods, "Threshold": threshold, "ComparisonOperator": op}
    if treatment:
        alarm["TreatMissingData"] = treatment
    if to_alarm:
        alarm["DatapointsToAlarm"] = to_alarm
    return alarm


DOC_CASES = {f"{row} treated as {treatment}, was {current}": (row, treatment, current, want)
             for row, outcomes in DOC_ROWS.items() for treatment, want in outcomes.items()
             for current in ("OK", "ALARM")}


@pytest.mark.parametrize("row,treatment,current,want", DOC_CASES.values(), ids=DOC_CASES.keys())
def test_the_documented_missing_data_table(row, treatment, current, want):
    values = [VALUE[c] for c in row.split()]
    got = evaluate_alarm(alarm_of(treatment), values, current)
    expected = current if want == "keep" else want
    assert got == expected, (
        f"evaluate_alarm(3 of 3, TreatMissingData={treatment!r}, range {row}, current {current}) returned "
        f"{got!r}, expected {expected!r}")


def test_without_treat_missing_data_the_default_is_missing():
    got = evaluate_alarm(alarm_of(None), [None] * 5, "OK")
    assert got == "INSUFFICIENT_DATA", f"evaluate_alarm(no TreatMissingData, all missing) returned {got!r}"


# name -> (alarm, range, current state, expected)
M_OF_N = {
    "3 of 5: three breaching among five": (alarm_of(periods=5, to_alarm=3), [10, 1, 10, 1, 10], "OK", "ALARM"),
    "3 of 5: two breaching is not enough": (alarm_of(periods=5, to_alarm=3), [10, 1, 10, 1, 1], "ALARM", "OK"),
    "3 of 5: breaching only beyond the last five real": (
        alarm_of(periods=5, to_alarm=3), [10, 10, 1, 1, 1, 10, 1], "ALARM", "OK"),
    "the N most recent REAL datapoints, skipping a gap": (
        alarm_of("notBreaching", periods=3, to_alarm=2), [1, 10, None, 1, 10], "OK", "ALARM"),
    "a gap inside the range, enough real points: treatment unused": (
        alarm_of("breaching", periods=3, to_alarm=2), [1, None, 1, None, 10], "ALARM", "OK"),
    "DatapointsToAlarm absent means N of N": (alarm_of(periods=2), [10, 1], "ALARM", "OK"),
    "threshold equal, GreaterThanThreshold": (alarm_of(periods=1, threshold=5), [5], "ALARM", "OK"),
    "threshold equal, GreaterThanOrEqualToThreshold": (
        alarm_of(periods=1, op="GreaterThanOrEqualToThreshold"), [5], "OK", "ALARM"),
    "LessThanThreshold: traffic dropped": (alarm_of(periods=2, op="LessThanThreshold", threshold=3), [2, 1], "OK",
                                           "ALARM"),
    "LessThanOrEqualToThreshold at the threshold": (
        alarm_of(periods=1, op="LessThanOrEqualToThreshold", threshold=3), [3], "OK", "ALARM"),
    "fewer than N real, breaching fills": (alarm_of("breaching", periods=5, to_alarm=3), [1, 1, None, None, None],
                                           "OK", "ALARM"),
    "fewer than N real, notBreaching fills": (
        alarm_of("notBreaching", periods=5, to_alarm=3), [10, 10, None, None, None], "ALARM", "OK"),
    "fewer than N real, missing: real ones alone reach M": (
        alarm_of("missing", periods=5, to_alarm=2), [None, 10, None, 10, None], "OK", "ALARM"),
    "missing: breach too recent to alarm early, state kept": (
        alarm_of("missing", periods=3, to_alarm=3), [None, None, None, 10, None], "OK", "OK"),
    "missing: an OK point after the breach, state kept": (
        alarm_of("missing", periods=4, to_alarm=3), [None, 10, 1, None], "INSUFFICIENT_DATA", "INSUFFICIENT_DATA"),
}


@pytest.mark.parametrize("alarm,values,current,want", M_OF_N.values(), ids=M_OF_N.keys())
def test_m_out_of_n_and_the_comparison(alarm, values, current, want):
    got = evaluate_alarm(alarm, values, current)
    assert got == want, (
        f"evaluate_alarm({alarm['DatapointsToAlarm'] if 'DatapointsToAlarm' in alarm else 'N'} of "
        f"{alarm['EvaluationPeriods']}, {alarm['ComparisonOperator']} {alarm['Threshold']}, "
        f"TreatMissingData={alarm.get('TreatMissingData')!r}, range {values}, current {current}) returned "
        f"{got!r}, expected {want!r}")


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.just(n), st.integers(1, n), st.lists(st.sampled_from([1.0, 5.0, 9.0]), min_size=n, max_size=n + 3))),
    st.sampled_from(["missing", "ignore", "breaching", "notBreaching"]))
def test_with_no_missing_data_it_is_a_count_of_the_last_n(case, treatment):
    periods, to_alarm, values = case
    alarm = alarm_of(treatment, periods=periods, to_alarm=to_alarm, op="GreaterThanOrEqualToThreshold")
    want = "ALARM" if sum(v >= 5 for v in values[-periods:]) >= to_alarm else "OK"
    got = evaluate_alarm(alarm, values, "INSUFFICIENT_DATA")
    assert got == want, f"evaluate_alarm({to_alarm} of {periods}, >= 5, range {values}) returned {got!r}, expected {want!r}"


# what happens when the application stops reporting: 3 of 3, range 5, two breaching minutes, then silence
INSUFFICIENT = "INSUFFICIENT_DATA"
SILENCE = {
    "missing": [INSUFFICIENT, INSUFFICIENT, "ALARM", "ALARM", "ALARM", "ALARM", INSUFFICIENT],
    "ignore": [INSUFFICIENT] * 7,
    "breaching": ["ALARM"] * 7,
    "notBreaching": ["OK"] * 7,
}


@pytest.mark.parametrize("treatment,want", SILENCE.items(), ids=SILENCE.keys())
def test_a_timeline_when_the_application_goes_quiet(treatment, want):
    series = [10, 10, None, None, None, None, None]
    got = alarm_timeline(alarm_of(treatment), series, range_size=5)
    assert got == want, (f"alarm_timeline(3 of 3, TreatMissingData={treatment!r}, {series}, range 5) returned "
                         f"{got}, expected {want}")


def test_the_timeline_reads_n_plus_two_periods_by_default():
    alarm = alarm_of("missing", periods=3, to_alarm=3)
    got = alarm_timeline(alarm, [10, 10, 10, None, None, None, None, None], initial_state="OK")
    want = ["OK", "OK", "ALARM", "ALARM", "ALARM", "ALARM", "ALARM", "INSUFFICIENT_DATA"]
    assert got == want, f"alarm_timeline(3 of 3, missing, three breaches then silence) returned {got}, expected {want}"


# ---- the log metric filter ----------------------------------------------------------------------

def test_the_error_filter_is_stored_and_counts_error_lines(aws, aws_session):
    logs = aws_session.client("logs")
    logs.create_log_group(logGroupName="/app/checkout")
    logs.create_log_stream(logGroupName="/app/checkout", logStreamName="web-1")
    now = int(time.time() * 1000)           # CloudWatch Logs drops events older than 14 days
    lines = [{"level": "INFO", "msg": "paid"}, {"level": "ERROR", "msg": "card declined"},
             {"level": "error", "msg": "lower case is another value"}, {"msg": "no level"},
             {"level": "ERROR", "msg": "timeout"}]
    logs.put_log_events(logGroupName="/app/checkout", logStreamName="web-1", logEvents=[
        {"timestamp": now + i, "message": json.dumps(line)} for i, line in enumerate(lines)] + [
        {"timestamp": now + 9, "message": "ERROR plain text, not JSON"}])

    put_error_filter(logs, "/app/checkout", SERVICE)

    stored = logs.describe_metric_filters(logGroupName="/app/checkout")["metricFilters"]
    assert [f["filterName"] for f in stored] == ["checkout-logged-errors"], f"the log group's filters: {stored}"
    transformation = stored[0]["metricTransformations"][0]
    assert (transformation["metricName"], transformation["metricNamespace"], transformation["metricValue"],
            float(transformation.get("defaultValue", -1))) == ("LoggedErrors", NAMESPACE, "1", 0.0), (
        f"the filter emits {transformation}, expected LoggedErrors in {NAMESPACE}, value '1', defaultValue 0")
    events = logs.get_log_events(logGroupName="/app/checkout", logStreamName="web-1", startFromHead=True)["events"]
    assert len(events) == 6, f"moto kept {len(events)} of the 6 log events"
    hits = [json.loads(e["message"])["msg"] for e in events if matches(stored[0]["filterPattern"], e["message"])]
    assert hits == ["card declined", "timeout"], (
        f"the stored pattern {stored[0]['filterPattern']!r} matched {hits}, expected the two ERROR lines")


MSG = json.dumps({"level": "ERROR", "latency": 730, "http": {"status": 503, "path": "/pay/card"},
                  "user": {"tier": "gold"}, "retry": True})
# name -> (pattern, message, matches?)
PATTERNS = {
    "string equality": ('{ $.level = "ERROR" }', MSG, True),
    "string equality is case-sensitive": ('{ $.level = "error" }', MSG, False),
    "string inequality": ('{ $.level != "INFO" }', MSG, True),
    "wildcard in a string": ('{ $.http.path = "/pay/*" }', MSG, True),
    "wildcard must cover the whole value": ('{ $.http.path = "/pay" }', MSG, False),
    "nested number greater or equal": ("{ $.http.status >= 500 }", MSG, True),
    "number less than": ("{ $.latency < 500 }", MSG, False),
    "number equality": ("{ $.http.status = 503 }", MSG, True),
    "number inequality": ("{ $.http.status != 503 }", MSG, False),
    "and: both must hold": ('{ $.level = "ERROR" && $.latency > 1000 }', MSG, False),
    "or: one is enough": ('{ $.latency > 1000 || $.user.tier = "gold" }', MSG, True),
    "and binds tighter than or": ('{ $.latency > 1000 && $.level = "ERROR" || $.http.status = 503 }', MSG, True),
    "an absent property never matches": ('{ $.region != "eu" }', MSG, False),
    "a number compared with a string": ('{ $.latency = "730" }', MSG, False),
    "a boolean is not a number": ("{ $.retry = 1 }", MSG, False),
    "a message that is not JSON": ('{ $.level = "ERROR" }', "ERROR something broke", False),
    "a JSON list is not an event": ('{ $.level = "ERROR" }', '[{"level": "ERROR"}]', False),
}


@pytest.mark.parametrize("pattern,message,want", PATTERNS.values(), ids=PATTERNS.keys())
def test_json_filter_patterns(pattern, message, want):
    got = matches(pattern, message)
    assert got is want, f"matches({pattern!r}, {message!r}) returned {got!r}, expected {want}"
