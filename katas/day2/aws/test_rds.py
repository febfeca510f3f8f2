"""Tests for the RDS kata: run `pytest katas/day2/aws/test_rds.py`.

moto stores the instance, the subnet group and the security group but enforces none of the network
rules and resolves no endpoint, so the tests read every setting back and connect the DSN to a local
PostgreSQL stand-in (host and port overridden from the `pg_dsn` fixture).
"""
import json

import psycopg
import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg.conninfo import conninfo_to_dict

from katas.day2.aws.rds import build_dsn, provision_postgres, secret_password_source

pytestmark = pytest.mark.needs("aws", "pg")

TAGS = {"team": "data", "env": "prod", "cost-center": "42"}


class Network:
    """A VPC with two private subnets in two AZs, one public subnet, an app security group, a KMS key."""

    def __init__(self, session):
        self.ec2 = session.client("ec2")
        self.rds = session.client("rds")
        self.secrets = session.client("secretsmanager")
        self.vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        self.private_a = self.subnet(self.vpc, "10.0.1.0/24", "us-east-1a")
        self.private_b = self.subnet(self.vpc, "10.0.2.0/24", "us-east-1b")
        self.private_a2 = self.subnet(self.vpc, "10.0.3.0/24", "us-east-1a")
        self.public = self.subnet(self.vpc, "10.0.100.0/24", "us-east-1c")
        igw = self.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        self.ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=self.vpc)
        public_table = self.ec2.create_route_table(VpcId=self.vpc)["RouteTable"]["RouteTableId"]
        self.ec2.create_route(RouteTableId=public_table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
        self.ec2.associate_route_table(RouteTableId=public_table, SubnetId=self.public)
        self.app_sg = self.ec2.create_security_group(GroupName="app", Description="app", VpcId=self.vpc)["GroupId"]
        self.kms_key = session.client("kms").create_key(
            Description="rds at rest")["KeyMetadata"]["Arn"]

    def subnet(self, vpc, cidr, zone):
        return self.ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]

    def provision(self, **overrides):
        kwargs = dict(identifier="orders-db", vpc_id=self.vpc, subnet_ids=[self.private_a, self.private_b],
                      app_security_group_id=self.app_sg, kms_key_id=self.kms_key,
                      master_username="app_admin", db_name="orders", tags=TAGS)
        kwargs.update(overrides)
        return provision_postgres(self.rds, self.ec2, **kwargs)

    def described(self, identifier="orders-db"):
        return self.rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


@pytest.fixture
def net(aws, aws_session):
    return Network(aws_session)


# ---------------------------------------------------------------- provisioning, read back

READ_BACK = {
    "engine is postgres": (lambda d, n: d["Engine"], lambda n: "postgres"),
    "storage is encrypted": (lambda d, n: d["StorageEncrypted"], lambda n: True),
    "with the given KMS key": (lambda d, n: d["KmsKeyId"], lambda n: n.kms_key),
    "not publicly accessible": (lambda d, n: d["PubliclyAccessible"], lambda n: False),
    "backups kept 7 days by default": (lambda d, n: d["BackupRetentionPeriod"], lambda n: 7),
    "deletion protection on": (lambda d, n: d["DeletionProtection"], lambda n: True),
    "tags copied to snapshots": (lambda d, n: d["CopyTagsToSnapshot"], lambda n: True),
    "port 5432": (lambda d, n: d["Endpoint"]["Port"], lambda n: 5432),
    "database name": (lambda d, n: d["DBName"], lambda n: "orders"),
    "master user": (lambda d, n: d["MasterUsername"], lambda n: "app_admin"),
    "subnet group named <id>-subnets": (lambda d, n: d["DBSubnetGroup"]["DBSubnetGroupName"],
                                        lambda n: "orders-db-subnets"),
    "subnet group holds exactly the private subnets": (
        lambda d, n: sorted(s["SubnetIdentifier"] for s in d["DBSubnetGroup"]["Subnets"]),
        lambda n: sorted([n.private_a, n.private_b])),
    "every tag present": (lambda d, n: {t["Key"]: t["Value"] for t in d["TagList"]}, lambda n: TAGS),
    "password managed in Secrets Manager": (lambda d, n: "SecretArn" in d.get("MasterUserSecret", {}),
                                            lambda n: True),
}


