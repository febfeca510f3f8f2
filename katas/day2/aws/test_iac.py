"""Tests for the infrastructure-as-code kata: run `pytest katas/day2/aws/test_iac.py`.

cfn-lint decides validity. moto's CloudFormation creates the stack and keeps what it keeps (bucket
encryption, table keys and billing, the role's trust policy and inline policies), which the tests
read back. What moto drops or never enforces (versioning, public access block, managed policy
attachments, CAPABILITY_IAM, IAM evaluation) is checked in the template, in the API calls, and
by a small policy evaluator below.
"""
import ast
import json
from fnmatch import fnmatchcase

import pytest
from botocore.exceptions import ClientError

from dojo.services.aws import CallLog
from katas.day2.aws.iac import build_template, deploy_stack, lint_template

pytestmark = pytest.mark.needs("aws")

BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
INTRINSICS = {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join"}


@pytest.fixture
def clients(aws, aws_session):
    return {name: aws_session.client(name) for name in ("cloudformation", "s3", "dynamodb", "iam")}


def deploy(clients, stack_name):
    try:
        return deploy_stack(clients["cloudformation"], stack_name, build_template())
    except ClientError as exc:
        pytest.fail(f"deploy_stack(cloudformation, {stack_name!r}, build_template()) raised {exc}")


# ---------------------------------------------------------------- the template itself

def test_template_is_cfn_lint_clean():
    from cfnlint.api import lint

    template = build_template()
    findings = [f"{m.rule.id} {m.message}" for m in lint(json.dumps(template), regions=["us-east-1"])]
    assert findings == [], "cfn-lint on json.dumps(build_template()) found:\n" + "\n".join(findings)


def test_template_has_exactly_the_three_resources_and_the_outputs():
    template = build_template()
    types = {name: resource.get("Type") for name, resource in template.get("Resources", {}).items()}
    want = {"DataBucket": "AWS::S3::Bucket", "EventsTable": "AWS::DynamoDB::Table", "LambdaRole": "AWS::IAM::Role"}
    assert types == want, f"build_template() has resources {types}, expected {want}"
    outputs = {key: value.get("Value") for key, value in template.get("Outputs", {}).items()}
    expected_outputs = {
        "BucketName": [{"Ref": "DataBucket"}],
        "TableName": [{"Ref": "EventsTable"}],
        "RoleArn": [{"Fn::GetAtt": ["LambdaRole", "Arn"]}, {"Fn::GetAtt": "LambdaRole.Arn"}],
    }
    for key, accepted in expected_outputs.items():
        assert outputs.get(key) in accepted, f"Outputs[{key!r}].Value is {outputs.get(key)!r}, expected {accepted[0]!r}"


def test_bucket_settings_that_moto_drops_are_in_the_template():
    bucket = build_template()["Resources"]["DataBucket"]
    props = bucket.get("Properties", {})
    assert props.get("VersioningConfiguration") == {"Status": "Enabled"}, \
        f"DataBucket VersioningConfiguration is {props.get('VersioningConfiguration')!r}, expected {{'Status': 'Enabled'}}"
    block = props.get("PublicAccessBlockConfiguration", {})
    flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    assert all(block.get(flag) is True for flag in flags), \
        f"DataBucket PublicAccessBlockConfiguration is {block!r}, expected all of {flags} set to True"


@pytest.mark.parametrize("name", ["DataBucket", "EventsTable"])
def test_stateful_resources_are_retained_when_the_stack_goes(name):
    resource = build_template()["Resources"][name]
    got = (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy"))
    assert got == ("Retain", "Retain"), f"{name} has (DeletionPolicy, UpdateReplacePolicy) = {got}, expected ('Retain', 'Retain')"


def test_no_hard_coded_physical_names():
    resources = build_template()["Resources"]
    named = {(name, prop) for name, resource in resources.items()
             for prop in ("BucketName", "TableName", "RoleName") if prop in resource.get("Properties", {})}
    assert not named, f"build_template() hard-codes physical names {sorted(named)}: let CloudFormation name them"


def test_role_policies_reference_resources_instead_of_hard_coding_arns():
    role = build_template()["Resources"]["LambdaRole"]["Properties"]
    for policy in role.get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            resources = statement.get("Resource")
            for resource in resources if isinstance(resources, list) else [resources]:
                assert isinstance(resource, dict) and set(resource) <= INTRINSICS, \
                    (f"policy {policy.get('PolicyName')!r} statement {statement.get('Sid', '')!r} has Resource {resource!r}: "
                     "reference the stack's resources with Ref, Fn::GetAtt or Fn::Sub, not an ARN string")
    managed = [arn["Fn::Sub"].replace("${AWS::Partition}", "aws") if isinstance(arn, dict) else arn
               for arn in role.get("ManagedPolicyArns", [])]
    assert set(managed) <= {BASIC_EXECUTION}, \
        f"LambdaRole attaches managed policies {managed}: only AWSLambdaBasicExecutionRole (logs) is allowed"


# ---------------------------------------------------------------- lint_template

BROKEN = {
    "table without KeySchema": ("EventsTable", "KeySchema", "E3003"),
    "output pointing at a resource that does not exist": ("Outputs", "Nope", "E6101"),
}


def broken_template(case):
    template = build_template()
    if case == "table without KeySchema":
        del template["Resources"]["EventsTable"]["Properties"]["KeySchema"]
    else:
        template["Outputs"]["Dangling"] = {"Value": {"Ref": "Nope"}}
    return template


@pytest.mark.parametrize("case", BROKEN.keys())
def test_lint_template_reports_broken_templates_with_rule_ids(case):
    _, mention, rule = BROKEN[case]
    findings = lint_template(broken_template(case))
    assert any(f.startswith(rule) and mention in f for f in findings), \
        f"lint_template(<{case}>) returned {findings}, expected a finding starting with {rule} that mentions {mention!r}"


# ---------------------------------------------------------------- deployed in moto

def test_broken_template_is_refused_before_cloudformation_sees_it(clients):
    log = CallLog(clients["cloudformation"])
    with pytest.raises(ValueError) as raised:
        deploy_stack(clients["cloudformation"], "pipeline-broken", broken_template("table without KeySchema"))
    assert "E3003" in str(raised.value), f"the ValueError should list the cfn-lint findings, got: {raised.value}"
    assert not log.named("CreateStack"), "deploy_stack called CreateStack with a template that fails cfn-lint"


def test_stack_deploys_twice_and_its_outputs_are_used(clients):
    log = CallLog(clients["cloudformation"])
    dev = deploy(clients, "pipeline-dev")
    test = deploy(clients, "pipeline-test")
    for outputs in (dev, test):
        missing = {"BucketName", "TableName", "RoleArn"} - set(outputs)
        assert not missing, f"deploy_stack returned {outputs}, missing outputs {sorted(missing)}"
    assert dev["BucketName"] != test["BucketName"] and dev["TableName"] != test["TableName"], \
        f"two stacks got the same names: {dev} and {test}"
    creates = log.named("CreateStack")
    assert all("CAPABILITY_IAM" in c.get("Capabilities", []) or "CAPABILITY_NAMED_IAM" in c.get("Capabilities", [])
               for c in creates), f"CreateStack was called with Capabilities {[c.get('Capabilities') for c in creates]}: " \
                                  "a template with an IAM role needs CAPABILITY_IAM (real AWS refuses it otherwise)"

    s3, dynamodb = clients["s3"], clients["dynamodb"]
    s3.put_object(Bucket=dev["BucketName"], Key="incoming/orders.csv", Body=b"id,amount\n1,9.50\n")
    body = s3.get_object(Bucket=dev["BucketName"], Key="incoming/orders.csv")["Body"].read()
    assert body == b"id,amount\n1,9.50\n", f"the object read back from the BucketName output is {body!r}"
    rules = s3.get_bucket_encryption(Bucket=dev["BucketName"])["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules, f"bucket {dev['BucketName']} has no default encryption"

    dynamodb.put_item(TableName=dev["TableName"], Item={"pk": {"S": "ORDER#1"}, "sk": {"S": "2026-01-01"}})
    item = dynamodb.get_item(TableName=dev["TableName"], Key={"pk": {"S": "ORDER#1"}, "sk": {"S": "2026-01-01"}})
    assert "Item" in item, "an item put through the TableName output was not found again"
    table = dynamodb.describe_table(TableName=dev["TableName"])["Table"]
    keys = {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]}
    assert keys == {"pk": "HASH", "sk": "RANGE"}, f"table key schema is {keys}, expected pk HASH, sk RANGE"
    billing = table.get("BillingModeSummary", {}).get("BillingMode")
    assert billing == "PAY_PER_REQUEST", f"table billing mode is {billing!r}, expected 'PAY_PER_REQUEST'"


def as_list(value):
    return value if isinstance(value, list) else [value]


def allowed(statements, action, resource):
    """A small IAM evaluator: explicit Deny wins, then any Allow; wildcards as in IAM; no conditions."""
    verdict = False
    for statement in statements:
        assert not {"NotAction", "NotResource"} & set(statement), f"use Action/Resource, not {statement}"
        acts = [a.lower() for a in as_list(statement["Action"])]
        if any(fnmatchcase(action.lower(), a) for a in acts) and any(fnmatchcase(resource, r) for r in as_list(statement["Resource"])):
            if statement["Effect"] == "Deny":
                return False
            verdict = True
    return verdict


def role_of(clients, outputs):
    return clients["iam"].get_role(RoleName=outputs["RoleArn"].rsplit("/", 1)[-1])["Role"]


def test_role_is_assumable_only_by_lambda(clients):
    outputs = deploy(clients, "pipeline-dev")
    trust = role_of(clients, outputs)["AssumeRolePolicyDocument"]
    principals = set()
    for statement in as_list(policy_document(trust)["Statement"]):
        if statement["Effect"] == "Allow":
            assert "sts:AssumeRole" in as_list(statement["Action"]), f"trust statement {statement} does not allow sts:AssumeRole"
            for kind, who in statement["Principal"].items():
                principals |= {f"{kind}:{p}" for p in as_list(who)}
    assert principals == {"Service:lambda.amazonaws.com"}, \
        f"the role can be assumed by {sorted(principals)}, expected only Service:lambda.amazonaws.com"


def policy_document(raw):
    """boto3 decodes IAM policy JSON, but moto 5.2.5 hands back inline policies created through
    CloudFormation as a Python repr string; accept both."""
    if isinstance(raw, dict):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return ast.literal_eval(raw)


def test_role_grants_exactly_what_the_lambda_needs(clients):
    outputs = deploy(clients, "pipeline-dev")
    iam = clients["iam"]
    role_name = outputs["RoleArn"].rsplit("/", 1)[-1]
    statements = []
    for name in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
        document = policy_document(iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"])
        statements += as_list(document["Statement"])
    bucket = f"arn:aws:s3:::{outputs['BucketName']}"
    table = clients["dynamodb"].describe_table(TableName=outputs["TableName"])["Table"]["TableArn"]
    other_table = table.rsplit("/", 1)[0] + "/someone-elses-table"
    cases = {
        "read an input object": ("s3:GetObject", f"{bucket}/incoming/2026/01/orders.csv", True),
        "write a result item": ("dynamodb:PutItem", table, True),
        "read a result item": ("dynamodb:GetItem", table, True),
        "read from another bucket": ("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/secret.csv", False),
        "overwrite an input object": ("s3:PutObject", f"{bucket}/incoming/orders.csv", False),
        "delete an input object": ("s3:DeleteObject", f"{bucket}/incoming/orders.csv", False),
        "delete the bucket": ("s3:DeleteBucket", bucket, False),
        "write to another table": ("dynamodb:PutItem", other_table, False),
        "scan the whole table": ("dynamodb:Scan", table, False),
        "delete an item": ("dynamodb:DeleteItem", table, False),
        "drop the table": ("dynamodb:DeleteTable", table, False),
        "pass roles around": ("iam:PassRole", "arn:aws:iam::123456789012:role/admin", False),
    }
    wrong = [f"{case}: {action} on {resource} -> {'allowed' if not want else 'denied'}, expected {'allowed' if want else 'denied'}"
             for case, (action, resource, want) in cases.items() if allowed(statements, action, resource) != want]
    assert not wrong, (f"the role's inline policies as read back from IAM {json.dumps(statements)}\n"
                       "evaluate wrongly for:\n" + "\n".join(wrong))
