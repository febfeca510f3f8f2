"""Tests for the free-tier provisioning kata: run `pytest katas/day2/aws/test_free_tier_setup.py`."""
import base64
import hashlib
import io
import json
import time
import zipfile

import pytest
from botocore.exceptions import ClientError

from katas.day2.aws.free_tier_setup import (
    AwsClients,
    SetupConfig,
    build_lambda_policy,
    build_lambda_zip,
    provision,
)

pytestmark = pytest.mark.needs("aws")

ACCOUNT = "123456789012"  # moto's account
RESOURCES = ("bucket", "role", "role_policy", "function", "db_instance")
ALL_CREATED = dict.fromkeys(RESOURCES, "created")
ALL_UNCHANGED = dict.fromkeys(RESOURCES, "unchanged")
WANTED_TAGS = {"Owner": "data-team", "Project": "demo", "ManagedBy": "free-tier-setup"}
BUCKET = f"demo-data-{ACCOUNT}"
DB_PASSWORD = "fetched-from-a-secret-store"
READ_PREFIXES = ("get_", "list_", "describe_", "head_")


def make_clients(session, region: str = "us-east-1") -> AwsClients:
    def client(name: str):
        return session.client(name, region_name=region)

    return AwsClients(s3=client("s3"), iam=client("iam"), lambda_=client("lambda"), rds=client("rds"), sts=client("sts"))


@pytest.fixture
def clients(aws, aws_session):
    return make_clients(aws_session)


CONFIG = SetupConfig(project="demo", tags={"Owner": "data-team"})


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class Recorder:
    """Wraps a client and records the name of every API call made through it."""

    def __init__(self, real, calls: list[str], fail: dict | None = None):
        self.real, self.calls, self.fail = real, calls, fail or {}

    def __getattr__(self, name):
        method = getattr(self.real, name)
        if not callable(method) or name.startswith(("get_paginator", "get_waiter", "can_paginate")):
            return method

        def call(**kwargs):
            self.calls.append(name)
            failures = self.fail.get(name)
            if failures:
                raise failures.pop(0)
            return method(**kwargs)
        return call


def recorded(clients: AwsClients, calls: list[str], fail: dict | None = None) -> AwsClients:
    return AwsClients(s3=Recorder(clients.s3, calls), iam=Recorder(clients.iam, calls),
                      lambda_=Recorder(clients.lambda_, calls, fail), rds=Recorder(clients.rds, calls),
                      sts=Recorder(clients.sts, calls))


def clean(response: dict) -> dict:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def snapshot(c: AwsClients) -> dict:
    """Everything a describe can show about the stack, to compare before and after a rerun."""
    roles = [r for r in c.iam.list_roles()["Roles"] if r["RoleName"].startswith("demo")]
    shot = {
        "buckets": [b["Name"] for b in c.s3.list_buckets()["Buckets"]],
        "roles": roles,
        "functions": c.lambda_.list_functions()["Functions"],
        # LatestRestorableTime moves with the clock in moto (as in AWS); everything else must not.
        "db_instances": [{k: v for k, v in db.items() if k != "LatestRestorableTime"}
                         for db in c.rds.describe_db_instances()["DBInstances"]],
    }
    for b in shot["buckets"]:
        shot[f"bucket {b} tags"] = clean(c.s3.get_bucket_tagging(Bucket=b))
        shot[f"bucket {b} public access"] = clean(c.s3.get_public_access_block(Bucket=b))
    for r in roles:
        name = r["RoleName"]
        shot[f"role {name} tags"] = clean(c.iam.list_role_tags(RoleName=name))
        shot[f"role {name} attached"] = clean(c.iam.list_attached_role_policies(RoleName=name))
        policies = c.iam.list_role_policies(RoleName=name)["PolicyNames"]
        shot[f"role {name} inline"] = {p: c.iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                                        for p in policies}
    for f in shot["functions"]:
        shot[f"function {f['FunctionName']}"] = clean(c.lambda_.get_function(FunctionName=f["FunctionName"]))
    return shot


def grants(policy: dict) -> set[tuple[str, str, str, str]]:
    """The policy flattened to (effect, action, resource, condition) rows, however it is grouped."""
    rows = set()
    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        condition = json.dumps(statement.get("Condition", {}), sort_keys=True)
        rows |= {(statement["Effect"], a, r, condition) for a in actions for r in resources}
    return rows


