"""Tests for the EC2 kata: run `pytest katas/day2/aws/test_ec2.py`.

moto holds the EC2 and CloudWatch state. What moto does not do (produce CPU metrics, refuse an
empty StopInstances, care how a client filters) is the learner's logic, checked here through an
injected CPU lookup and a log of the API calls the learner's client made.
"""
import itertools
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.services.aws import CallLog
from katas.day2.aws.ec2 import (
    cloudwatch_cpu_lookup,
    create_https_security_group,
    find_idle_instances,
    is_idle,
    launch_tagged_instances,
    stop_idle_instances,
)

pytestmark = pytest.mark.needs("aws")

END = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)


class NoCallsClient:
    """A stand-in client for checks that must fail before any API call: it records every call."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, operation):
        def call(**params):
            self.calls.append(operation)
            return {"GroupId": "sg-0fake", "Instances": [{"InstanceId": "i-0fake"}]}
        return call


@pytest.fixture
def ec2(aws, aws_session):
    return aws_session.client("ec2")


@pytest.fixture
def reader(aws, aws_session):
    """A second client, without hooks, for reading state back."""
    return aws_session.client("ec2")


@pytest.fixture
def cloudwatch(aws, aws_session):
    return aws_session.client("cloudwatch")


@pytest.fixture
def ami_id(reader):
    """An image moto knows about: registered in this test's account."""
    return reader.register_image(
        Name="dojo-linux", Architecture="x86_64", RootDeviceName="/dev/xvda", VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "VolumeType": "gp3"}}],
    )["ImageId"]


@pytest.fixture
def default_vpc(reader):
    return next(vpc["VpcId"] for vpc in reader.describe_vpcs()["Vpcs"] if vpc["IsDefault"])


