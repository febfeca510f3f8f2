"""Tests for the vpc mock kata: run `pytest katas/mock/aws/test_vpc.py`.

moto creates the VPC, subnets, gateways and route tables and hands them back with
describe_route_tables, but it routes no packet. So build_network is checked on what moto stores,
and the routing is checked on can_reach: first on small route tables written here in
describe_route_tables' shape, then on the tables build_network made, read back from moto.
"""
import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.aws.vpc import Reach, build_network, can_reach, internet_paths, route_table_for

pytestmark = pytest.mark.needs("aws")

ZONES = ("us-east-1a", "us-east-1b")
INTERNET = "203.0.113.10"
NONE = Reach("none", None)


# ---------------------------------------------------------------- route tables by hand

def route(cidr, target, state="active"):
    key = "NatGatewayId" if target.startswith("nat-") else \
          "VpcPeeringConnectionId" if target.startswith("pcx-") else "GatewayId"
    return {"DestinationCidrBlock": cidr, key: target, "State": state}


def table(table_id, routes, subnets=(), main=False):
    associations = [{"RouteTableId": table_id, "SubnetId": s, "Main": False} for s in subnets]
    if main:
        associations.append({"RouteTableId": table_id, "Main": True})
    return {"RouteTableId": table_id, "VpcId": "vpc-1", "Associations": associations,
            "Routes": [route("10.0.0.0/16", "local"), *routes]}


# subnet-pub: public; subnet-app: private via nat-good (in subnet-pub); subnet-db: explicitly
# associated to a table with no default route; subnet-new: no association (falls to main).
TABLES = [
    table("rtb-main", [], main=True),
    table("rtb-public", [route("0.0.0.0/0", "igw-1")], subnets=["subnet-pub"]),
    table("rtb-app", [route("0.0.0.0/0", "nat-good"), route("192.0.2.0/24", "pcx-partner"),
                      route("198.51.100.0/24", "igw-1"), route("203.0.113.128/25", "nat-gone", "blackhole")],
          subnets=["subnet-app"]),
    table("rtb-db", [], subnets=["subnet-db"]),
    table("rtb-vpn", [route("0.0.0.0/0", "vgw-office")], subnets=["subnet-vpn"]),
    table("rtb-bad-nat", [route("0.0.0.0/0", "nat-trapped")], subnets=["subnet-bad"]),
    table("rtb-nat-loop", [route("0.0.0.0/0", "nat-loop")], subnets=["subnet-loop"]),
    table("rtb-unknown-nat", [route("0.0.0.0/0", "nat-deleted")], subnets=["subnet-orphan"]),
]
NATS = {"nat-good": "subnet-pub", "nat-trapped": "subnet-db", "nat-loop": "subnet-loop", "nat-gone": "subnet-pub"}

REACH = {
    "public subnet goes out through the internet gateway": ("subnet-pub", INTERNET, Reach("igw", "igw-1")),
    "private subnet goes out through the NAT gateway": ("subnet-app", "8.8.8.8", Reach("nat", "nat-good")),
    "an address inside the VPC stays local": ("subnet-app", "10.0.3.4", Reach("local", "local")),
    "local beats the default route from a public subnet": ("subnet-pub", "10.0.200.1", Reach("local", "local")),
    "a more specific peering route wins over the NAT default": ("subnet-app", "192.0.2.77", Reach("other", "pcx-partner")),
    "a more specific igw route wins over the NAT default": ("subnet-app", "198.51.100.9", Reach("igw", "igw-1")),
    "a blackhole route drops the packet, no fallback to 0.0.0.0/0": ("subnet-app", "203.0.113.200", NONE),
    "just outside the blackhole prefix the NAT default applies": ("subnet-app", "203.0.113.127", Reach("nat", "nat-good")),
    "an explicitly associated table without a default route": ("subnet-db", INTERNET, NONE),
    "a subnet without an association uses the main table": ("subnet-new", INTERNET, NONE),
    "a subnet without an association still reaches the VPC": ("subnet-new", "10.0.0.10", Reach("local", "local")),
    "a virtual private gateway is not an internet gateway": ("subnet-vpn", INTERNET, Reach("other", "vgw-office")),
    "a NAT gateway in a subnet with no internet route": ("subnet-bad", INTERNET, NONE),
    "a NAT gateway whose own subnet routes back to it": ("subnet-loop", INTERNET, NONE),
    "a NAT gateway that no longer exists": ("subnet-orphan", INTERNET, NONE),
}


@pytest.mark.parametrize("case", REACH.keys())
def test_can_reach_follows_the_subnets_route_table(case):
    subnet, destination, want = REACH[case]
    got = can_reach(TABLES, subnet, destination, NATS)
    assert got == want, f"can_reach(TABLES, {subnet!r}, {destination!r}, NATS) returned {got}, expected {want} ({case})"


