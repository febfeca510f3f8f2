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


class Reach(NamedTuple):
    via: str                 # "local" | "igw" | "nat" | "other" | "none"
    target: str | None       # the route's target id, None for "none"


@dataclass(frozen=True)
class Network:
    vpc_id: str
    internet_gateway_id: str
    public_subnets: dict[str, str] = field(default_factory=dict)    # zone -> subnet id
    private_subnets: dict[str, str] = field(default_factory=dict)   # zone -> subnet id
    nat_gateways: dict[str, str] = field(default_factory=dict)      # zone -> NAT gateway id


def build_network(ec2: Any, *, cidr: str, zones: Sequence[str], nat_per_zone: bool = False) -> Network:
    raise NotImplementedError("TODO: VPC, public and private /24 per zone, IGW, NAT in a public subnet, route tables")


def route_table_for(route_tables: Sequence[Mapping[str, Any]], subnet_id: str) -> Mapping[str, Any] | None:
    raise NotImplementedError("TODO: the explicitly associated table, else the main one, else None")


def can_reach(route_tables: Sequence[Mapping[str, Any]], subnet_id: str, destination: str,
              nat_gateways: Mapping[str, str]) -> Reach:
    raise NotImplementedError("TODO: longest prefix match in the subnet's table; follow a NAT one hop to its igw")


def internet_paths(ec2: Any, vpc_id: str, destination: str = "203.0.113.10") -> dict[str, Reach]:
    raise NotImplementedError("TODO: read subnets, route tables and NAT gateways of the VPC; can_reach for each subnet")
