"""EC2 with guard rails: launch tagged instances behind an HTTPS-only security group, then find
and stop the idle ones.

Interviewers ask for this to see whether you treat a security group as a firewall you design
(one port, one source range, never 0.0.0.0/0), tag at launch so nothing ever exists untagged
(cost allocation, tag-based IAM), filter on the server instead of downloading the whole fleet,
and make a cost-saving job that is safe: it must never stop something it cannot measure.

    ec2 = boto3.client("ec2")
    sg = create_https_security_group(ec2, vpc_id="vpc-1", name="etl-web", allowed_cidr="203.0.113.0/24")
    ids = launch_tagged_instances(ec2, ami_id="ami-12c6146b", instance_type="t3.micro", count=2,
                                  security_group_id=sg, tags={"team": "data", "env": "dev"})
    lookup = cloudwatch_cpu_lookup(boto3.client("cloudwatch"), end=now, hours=24)
    stop_idle_instances(ec2, tag_key="team", tag_value="data", cpu_lookup=lookup,
                        threshold=5.0, min_datapoints=24)   # -> the ids it stopped, sorted

Requirements
- `create_https_security_group(ec2, *, vpc_id, name, allowed_cidr)` creates a group in `vpc_id`
  (any non-empty description) and returns its GroupId. Its ingress is exactly ONE rule: tcp,
  FromPort 443, ToPort 443, from `allowed_cidr` only (an IPv4 range in IpRanges/CidrIp, an IPv6
  range in Ipv6Ranges/CidrIpv6). Egress is left at the AWS default.
- `allowed_cidr` is checked BEFORE any API call (so a refused call leaves no group behind):
  raise ValueError for text that is not a CIDR, for a range with host bits set
  ("10.0.0.7/8"), and for an open-to-the-world range (prefix length 0: 0.0.0.0/0, ::/0).
- `launch_tagged_instances(ec2, *, ami_id, instance_type, count, security_group_id, tags)`
  launches `count` instances all-or-nothing (MinCount == MaxCount == count) in the group and
  returns their ids in launch order. Tags are applied AT LAUNCH through TagSpecifications, for
  ResourceType "instance" AND "volume"; never by a CreateTags call afterwards. Raise ValueError
  (before any API call) when count < 1 or tags is empty.
- `is_idle(cpu_datapoints, *, threshold, min_datapoints)`: idle means at least `min_datapoints`
  datapoints AND every datapoint strictly below `threshold` (the peak decides, not the mean).
  Too few datapoints (a new instance, missing metrics) is NOT idle. Raise ValueError when
  min_datapoints < 1.
- `cloudwatch_cpu_lookup(cloudwatch, *, end, hours)` returns a callable
  `instance_id -> list[float]`: the hourly (Period 3600) Maximum of AWS/EC2 CPUUtilization with
  dimension InstanceId, for StartTime = end - hours, EndTime = end, oldest first.
- `find_idle_instances(ec2, *, tag_key, tag_value, cpu_lookup, threshold, min_datapoints)`
  returns the sorted ids of RUNNING instances tagged tag_key=tag_value that are idle according
  to `cpu_lookup(instance_id)`. Filter on the server: every DescribeInstances call carries
  Filters `tag:<tag_key>` = [tag_value] and `instance-state-name` = ["running"], and no
  InstanceIds. Follow NextToken (use the paginator): a fleet spans many pages. Ask cpu_lookup
  only about instances that passed the filter.
- `stop_idle_instances(...)` (same arguments) stops exactly the idle instances in ONE
  StopInstances call and returns their sorted ids; when none are idle it makes no StopInstances
  call at all and returns []. Instances with other tags, busy ones, and ones without enough
  data keep running.
"""
from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping, Sequence

HTTPS_PORT = 443
CpuLookup = Callable[[str], Sequence[float]]


def _checked_network(allowed_cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        network = ipaddress.ip_network(allowed_cidr, strict=True)
    except ValueError as exc:
        raise ValueError(f"allowed_cidr {allowed_cidr!r} is not a CIDR range without host bits: {exc}") from None
    if network.prefixlen == 0:
        raise ValueError(f"allowed_cidr {allowed_cidr!r} opens port {HTTPS_PORT} to the whole internet")
    return network


def create_https_security_group(ec2: Any, *, vpc_id: str, name: str, allowed_cidr: str) -> str:
    network = _checked_network(allowed_cidr)
    group_id = ec2.create_security_group(
        GroupName=name, VpcId=vpc_id,
        Description=f"HTTPS ({HTTPS_PORT}/tcp) from {network} only",
    )["GroupId"]
    rule: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": HTTPS_PORT, "ToPort": HTTPS_PORT}
    if network.version == 4:
        rule["IpRanges"] = [{"CidrIp": str(network), "Description": "HTTPS clients"}]
    else:
        rule["Ipv6Ranges"] = [{"CidrIpv6": str(network), "Description": "HTTPS clients"}]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[rule])
    return group_id


