"""VPC with public and private subnets: build it, then prove which subnet reaches the internet and how.

Interviewers ask "how do you set up a VPC with a public and a private subnet, and why?" to hear
that "public" is not a checkbox: a subnet is public because its route table sends 0.0.0.0/0 to an
internet gateway, and private because it does not (its instances go out through a NAT gateway that
itself sits in a PUBLIC subnet, and nobody can come in). moto creates every piece but routes no
packet, so the routing decision is yours: `can_reach` reads route tables the way the VPC router does.

    network = build_network(ec2, cidr="10.0.0.0/16", zones=("us-east-1a", "us-east-1b"))
    internet_paths(ec2, network.vpc_id)
    # {"subnet-pub-a": Reach("igw", "igw-1"), "subnet-priv-a": Reach("nat", "nat-1"), ...}

Requirements
- `build_network(ec2, *, cidr, zones, nat_per_zone=False)` creates, and returns ids in a Network:
  - a VPC with `cidr`, DNS hostnames and DNS support enabled (modify_vpc_attribute);
  - in each zone one public and one private subnet: /24s inside the VPC CIDR, none overlapping;
    public ones launch instances with a public IP (MapPublicIpOnLaunch true), private ones not;
  - an internet gateway attached to the VPC;
  - a NAT gateway (with an Elastic IP, allocate_address Domain "vpc") in the PUBLIC subnet of the
    first zone; with nat_per_zone=True one in the public subnet of every zone instead;
  - one public route table: 0.0.0.0/0 to the internet gateway, associated with every public
    subnet; private route tables: 0.0.0.0/0 to a NAT gateway, associated with the private subnets
    (with nat_per_zone, each private subnet uses the NAT of its own zone);
  - the VPC's main route table is left as created (only the local route): a subnet someone adds
    later without an association must get no internet route by accident.
  Network.nat_gateways maps zone -> NAT gateway id for the zones that have one.
- `route_table_for(route_tables, subnet_id)`: `route_tables` is describe_route_tables' list for ONE
  VPC. The table with an association whose SubnetId is `subnet_id` (explicit association) wins;
  otherwise the VPC's main table (the association with "Main": True). None when neither exists.
- `can_reach(route_tables, subnet_id, destination, nat_gateways)` answers where a packet from
  `subnet_id` to the IPv4 address `destination` goes, as a Reach(via, target):
  - the route is chosen by LONGEST PREFIX MATCH among the table's routes with a
    DestinationCidrBlock that contains `destination` (IPv6 and prefix-list routes are ignored);
    no matching route (or no table) -> Reach("none", None);
  - a matching route whose State is "blackhole" drops the packet -> Reach("none", None); the VPC
    router does not fall back to a less specific route;
  - GatewayId "local" -> Reach("local", "local"); a GatewayId starting "igw-" ->
    Reach("igw", that id); NatGatewayId -> Reach("nat", that id), but only when the NAT gateway
    itself gets out: `nat_gateways` maps NAT gateway id -> the subnet it sits in, and from that
    subnet the same destination must route to an internet gateway; a NAT gateway that is not
    in the mapping, or whose subnet has no igw route for it, -> Reach("none", None);
  - any other target (a virtual private gateway "vgw-...", a peering connection, a transit
    gateway, a network interface) -> Reach("other", that target's id).
- `internet_paths(ec2, vpc_id, destination="203.0.113.10")` reads the VPC's subnets, route tables
  and available NAT gateways back from EC2 (filter on vpc-id: the account has other VPCs, each
  with its own main table) and returns {subnet id: can_reach(...)} for every subnet of the VPC.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple, Sequence

ROUTE_TARGETS = ("GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId",
                 "NetworkInterfaceId", "InstanceId", "LocalGatewayId", "CarrierGatewayId")
DEFAULT_ROUTE = "0.0.0.0/0"


class Reach(NamedTuple):
    via: str                 # "local" | "igw" | "nat" | "other" | "none"
    target: str | None       # the route's target id, None for "none"


NOWHERE = Reach("none", None)


@dataclass(frozen=True)
class Network:
    vpc_id: str
    internet_gateway_id: str
    public_subnets: dict[str, str] = field(default_factory=dict)    # zone -> subnet id
    private_subnets: dict[str, str] = field(default_factory=dict)   # zone -> subnet id
    nat_gateways: dict[str, str] = field(default_factory=dict)      # zone -> NAT gateway id


def build_network(ec2: Any, *, cidr: str, zones: Sequence[str], nat_per_zone: bool = False) -> Network:
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    blocks = ipaddress.ip_network(cidr).subnets(new_prefix=24)
    public = {zone: _subnet(ec2, vpc_id, str(next(blocks)), zone, public=True) for zone in zones}
    private = {zone: _subnet(ec2, vpc_id, str(next(blocks)), zone, public=False) for zone in zones}

    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    _route_table(ec2, vpc_id, {"GatewayId": igw}, public.values())

    nat_zones = list(zones) if nat_per_zone else list(zones)[:1]
    nats = {zone: _nat_gateway(ec2, public[zone]) for zone in nat_zones}
    for zone, subnet in private.items():
        nat = nats.get(zone, nats[nat_zones[0]])
        _route_table(ec2, vpc_id, {"NatGatewayId": nat}, [subnet])
    return Network(vpc_id, igw, public, private, nats)


def _subnet(ec2: Any, vpc_id: str, block: str, zone: str, *, public: bool) -> str:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=block, AvailabilityZone=zone)["Subnet"]["SubnetId"]
    if public:
        ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
    return subnet


def _nat_gateway(ec2: Any, public_subnet: str) -> str:
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public_subnet, AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    ec2.get_waiter("nat_gateway_available").wait(NatGatewayIds=[nat])
    return nat


def _route_table(ec2: Any, vpc_id: str, default_target: dict[str, str], subnets: Any) -> str:
    table = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock=DEFAULT_ROUTE, **default_target)
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    return table


def route_table_for(route_tables: Sequence[Mapping[str, Any]], subnet_id: str) -> Mapping[str, Any] | None:
    main = None
    for table in route_tables:
        for association in table.get("Associations", []):
            if association.get("SubnetId") == subnet_id:
                return table
            if association.get("Main"):
                main = table
    return main


def can_reach(route_tables: Sequence[Mapping[str, Any]], subnet_id: str, destination: str,
              nat_gateways: Mapping[str, str]) -> Reach:
    reach = _next_hop(route_tables, subnet_id, destination)
    if reach.via != "nat":
        return reach
    nat_subnet = nat_gateways.get(reach.target)
    if nat_subnet is None or _next_hop(route_tables, nat_subnet, destination).via != "igw":
        return NOWHERE
    return reach


def _next_hop(route_tables: Sequence[Mapping[str, Any]], subnet_id: str, destination: str) -> Reach:
    """The route the subnet's table picks for destination, without following a NAT gateway."""
    table = route_table_for(route_tables, subnet_id)
    address = ipaddress.ip_address(destination)
    matching = [(ipaddress.ip_network(route["DestinationCidrBlock"]), route)
                for route in (table or {}).get("Routes", [])
                if "DestinationCidrBlock" in route and address in ipaddress.ip_network(route["DestinationCidrBlock"])]
    if not matching:
        return NOWHERE
    _, route = max(matching, key=lambda pair: pair[0].prefixlen)
    if route.get("State") == "blackhole":
        return NOWHERE
    return _classify(route)