def expected_grants(bucket: str, function: str, region: str) -> set[tuple[str, str, str, str]]:
    logs = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:/aws/lambda/{function}:*"
    no_condition = "{}"
    prefix = json.dumps({"StringLike": {"s3:prefix": ["incoming/*"]}}, sort_keys=True)
    return {
        ("Allow", "s3:GetObject", f"arn:aws:s3:::{bucket}/incoming/*", no_condition),
        ("Allow", "s3:PutObject", f"arn:aws:s3:::{bucket}/processed/*", no_condition),
        ("Allow", "s3:ListBucket", f"arn:aws:s3:::{bucket}", prefix),
        ("Allow", "logs:CreateLogGroup", logs, no_condition),
        ("Allow", "logs:CreateLogStream", logs, no_condition),
        ("Allow", "logs:PutLogEvents", logs, no_condition),
    }


# --- least privilege (moto does not evaluate IAM policies, so the document itself is checked) --

def test_the_policy_grants_exactly_the_needed_actions_on_scoped_resources():
    policy = build_lambda_policy("my-bucket", "my-fn", "eu-west-1", ACCOUNT)
    assert policy.get("Version") == "2012-10-17", f"Version = {policy.get('Version')!r}, expected '2012-10-17'"
    got = grants(policy)
    want = expected_grants("my-bucket", "my-fn", "eu-west-1")
    assert got == want, (f"build_lambda_policy('my-bucket', 'my-fn', 'eu-west-1', ...) grants\n"
                         f"  extra:   {sorted(got - want)}\n  missing: {sorted(want - got)}")


def test_the_policy_has_no_wildcard_actions_or_resources():
    for effect, action, resource, _ in grants(build_lambda_policy("b", "f", "us-east-1", ACCOUNT)):
        assert "*" not in action, f"action {action!r} is a wildcard: list the exact actions"
        assert resource != "*" and not resource.startswith("arn:aws:s3:::*"), f"{action} on {resource!r} is not scoped"
        assert effect == "Allow"


def test_the_role_trusts_only_lambda_and_carries_only_the_inline_policy(clients):
    provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    role = clients.iam.get_role(RoleName="demo-processor-role")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    statements = trust["Statement"]
    assert [(s["Effect"], s["Principal"], s["Action"]) for s in statements] == \
        [("Allow", {"Service": "lambda.amazonaws.com"}, "sts:AssumeRole")], f"trust policy = {trust}"
    attached = clients.iam.list_attached_role_policies(RoleName="demo-processor-role")["AttachedPolicies"]
    assert attached == [], f"managed policies attached: {attached}; use only the least-privilege inline policy"
    names = clients.iam.list_role_policies(RoleName="demo-processor-role")["PolicyNames"]
    assert names == ["demo-processor-policy"], f"inline policies = {names}"
    stored = clients.iam.get_role_policy(RoleName="demo-processor-role", PolicyName="demo-processor-policy")["PolicyDocument"]
    assert grants(stored) == expected_grants(BUCKET, "demo-processor", "us-east-1"), f"the stored policy is {stored}"


# --- the zip ---------------------------------------------------------------------------------

class _LaterTime:
    """Stands in for zipfile's `time` module two hours later, so a zip stamped with 'now' changes."""

    @staticmethod
    def time():
        return time.time() + 7200

    @staticmethod
    def localtime(seconds=None):
        return time.localtime(time.time() + 7200 if seconds is None else seconds)


def test_the_zip_holds_app_py_and_is_the_same_bytes_later(monkeypatch):
    first = build_lambda_zip("def handler(event, context):\n    return 1\n")
    monkeypatch.setattr(zipfile, "time", _LaterTime)
    second = build_lambda_zip("def handler(event, context):\n    return 1\n")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["app.py"], f"zip members = {archive.namelist()}, expected ['app.py']"
        assert archive.read("app.py").decode() == "def handler(event, context):\n    return 1\n"
    assert first == second, "build_lambda_zip gave different bytes two hours later: use a fixed timestamp"
    assert build_lambda_zip("x = 2\n") != first, "a different source must give a different zip"


# --- first run ---------------------------------------------------------------------------------

def test_first_run_creates_everything_tagged(clients):
    report = provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    assert report == ALL_CREATED, f"first provision() reported {report}, expected {ALL_CREATED}"
    bucket_tags = {t["Key"]: t["Value"] for t in clients.s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]}
    role_tags = {t["Key"]: t["Value"] for t in clients.iam.list_role_tags(RoleName="demo-processor-role")["Tags"]}
    function_tags = clients.lambda_.get_function(FunctionName="demo-processor").get("Tags", {})
    db = clients.rds.describe_db_instances(DBInstanceIdentifier="demo-db")["DBInstances"][0]
    db_tags = {t["Key"]: t["Value"] for t in clients.rds.list_tags_for_resource(ResourceName=db["DBInstanceArn"])["TagList"]}
    for what, tags in {"bucket": bucket_tags, "role": role_tags, "function": function_tags, "db": db_tags}.items():
        assert tags == WANTED_TAGS, f"{what} tags = {tags}, expected {WANTED_TAGS}"


