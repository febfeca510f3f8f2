"""Serverless or EC2? A monthly cost model for both, and the break-even point between them.

Interviewers ask "when would you choose serverless over EC2?" and listen for numbers, not taste:
Lambda bills per request and per GB-second actually used (with a monthly free tier), so an idle
function costs nothing; an EC2 fleet bills per instance-hour whether busy or not, and it must be
sized for the PEAK, not the average. Bursty, spiky or low traffic favours Lambda; a steady, busy
stream favours EC2; a job longer than Lambda's 15-minute limit cannot run on Lambda at all.

Prices: the us-east-1 list prices as AWS publishes them (Lambda on x86 per request and per
GB-second with the always-free tier; EC2 on-demand Linux per hour), written down here on
PRICES_AS_OF from the published figures, NOT fetched (this repository is built offline): check
aws.amazon.com/lambda/pricing and aws.amazon.com/ec2/pricing/on-demand before quoting them.

    webhook = Workload("bursty webhook", requests_per_month=2_000_000, duration_ms=200,
                       memory_mb=256, peak_rps=Decimal(50))
    lambda_monthly_cost(webhook)              # $0.20: 1M requests over the free tier, GB-s all free
    ec2_instances_needed(webhook, INSTANCES["m5.large"], Decimal("0.7"))   # 8: 10 in flight / 1.4
    ec2_monthly_cost(webhook, INSTANCES["m5.large"], Decimal("0.7"))       # $560.64: 8 x 0.096 x 730
    compare(webhook, INSTANCES["m5.large"], Decimal("0.7")).cheaper        # 'lambda'
    break_even_requests(webhook, INSTANCES["m5.large"], Decimal("0.7"))    # 549_199_127 a month

Requirements (all money is Decimal dollars per month, not rounded; never float)
- Lambda. `lambda_gb_seconds(w)` = requests x duration in seconds x memory in GB, where a GB is
  1,024 MB (128 MB for 1 s is 0.125 GB-s). `lambda_monthly_cost(w, prices=LAMBDA, free_tier=True)`
  = billable requests x price per request + billable GB-seconds x price per GB-second, where with
  the free tier the first `free_requests` requests and the first `free_gb_seconds` GB-seconds of
  the month are free (each allowance on its own: a workload can exhaust one and not the other).
  It raises LambdaNotPossible (a ValueError) whose message names the limit when one request runs
  longer than `max_duration_ms` (15 minutes; exactly 15 minutes is allowed) or the memory is
  outside `min_memory_mb`..`max_memory_mb`.
- EC2. One request keeps one vCPU busy for its duration, so by Little's law the fleet has
  peak_rps x duration in seconds requests in flight at the peak; each instance may run only
  vcpus x target_utilisation of them (headroom for the next burst and a lost instance).
  `ec2_instances_needed(w, instance, target_utilisation)` is the smallest whole number of
  instances that holds the peak that way, at least 1. Exact: 84 rps of 100 ms on m5.large at 0.6
  is 8.4 / 1.2 = exactly 7 instances, not 8. target_utilisation must be in (0, 1], else ValueError.
  `ec2_monthly_cost(w, instance, target_utilisation)` = instances x hourly price x
  w.ec2_hours_per_month (730, AWS's month, for an always-on fleet; fewer for a scheduled job).
- `compare(w, instance, target_utilisation, free_tier=True)` returns a Comparison: both costs
  (lambda_cost None when Lambda cannot run it), the instance count, `cheaper` ("lambda" or "ec2";
  a tie goes to "lambda": nothing to patch or scale) and a one-line reason (for a Lambda limit,
  LambdaNotPossible's message).
- `break_even_requests(w, instance, target_utilisation, free_tier=True)`: keep w's duration,
  memory, peak and hours, vary only its monthly request count N. Return the LARGEST N at which
  Lambda costs no more than that EC2 fleet: Lambda is cheaper or equal at every N up to it and
  dearer at every N above it. Exact integer; LambdaNotPossible if Lambda cannot run w at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

REGION = "us-east-1"
PRICES_AS_OF = "2026-12-05"      # written from the published list prices; not fetched (offline)
MONTH_HOURS = Decimal(730)       # AWS prices a month as 730 hours


@dataclass(frozen=True)
class LambdaPrices:
    per_request: Decimal = Decimal("0.20") / 1_000_000    # $0.20 per 1M requests
    per_gb_second: Decimal = Decimal("0.0000166667")       # x86; arm64 is $0.0000133334
    free_requests: int = 1_000_000                          # always-free tier, per month
    free_gb_seconds: int = 400_000
    max_duration_ms: int = 15 * 60 * 1000                   # the 900 s timeout ceiling
    min_memory_mb: int = 128
    max_memory_mb: int = 10_240


@dataclass(frozen=True)
class InstanceType:
    name: str
    vcpus: int
    memory_gib: Decimal
    hourly: Decimal           # on-demand, Linux


LAMBDA = LambdaPrices()
INSTANCES = {i.name: i for i in (
    InstanceType("t3.micro", 2, Decimal(1), Decimal("0.0104")),
    InstanceType("t3.small", 2, Decimal(2), Decimal("0.0208")),
    InstanceType("t3.medium", 2, Decimal(4), Decimal("0.0416")),
    InstanceType("c5.large", 2, Decimal(4), Decimal("0.085")),
    InstanceType("m5.large", 2, Decimal(8), Decimal("0.096")),
    InstanceType("m5.xlarge", 4, Decimal(16), Decimal("0.192")),
)}


@dataclass(frozen=True)
class Workload:
    name: str
    requests_per_month: int
    duration_ms: int                 # one request, start to end
    memory_mb: int                   # what the function is given
    peak_rps: Decimal                # requests per second at the busiest moment
    ec2_hours_per_month: Decimal = MONTH_HOURS


@dataclass(frozen=True)
class Comparison:
    lambda_cost: Decimal | None      # None: Lambda cannot run this workload
    ec2_cost: Decimal
    ec2_instances: int
    cheaper: str                     # "lambda" or "ec2"
    reason: str


class LambdaNotPossible(ValueError):
    """The workload breaks a Lambda limit; the message names it."""


def lambda_gb_seconds(w: Workload) -> Decimal:
    """GB-seconds a month: requests x seconds x GB (1 GB = 1,024 MB)."""
    raise NotImplementedError("TODO: requests x seconds x GB, with 1 GB = 1,024 MB, as a Decimal")


def lambda_monthly_cost(w: Workload, prices: LambdaPrices = LAMBDA, free_tier: bool = True) -> Decimal:
    """Requests plus GB-seconds beyond the free allowances, each allowance on its own."""
    raise NotImplementedError("TODO: check the limits, take each free allowance off on its own, price what is left")


def ec2_instances_needed(w: Workload, instance: InstanceType, target_utilisation: Decimal) -> int:
    """Instances for the PEAK: requests in flight (rate x duration) over usable vCPUs each."""
    raise NotImplementedError("TODO: requests in flight at the peak over usable vCPUs per instance, rounded up, at least 1")


def ec2_monthly_cost(w: Workload, instance: InstanceType, target_utilisation: Decimal) -> Decimal:
    """The fleet is paid for every hour it runs, busy or idle."""
    raise NotImplementedError("TODO: instances x hourly price x hours the fleet runs")


def compare(w: Workload, instance: InstanceType, target_utilisation: Decimal,
            free_tier: bool = True) -> Comparison:
    """Both monthly costs side by side, the cheaper one, and why."""
    raise NotImplementedError("TODO: both costs, the cheaper side (ties to Lambda) and a one-line reason")


def break_even_requests(w: Workload, instance: InstanceType, target_utilisation: Decimal,
                        free_tier: bool = True) -> int:
    """The largest monthly request count at which Lambda costs no more than the EC2 fleet."""
    raise NotImplementedError("TODO: the largest monthly request count at which Lambda costs no more than EC2")