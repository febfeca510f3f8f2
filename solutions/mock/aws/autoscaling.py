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

import math
from dataclasses import dataclass
from typing import Any, Sequence

CPU_METRIC = "ASGAverageCPUUtilization"


@dataclass(frozen=True)
class ScalingSetup:
    launch_template_id: str
    group_name: str
    policy_arn: str


def create_scaling_setup(ec2: Any, autoscaling: Any, *, name: str, ami_id: str, instance_type: str,
                         subnet_ids: Sequence[str], min_size: int, max_size: int, target_cpu: float,
                         warmup: int = 120, cooldown: int = 300) -> ScalingSetup:
    subnets = ec2.describe_subnets(SubnetIds=list(subnet_ids))["Subnets"]
    zones = {subnet["AvailabilityZone"] for subnet in subnets}
    if len(zones) < 2:
        raise ValueError(f"subnets {list(subnet_ids)} span zones {sorted(zones)}: one zone is one failure away from zero")
    template_id = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData={
        "ImageId": ami_id,
        "InstanceType": instance_type,
        "MetadataOptions": {"HttpTokens": "required"},
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "app", "Value": name}]}],
    })["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateId": template_id, "Version": "$Latest"},
        MinSize=min_size, MaxSize=max_size, DesiredCapacity=min_size, DefaultCooldown=cooldown,
        VPCZoneIdentifier=",".join(subnet_ids))
    policy_name = f"{name}-cpu-{target_cpu:g}"
    autoscaling.put_scaling_policy(
        AutoScalingGroupName=name, PolicyName=policy_name, PolicyType="TargetTrackingScaling",
        EstimatedInstanceWarmup=warmup,
        TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": CPU_METRIC},
                                     "TargetValue": target_cpu})
    policy = autoscaling.describe_policies(AutoScalingGroupName=name, PolicyNames=[policy_name])["ScalingPolicies"][0]
    return ScalingSetup(template_id, name, policy["PolicyARN"])


class TargetTracker:
    """The desired capacity of one group under a target-tracking policy, one datapoint at a time."""

    def __init__(self, *, target: float, min_size: int, max_size: int, desired: int,
                 scale_out_cooldown: float = 60, scale_in_cooldown: float = 300,
                 disable_scale_in: bool = False, protected: int = 0) -> None:
        if not 0 < target <= 100:
            raise ValueError(f"target {target} must be in (0, 100]")
        if not 1 <= min_size <= max_size:
            raise ValueError(f"need 1 <= min_size <= max_size, got {min_size}, {max_size}")
        if not min_size <= desired <= max_size:
            raise ValueError(f"desired {desired} is outside [{min_size}, {max_size}]")
        if scale_out_cooldown < 0 or scale_in_cooldown < 0:
            raise ValueError("cooldowns cannot be negative")
        self.target, self.min_size, self.max_size, self.desired = target, min_size, max_size, desired
        self.scale_out_cooldown, self.scale_in_cooldown = scale_out_cooldown, scale_in_cooldown
        self.disable_scale_in = disable_scale_in
        self.protected = 0
        self.protect(protected)
        self._last_now: float | None = None
        self._last_scale_out: float | None = None
        self._last_activity: float | None = None

    def protect(self, count: int) -> None:
        if not 0 <= count <= self.desired:
            raise ValueError(f"cannot protect {count} of {self.desired} instances")
        self.protected = count

    def observe(self, now: float, cpu: float) -> int:
        if cpu < 0:
            raise ValueError(f"cpu {cpu} is negative")
        if self._last_now is not None and now < self._last_now:
            raise ValueError(f"datapoint at {now} comes before the previous one at {self._last_now}")
        self._last_now = now
        needed = math.ceil(self.desired * cpu / self.target)
        if needed > self.desired and self._quiet_since(self._last_scale_out, now, self.scale_out_cooldown):
            self._scale_to(min(needed, self.max_size), now, scale_out=True)
        elif needed < self.desired and not self.disable_scale_in \
                and self._quiet_since(self._last_activity, now, self.scale_in_cooldown):
            self._scale_to(max(needed, self.min_size, self.protected), now, scale_out=False)
        return self.desired

    @staticmethod
    def _quiet_since(last: float | None, now: float, cooldown: float) -> bool:
        return last is None or now - last >= cooldown

    def _scale_to(self, capacity: int, now: float, *, scale_out: bool) -> None:
        if capacity == self.desired:
            return
        self.desired = capacity
        self._last_activity = now
        if scale_out:
            self._last_scale_out = now


def tracker_from_group(autoscaling: Any, group_name: str) -> TargetTracker:
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])["AutoScalingGroups"][0]
    policies = autoscaling.describe_policies(AutoScalingGroupName=group_name,
                                             PolicyTypes=["TargetTrackingScaling"])["ScalingPolicies"]
    if not policies:
        raise ValueError(f"group {group_name!r} has no target-tracking policy")
    policy = policies[0]
    config = policy["TargetTrackingConfiguration"]
    return TargetTracker(
        target=config["TargetValue"], min_size=group["MinSize"], max_size=group["MaxSize"],
        desired=group["DesiredCapacity"], scale_out_cooldown=policy.get("EstimatedInstanceWarmup", 0),
        scale_in_cooldown=group["DefaultCooldown"], disable_scale_in=config.get("DisableScaleIn", False),
        protected=sum(1 for instance in group.get("Instances", []) if instance.get("ProtectedFromScaleIn")))


def replay(tracker: TargetTracker, traffic: Sequence[tuple[float, float]], *, per_instance_rps: float) -> list[int]:
    history = []
    for now, requests_per_second in traffic:
        cpu = min(100.0, 100.0 * requests_per_second / (tracker.desired * per_instance_rps))
        history.append(tracker.observe(now, cpu))
    return history


# Why
# - Target tracking is proportional control: one datapoint at 90% against a 50% target means
#   "1.8x the capacity", so the group jumps straight there (ceil, never round: rounding down
#   leaves the group above target). Step scaling and "+1 per alarm" react too slowly to a spike.
# - Saturation hides the size of a spike: a group at 100% CPU looks the same at 2x and 10x the
#   traffic, so each step is capped at 100/target times the group and the spike takes several
#   cooldowns to absorb. Remedies: a lower target (headroom), a request-count metric
#   (ALBRequestCountPerTarget) that does not saturate, a shorter warm-up, scheduled or predictive
#   scaling for known peaks, and a higher min_size during them.
# - Out fast, in slow: scale-in waits for quiet since the LAST activity of either kind, so a
#   group does not flap between sizes; a scale-out is never held back by a scale-in cooldown.
# - Scale-in protection and DisableScaleIn are floors for the shrinking side only: protected
#   instances (a long batch job, a leader) survive; min_size and max_size bound everything.
# - The launch template carries what every instance needs (AMI, type, IMDSv2, tags at launch);
#   the group spans subnets in two AZs so one zone's failure halves capacity instead of ending it.
