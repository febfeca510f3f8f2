"""Tests for the autoscaling mock kata: run `pytest katas/mock/aws/test_autoscaling.py`.

moto stores the launch template, the group and the target-tracking policy, which the tests read
back; it never scales. The scaling loop is the learner's TargetTracker, driven here with explicit
timestamps (no clock, no sleeping): single decisions, cooldowns, a replayed traffic spike, and a
hypothesis property against a brute-force search for the capacity that meets the target.
"""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.services.aws import CallLog
from katas.mock.aws.autoscaling import TargetTracker, create_scaling_setup, replay, tracker_from_group

pytestmark = pytest.mark.needs("aws")

MINUTE = 60


def tracker(**overrides):
    settings_ = dict(target=50.0, min_size=2, max_size=10, desired=2, scale_out_cooldown=60, scale_in_cooldown=300)
    settings_.update(overrides)
    return TargetTracker(**settings_)


def described(overrides):
    return "TargetTracker(" + ", ".join(f"{k}={v}" for k, v in overrides.items()) + ")" if overrides else "tracker()"


# ---------------------------------------------------------------- one decision

DECISIONS = {
    # case: (tracker overrides, cpu, desired after)
    "on target: no change": ({}, 50.0, 2),
    "75% of a 50% target on 2 -> 3": ({}, 75.0, 3),
    "90% on 2 -> ceil(3.6) = 4, not 3": ({}, 90.0, 4),
    "just above target rounds up": ({"desired": 4}, 51.0, 5),
    "just below target does not scale in (ceil keeps 4)": ({"desired": 4}, 45.0, 4),
    "jumps straight to the needed capacity, not one at a time": ({"desired": 3}, 100.0, 6),
    "never above max_size": ({"desired": 8}, 100.0, 10),
    "already at max: stays": ({"desired": 10}, 100.0, 10),
    "scale in to the needed capacity": ({"desired": 8}, 20.0, 4),
    "never below min_size": ({"desired": 6}, 5.0, 2),
    "idle group goes to min_size": ({"desired": 6}, 0.0, 2),
    "disabled scale-in keeps the capacity": ({"desired": 6, "disable_scale_in": True}, 5.0, 6),
    "disabled scale-in still scales out": ({"desired": 6, "disable_scale_in": True}, 100.0, 10),
    "protected instances are a floor for scale-in": ({"desired": 6, "protected": 5}, 5.0, 5),
    "protection below the need does not matter": ({"desired": 8, "protected": 3}, 20.0, 4),
    "protection does not limit scale-out": ({"desired": 4, "protected": 4}, 100.0, 8),
}


@pytest.mark.parametrize("case", DECISIONS.keys())
def test_one_datapoint_moves_desired_capacity_to_what_meets_the_target(case):
    overrides, cpu, want = DECISIONS[case]
    got = tracker(**overrides).observe(0, cpu)
    assert got == want, f"{described(overrides)}.observe(0, {cpu}) returned {got}, expected {want} ({case})"


INVALID = {
    "target of 0": {"target": 0},
    "target above 100": {"target": 120},
    "min_size of 0": {"min_size": 0, "desired": 1},
    "min above max": {"min_size": 5, "max_size": 4, "desired": 4},
    "desired above max": {"desired": 11},
    "desired below min": {"desired": 1},
    "negative cooldown": {"scale_in_cooldown": -1},
    "more protected instances than running": {"protected": 3},
}


@pytest.mark.parametrize("case", INVALID.keys())
def test_impossible_settings_are_refused(case):
    with pytest.raises(ValueError):
        tracker(**INVALID[case])


def test_negative_cpu_and_a_clock_running_backwards_are_refused():
    group = tracker()
    group.observe(120, 50.0)
    with pytest.raises(ValueError):
        group.observe(60, 50.0)
    with pytest.raises(ValueError):
        group.observe(180, -1.0)
    with pytest.raises(ValueError):
        group.protect(3)


# ---------------------------------------------------------------- cooldowns

def run(group, points):
    return [group.observe(now, cpu) for now, cpu in points]


COOLDOWNS = {
    # case: (tracker overrides, [(now, cpu), ...], desired after each)
    "a second scale-out waits for the scale-out cooldown": ({}, [(0, 100.0), (30, 100.0), (59, 100.0)], [4, 4, 4]),
    "exactly one cooldown later it may scale out again": ({}, [(0, 100.0), (60, 100.0)], [4, 8]),
    "a quiet minute right after a scale-out does not scale in": ({}, [(0, 100.0), (60, 10.0), (299, 10.0)], [4, 4, 4]),
    "scale-in waits scale_in_cooldown after the last scale-out": ({}, [(0, 100.0), (300, 10.0)], [4, 2]),
    "scale-in waits after the last scale-in too": (
        {}, [(0, 100.0), (60, 100.0), (360, 30.0), (420, 10.0), (660, 10.0)], [4, 8, 5, 5, 2]),
    "a scale-in cooldown never blocks a scale-out": ({}, [(0, 100.0), (300, 10.0), (310, 100.0)], [4, 2, 4]),
    "a busy datapoint at max_size is no activity": ({"desired": 10}, [(0, 100.0), (10, 10.0)], [10, 2]),
}