def test_the_bucket_blocks_public_access(clients):
    provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    block = clients.s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"], True), \
        f"public access block = {block}, expected all four True"


def test_the_function_is_configured_from_the_config(clients):
    provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    conf = clients.lambda_.get_function(FunctionName="demo-processor")["Configuration"]
    want = {"Runtime": "python3.12", "Handler": "app.handler", "MemorySize": 128, "Timeout": 30,
            "Role": f"arn:aws:iam::{ACCOUNT}:role/demo-processor-role",
            "Environment": {"Variables": {"BUCKET": BUCKET}}}
    got = {k: conf.get(k) for k in want}
    assert got == want, f"function configuration = {got}, expected {want}"
    sha = base64.b64encode(hashlib.sha256(build_lambda_zip(CONFIG.handler_source)).digest()).decode()
    assert conf["CodeSha256"] == sha, "the deployed code is not build_lambda_zip(config.handler_source)"


def test_the_database_is_private_encrypted_and_free_tier(clients):
    provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    db = clients.rds.describe_db_instances(DBInstanceIdentifier="demo-db")["DBInstances"][0]
    want = {"Engine": "postgres", "DBInstanceClass": "db.t3.micro", "AllocatedStorage": 20,
            "StorageEncrypted": True, "PubliclyAccessible": False, "MasterUsername": "app_admin"}
    got = {k: db.get(k) for k in want}
    assert got == want, f"DB instance settings = {got}, expected {want}"


def test_outside_us_east_1_the_bucket_gets_a_location_constraint(aws, aws_session):
    clients = make_clients(aws_session, "eu-west-1")
    report = provision(clients, SetupConfig(project="demo", region="eu-west-1"), db_password=DB_PASSWORD, sleep=Sleeps())
    assert report == ALL_CREATED, f"provision() in eu-west-1 reported {report}"
    location = clients.s3.get_bucket_location(Bucket=BUCKET)["LocationConstraint"]
    assert location == "eu-west-1", f"bucket location = {location!r}, expected 'eu-west-1'"
    stored = clients.iam.get_role_policy(RoleName="demo-processor-role", PolicyName="demo-processor-policy")["PolicyDocument"]
    assert grants(stored) == expected_grants(BUCKET, "demo-processor", "eu-west-1"), "the log group ARN must use the config region"


# --- idempotency -------------------------------------------------------------------------------

def test_a_second_run_changes_nothing_and_writes_nothing(clients, monkeypatch):
    provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    before = snapshot(clients)
    monkeypatch.setattr(zipfile, "time", _LaterTime)  # the rerun happens "two hours later"
    calls: list[str] = []
    report = provision(recorded(clients, calls), CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    assert report == ALL_UNCHANGED, f"second provision() reported {report}, expected {ALL_UNCHANGED}"
    writes = [name for name in calls if not name.startswith(READ_PREFIXES)]
    assert writes == [], f"the second run made write calls {writes}; a rerun with no drift may only read"
    after = snapshot(clients)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == [], f"describe output changed on the rerun in: {changed}"
    assert len(after["buckets"]) == 1 and len(after["functions"]) == 1 and len(after["db_instances"]) == 1, \
        "the rerun created duplicates"


DRIFT_CASES = {
    "a bucket tag removed by hand": (
        lambda c: c.s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [{"Key": "Project", "Value": "demo"}]}),
        CONFIG, "bucket"),
    "an extra role tag added by hand": (
        lambda c: c.iam.tag_role(RoleName="demo-processor-role", Tags=[{"Key": "Temp", "Value": "x"}]),
        CONFIG, "role"),
    "the inline policy widened to s3:*": (
        lambda c: c.iam.put_role_policy(RoleName="demo-processor-role", PolicyName="demo-processor-policy",
                                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                                            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})),
        CONFIG, "role_policy"),
    "the function memory changed in the config": (lambda c: None, SetupConfig(project="demo", tags={"Owner": "data-team"}, lambda_memory_mb=256), "function"),
    "the handler source changed": (lambda c: None, SetupConfig(project="demo", tags={"Owner": "data-team"}, handler_source="def handler(e, c):\n    return 2\n"), "function"),
    "the database made public by hand": (
        lambda c: c.rds.modify_db_instance(DBInstanceIdentifier="demo-db", PubliclyAccessible=True, ApplyImmediately=True),
        CONFIG, "db_instance"),
    "a database tag changed by hand": (
        lambda c: c.rds.add_tags_to_resource(ResourceName=f"arn:aws:rds:us-east-1:{ACCOUNT}:db:demo-db",
                                             Tags=[{"Key": "Owner", "Value": "someone-else"}]),
        CONFIG, "db_instance"),
}