def _classify(route: Mapping[str, Any]) -> Reach:
    gateway = route.get("GatewayId")
    if gateway == "local":
        return Reach("local", "local")
    if gateway and gateway.startswith("igw-"):
        return Reach("igw", gateway)
    if route.get("NatGatewayId"):
        return Reach("nat", route["NatGatewayId"])
    target = next((route[key] for key in ROUTE_TARGETS if route.get(key)), None)
    return Reach("other", target) if target else NOWHERE


def internet_paths(ec2: Any, vpc_id: str, destination: str = "203.0.113.10") -> dict[str, Reach]:
    in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    tables = [t for page in ec2.get_paginator("describe_route_tables").paginate(Filters=in_vpc)
              for t in page["RouteTables"]]
    subnets = [s["SubnetId"] for page in ec2.get_paginator("describe_subnets").paginate(Filters=in_vpc)
               for s in page["Subnets"]]
    nats = {n["NatGatewayId"]: n["SubnetId"]
            for page in ec2.get_paginator("describe_nat_gateways").paginate(
                Filters=in_vpc + [{"Name": "state", "Values": ["available"]}])
            for n in page["NatGateways"]}
    return {subnet: can_reach(tables, subnet, destination, nats) for subnet in subnets}


# Why
# - "Public" and "private" are routing facts, not subnet settings: a public subnet's route table
#   sends 0.0.0.0/0 to an internet gateway (and its instances need a public IP), a private one's
#   sends it to a NAT gateway or nowhere. So the test of a design is a routing question, asked
#   per subnet: can_reach answers it the way the VPC router does, by longest prefix match over
#   the subnet's table, the main table when there is no explicit association.
# - The NAT gateway must live in a PUBLIC subnet; put it in the private one and the private
#   subnets route to a NAT that cannot get out. can_reach follows the NAT one hop to prove it.
# - Leaving the main table private means a forgotten association fails closed (no internet)
#   rather than open. Explicitly associate every subnet.
# - Cost and resilience: a NAT gateway is billed per hour and per GB; one per VPC is cheap but
#   an AZ outage (or cross-AZ data charges) hits every private subnet; one per zone is the
#   production answer. Gateway endpoints for S3/DynamoDB keep that traffic off the NAT for free.
# - Complexity: can_reach is O(routes) per question; internet_paths makes three paginated reads.