def launch_one_per_reservation(client, ami_id, tags_per_instance):
    """Launch each instance in its own reservation (moto pages DescribeInstances by reservation)."""
    ids = []
    for tags in tags_per_instance:
        spec = [{"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}] if tags else []
        ids.append(client.run_instances(ImageId=ami_id, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                                        TagSpecifications=spec)["Instances"][0]["InstanceId"])
    return ids


def states(client, ids):
    found = {}
    for reservation in client.describe_instances(InstanceIds=ids)["Reservations"]:
        for instance in reservation["Instances"]:
            found[instance["InstanceId"]] = instance["State"]["Name"]
    return found


# ---------------------------------------------------------------- security group

CIDRS = {
    "one office range": ("203.0.113.0/24", "IpRanges", "CidrIp"),
    "a single host": ("198.51.100.7/32", "IpRanges", "CidrIp"),
    "an IPv6 range goes to Ipv6Ranges": ("2001:db8::/32", "Ipv6Ranges", "CidrIpv6"),
}


@pytest.mark.parametrize("cidr,ranges_key,cidr_key", CIDRS.values(), ids=CIDRS.keys())
def test_security_group_allows_only_https_from_the_given_range(ec2, reader, cidr, ranges_key, cidr_key):
    vpc_id = reader.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    group_id = create_https_security_group(ec2, vpc_id=vpc_id, name="etl-web", allowed_cidr=cidr)
    group = reader.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    rules = group["IpPermissions"]
    call = f"create_https_security_group(vpc_id=..., allowed_cidr={cidr!r})"
    assert group["VpcId"] == vpc_id, f"{call}: the group is in {group['VpcId']}, expected the given VPC {vpc_id}"
    assert len(rules) == 1, f"{call}: the group has {len(rules)} ingress rules {rules}, expected exactly one"
    rule = rules[0]
    got = (rule["IpProtocol"], rule.get("FromPort"), rule.get("ToPort"))
    assert got == ("tcp", 443, 443), f"{call}: the rule is (protocol, from, to) = {got}, expected ('tcp', 443, 443)"
    sources = [r.get("CidrIp") for r in rule["IpRanges"]] + [r.get("CidrIpv6") for r in rule["Ipv6Ranges"]]
    assert [r[cidr_key] for r in rule[ranges_key]] == [cidr] and sources == [cidr], \
        f"{call}: the rule's sources are {sources}, expected only {cidr!r} in {ranges_key}"
    assert not rule["UserIdGroupPairs"] and not rule["PrefixListIds"], f"{call}: the rule also allows other groups or prefix lists: {rule}"


REFUSED_CIDRS = {
    "the whole IPv4 internet": "0.0.0.0/0",
    "the whole IPv6 internet": "::/0",
    "host bits set": "10.0.0.7/8",
    "not a CIDR at all": "office",
}


@pytest.mark.parametrize("cidr", REFUSED_CIDRS.values(), ids=REFUSED_CIDRS.keys())
def test_open_or_malformed_ranges_are_refused_before_any_api_call(cidr):
    client = NoCallsClient()
    with pytest.raises(ValueError):
        create_https_security_group(client, vpc_id="vpc-0abc", name="etl-web", allowed_cidr=cidr)
    assert not client.calls, f"create_https_security_group(allowed_cidr={cidr!r}) raised but first called {client.calls}: validate first"


# ---------------------------------------------------------------- launch

def test_instances_and_their_volumes_are_tagged_at_launch_not_afterwards(ec2, reader, default_vpc, ami_id):
    group_id = reader.create_security_group(GroupName="web", Description="test", VpcId=default_vpc)["GroupId"]
    log = CallLog(ec2)
    tags = {"team": "data", "env": "dev"}
    ids = launch_tagged_instances(ec2, ami_id=ami_id, instance_type="t3.micro", count=3,
                                  security_group_id=group_id, tags=tags)
    call = "launch_tagged_instances(count=3, tags={'team': 'data', 'env': 'dev'})"
    assert len(ids) == 3 and len(set(ids)) == 3, f"{call} returned {ids}, expected 3 distinct instance ids"
    assert not log.named("CreateTags"), f"{call} called CreateTags {log.named('CreateTags')}: tag at launch with TagSpecifications"
    runs = log.named("RunInstances")
    assert len(runs) == 1, f"{call} made {len(runs)} RunInstances calls, expected one"
    assert (runs[0].get("MinCount"), runs[0].get("MaxCount")) == (3, 3), \
        f"{call} sent MinCount={runs[0].get('MinCount')}, MaxCount={runs[0].get('MaxCount')}: all-or-nothing needs both = 3"
    tagged_types = sorted(spec["ResourceType"] for spec in runs[0].get("TagSpecifications", []))
    assert tagged_types == ["instance", "volume"], f"{call}: TagSpecifications cover {tagged_types}, expected ['instance', 'volume']"
    instances = {i["InstanceId"]: i for r in reader.describe_instances(InstanceIds=ids)["Reservations"] for i in r["Instances"]}
    for instance_id in ids:
        instance = instances[instance_id]
        got_tags = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
        assert got_tags == tags, f"{call}: instance {instance_id} has tags {got_tags}, expected {tags}"
        groups = [g["GroupId"] for g in instance["SecurityGroups"]]
        assert groups == [group_id], f"{call}: instance {instance_id} is in groups {groups}, expected [{group_id!r}]"
    volumes = reader.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": ids}])["Volumes"]
    assert volumes, f"{call}: no volumes attached to the new instances"
    for volume in volumes:
        got_tags = {t["Key"]: t["Value"] for t in volume.get("Tags", [])}
        assert got_tags == tags, f"{call}: volume {volume['VolumeId']} has tags {got_tags}, expected {tags}"


BAD_LAUNCHES = {
    "no instances": {"count": 0, "tags": {"team": "data"}},
    "no tags": {"count": 1, "tags": {}},
}


@pytest.mark.parametrize("args", BAD_LAUNCHES.values(), ids=BAD_LAUNCHES.keys())
def test_a_launch_without_instances_or_tags_is_refused_before_any_api_call(args):
    client = NoCallsClient()
    with pytest.raises(ValueError):
        launch_tagged_instances(client, ami_id="ami-0abc", instance_type="t3.micro", security_group_id="sg-0abc", **args)
    assert not client.calls, f"launch_tagged_instances({args}) raised but first called {client.calls}"


# ---------------------------------------------------------------- idle rule (pure)

IDLE_CASES = {
    "quiet all day": ([1.0, 2.0, 0.5], 5.0, 3, True),
    "one busy hour (a nightly job) is not idle": ([1.0, 40.0, 1.0], 5.0, 3, False),
    "a low mean with a spike is not idle": ([0.0, 0.0, 0.0, 0.0, 14.0], 5.0, 5, False),
    "exactly the threshold is not below it": ([1.0, 5.0, 1.0], 5.0, 3, False),
    "just below the threshold": ([4.999, 4.999, 4.999], 5.0, 3, True),
    "too few hours of data": ([0.1, 0.1], 5.0, 3, False),
    "no data at all (new instance, missing metrics)": ([], 5.0, 1, False),
    "more data than required": ([0.1] * 30, 5.0, 24, True),
}


@pytest.mark.parametrize("points,threshold,min_points,want", IDLE_CASES.values(), ids=IDLE_CASES.keys())
def test_idle_means_enough_data_and_every_peak_below_the_threshold(points, threshold, min_points, want):
    got = is_idle(points, threshold=threshold, min_datapoints=min_points)
    assert got is want, f"is_idle({points}, threshold={threshold}, min_datapoints={min_points}) returned {got!r}, expected {want}"


def test_min_datapoints_below_one_is_refused():
    with pytest.raises(ValueError):
        is_idle([1.0], threshold=5.0, min_datapoints=0)


# ---------------------------------------------------------------- CloudWatch lookup

def test_cloudwatch_lookup_returns_hourly_peaks_inside_the_window_oldest_first(cloudwatch):
    samples = [  # (minutes before END, value)
        (0, 99.0),          # at END: outside [start, end)
        (30, 1.0),
        (90, 2.0), (100, 7.5),   # same hour: the Maximum is 7.5, the Average would be 4.75
        (170, 3.0),
        (200, 88.0),        # older than 3 hours: outside the window
    ]
    cloudwatch.put_metric_data(Namespace="AWS/EC2", MetricData=[
        {"MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": "i-0abc"}],
         "Timestamp": END - timedelta(minutes=minutes), "Value": value} for minutes, value in samples])
    cloudwatch.put_metric_data(Namespace="AWS/EC2", MetricData=[
        {"MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": "i-0other"}],
         "Timestamp": END - timedelta(minutes=30), "Value": 55.0}])
    lookup = cloudwatch_cpu_lookup(cloudwatch, end=END, hours=3)
    got = list(lookup("i-0abc"))
    assert got == [3.0, 7.5, 1.0], (f"cloudwatch_cpu_lookup(end={END:%H:%M}, hours=3)('i-0abc') returned {got}, "
                                    "expected the hourly Maximum for 09:00, 10:00, 11:00 = [3.0, 7.5, 1.0]")
    assert list(lookup("i-0unknown")) == [], "an instance without metrics must give an empty list"