def test_explicit_association_wins_over_a_main_table_that_has_an_igw_route():
    tables = [table("rtb-main", [route("0.0.0.0/0", "igw-1")], main=True),
              table("rtb-private", [], subnets=["subnet-private"])]
    got = can_reach(tables, "subnet-private", INTERNET, {})
    assert got == NONE, f"can_reach(<main table routes to igw-1>, 'subnet-private' (explicitly associated " \
                        f"to a table without a default route), ...) returned {got}, expected {NONE}"
    assert route_table_for(tables, "subnet-private")["RouteTableId"] == "rtb-private", \
        f"route_table_for(..., 'subnet-private') returned {route_table_for(tables, 'subnet-private')['RouteTableId']}"
    got_main = route_table_for(tables, "subnet-other")
    assert got_main is not None and got_main["RouteTableId"] == "rtb-main", \
        f"route_table_for(..., 'subnet-other') should fall back to the main table, got {got_main}"


def test_no_table_at_all_reaches_nothing():
    assert route_table_for([], "subnet-x") is None, "route_table_for([], 'subnet-x') should be None"
    got = can_reach([], "subnet-x", INTERNET, {})
    assert got == NONE, f"can_reach([], 'subnet-x', {INTERNET!r}, {{}}) returned {got}, expected {NONE}"


def test_ipv6_routes_are_ignored():
    tables = [table("rtb-v6", [{"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-1", "State": "active"}],
                    subnets=["subnet-v6"])]
    got = can_reach(tables, "subnet-v6", INTERNET, {})
    assert got == NONE, f"can_reach(<only an IPv6 default route>, ..., {INTERNET!r}) returned {got}, expected {NONE}"


# ---------------------------------------------------------------- longest prefix match, against brute force

def brute_force(routes, destination):
    """Try every prefix length from /32 down to /0 and take the first route whose network is exactly that."""
    address = ipaddress.ip_address(destination)
    for length in range(32, -1, -1):
        network = ipaddress.ip_network(f"{address}/{length}", strict=False)
        for candidate in routes:
            if ipaddress.ip_network(candidate["DestinationCidrBlock"]) == network:
                return candidate
    return None


prefixes = st.builds(lambda a, n: str(ipaddress.ip_network(f"{ipaddress.ip_address(a)}/{n}", strict=False)),
                     st.integers(0, 2**32 - 1), st.integers(0, 32))


@settings(max_examples=60, deadline=None)
@given(st.lists(prefixes, min_size=0, max_size=8, unique=True), st.integers(0, 2**32 - 1))
def test_the_longest_matching_prefix_decides(cidrs, address):
    destination = str(ipaddress.ip_address(address))
    routes = [{"DestinationCidrBlock": cidr, "VpcPeeringConnectionId": f"pcx-{i}", "State": "active"}
              for i, cidr in enumerate(cidrs)]
    tables = [{"RouteTableId": "rtb-1", "Associations": [{"SubnetId": "subnet-1", "Main": False}], "Routes": routes}]
    best = brute_force(routes, destination)
    want = Reach("other", best["VpcPeeringConnectionId"]) if best else NONE
    got = can_reach(tables, "subnet-1", destination, {})
    assert got == want, f"can_reach(<routes {cidrs}>, 'subnet-1', {destination!r}, {{}}) returned {got}, expected {want}"


# ---------------------------------------------------------------- build_network in moto

@pytest.fixture
def ec2(aws, aws_session):
    return aws_session.client("ec2")


def subnets_of(ec2, vpc_id):
    return {s["SubnetId"]: s for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]}


def test_subnets_are_non_overlapping_slices_of_the_vpc_in_two_zones(ec2):
    network = build_network(ec2, cidr="10.20.0.0/16", zones=ZONES)
    vpc = ec2.describe_vpcs(VpcIds=[network.vpc_id])["Vpcs"][0]
    assert vpc["CidrBlock"] == "10.20.0.0/16", f"the VPC has CIDR {vpc['CidrBlock']}, expected 10.20.0.0/16"
    for attribute in ("enableDnsHostnames", "enableDnsSupport"):
        value = ec2.describe_vpc_attribute(VpcId=network.vpc_id, Attribute=attribute)
        flag = value[attribute[0].upper() + attribute[1:]]["Value"]
        assert flag is True, f"VPC attribute {attribute} is {flag}, expected True"
    subnets = subnets_of(ec2, network.vpc_id)
    for kind, by_zone in (("public", network.public_subnets), ("private", network.private_subnets)):
        zones = {zone: subnets[sid]["AvailabilityZone"] for zone, sid in by_zone.items()}
        assert zones == dict(zip(ZONES, ZONES)), f"{kind} subnets are in zones {zones}, expected one in each of {ZONES}"
    blocks = [ipaddress.ip_network(s["CidrBlock"]) for s in subnets.values()]
    assert len(blocks) == 4, f"the VPC has {len(blocks)} subnets, expected 4"
    assert all(b.subnet_of(ipaddress.ip_network("10.20.0.0/16")) for b in blocks), f"subnets {blocks} leave the VPC"
    overlapping = [(a, b) for i, a in enumerate(blocks) for b in blocks[i + 1:] if a.overlaps(b)]
    assert not overlapping, f"subnets overlap: {overlapping}"
    public_ip = {sid: subnets[sid]["MapPublicIpOnLaunch"] for sid in subnets}
    want = {sid: sid in network.public_subnets.values() for sid in subnets}
    assert public_ip == want, f"MapPublicIpOnLaunch per subnet is {public_ip}, expected True only on the public subnets"