def test_the_described_instance_has_the_production_settings(net):
    net.provision()
    described = net.described()
    wrong = {}
    for setting, (read, expected) in READ_BACK.items():
        try:
            got = read(described, net)
        except (KeyError, TypeError) as exc:
            got = f"<missing: {exc!r}>"
        if got != expected(net):
            wrong[setting] = f"got {got!r}, expected {expected(net)!r}"
    assert not wrong, "after provision_postgres(...), describe_db_instances shows: " + "; ".join(
        f"{setting}: {problem}" for setting, problem in wrong.items())


def test_the_return_value_is_the_described_instance(net):
    returned = net.provision()
    described = net.described()
    assert returned.get("DBInstanceArn") == described["DBInstanceArn"] and \
        returned.get("TagList") == described["TagList"], \
        f"provision_postgres returned {sorted(returned)}; expected describe_db_instances' answer (with TagList)"


def test_the_backup_retention_is_configurable(net):
    net.provision(backup_retention_days=14)
    got = net.described()["BackupRetentionPeriod"]
    assert got == 14, f"provision_postgres(backup_retention_days=14): BackupRetentionPeriod is {got}, expected 14"


def test_the_security_group_admits_only_5432_from_the_app_security_group(net):
    net.provision()
    groups = net.described()["VpcSecurityGroups"]
    assert len(groups) == 1, f"the instance has security groups {groups}, expected exactly one"
    group = net.ec2.describe_security_groups(GroupIds=[groups[0]["VpcSecurityGroupId"]])["SecurityGroups"][0]
    assert group["GroupName"] == "orders-db-db" and group["VpcId"] == net.vpc, \
        f"security group {group['GroupName']!r} in {group['VpcId']}, expected 'orders-db-db' in {net.vpc}"
    rules = [(p["IpProtocol"], p.get("FromPort"), p.get("ToPort"),
              sorted(pair["GroupId"] for pair in p.get("UserIdGroupPairs", [])),
              [r["CidrIp"] for r in p.get("IpRanges", [])], [r["CidrIpv6"] for r in p.get("Ipv6Ranges", [])])
             for p in group["IpPermissions"]]
    expected = [("tcp", 5432, 5432, [net.app_sg], [], [])]
    assert rules == expected, (f"ingress rules (protocol, from, to, groups, IPv4 CIDRs, IPv6 CIDRs) are {rules}, "
                               f"expected only {expected}: no CIDR, not even the VPC's")


def test_deletion_protection_refuses_a_delete(net):
    net.provision()
    with pytest.raises(ClientError) as refused:
        net.rds.delete_db_instance(DBInstanceIdentifier="orders-db", SkipFinalSnapshot=True)
    assert "protect" in str(refused.value).lower(), f"delete failed for another reason: {refused.value}"


# ---------------------------------------------------------------- refused before anything is created

def other_vpc_subnet(n):
    vpc = n.ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    return [n.private_a, n.subnet(vpc, "10.9.1.0/24", "us-east-1b")]


def public_through_main_table(n):
    """A subnet with no explicit association uses the VPC's main route table, here one with an IGW."""
    main = n.ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [n.vpc]},
                                                {"Name": "association.main", "Values": ["true"]}])
    table = main["RouteTables"][0]["RouteTableId"]
    igw = n.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    n.ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    return [n.private_a, n.private_b]


