"""Tests for the serverless-vs-EC2 cost model: `pytest katas/mock/aws/test_serverless_vs_ec2.py`.

Pure arithmetic, no AWS call. Expected dollars are worked out by hand in the case tables (the
arithmetic is in the comments) from the prices in the kata. Money is compared as Decimal, to a
millionth of a dollar.
"""
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.aws.serverless_vs_ec2 import (
    INSTANCES,
    Comparison,
    LambdaNotPossible,
    Workload,
    break_even_requests,
    compare,
    ec2_instances_needed,
    ec2_monthly_cost,
    lambda_gb_seconds,
    lambda_monthly_cost,
)

D = Decimal
CENT_FRACTION = D("0.000001")
M5_LARGE, M5_XLARGE, C5_LARGE = INSTANCES["m5.large"], INSTANCES["m5.xlarge"], INSTANCES["c5.large"]

# The three workloads of the model answer.
WEBHOOK = Workload("bursty webhook", requests_per_month=2_000_000, duration_ms=200, memory_mb=256,
                   peak_rps=D(50))                              # averages 0.76 rps, bursts to 50
STEADY = Workload("steady stream", requests_per_month=200 * 3600 * 730, duration_ms=100, memory_mb=2048,
                  peak_rps=D(220))                              # 200 rps all month, 220 at the peak
BATCH = Workload("nightly 20-minute batch", requests_per_month=30, duration_ms=20 * 60 * 1000,
                 memory_mb=3008, peak_rps=D(1) / 1200, ec2_hours_per_month=D(10))   # 30 runs x 20 min


def close(got, want) -> bool:
    return isinstance(got, Decimal) and abs(got - want) < CENT_FRACTION


GB_SECONDS = {
    "128 MB for 1 s is 0.125 GB-s (a GB is 1,024 MB)": (Workload("w", 1, 1000, 128, D(1)), D("0.125")),
    "1,536 MB for 1 s is 1.5 GB-s": (Workload("w", 1, 1000, 1536, D(1)), D("1.5")),
    "bursty webhook: 2M x 0.2 s x 0.25 GB": (WEBHOOK, D(100_000)),
    "no requests, no GB-seconds": (replace(WEBHOOK, requests_per_month=0), D(0)),
}


@pytest.mark.parametrize("workload,want", GB_SECONDS.values(), ids=GB_SECONDS.keys())
def test_lambda_gb_seconds(workload, want):
    got = lambda_gb_seconds(workload)
    assert close(got, want), f"lambda_gb_seconds({workload}) returned {got!r}, expected Decimal {want}"


LAMBDA_COSTS = {
    "bursty webhook: 1M requests over the free tier, GB-seconds inside it":
        (WEBHOOK, True, D("0.20")),                                      # 1M x $0.0000002
    "bursty webhook without the free tier": (WEBHOOK, False, D("2.06667")),   # 0.40 + 100,000 x 0.0000166667
    "steady stream: both allowances used up":
        (STEADY, True, D("1850.256824")),             # 524.6M x 0.0000002 + 104.72M GB-s x 0.0000166667
    "inside both allowances costs nothing": (Workload("w", 500_000, 100, 128, D(1)), True, D(0)),
    "GB-seconds used up while the requests are still free (each allowance on its own)":
        (Workload("w", 900_000, 1000, 1024, D(1)), True, D("8.33335")),  # (900,000 - 400,000) x 0.0000166667
    "1,536 MB is 1.5 GB, not 1.536": (Workload("w", 2_000_000, 1000, 1536, D(1)), False, D("50.4001")),
    "exactly 15 minutes is allowed": (Workload("w", 10, 900_000, 1024, D(1)), False, D("0.1500023")),
}


@pytest.mark.parametrize("workload,free_tier,want", LAMBDA_COSTS.values(), ids=LAMBDA_COSTS.keys())
def test_lambda_monthly_cost(workload, free_tier, want):
    got = lambda_monthly_cost(workload, free_tier=free_tier)
    assert close(got, want), \
        f"lambda_monthly_cost({workload}, free_tier={free_tier}) returned {got!r}, expected Decimal {want}"


OVER_THE_LIMITS = {
    "the 20-minute batch": (BATCH, "15"),
    "15 minutes and 1 ms": (Workload("w", 1, 900_001, 1024, D(1)), "15"),
    "64 MB is under the minimum": (Workload("w", 1, 100, 64, D(1)), "memory"),
    "10,241 MB is over the maximum": (Workload("w", 1, 100, 10_241, D(1)), "memory"),
}