@pytest.mark.parametrize("case", COOLDOWNS.keys())
def test_cooldowns_hold_back_the_next_activity(case):
    overrides, points, want = COOLDOWNS[case]
    got = run(tracker(**overrides), points)
    assert got == want, f"{described(overrides)} observing {points} gave desired {got}, expected {want} ({case})"


def test_the_first_activity_is_never_blocked():
    group = tracker(desired=6, scale_in_cooldown=300)
    got = group.observe(10, 10.0)
    assert got == 2, f"a new group's first datapoint (10% on 6) returned {got}, expected 2: there was no activity to cool down from"


# ---------------------------------------------------------------- a replayed spike

BASELINE, SPIKE = 100.0, 1000.0
TRAFFIC = [(i * MINUTE, rps) for i, rps in enumerate([BASELINE] * 3 + [SPIKE] * 6 + [BASELINE] * 12)]


def test_a_traffic_spike_is_absorbed_in_steps_and_released_after_the_cooldown():
    got = replay(tracker(), TRAFFIC, per_instance_rps=100.0)
    want = [2, 2, 2, 4, 8, 10, 10, 10, 10, 10] + [2] * 11
    assert got == want, (
        f"replay(tracker(), <100 rps x3, 1000 rps x6, 100 rps x12, one a minute>, per_instance_rps=100) returned\n"
        f"  {got}\nexpected\n  {want}\n(the saturated group reads 100% CPU, so each step at most doubles it "
        "against a 50% target; scale-in waits 300 s after the last scale-out)")


def test_a_longer_warmup_slows_the_response_to_the_spike():
    got = replay(tracker(scale_out_cooldown=120), TRAFFIC, per_instance_rps=100.0)
    want = [2, 2, 2, 4, 4, 8, 8, 10, 10, 10, 10, 10] + [2] * 9
    assert got == want, f"replay with scale_out_cooldown=120 returned\n  {got}\nexpected\n  {want}"


def test_protected_instances_survive_the_scale_in_after_the_spike():
    group = tracker()
    during = replay(group, TRAFFIC[:6], per_instance_rps=100.0)
    group.protect(7)
    after = replay(group, TRAFFIC[6:], per_instance_rps=100.0)
    assert during[-1] == 10 and after[-1] == 7 and min(after) == 7, \
        f"with 7 instances protected after the spike, desired went {during} then {after}: expected it to stop at 7"


def test_replay_reads_the_group_size_at_each_step():
    group = tracker(desired=4)
    got = replay(group, [(0, 400.0), (MINUTE, 400.0)], per_instance_rps=100.0)
    assert got == [8, 8], \
        f"replay(tracker(desired=4), [(0, 400 rps), (60, 400 rps)], per_instance_rps=100) returned {got}, expected [8, 8]: " \
        "400 rps on 4 instances is 100% CPU (-> 8); on 8 it is 50%, on target"


# ---------------------------------------------------------------- properties

def smallest_capacity_meeting_target(desired, cpu, target):
    n = 0
    while n * target < desired * cpu:
        n += 1
    return n


@settings(max_examples=80, deadline=None)
@given(desired=st.integers(1, 20), cpu=st.integers(0, 100), target=st.integers(10, 90),
       bounds=st.tuples(st.integers(1, 20), st.integers(1, 20)))
def test_a_fresh_decision_matches_a_brute_force_search(desired, cpu, target, bounds):
    low, high = min(bounds), max(bounds)
    desired = max(low, min(high, desired))
    group = TargetTracker(target=float(target), min_size=low, max_size=high, desired=desired)
    got = group.observe(0, float(cpu))
    want = max(low, min(high, smallest_capacity_meeting_target(desired, cpu, target)))
    assert got == want, f"TargetTracker(target={target}, min_size={low}, max_size={high}, desired={desired})" \
                        f".observe(0, {cpu}) returned {got}, expected {want}"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 100)), min_size=1, max_size=25))
def test_bounds_and_the_scale_out_cooldown_hold_over_any_series(steps):
    group = tracker(min_size=2, max_size=12, desired=3)
    now, outs, previous = 0, [], 3
    for gap, cpu in steps:
        now += gap
        desired = group.observe(now, float(cpu))
        assert 2 <= desired <= 12, f"desired capacity {desired} left [2, 12] at t={now}"
        if desired > previous:
            outs.append(now)
        previous = desired
    too_close = [(a, b) for a, b in zip(outs, outs[1:]) if b - a < 60]
    assert not too_close, f"scale-outs at {outs}: {too_close} are closer than the 60 s cooldown"


