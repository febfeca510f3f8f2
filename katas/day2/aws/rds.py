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
    raise NotImplementedError("TODO: check the subnets are private, then create the security group, "
                              "the DB subnet group and the instance; return describe_db_instances' answer")


def secret_password_source(secretsmanager: Any, secret_id: str) -> Callable[[], str]:
    raise NotImplementedError("TODO: return a callable that reads the secret's password on every call")


def build_dsn(instance: dict, password_source: Callable[[], str], *, host: str | None = None,
              port: int | None = None, sslmode: str = "require") -> str:
    raise NotImplementedError("TODO: build a libpq key=value DSN from the described instance, every value escaped")
