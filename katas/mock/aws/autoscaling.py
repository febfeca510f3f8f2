"""Auto Scaling for traffic spikes: a launch template, a group across two zones, a target-tracking
policy, and a simulation of what that policy does when the spike comes.

Interviewers ask "how do you set up auto-scaling for EC2 in response to traffic spikes?" to hear
the pieces (launch template, Auto Scaling group over subnets in several AZs, a target-tracking
policy on average CPU) and then to see whether you understand the feedback loop: how far the group
scales from one datapoint, why cooldowns exist, why it scales out fast and in slowly, and what
min/max and scale-in protection do to it. moto stores the group and the policy but never scales,
so the loop is yours to write, driven by an injected clock (the datapoint timestamps): no sleeping.

    setup = create_scaling_setup(ec2, autoscaling, name="web", ami_id=ami, instance_type="t3.micro",
                                 subnet_ids=[subnet_a, subnet_b], min_size=2, max_size=10, target_cpu=50.0)
    tracker = tracker_from_group(autoscaling, setup.group_name)
    tracker.observe(now=0, cpu=90.0)        # -> 4: ceil(2 * 90 / 50)
    replay(tracker, [(0, 200.0), (60, 900.0), ...], per_instance_rps=100.0)   # desired after each step

Requirements
- `create_scaling_setup(ec2, autoscaling, *, name, ami_id, instance_type, subnet_ids, min_size,
  max_size, target_cpu, warmup=120, cooldown=300)`:
  - first reads the subnets (describe_subnets) and raises ValueError, before creating anything,
    unless they lie in at least two different Availability Zones;
  - a launch template named `name`: ImageId, InstanceType, MetadataOptions HttpTokens "required"
    (IMDSv2 only), and TagSpecifications tagging instances with app = name;
  - an Auto Scaling group named `name` using that launch template (by LaunchTemplateId, Version
    "$Latest"), MinSize/MaxSize as given, DesiredCapacity = min_size, DefaultCooldown = cooldown,
    VPCZoneIdentifier = all the subnet ids joined by commas;
  - a scaling policy (PolicyType "TargetTrackingScaling") on the predefined metric
    ASGAverageCPUUtilization with TargetValue = target_cpu, EstimatedInstanceWarmup = warmup;
  - returns ScalingSetup(launch_template_id, group_name, policy_arn). Real AWS returns PolicyARN from
    put_scaling_policy; moto 5.2 does not, so read it back with describe_policies.
- `TargetTracker(*, target, min_size, max_size, desired, scale_out_cooldown=60,
  scale_in_cooldown=300, disable_scale_in=False, protected=0)` holds the group's desired capacity.
  ValueError when target is not in (0, 100], min_size < 1, min_size > max_size, desired outside
  [min_size, max_size], a cooldown is negative, or protected is outside [0, desired].
  `observe(now, cpu)` takes one datapoint of the group's average CPU (%, >= 0; ValueError if
  negative, or if `now` is earlier than the previous datapoint) and returns the new desired capacity:
  - needed = the smallest n with n * target >= desired * cpu, i.e. ceil(desired * cpu / target):
    the capacity that brings the average back to the target (it jumps, it does not step by one);
  - scale OUT when needed > desired, to min(needed, max_size), unless a scale-out happened less
    than scale_out_cooldown seconds ago (exactly scale_out_cooldown later is allowed);
  - scale IN when needed < desired and scale-in is not disabled, to max(needed, min_size,
    protected), unless ANY scaling activity (out or in) happened less than scale_in_cooldown
    seconds ago: a group that just scaled out does not shrink on the next quiet minute;
  - a scale-in cooldown never blocks a scale-out; the first activity is never blocked; a datapoint
    that changes nothing (already at max, at the floor, needed == desired) is not an activity.
  `protect(count)` sets how many instances are protected from scale in (0..desired, else ValueError).
- `tracker_from_group(autoscaling, group_name)` reads the group and its target-tracking policy back
  and returns a TargetTracker with target = TargetValue, disable_scale_in = DisableScaleIn,
  min/max/desired from the group, scale_out_cooldown = the policy's EstimatedInstanceWarmup,
  scale_in_cooldown = the group's DefaultCooldown, protected = the number of the group's
  instances with ProtectedFromScaleIn.
- `replay(tracker, traffic, *, per_instance_rps)` drives the tracker with a recorded traffic curve:
  for each (t, requests_per_second), in order, the group's CPU is
  min(100, 100 * requests_per_second / (tracker.desired * per_instance_rps)) (a saturated group
  reads 100%, however much traffic it drops), then observe(t, cpu). Returns the desired capacity
  after each datapoint.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence


@dataclass(frozen=True)
class ScalingSetup:
    launch_template_id: str
    group_name: str
    policy_arn: str


def create_scaling_setup(ec2: Any, autoscaling: Any, *, name: str, ami_id: str, instance_type: str,
                         subnet_ids: Sequence[str], min_size: int, max_size: int, target_cpu: float,
                         warmup: int = 120, cooldown: int = 300) -> ScalingSetup:
    raise NotImplementedError("TODO: check the zones, then launch template, group over the subnets, target-tracking policy")


class TargetTracker:
    """The desired capacity of one group under a target-tracking policy, one datapoint at a time."""

    def __init__(self, *, target: float, min_size: int, max_size: int, desired: int,
                 scale_out_cooldown: float = 60, scale_in_cooldown: float = 300,
                 disable_scale_in: bool = False, protected: int = 0) -> None:
        raise NotImplementedError("TODO: validate and keep the settings, the desired capacity and the last activities")

    def protect(self, count: int) -> None:
        raise NotImplementedError("TODO: 0 <= count <= desired, else ValueError")

    def observe(self, now: float, cpu: float) -> int:
        raise NotImplementedError("TODO: needed = ceil(desired * cpu / target); scale out or in unless a cooldown holds")


def tracker_from_group(autoscaling: Any, group_name: str) -> TargetTracker:
    raise NotImplementedError("TODO: describe the group and its target-tracking policy, build a TargetTracker")


def replay(tracker: TargetTracker, traffic: Sequence[tuple[float, float]], *, per_instance_rps: float) -> list[int]:
    raise NotImplementedError("TODO: cpu = min(100, 100 * rps / (desired * per_instance_rps)), observe, collect desired")