def launch_tagged_instances(ec2: Any, *, ami_id: str, instance_type: str, count: int,
                            security_group_id: str, tags: Mapping[str, str]) -> list[str]:
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    if not tags:
        raise ValueError("tags must not be empty: untagged instances cannot be attributed or governed")
    tag_list = [{"Key": key, "Value": value} for key, value in tags.items()]
    response = ec2.run_instances(
        ImageId=ami_id, InstanceType=instance_type,
        MinCount=count, MaxCount=count,
        SecurityGroupIds=[security_group_id],
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": tag_list},
            {"ResourceType": "volume", "Tags": tag_list},
        ],
    )
    return [instance["InstanceId"] for instance in response["Instances"]]


def is_idle(cpu_datapoints: Sequence[float], *, threshold: float, min_datapoints: int) -> bool:
    if min_datapoints < 1:
        raise ValueError(f"min_datapoints must be at least 1, got {min_datapoints}")
    return len(cpu_datapoints) >= min_datapoints and max(cpu_datapoints) < threshold


def cloudwatch_cpu_lookup(cloudwatch: Any, *, end: datetime, hours: int) -> CpuLookup:
    start = end - timedelta(hours=hours)

    def lookup(instance_id: str) -> list[float]:
        response = cloudwatch.get_metric_statistics(
            Namespace="AWS/EC2", MetricName="CPUUtilization",
            Dimensions=[{"Name": "InstanceId", "Value": instance_id}],
            StartTime=start, EndTime=end, Period=3600, Statistics=["Maximum"],
        )
        points = sorted(response["Datapoints"], key=lambda point: point["Timestamp"])
        return [point["Maximum"] for point in points]

    return lookup


def _running_with_tag(ec2: Any, tag_key: str, tag_value: str) -> list[str]:
    paginator = ec2.get_paginator("describe_instances")
    pages = paginator.paginate(Filters=[
        {"Name": f"tag:{tag_key}", "Values": [tag_value]},
        {"Name": "instance-state-name", "Values": ["running"]},
    ])
    return [instance["InstanceId"]
            for page in pages
            for reservation in page["Reservations"]
            for instance in reservation["Instances"]]


def find_idle_instances(ec2: Any, *, tag_key: str, tag_value: str, cpu_lookup: CpuLookup,
                        threshold: float, min_datapoints: int) -> list[str]:
    return sorted(instance_id for instance_id in _running_with_tag(ec2, tag_key, tag_value)
                  if is_idle(cpu_lookup(instance_id), threshold=threshold, min_datapoints=min_datapoints))


def stop_idle_instances(ec2: Any, *, tag_key: str, tag_value: str, cpu_lookup: CpuLookup,
                        threshold: float, min_datapoints: int) -> list[str]:
    idle = find_idle_instances(ec2, tag_key=tag_key, tag_value=tag_value, cpu_lookup=cpu_lookup,
                               threshold=threshold, min_datapoints=min_datapoints)
    if idle:
        ec2.stop_instances(InstanceIds=idle)
    return idle


# Why
# - Cost: one DescribeInstances page per ~1,000 matching instances (the tag and state filters run
#   on AWS, so the other teams' fleet is never downloaded), one GetMetricStatistics per candidate
#   (use GetMetricData to batch up to 500 metrics per call at fleet scale), one StopInstances.
# - The security group is an allow list: one port from one range. Validating the CIDR before
#   the first call means a refused request leaves nothing half-built; prefix length 0 is refused
#   outright because "temporarily open to 0.0.0.0/0" is how databases and admin ports leak.
#   Egress stays at the default allow-all here; in a locked-down VPC you would restrict it too.
# - TagSpecifications tag instance and volumes in the same API call as the launch: there is no
#   window where an untagged instance exists, tag-on-create IAM conditions (aws:RequestTag) can
#   be enforced, and volumes show up in cost reports. CreateTags afterwards can fail half way.
# - Idle = the PEAK of every hour is below the threshold, with enough hours of data. The mean
#   hides a nightly batch job; treating "no data" as idle stops an instance launched ten minutes
#   ago. In the interview, also mention: stop (EBS kept, restartable) vs terminate, dry runs,
#   an opt-out tag, notifying owners, and Instance Scheduler / Compute Optimizer as managed
#   alternatives.
# - What real AWS does that moto does not: moto serves no CPU metrics of its own (hence the
#   injected lookup and put_metric_data in the tests), accepts put_metric_data in the reserved
#   AWS/ namespace, stops instances instantly (real ones pass through "stopping"), and pages
#   DescribeInstances by reservation. Real AWS also refuses StopInstances with an empty list.