@pytest.mark.parametrize("workload,named", OVER_THE_LIMITS.values(), ids=OVER_THE_LIMITS.keys())
def test_lambda_refuses_what_it_cannot_run_and_names_the_limit(workload, named):
    with pytest.raises(LambdaNotPossible) as refused:
        got = lambda_monthly_cost(workload)
        pytest.fail(f"lambda_monthly_cost({workload}) returned {got!r}, expected LambdaNotPossible")
    assert isinstance(refused.value, ValueError), "LambdaNotPossible must be a ValueError"
    assert named in str(refused.value).lower(), f"the message {str(refused.value)!r} should mention {named!r}"


INSTANCE_COUNTS = {
    "sized for the peak of 50 rps, not the month's average of 0.76: 10 in flight / 1.4": (WEBHOOK, M5_LARGE, "0.7", 8),
    "exactly 7: 84 rps x 0.1 s = 8.4 in flight / 1.2 (floats make it 7.000000000000001)":
        (Workload("w", 1, 100, 128, D(84)), M5_LARGE, "0.6", 7),
    "4 vCPUs hold twice as much: 8.4 / 2.4 = 3.5": (Workload("w", 1, 100, 128, D(84)), M5_XLARGE, "0.6", 4),
    "at 100% utilisation: 8.4 / 2 = 4.2": (Workload("w", 1, 100, 128, D(84)), M5_LARGE, "1", 5),
    "a quiet service still needs one instance": (Workload("w", 1, 100, 128, D("0.01")), M5_LARGE, "0.7", 1),
    "steady stream: 22 in flight / 1.4": (STEADY, C5_LARGE, "0.7", 16),
}


@pytest.mark.parametrize("workload,instance,utilisation,want", INSTANCE_COUNTS.values(), ids=INSTANCE_COUNTS.keys())
def test_ec2_instances_needed(workload, instance, utilisation, want):
    got = ec2_instances_needed(workload, instance, D(utilisation))
    assert got == want, (f"ec2_instances_needed({workload}, {instance.name}, {utilisation}) returned {got!r}, "
                         f"expected {want}")


@pytest.mark.parametrize("utilisation", ["0", "-0.5", "1.2"])
def test_a_target_utilisation_outside_0_to_1_is_refused(utilisation):
    with pytest.raises(ValueError):
        got = ec2_instances_needed(WEBHOOK, M5_LARGE, D(utilisation))
        pytest.fail(f"ec2_instances_needed(..., target_utilisation={utilisation}) returned {got!r}, expected ValueError")


EC2_COSTS = {
    "bursty webhook: 8 x $0.096 x 730 h": (WEBHOOK, M5_LARGE, D("560.64")),
    "steady stream: 16 x $0.085 x 730 h": (STEADY, C5_LARGE, D("992.80")),
    "the batch runs 10 hours a month: 1 x $0.192 x 10 h": (BATCH, M5_XLARGE, D("1.92")),
}


@pytest.mark.parametrize("workload,instance,want", EC2_COSTS.values(), ids=EC2_COSTS.keys())
def test_ec2_monthly_cost(workload, instance, want):
    got = ec2_monthly_cost(workload, instance, D("0.7"))
    assert close(got, want), f"ec2_monthly_cost({workload.name!r}, {instance.name}, 0.7) returned {got!r}, expected {want}"


VERDICTS = {
    "bursty webhook: Lambda, idle most of the month": (WEBHOOK, M5_LARGE, "lambda"),
    "steady stream: EC2, busy all month": (STEADY, C5_LARGE, "ec2"),
}


@pytest.mark.parametrize("workload,instance,want", VERDICTS.values(), ids=VERDICTS.keys())
def test_compare_names_the_cheaper_side(workload, instance, want):
    got = compare(workload, instance, D("0.7"))
    assert isinstance(got, Comparison) and got.cheaper == want, f"compare({workload.name!r}) returned {got}, expected {want}"
    pair = (got.lambda_cost, got.ec2_cost, got.ec2_instances)
    expected = (lambda_monthly_cost(workload), ec2_monthly_cost(workload, instance, D("0.7")),
                ec2_instances_needed(workload, instance, D("0.7")))
    assert pair == expected, f"compare returned costs and count {pair}, expected {expected}"
    assert got.reason, "compare must say why in its reason"