# ---------------------------------------------------------------- find and stop

def fleet(reader, ami_id):
    """Tagged and untagged instances, each in its own reservation, with the CPU each one reports."""
    layout = {
        "data-idle-1": ({"team": "data"}, [0.5, 1.0, 0.8]),
        "data-idle-2": ({"team": "data", "env": "dev"}, [2.0, 2.0, 2.0]),
        "data-busy": ({"team": "data"}, [1.0, 60.0, 1.0]),
        "data-new": ({"team": "data"}, [0.1]),
        "web-idle": ({"team": "web"}, [0.1, 0.1, 0.1]),
        "untagged-idle": ({}, [0.1, 0.1, 0.1]),
    }
    ids = launch_one_per_reservation(reader, ami_id, [tags for tags, _ in layout.values()])
    by_name = dict(zip(layout, ids))
    cpu = {by_name[name]: points for name, (_, points) in layout.items()}
    return by_name, cpu


class RecordingLookup:
    def __init__(self, cpu):
        self.cpu, self.asked = cpu, []

    def __call__(self, instance_id):
        self.asked.append(instance_id)
        return self.cpu.get(instance_id, [])


def test_finds_only_idle_running_instances_with_the_tag_using_server_side_filters(ec2, reader, ami_id):
    by_name, cpu = fleet(reader, ami_id)
    reader.stop_instances(InstanceIds=[by_name["data-idle-2"]])          # already stopped: not a candidate
    log = CallLog(ec2)
    lookup = RecordingLookup(cpu)
    got = find_idle_instances(ec2, tag_key="team", tag_value="data", cpu_lookup=lookup, threshold=5.0, min_datapoints=3)
    want = sorted([by_name["data-idle-1"]])
    names = {v: k for k, v in by_name.items()}
    assert got == want, (f"find_idle_instances(team=data, threshold=5, min_datapoints=3) returned "
                         f"{[names.get(i, i) for i in got]}, expected ['data-idle-1']")
    describes = log.named("DescribeInstances")
    assert describes, "find_idle_instances never called DescribeInstances (through the paginator or directly)"
    for params in describes:
        filters = {f["Name"]: f["Values"] for f in params.get("Filters", [])}
        assert filters.get("tag:team") == ["data"], \
            f"DescribeInstances was called with Filters {params.get('Filters')}: filter by tag on the server with tag:team = ['data']"
        assert filters.get("instance-state-name") == ["running"], \
            f"DescribeInstances was called with Filters {params.get('Filters')}: also filter instance-state-name = ['running']"
        assert "InstanceIds" not in params, "DescribeInstances must not list InstanceIds: let the filters select"
    strangers = sorted(names[i] for i in lookup.asked if i not in {by_name[n] for n in ("data-idle-1", "data-busy", "data-new")})
    assert not strangers, f"cpu_lookup was asked about {strangers}: only running instances with the tag are candidates"


def test_every_page_of_a_large_fleet_is_read(ec2, reader, ami_id):
    ids = launch_one_per_reservation(reader, ami_id, [{"team": "data"}] * 12 + [{"team": "web"}] * 3)
    ec2.meta.events.register("before-parameter-build.ec2.DescribeInstances",
                             lambda params, **_: params.__setitem__("MaxResults", 5))   # force pages of 5
    cpu = {instance_id: [0.1, 0.1, 0.1] for instance_id in ids}
    got = find_idle_instances(ec2, tag_key="team", tag_value="data", cpu_lookup=cpu.__getitem__,
                              threshold=5.0, min_datapoints=3)
    assert got == sorted(ids[:12]), (f"with pages of 5, find_idle_instances found {len(got)} of the 12 idle data "
                                     "instances: follow NextToken (use the describe_instances paginator)")