REFUSED = {
    "a public subnet (own route table to an internet gateway)":
        (lambda n: dict(subnet_ids=[n.private_a, n.public]), lambda n: n.public),
    "subnets public through the VPC's main route table":
        (lambda n: dict(subnet_ids=public_through_main_table(n)), lambda n: n.private_a),
    "both subnets in one Availability Zone":
        (lambda n: dict(subnet_ids=[n.private_a, n.private_a2]), lambda n: "Availability Zone"),
    "a subnet from another VPC": (lambda n: dict(subnet_ids=other_vpc_subnet(n)), lambda n: n.vpc),
    "backups switched off (0 days)": (lambda n: dict(backup_retention_days=0), lambda n: "backup"),
    "backups longer than RDS allows (36 days)": (lambda n: dict(backup_retention_days=36), lambda n: "backup"),
}


@pytest.mark.parametrize("make_args,mentions", REFUSED.values(), ids=REFUSED.keys())
def test_bad_settings_are_refused_before_anything_is_created(net, make_args, mentions):
    args = make_args(net)
    with pytest.raises(ValueError) as refused:
        net.provision(**args)
    word = mentions(net)
    assert word in str(refused.value), f"provision_postgres({args}) raised {refused.value!r}; it should mention {word!r}"
    instances = net.rds.describe_db_instances()["DBInstances"]
    subnet_groups = net.rds.describe_db_subnet_groups()["DBSubnetGroups"]
    db_groups = net.ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["orders-db-db"]}])
    created = ([i["DBInstanceIdentifier"] for i in instances] + [g["DBSubnetGroupName"] for g in subnet_groups]
               + [g["GroupId"] for g in db_groups["SecurityGroups"]])
    assert created == [], f"provision_postgres({args}) raised but had already created {created}: check first"


# ---------------------------------------------------------------- the password source

def test_the_password_source_reads_the_json_secret_rds_manages(net):
    described = net.provision()
    arn = described["MasterUserSecret"]["SecretArn"]
    net.secrets.put_secret_value(SecretId=arn, SecretString=json.dumps({"username": "app_admin", "password": "s3cr3t"}))
    got = secret_password_source(net.secrets, arn)()
    assert got == "s3cr3t", f"the source for a JSON secret returned {got!r}, expected its 'password' field 's3cr3t'"


def test_the_password_source_accepts_a_plain_string_secret(net):
    arn = net.secrets.create_secret(Name="plain", SecretString="just-the-password")["ARN"]
    got = secret_password_source(net.secrets, arn)()
    assert got == "just-the-password", f"a plain-string secret gave {got!r}, expected the whole string"


def test_the_password_source_picks_up_a_rotated_password(net):
    arn = net.secrets.create_secret(Name="rotating", SecretString=json.dumps({"password": "before"}))["ARN"]
    source = secret_password_source(net.secrets, arn)
    first = source()
    net.secrets.put_secret_value(SecretId=arn, SecretString=json.dumps({"password": "after"}))
    second = source()
    assert (first, second) == ("before", "after"), \
        f"the same source returned {first!r} then {second!r} across a rotation, expected 'before' then 'after'"


# ---------------------------------------------------------------- the DSN

DESCRIBED = {
    "DBInstanceIdentifier": "orders-db", "DBInstanceStatus": "available",
    "Endpoint": {"Address": "orders-db.abc123.us-east-1.rds.amazonaws.com", "Port": 5432},
    "MasterUsername": "app_admin", "DBName": "orders",
}


def test_the_dsn_comes_from_the_described_endpoint_with_ssl_required():
    got = conninfo_to_dict(build_dsn(DESCRIBED, lambda: "pw"))
    want = {"host": "orders-db.abc123.us-east-1.rds.amazonaws.com", "port": "5432", "user": "app_admin",
            "dbname": "orders", "password": "pw", "sslmode": "require"}
    assert got == want, f"build_dsn(described, source) parsed as {got}, expected {want}"


def test_host_port_and_sslmode_can_be_overridden():
    got = conninfo_to_dict(build_dsn(DESCRIBED, lambda: "pw", host="127.0.0.1", port=6543, sslmode="verify-full"))
    picked = {k: got.get(k) for k in ("host", "port", "sslmode", "user", "dbname")}
    want = {"host": "127.0.0.1", "port": "6543", "sslmode": "verify-full", "user": "app_admin", "dbname": "orders"}
    assert picked == want, f"build_dsn(..., host='127.0.0.1', port=6543, sslmode='verify-full') gave {picked}"