@pytest.mark.parametrize("drift,config,resource", DRIFT_CASES.values(), ids=DRIFT_CASES.keys())
def test_drift_is_repaired_and_only_that_resource_is_reported(clients, drift, config, resource):
    provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    drift(clients)
    report = provision(clients, config, db_password=DB_PASSWORD, sleep=Sleeps())
    want = {**ALL_UNCHANGED, resource: "updated"}
    assert report == want, f"after drift in {resource}, provision() reported {report}, expected {want}"
    again = provision(clients, config, db_password=DB_PASSWORD, sleep=Sleeps())
    assert again == ALL_UNCHANGED, f"a run after the repair reported {again}: the repair did not converge"


def test_repairs_restore_the_wanted_state(clients):
    provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    for case in ("a bucket tag removed by hand", "an extra role tag added by hand", "the inline policy widened to s3:*",
                 "the database made public by hand", "a database tag changed by hand"):
        DRIFT_CASES[case][0](clients)
    provision(clients, CONFIG, db_password=DB_PASSWORD, sleep=Sleeps())
    bucket_tags = {t["Key"]: t["Value"] for t in clients.s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]}
    role_tags = {t["Key"]: t["Value"] for t in clients.iam.list_role_tags(RoleName="demo-processor-role")["Tags"]}
    policy = clients.iam.get_role_policy(RoleName="demo-processor-role", PolicyName="demo-processor-policy")["PolicyDocument"]
    db = clients.rds.describe_db_instances(DBInstanceIdentifier="demo-db")["DBInstances"][0]
    db_tags = {t["Key"]: t["Value"] for t in clients.rds.list_tags_for_resource(ResourceName=db["DBInstanceArn"])["TagList"]}
    assert bucket_tags == WANTED_TAGS, f"bucket tags after repair = {bucket_tags}"
    assert role_tags == WANTED_TAGS, f"role tags after repair = {role_tags} (extra tags must be removed)"
    assert grants(policy) == expected_grants(BUCKET, "demo-processor", "us-east-1"), f"policy after repair = {policy}"
    assert db["PubliclyAccessible"] is False, "the database is still public after the repair"
    assert db_tags == WANTED_TAGS, f"DB tags after repair = {db_tags}"


# --- IAM propagation ---------------------------------------------------------------------------

def role_not_ready() -> ClientError:
    return ClientError({"Error": {"Code": "InvalidParameterValueException",
                                  "Message": "The role defined for the function cannot be assumed by Lambda."}},
                       "CreateFunction")


def test_create_function_is_retried_while_the_new_role_propagates(clients):
    calls: list[str] = []
    sleeps = Sleeps()
    flaky = recorded(clients, calls, fail={"create_function": [role_not_ready(), role_not_ready()]})
    report = provision(flaky, CONFIG, db_password=DB_PASSWORD, sleep=sleeps)
    assert report == ALL_CREATED, f"provision() reported {report} after two 'role cannot be assumed' errors"
    assert calls.count("create_function") == 3, f"create_function was called {calls.count('create_function')} times, expected 3"
    assert sleeps == [1, 2], f"sleep was called with {sleeps}, expected [1, 2]"


def test_create_function_gives_up_after_five_attempts(clients):
    sleeps = Sleeps()
    calls: list[str] = []
    flaky = recorded(clients, calls, fail={"create_function": [role_not_ready() for _ in range(9)]})
    with pytest.raises(ClientError):
        provision(flaky, CONFIG, db_password=DB_PASSWORD, sleep=sleeps)
    assert calls.count("create_function") == 5, f"create_function was called {calls.count('create_function')} times, expected 5"
    assert sleeps == [1, 2, 4, 8], f"sleeps = {sleeps}, expected [1, 2, 4, 8]"


def test_other_create_function_errors_are_not_retried(clients):
    sleeps = Sleeps()
    calls: list[str] = []
    other = ClientError({"Error": {"Code": "InvalidParameterValueException", "Message": "Unzipped size must be smaller"}},
                        "CreateFunction")
    with pytest.raises(ClientError):
        provision(recorded(clients, calls, fail={"create_function": [other]}), CONFIG, db_password=DB_PASSWORD, sleep=sleeps)
    assert calls.count("create_function") == 1 and sleeps == [], \
        f"a non-propagation error was retried ({calls.count('create_function')} calls, sleeps {sleeps})"