def test_stops_exactly_the_idle_ones_in_one_call_and_leaves_the_rest_running(ec2, reader, ami_id):
    by_name, cpu = fleet(reader, ami_id)
    log = CallLog(ec2)
    got = stop_idle_instances(ec2, tag_key="team", tag_value="data", cpu_lookup=cpu.get,
                              threshold=5.0, min_datapoints=3)
    want = sorted([by_name["data-idle-1"], by_name["data-idle-2"]])
    assert got == want, f"stop_idle_instances(team=data) returned {got}, expected the two idle data instances {want}"
    stops = log.named("StopInstances")
    assert len(stops) == 1 and sorted(stops[0]["InstanceIds"]) == want, \
        f"StopInstances calls: {stops}, expected one call with {want}"
    now = states(reader, list(by_name.values()))
    for name, instance_id in by_name.items():
        expected = {"stopping", "stopped"} if instance_id in want else {"running"}
        assert now[instance_id] in expected, f"after stop_idle_instances, {name} is {now[instance_id]}, expected one of {sorted(expected)}"


def test_nothing_idle_means_no_stop_call_at_all(ec2, reader, ami_id):
    by_name, cpu = fleet(reader, ami_id)
    log = CallLog(ec2)
    busy = {instance_id: [50.0, 50.0, 50.0] for instance_id in cpu}
    got = stop_idle_instances(ec2, tag_key="team", tag_value="data", cpu_lookup=busy.get, threshold=5.0, min_datapoints=3)
    assert got == [], f"stop_idle_instances on a busy fleet returned {got}, expected []"
    assert not log.named("StopInstances"), \
        f"stop_idle_instances called StopInstances {log.named('StopInstances')} with nothing idle (AWS rejects an empty list)"


def test_end_to_end_with_cloudwatch_metrics(ec2, reader, ami_id, cloudwatch):
    by_name, _ = fleet(reader, ami_id)
    hourly = {"data-idle-1": [1.0, 2.0, 1.5], "data-busy": [1.0, 1.0, 70.0], "web-idle": [0.1, 0.1, 0.1]}
    cloudwatch.put_metric_data(Namespace="AWS/EC2", MetricData=[
        {"MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": by_name[name]}],
         "Timestamp": END - timedelta(hours=3 - hour, minutes=-10), "Value": value}
        for name, values in hourly.items() for hour, value in enumerate(values)])
    lookup = cloudwatch_cpu_lookup(cloudwatch, end=END, hours=3)
    got = stop_idle_instances(ec2, tag_key="team", tag_value="data", cpu_lookup=lookup, threshold=5.0, min_datapoints=3)
    assert got == [by_name["data-idle-1"]], \
        f"stop_idle_instances with CloudWatch data returned {got}, expected only data-idle-1 {by_name['data-idle-1']}"


RUN = itertools.count()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(machines=st.lists(st.tuples(st.sampled_from(["mine", "other team", "untagged"]), st.booleans(),
                                   st.lists(st.sampled_from([0.0, 2.5, 4.99, 5.0, 30.0]), max_size=4)),
                         max_size=6),
       min_points=st.integers(1, 3))
def test_matches_a_brute_force_scan_of_the_fleet(ec2, reader, ami_id, machines, min_points):
    """Property: the answer equals reading every instance and checking tag, state and CPU by hand.
    Each example uses its own tag value, so earlier examples' instances are just more strangers."""
    team = f"data-{next(RUN)}"
    tag_for = {"mine": {"team": team}, "other team": {"team": team + "-web"}, "untagged": {}}
    ids = launch_one_per_reservation(reader, ami_id, [tag_for[kind] for kind, _, _ in machines])
    stopped = [instance_id for instance_id, (_, running, _) in zip(ids, machines) if not running]
    if stopped:
        reader.stop_instances(InstanceIds=stopped)
    cpu = {instance_id: points for instance_id, (_, _, points) in zip(ids, machines)}
    want = sorted(instance_id for instance_id, (kind, running, points) in zip(ids, machines)
                  if kind == "mine" and running and len(points) >= min_points and max(points) < 5.0)
    got = find_idle_instances(ec2, tag_key="team", tag_value=team, cpu_lookup=lambda i: cpu.get(i, []),
                              threshold=5.0, min_datapoints=min_points)
    assert got == want, (f"find_idle_instances(team={team!r}, threshold=5.0, min_datapoints={min_points}) on "
                         f"{machines} returned {got}, expected {want}")