# ---------------------------------------------------------------- the group in moto

@pytest.fixture
def clients(aws, aws_session):
    return aws_session.client("ec2"), aws_session.client("autoscaling")


@pytest.fixture
def network(clients):
    ec2, _ = clients
    ami = ec2.register_image(Name="dojo-web", Architecture="x86_64", RootDeviceName="/dev/xvda",
                             VirtualizationType="hvm")["ImageId"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
               for i, zone in enumerate(["us-east-1a", "us-east-1b", "us-east-1a"])]
    return ami, subnets


def setup_web(clients, ami, subnet_ids, **overrides):
    ec2, autoscaling = clients
    args = dict(name="web", ami_id=ami, instance_type="t3.micro", subnet_ids=subnet_ids,
                min_size=2, max_size=10, target_cpu=50.0)
    args.update(overrides)
    return create_scaling_setup(ec2, autoscaling, **args)


def test_launch_template_group_and_policy_are_created(clients, network):
    ec2, autoscaling = clients
    ami, subnets = network
    setup = setup_web(clients, ami, subnets[:2])
    data = ec2.describe_launch_template_versions(LaunchTemplateId=setup.launch_template_id)["LaunchTemplateVersions"][0][
        "LaunchTemplateData"]
    got = (data.get("ImageId"), data.get("InstanceType"), data.get("MetadataOptions", {}).get("HttpTokens"))
    assert got == (ami, "t3.micro", "required"), f"launch template (ImageId, InstanceType, HttpTokens) is {got}"
    tags = {t["Key"]: t["Value"] for spec in data.get("TagSpecifications", []) if spec["ResourceType"] == "instance"
            for t in spec["Tags"]}
    assert tags.get("app") == "web", f"the launch template tags instances with {tags}, expected app=web"

    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[setup.group_name])["AutoScalingGroups"][0]
    got = (group["MinSize"], group["MaxSize"], group["DesiredCapacity"], group["DefaultCooldown"],
           sorted(group["VPCZoneIdentifier"].split(",")))
    want = (2, 10, 2, 300, sorted(subnets[:2]))
    assert got == want, f"group (MinSize, MaxSize, DesiredCapacity, DefaultCooldown, subnets) is {got}, expected {want}"
    assert group.get("LaunchTemplate", {}).get("LaunchTemplateId") == setup.launch_template_id, \
        f"the group launches from {group.get('LaunchTemplate')}, expected the template {setup.launch_template_id}"

    policies = autoscaling.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]
    assert [p["PolicyARN"] for p in policies] == [setup.policy_arn], f"the group has policies {policies}"
    policy = policies[0]
    config = policy.get("TargetTrackingConfiguration", {})
    got = (policy["PolicyType"], config.get("PredefinedMetricSpecification", {}).get("PredefinedMetricType"),
           config.get("TargetValue"), policy.get("EstimatedInstanceWarmup"))
    want = ("TargetTrackingScaling", "ASGAverageCPUUtilization", 50.0, 120)
    assert got == want, f"policy (type, metric, TargetValue, EstimatedInstanceWarmup) is {got}, expected {want}"


def test_subnets_in_one_zone_are_refused_before_anything_is_created(clients, network):
    ec2, autoscaling = clients
    ami, subnets = network
    ec2_log, asg_log = CallLog(ec2), CallLog(autoscaling)
    with pytest.raises(ValueError):
        setup_web(clients, ami, [subnets[0], subnets[2]])
    created = [name for name, _ in ec2_log.calls + asg_log.calls if not name.startswith("Describe")]
    assert not created, f"create_scaling_setup with two subnets in us-east-1a called {created} before refusing"


def test_the_tracker_is_built_from_what_moto_stored(clients, network):
    _, autoscaling = clients
    ami, subnets = network
    setup_web(clients, ami, subnets[:2], min_size=3, max_size=9, target_cpu=60.0, warmup=90, cooldown=240)
    instances = [i["InstanceId"] for i in autoscaling.describe_auto_scaling_groups(
        AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["Instances"]]
    autoscaling.set_instance_protection(AutoScalingGroupName="web", InstanceIds=instances[:2], ProtectedFromScaleIn=True)
    group = tracker_from_group(autoscaling, "web")
    got = (group.target, group.min_size, group.max_size, group.desired, group.scale_out_cooldown,
           group.scale_in_cooldown, group.disable_scale_in, group.protected)
    want = (60.0, 3, 9, 3, 90, 240, False, 2)
    assert got == want, ("tracker_from_group gave (target, min, max, desired, scale_out_cooldown, scale_in_cooldown, "
                         f"disable_scale_in, protected) = {got}, expected {want}")
    history = [group.observe(0, 100.0), group.observe(60, 100.0), group.observe(90, 100.0)]
    assert history == [5, 5, 9], f"the group read back from moto scaled {history}, expected [5, 5, 9] (90 s warm-up)"
