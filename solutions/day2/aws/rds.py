"""Provision an encrypted, private RDS PostgreSQL instance, then build its connection string.

Interviewers ask this to see whether you know what "production ready" means for a database on AWS
(encryption with a KMS key, no public endpoint, private subnets, a security group that admits only
the application, backups, deletion protection, tags) and whether you keep the password out of code
and escape it properly when you build a DSN.

    described = provision_postgres(
        rds, ec2, identifier="orders-db", vpc_id=vpc, subnet_ids=[private_a, private_b],
        app_security_group_id=app_sg, kms_key_id=key_arn, master_username="app_admin",
        db_name="orders", tags={"team": "data", "env": "prod"})
    described["Endpoint"]   # {"Address": "orders-db.xxxx.us-east-1.rds.amazonaws.com", "Port": 5432}

    password = secret_password_source(secretsmanager, described["MasterUserSecret"]["SecretArn"])
    build_dsn(described, password)
    # "host=orders-db.xxxx.us-east-1.rds.amazonaws.com port=5432 user=app_admin dbname=orders
    #  password='...' sslmode=require"

Requirements
- `provision_postgres(rds, ec2, *, identifier, vpc_id, subnet_ids, app_security_group_id,
  kms_key_id, master_username, db_name, tags, backup_retention_days=7,
  instance_class="db.t4g.micro", allocated_storage_gb=20)` creates, in this order:
  1. a security group named f"{identifier}-db" in vpc_id whose ONLY ingress rule is TCP 5432 from
     app_security_group_id (a security-group reference: no CIDR range at all, IPv4 or IPv6);
  2. a DB subnet group named f"{identifier}-subnets" holding subnet_ids;
  3. the instance: Engine "postgres", Port 5432, StorageEncrypted=True with KmsKeyId=kms_key_id,
     PubliclyAccessible=False, the security group and subnet group above,
     BackupRetentionPeriod=backup_retention_days, DeletionProtection=True, CopyTagsToSnapshot=True,
     ManageMasterUserPassword=True (RDS keeps the password in Secrets Manager: none in your code),
     and the tags (a dict) as Tags=[{"Key": k, "Value": v}, ...].
  It returns the instance as read back with describe_db_instances (not the create response).
- Before creating anything, it raises ValueError (and creates nothing) when:
  - backup_retention_days is outside 1..35 (0 would switch automated backups off);
  - a subnet is not in vpc_id, or the subnets span fewer than two Availability Zones;
  - a subnet is public: its route table has a route whose GatewayId starts with "igw-". A subnet
    with no explicit route-table association uses the VPC's main route table. The message names
    the subnet. (moto accepts all of these; real RDS checks the VPC and the AZ count but never
    whether a subnet is public. The check is yours.)
- `secret_password_source(secretsmanager, secret_id)` returns a zero-argument callable that reads
  the secret each time it is called (so a rotated password is picked up) and returns its password:
  the "password" field when the SecretString is a JSON object, else the whole string.
- `build_dsn(instance, password_source, *, host=None, port=None, sslmode="require")` returns a
  libpq key=value conninfo string for psycopg.connect with host and port from
  instance["Endpoint"] (unless overridden), user = MasterUsername, dbname = DBName ("postgres"
  when the instance has none), password = password_source() (called once per DSN) and sslmode.
  Every value survives libpq's parser exactly: a password with spaces, quotes, backslashes, '@'
  or '=' comes back unchanged from psycopg.conninfo.conninfo_to_dict. An instance without an
  Endpoint (still being created) raises ValueError.
"""
from __future__ import annotations

import json
from typing import Any, Callable

POSTGRES_PORT = 5432


def provision_postgres(rds: Any, ec2: Any, *, identifier: str, vpc_id: str, subnet_ids: list[str],
                       app_security_group_id: str, kms_key_id: str, master_username: str, db_name: str,
                       tags: dict[str, str], backup_retention_days: int = 7,
                       instance_class: str = "db.t4g.micro", allocated_storage_gb: int = 20) -> dict:
    if not 1 <= backup_retention_days <= 35:
        raise ValueError(f"backup_retention_days must be 1..35 (0 disables backups), got {backup_retention_days}")
    _check_private_subnets(ec2, vpc_id, subnet_ids)

    group_id = ec2.create_security_group(
        GroupName=f"{identifier}-db", Description=f"PostgreSQL for {identifier}: app only", VpcId=vpc_id,
    )["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": POSTGRES_PORT, "ToPort": POSTGRES_PORT,
        "UserIdGroupPairs": [{"GroupId": app_security_group_id, "Description": "from the app only"}],
    }])
    subnet_group = f"{identifier}-subnets"
    rds.create_db_subnet_group(DBSubnetGroupName=subnet_group, SubnetIds=list(subnet_ids),
                               DBSubnetGroupDescription=f"private subnets for {identifier}")
    rds.create_db_instance(
        DBInstanceIdentifier=identifier, Engine="postgres", Port=POSTGRES_PORT,
        DBInstanceClass=instance_class, AllocatedStorage=allocated_storage_gb,
        DBName=db_name, MasterUsername=master_username, ManageMasterUserPassword=True,
        StorageEncrypted=True, KmsKeyId=kms_key_id, PubliclyAccessible=False,
        DBSubnetGroupName=subnet_group, VpcSecurityGroupIds=[group_id],
        BackupRetentionPeriod=backup_retention_days, DeletionProtection=True, CopyTagsToSnapshot=True,
        Tags=[{"Key": key, "Value": value} for key, value in tags.items()],
    )
    return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