def test_the_20_minute_batch_goes_to_ec2_because_of_the_15_minute_limit():
    got = compare(BATCH, M5_XLARGE, D("0.7"))
    assert (got.lambda_cost, got.cheaper) == (None, "ec2"), \
        f"compare(batch) returned {got}, expected lambda_cost None and cheaper 'ec2'"
    assert close(got.ec2_cost, D("1.92")), f"compare(batch).ec2_cost is {got.ec2_cost!r}, expected 1.92"
    assert "15" in got.reason, f"the reason {got.reason!r} should name Lambda's 15-minute limit"


def test_a_tie_goes_to_lambda():
    idle = Workload("idle", 1000, 100, 128, D(1), ec2_hours_per_month=D(0))   # both cost $0
    got = compare(idle, M5_LARGE, D("0.7"))
    assert got.cheaper == "lambda", f"compare with both sides at $0 returned {got}, expected cheaper='lambda'"


BREAK_EVENS = {
    "bursty webhook on m5.large": (WEBHOOK, M5_LARGE, True, 549_199_127),
    "steady stream on c5.large: about 108 rps sustained": (STEADY, C5_LARGE, True, 282_923_998),
    "no free tier: zero EC2 hours leave Lambda nothing": (replace(WEBHOOK, ec2_hours_per_month=D(0)), M5_LARGE,
                                                           False, 0),
}


@pytest.mark.parametrize("workload,instance,free_tier,want", BREAK_EVENS.values(), ids=BREAK_EVENS.keys())
def test_break_even_requests(workload, instance, free_tier, want):
    got = break_even_requests(workload, instance, D("0.7"), free_tier=free_tier)
    assert got == want, (f"break_even_requests({workload.name!r}, {instance.name}, 0.7, free_tier={free_tier}) "
                         f"returned {got!r}, expected {want}")


def test_break_even_of_a_workload_lambda_cannot_run_is_refused():
    with pytest.raises(LambdaNotPossible):
        got = break_even_requests(BATCH, M5_XLARGE, D("0.7"))
        pytest.fail(f"break_even_requests(batch) returned {got!r}, expected LambdaNotPossible")


workloads = st.builds(
    Workload, name=st.just("generated"), requests_per_month=st.integers(0, 10**9),
    duration_ms=st.integers(1, 900_000), memory_mb=st.integers(128, 10_240),
    peak_rps=st.integers(1, 20_000).map(lambda tenths: D(tenths) / 10),
    ec2_hours_per_month=st.integers(0, 730).map(D))
instances = st.sampled_from(sorted(INSTANCES.values(), key=lambda i: i.name))
utilisations = st.sampled_from(["0.5", "0.6", "0.7", "0.75", "0.8", "1"]).map(D)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(workload=workloads, instance=instances, utilisation=utilisations, free_tier=st.booleans())
def test_lambda_is_no_dearer_up_to_the_break_even_and_dearer_just_past_it(workload, instance, utilisation, free_tier):
    n = break_even_requests(workload, instance, utilisation, free_tier=free_tier)
    ec2 = ec2_monthly_cost(workload, instance, utilisation)
    at = lambda_monthly_cost(replace(workload, requests_per_month=n), free_tier=free_tier)
    past = lambda_monthly_cost(replace(workload, requests_per_month=n + 1), free_tier=free_tier)
    assert isinstance(n, int) and n >= 0, f"break_even_requests returned {n!r}, expected an int >= 0"
    assert at <= ec2 < past, (f"break_even_requests({workload}, {instance.name}, {utilisation}) returned {n}: "
                              f"Lambda costs {at} there and {past} one request later, EC2 costs {ec2}; expected "
                              "Lambda <= EC2 at n and > EC2 at n + 1")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(workload=workloads, instance=instances, utilisation=utilisations)
def test_the_fleet_holds_the_peak_and_one_instance_fewer_would_not(workload, instance, utilisation):
    n = ec2_instances_needed(workload, instance, utilisation)
    in_flight = workload.peak_rps * workload.duration_ms / 1000
    usable = instance.vcpus * utilisation
    assert n >= 1 and n * usable >= in_flight, \
        f"{n} x {instance.name} at {utilisation} hold {n * usable} requests in flight, the peak has {in_flight}"
    assert n == 1 or (n - 1) * usable < in_flight, \
        f"{n} instances returned, but {n - 1} already hold the peak's {in_flight} requests in flight"