def test_gateways_are_where_they_belong(ec2):
    network = build_network(ec2, cidr="10.0.0.0/16", zones=ZONES)
    igw = ec2.describe_internet_gateways(InternetGatewayIds=[network.internet_gateway_id])["InternetGateways"][0]
    attached = [a["VpcId"] for a in igw["Attachments"]]
    assert attached == [network.vpc_id], f"the internet gateway is attached to {attached}, expected [{network.vpc_id!r}]"
    assert len(network.nat_gateways) == 1, f"network.nat_gateways is {network.nat_gateways}, expected one NAT gateway"
    nat = ec2.describe_nat_gateways(NatGatewayIds=list(network.nat_gateways.values()))["NatGateways"][0]
    assert nat["SubnetId"] == network.public_subnets[ZONES[0]], \
        f"the NAT gateway sits in {nat['SubnetId']}, expected the public subnet of {ZONES[0]} " \
        f"({network.public_subnets[ZONES[0]]}): in a private subnet it has no way out"
    assert nat["NatGatewayAddresses"][0].get("AllocationId"), "the NAT gateway has no Elastic IP allocation"


def test_the_main_route_table_stays_private(ec2):
    network = build_network(ec2, cidr="10.0.0.0/16", zones=ZONES)
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [network.vpc_id]},
                                                {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    routes = [r.get("DestinationCidrBlock") for t in tables for r in t["Routes"]]
    assert routes == ["10.0.0.0/16"], f"the main route table has routes {routes}, expected only the local route"
    associated = {a.get("SubnetId") for t in ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [network.vpc_id]}])["RouteTables"] for a in t["Associations"]}
    missing = set(subnets_of(ec2, network.vpc_id)) - associated
    assert not missing, f"subnets {sorted(missing)} have no explicit route table association"


@pytest.mark.parametrize("nat_per_zone", [False, True], ids=["one NAT gateway", "a NAT gateway per zone"])
def test_internet_paths_of_the_built_network(ec2, nat_per_zone):
    network = build_network(ec2, cidr="10.0.0.0/16", zones=ZONES, nat_per_zone=nat_per_zone)
    paths = internet_paths(ec2, network.vpc_id)
    want = {sid: Reach("igw", network.internet_gateway_id) for sid in network.public_subnets.values()}
    for zone, sid in network.private_subnets.items():
        nat = network.nat_gateways[zone if nat_per_zone else ZONES[0]]
        want[sid] = Reach("nat", nat)
    assert paths == want, f"internet_paths(ec2, network.vpc_id) returned {paths}, expected {want}"
    if nat_per_zone:
        zones = {ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"][0]["SubnetId"]: zone
                 for zone, nat in network.nat_gateways.items()}
        assert sorted(zones.values()) == sorted(ZONES), f"NAT gateways per zone: {network.nat_gateways}"


def public_main_table(ec2, vpc_id):
    """Give a VPC's main table a default route to an internet gateway, as the default VPC has in real AWS."""
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                              {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]
    ec2.create_route(RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)


def test_a_subnet_added_later_without_association_gets_no_internet(ec2):
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    public_main_table(ec2, default_vpc)
    network = build_network(ec2, cidr="10.0.0.0/16", zones=ZONES)
    legacy_vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    public_main_table(ec2, legacy_vpc)
    added = ec2.create_subnet(VpcId=network.vpc_id, CidrBlock="10.0.250.0/24", AvailabilityZone=ZONES[1])["Subnet"]["SubnetId"]
    paths = internet_paths(ec2, network.vpc_id)
    assert paths.get(added) == NONE, \
        f"internet_paths gave the unassociated subnet {added} {paths.get(added)}, expected {NONE}: it uses the main " \
        "table of ITS VPC (two other VPCs here have main tables that route to an internet gateway, this one's must not)"
    local = internet_paths(ec2, network.vpc_id, destination="10.0.0.5")
    assert set(local.values()) == {Reach("local", "local")}, f"internet_paths(..., '10.0.0.5') returned {local}"
    assert len(paths) == 5, f"internet_paths returned {len(paths)} subnets, expected the VPC's 5 (and no others)"


def test_a_nat_gateway_moved_into_a_private_subnet_cuts_the_private_subnets_off(ec2):
    network = build_network(ec2, cidr="10.0.0.0/16", zones=ZONES)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    trapped = ec2.create_nat_gateway(SubnetId=network.private_subnets[ZONES[1]], AllocationId=allocation)["NatGateway"]
    tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id",
                                                 "Values": [network.private_subnets[ZONES[1]]]}])["RouteTables"]
    ec2.replace_route(RouteTableId=tables[0]["RouteTableId"], DestinationCidrBlock="0.0.0.0/0",
                      NatGatewayId=trapped["NatGatewayId"])
    got = internet_paths(ec2, network.vpc_id)[network.private_subnets[ZONES[1]]]
    assert got == NONE, f"a private subnet routed to a NAT gateway that sits in a private subnet got {got}, expected {NONE}"