def _check_private_subnets(ec2: Any, vpc_id: str, subnet_ids: list[str]) -> None:
    subnets = ec2.describe_subnets(SubnetIds=list(subnet_ids))["Subnets"]
    elsewhere = [s["SubnetId"] for s in subnets if s["VpcId"] != vpc_id]
    if elsewhere:
        raise ValueError(f"subnets {elsewhere} are not in {vpc_id}")
    zones = {s["AvailabilityZone"] for s in subnets}
    if len(zones) < 2:
        raise ValueError(f"a DB subnet group needs two Availability Zones, these subnets span {sorted(zones)}")
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                              {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    for subnet_id in subnet_ids:
        tables = ec2.describe_route_tables(
            Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}])["RouteTables"] or main
        for table in tables:
            for route in table.get("Routes", []):
                if route.get("GatewayId", "").startswith("igw-"):
                    raise ValueError(f"subnet {subnet_id} is public: route table {table['RouteTableId']} "
                                     f"sends {route.get('DestinationCidrBlock')} to {route['GatewayId']}")


def secret_password_source(secretsmanager: Any, secret_id: str) -> Callable[[], str]:
    def read() -> str:
        secret = secretsmanager.get_secret_value(SecretId=secret_id)["SecretString"]
        try:
            parsed = json.loads(secret)
        except ValueError:
            return secret
        return parsed["password"] if isinstance(parsed, dict) else secret

    return read


def build_dsn(instance: dict, password_source: Callable[[], str], *, host: str | None = None,
              port: int | None = None, sslmode: str = "require") -> str:
    endpoint = instance.get("Endpoint")
    if not endpoint or not endpoint.get("Address"):
        raise ValueError(f"instance {instance.get('DBInstanceIdentifier')!r} has no endpoint yet "
                         f"(status {instance.get('DBInstanceStatus')!r}); wait until it is available")
    values = {
        "host": host if host is not None else endpoint["Address"],
        "port": port if port is not None else endpoint.get("Port", POSTGRES_PORT),
        "user": instance["MasterUsername"],
        "dbname": instance.get("DBName") or "postgres",
        "password": password_source(),
        "sslmode": sslmode,
    }
    return " ".join(f"{key}={_conninfo_value(str(value))}" for key, value in values.items())


def _conninfo_value(value: str) -> str:
    """libpq: a value in single quotes, with backslash and single quote escaped by a backslash."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# Why
# - Cost: a handful of control-plane calls; the check reads each subnet's route table once. In
#   practice this is Terraform/CloudFormation, but the same checklist applies and interviewers want
#   to hear it: encrypted at rest with a customer KMS key (StorageEncrypted can only be set at
#   creation; encrypting later means snapshot, copy with a key, restore), PubliclyAccessible=False,
#   private subnets in two AZs, a security group that references the app's security group instead
#   of a CIDR (instances come and go, the group stays), backups 1..35 days (point-in-time restore),
#   deletion protection, tags for cost allocation and CopyTagsToSnapshot.
# - ManageMasterUserPassword: RDS generates the password and keeps (and can rotate) it in Secrets
#   Manager, so it never appears in code, state files or the CreateDBInstance call. The DSN reads
#   it at connect time through an injected callable, which makes rotation and tests easy.
# - Escaping: libpq's key=value format needs quotes around values with spaces and backslash
#   escapes for ' and \. psycopg.conninfo.make_conninfo does exactly this and is the production
#   answer; in a URL form the password would need percent-encoding instead ('@' and '/' break it).
# - sslmode=require encrypts but does not authenticate the server; verify-full with the RDS CA
#   bundle (sslrootcert) also stops a man in the middle. Say so.
# - What moto does not do: it accepts public subnets, one-AZ subnet groups and 0-day backups, and
#   its endpoint resolves nowhere; the network rules are stored, never enforced. So the code checks
#   the subnets itself, the tests read the settings back, and the connection test points the DSN at
#   a local PostgreSQL (which has no TLS, hence sslmode=disable there only).
