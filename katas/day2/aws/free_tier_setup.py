"""Idempotent provisioning of a small free-tier stack: S3 bucket, IAM role, Lambda, RDS.

Interviewers ask for this ("set up S3, Lambda and RDS") to see whether you write infrastructure
code that is safe to run again (read, compare, then create or fix: never blindly create), grant
least privilege instead of "s3:*" on "*", tag everything for cost tracking, and keep the
database private and encrypted.

    clients = AwsClients(s3=session.client("s3"), iam=session.client("iam"),
                         lambda_=session.client("lambda"), rds=session.client("rds"),
                         sts=session.client("sts"))
    provision(clients, SetupConfig(project="demo"), db_password=secret)
    # {"bucket": "created", "role": "created", "role_policy": "created",
    #  "function": "created", "db_instance": "created"}
    provision(clients, SetupConfig(project="demo"), db_password=secret)
    # {"bucket": "unchanged", "role": "unchanged", "role_policy": "unchanged",
    #  "function": "unchanged", "db_instance": "unchanged"}   and nothing was written

Names (account_id from sts.get_caller_identity(), region from config.region)
- bucket "<project>-data-<account_id>", role "<project>-processor-role", inline role policy
  "<project>-processor-policy", function "<project>-processor", DB instance "<project>-db".

Requirements
- `provision(clients, config, *, db_password, sleep=time.sleep) -> dict[str, str]` returns, for each of the
  keys "bucket", "role", "role_policy", "function", "db_instance", one of "created", "updated"
  (it existed and something was changed to match the config) or "unchanged".
- Idempotent: a second run with the same config reports every resource "unchanged", makes only
  read calls (get_*, list_*, describe_*, head_*) and leaves every describe output identical.
  A resource that drifted (a tag removed by hand, a policy widened, a DB made public, a config
  value changed) is put back and reported "updated"; the others stay "unchanged".
- Tags: every resource carries exactly config.tags plus {"Project": project,
  "ManagedBy": "free-tier-setup"} (these two win over config.tags); extra tags are removed.
- Bucket: created with a LocationConstraint outside us-east-1 (us-east-1 takes none); all four
  public-access-block settings True.
- Role: trust policy lets only the service "lambda.amazonaws.com" call "sts:AssumeRole";
  no managed policies attached; one inline policy equal to `build_lambda_policy(...)`.
- `build_lambda_policy(bucket_name, function_name, region, account_id) -> dict`: an IAM policy
  document (Version "2012-10-17", Effect "Allow" only) granting exactly:
      s3:GetObject   on arn:aws:s3:::<bucket>/incoming/*
      s3:PutObject   on arn:aws:s3:::<bucket>/processed/*
      s3:ListBucket  on arn:aws:s3:::<bucket>  (the bucket ARN, not an object ARN) with
                     Condition {"StringLike": {"s3:prefix": ["incoming/*"]}}
      logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents
                     on arn:aws:logs:<region>:<account_id>:log-group:/aws/lambda/<function>:*
  No wildcard actions ("s3:*", "*"), no Resource "*", nothing else. Group the statements as
  you like.
- `build_lambda_zip(source) -> bytes`: a zip made in memory holding one file "app.py" with that
  source. It must be byte-for-byte the same every time for the same source (a fixed timestamp),
  or every run would see new code (a different CodeSha256) and redeploy.
- Function: runtime "python3.12", handler "app.handler", the role above, memory and timeout from
  the config, environment {"BUCKET": <bucket name>}. The code is updated only when the zip's
  base64 SHA-256 differs from the deployed CodeSha256. Right after a role is created, Lambda may
  refuse it ("The role defined for the function cannot be assumed by Lambda",
  InvalidParameterValueException) until IAM catches up: retry create_function up to 5 attempts,
  calling sleep(2 ** (n - 1)) before the n-th retry (1, 2, 4, 8 s), then let the error out.
  Other errors are not retried.
- DB instance: engine "postgres", class and storage from the config (free tier: db.t3.micro,
  20 GB), StorageEncrypted True, PubliclyAccessible False, MasterUsername "app_admin", and
  MasterUserPassword = the `db_password` argument (the caller fetches it from a secret store; it
  is never in the code, the config or a tag). Drift in class, storage or public access is fixed
  with modify_db_instance(ApplyImmediately=True); the password is not compared.
- Never wait in real time except through `sleep` (no waiters): moto creates everything at once.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any, Callable

from botocore.exceptions import ClientError

MANAGED_BY = "free-tier-setup"
RUNTIME = "python3.12"
HANDLER = "app.handler"
DB_ENGINE = "postgres"
DB_MASTER_USERNAME = "app_admin"
ROLE_ATTEMPTS = 5

DEFAULT_HANDLER_SOURCE = '''import os
import urllib.parse

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    """Copy each object put under incoming/ to processed/."""
    bucket = os.environ["BUCKET"]
    for record in event.get("Records", []):
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        if key.startswith("incoming/"):
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            s3.put_object(Bucket=bucket, Key="processed/" + key.removeprefix("incoming/"), Body=body)
    return {"ok": True}
'''

LAMBDA_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
}


@dataclass(frozen=True)
class AwsClients:
    s3: Any
    iam: Any
    lambda_: Any
    rds: Any
    sts: Any


@dataclass(frozen=True)
class SetupConfig:
    project: str
    region: str = "us-east-1"
    tags: dict[str, str] = field(default_factory=dict)
    handler_source: str = DEFAULT_HANDLER_SOURCE
    lambda_memory_mb: int = 128
    lambda_timeout_s: int = 30
    db_instance_class: str = "db.t3.micro"
    db_allocated_storage_gb: int = 20


def build_lambda_policy(bucket_name: str, function_name: str, region: str, account_id: str) -> dict:
    raise NotImplementedError("TODO: the exact least-privilege policy document from the docstring")


def build_lambda_zip(source: str) -> bytes:
    raise NotImplementedError("TODO: a deterministic in-memory zip holding app.py (fixed timestamp)")


def provision(clients: AwsClients, config: SetupConfig, *, db_password: str,
              sleep: Callable[[float], None] = time.sleep) -> dict[str, str]:
    raise NotImplementedError("TODO: for each resource read, compare, then create or fix; report what changed")