def test_an_instance_without_a_database_name_connects_to_postgres():
    described = {k: v for k, v in DESCRIBED.items() if k != "DBName"}
    got = conninfo_to_dict(build_dsn(described, lambda: "pw")).get("dbname")
    assert got == "postgres", f"without DBName the DSN's dbname is {got!r}, expected 'postgres'"


def test_an_instance_still_being_created_has_no_endpoint_and_is_refused():
    creating = {k: v for k, v in DESCRIBED.items() if k != "Endpoint"} | {"DBInstanceStatus": "creating"}
    with pytest.raises(ValueError):
        build_dsn(creating, lambda: "pw")


def test_the_password_is_read_from_the_source_once_per_dsn():
    calls = []

    def source():
        calls.append(1)
        return f"pw-{len(calls)}"

    first = conninfo_to_dict(build_dsn(DESCRIBED, source))["password"]
    second = conninfo_to_dict(build_dsn(DESCRIBED, source))["password"]
    assert (len(calls), first, second) == (2, "pw-1", "pw-2"), \
        f"two build_dsn calls read the source {len(calls)} times and got {first!r}, {second!r}; " \
        f"expected 2 reads and 'pw-1', 'pw-2' (read it when building, never cache it)"


PASSWORDS = {
    "spaces": "correct horse battery staple",
    "single quote": "it's",
    "double quote": 'say "hi"',
    "at sign": "user@host",
    "equals sign": "key=value",
    "all of them": "p a'ss\"w@r=d",
    "backslash": "back\\slash",
    "trailing backslash": "ends with\\",
    "backslash then quote": "\\'",
    "injection of another key": "x' host='evil.example.com",
    "unicode": "pässwörd ✓",
}


@pytest.mark.parametrize("password", PASSWORDS.values(), ids=PASSWORDS.keys())
def test_the_password_survives_libpq_parsing_unchanged(password):
    dsn = build_dsn(DESCRIBED, lambda: password)
    try:
        parsed = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        pytest.fail(f"build_dsn with password {password!r} gave {dsn!r}, which libpq cannot parse: {exc}")
    assert (parsed.get("password"), parsed.get("host")) == (password, DESCRIBED["Endpoint"]["Address"]), \
        f"build_dsn with password {password!r} gave {dsn!r}, parsed back as password={parsed.get('password')!r} " \
        f"host={parsed.get('host')!r}"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), min_size=1))
def test_any_password_round_trips_through_libpq(password):
    dsn = build_dsn(DESCRIBED, lambda: password)
    parsed = conninfo_to_dict(dsn)
    assert parsed.get("password") == password, f"password {password!r} came back as {parsed.get('password')!r} from {dsn!r}"


# ---------------------------------------------------------------- end to end against the stand-in

def test_the_dsn_connects_to_the_local_stand_in_and_runs_a_query(net, pg_dsn):
    local = conninfo_to_dict(pg_dsn)
    described = net.provision(master_username=local["user"], db_name=local["dbname"])
    arn = described["MasterUserSecret"]["SecretArn"]
    password = local.get("password") or "trust ignores it: sp ace'quote\"@=\\"
    net.secrets.put_secret_value(SecretId=arn, SecretString=json.dumps({"username": local["user"],
                                                                         "password": password}))
    dsn = build_dsn(described, secret_password_source(net.secrets, arn),
                    host=local.get("host", "127.0.0.1"), port=int(local.get("port", 5432)),
                    sslmode="disable")  # the stand-in has no TLS; never do this against RDS
    try:
        with psycopg.connect(dsn, connect_timeout=5) as conn:
            got = conn.execute("SELECT current_database(), current_user, 6 * 7").fetchone()
    except psycopg.Error as exc:
        pytest.fail(f"psycopg.connect({dsn!r}) failed: {exc}")
    want = (local["dbname"], local["user"], 42)
    assert got == want, f"the query through build_dsn's DSN returned {got}, expected {want}"
