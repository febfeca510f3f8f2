"""Tests for the cfn_template mock kata: run `pytest katas/mock/aws/test_cfn_template.py`.

cfn-lint decides validity. moto's CloudFormation creates the stacks and honours Parameters,
Conditions and conditional Outputs, which the tests read back; it drops LoggingConfiguration and
point-in-time recovery, so those are checked on the template resolved per environment by a small
evaluator below (Ref, Fn::If, Fn::Equals, AWS::NoValue). replacement_risk needs no AWS at all.
"""
import copy
import json

import pytest
from botocore.exceptions import ClientError

from dojo.services.aws import CallLog
from katas.mock.aws.cfn_template import (
    ReplacementRefused,
    build_template,
    deploy_stack,
    lint_template,
    replacement_risk,
    update_stack,
)

pytestmark = pytest.mark.needs("aws")

DATA_RESOURCES = ("DataBucket", "LogsBucket", "EventsTable")
NO_VALUE = object()


@pytest.fixture
def clients(aws, aws_session):
    return {name: aws_session.client(name) for name in ("cloudformation", "s3", "dynamodb")}


# ---------------------------------------------------------------- a template evaluator for the tests

def resolve(value, environment, conditions):
    """The value CloudFormation would use in `environment`; NO_VALUE for AWS::NoValue."""
    if isinstance(value, list):
        return [item for item in (resolve(v, environment, conditions) for v in value) if item is not NO_VALUE]
    if not isinstance(value, dict):
        return value
    if value == {"Ref": "AWS::NoValue"}:
        return NO_VALUE
    if value == {"Ref": "Environment"}:
        return environment
    if "Fn::Equals" in value:
        left, right = (resolve(v, environment, conditions) for v in value["Fn::Equals"])
        return left == right
    if "Fn::If" in value:
        name, if_true, if_false = value["Fn::If"]
        return resolve(if_true if condition(name, environment, conditions) else if_false, environment, conditions)
    resolved = {key: resolve(v, environment, conditions) for key, v in value.items()}
    return {key: v for key, v in resolved.items() if v is not NO_VALUE}


def condition(name, environment, conditions):
    return resolve(conditions[name], environment, conditions)


def resolved_resources(environment):
    template = build_template()
    conditions = template.get("Conditions", {})
    return {name: resolve(resource, environment, conditions)
            for name, resource in template["Resources"].items()
            if "Condition" not in resource or condition(resource["Condition"], environment, conditions)}


def deploy(clients, stack_name, environment):
    try:
        return deploy_stack(clients["cloudformation"], stack_name, build_template(), environment)
    except ClientError as exc:
        pytest.fail(f"deploy_stack(cloudformation, {stack_name!r}, build_template(), {environment!r}) raised {exc}")


# ---------------------------------------------------------------- the template

def test_template_is_cfn_lint_clean():
    from cfnlint.api import lint

    findings = [f"{m.rule.id} {m.message}" for m in lint(json.dumps(build_template()), regions=["us-east-1"])]
    assert findings == [], "cfn-lint on json.dumps(build_template()) found:\n" + "\n".join(findings)


def test_environment_parameter_and_the_prod_condition():
    template = build_template()
    parameter = template.get("Parameters", {}).get("Environment", {})
    got = (parameter.get("Type"), parameter.get("AllowedValues"), parameter.get("Default"))
    want = ("String", ["dev", "staging", "prod"], "dev")
    assert got == want, f"Parameters.Environment (Type, AllowedValues, Default) is {got}, expected {want}"
    is_prod = template.get("Conditions", {}).get("IsProd")
    assert is_prod == {"Fn::Equals": [{"Ref": "Environment"}, "prod"]}, \
        f"Conditions.IsProd is {is_prod!r}, expected {{'Fn::Equals': [{{'Ref': 'Environment'}}, 'prod']}}"


@pytest.mark.parametrize("name", DATA_RESOURCES)
def test_every_bucket_and_table_survives_stack_deletion_and_replacement(name):
    resource = build_template()["Resources"].get(name, {})
    got = (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy"))
    assert got == ("Retain", "Retain"), \
        f"{name} has (DeletionPolicy, UpdateReplacePolicy) = {got}, expected ('Retain', 'Retain'): " \
        "DeletionPolicy alone does not protect the data from an update that replaces the resource"


def test_no_physical_names():
    resources = build_template()["Resources"]
    named = sorted((name, prop) for name, resource in resources.items()
                   for prop in ("BucketName", "TableName") if prop in resource.get("Properties", {}))
    assert not named, f"build_template() hard-codes physical names {named}: one template must serve many stacks"


PER_ENVIRONMENT = {
    # environment: (logs bucket exists, data bucket logs to it, point-in-time recovery)
    "dev": (False, False, False),
    "staging": (False, False, False),
    "prod": (True, True, True),
}


@pytest.mark.parametrize("environment", PER_ENVIRONMENT)
def test_what_differs_per_environment_follows_the_condition(environment):
    resources = resolved_resources(environment)
    logging = resources["DataBucket"].get("Properties", {}).get("LoggingConfiguration")
    pitr = (resources["EventsTable"].get("Properties", {}).get("PointInTimeRecoverySpecification", {})
            .get("PointInTimeRecoveryEnabled"))
    got = ("LogsBucket" in resources, logging is not None, pitr is True)
    assert got == PER_ENVIRONMENT[environment], \
        (f"build_template() resolved for Environment={environment!r} gives (LogsBucket exists, DataBucket "
         f"LoggingConfiguration set, PITR enabled) = {got}, expected {PER_ENVIRONMENT[environment]}; "
         f"LoggingConfiguration = {logging!r}, PointInTimeRecoveryEnabled = {pitr!r}")
    if logging is not None:
        assert logging.get("DestinationBucketName") == {"Ref": "LogsBucket"}, \
            f"prod access logs go to {logging.get('DestinationBucketName')!r}, expected {{'Ref': 'LogsBucket'}}"
    for name in ("DataBucket", "EventsTable"):
        tags = {t["Key"]: t["Value"] for t in resources[name].get("Properties", {}).get("Tags", [])}
        assert tags.get("environment") == environment, \
            f"{name} resolved for {environment!r} has tags {tags}, expected environment={environment!r}"


# ---------------------------------------------------------------- replacement_risk

def mutated(change):
    old = build_template()
    new = copy.deepcopy(old)
    change(new["Resources"])
    return old, new


def new_sort_key(resources):
    resources["EventsTable"]["Properties"]["KeySchema"][1]["AttributeName"] = "created_at"
    resources["EventsTable"]["Properties"]["AttributeDefinitions"][1]["AttributeName"] = "created_at"


RISKS = {
    "same template": (lambda r: None, {}),
    "a tag changes": (lambda r: r["EventsTable"]["Properties"]["Tags"].append({"Key": "team", "Value": "data"}), {}),
    "the bucket's encryption changes": (
        lambda r: r["DataBucket"]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        .update({"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}), {}),
    "billing mode changes": (lambda r: r["EventsTable"]["Properties"].update(
        BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}), {}),
    "the table's sort key changes": (new_sort_key, {"EventsTable": ["KeySchema"]}),
    "the bucket gets a chosen name": (lambda r: r["DataBucket"]["Properties"].update(BucketName="acme-data"),
                                      {"DataBucket": ["BucketName"]}),
    "the table gets a name and a new key": (
        lambda r: (new_sort_key(r), r["EventsTable"]["Properties"].update(TableName="events")),
        {"EventsTable": ["KeySchema", "TableName"]}),
    "a resource changes type": (lambda r: r["LogsBucket"].update(Type="AWS::SQS::Queue"), {"LogsBucket": ["Type"]}),
    "a new resource is added": (lambda r: r.update(Queue={"Type": "AWS::SQS::Queue"}), {}),
    "a resource is removed": (lambda r: r.pop("LogsBucket"), {}),
}


@pytest.mark.parametrize("case", RISKS.keys())
def test_replacement_risk_names_what_an_update_would_replace(case):
    change, want = RISKS[case]
    old, new = mutated(change)
    got = replacement_risk(old, new)
    assert got == want, f"replacement_risk(build_template(), <{case}>) returned {got}, expected {want}"


def test_removing_a_chosen_name_replaces_too():
    old, new = mutated(lambda r: r["DataBucket"]["Properties"].update(BucketName="acme-data"))
    got = replacement_risk(new, old)
    assert got == {"DataBucket": ["BucketName"]}, \
        f"replacement_risk(<bucket named acme-data>, <bucket without BucketName>) returned {got}, " \
        "expected {'DataBucket': ['BucketName']}: going back to a generated name makes a new bucket"


def test_a_resource_without_properties_gaining_a_name_is_replaced():
    old, new = mutated(lambda r: r["LogsBucket"].update(Properties={"BucketName": "acme-logs"}))
    got = replacement_risk(old, new)
    assert got == {"LogsBucket": ["BucketName"]}, \
        f"replacement_risk(<LogsBucket without Properties>, <LogsBucket named acme-logs>) returned {got}"


# ---------------------------------------------------------------- deployed in moto

@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_deploy_passes_the_environment_and_the_condition_decides_the_resources(clients, environment):
    log = CallLog(clients["cloudformation"])
    outputs = deploy(clients, f"pipeline-{environment}", environment)
    creates = log.named("CreateStack")
    sent = [p for c in creates for p in c.get("Parameters", [])]
    assert sent == [{"ParameterKey": "Environment", "ParameterValue": environment}], \
        f"CreateStack was sent Parameters {sent}, expected [{{'ParameterKey': 'Environment', 'ParameterValue': {environment!r}}}]"
    want = {"BucketName", "TableName"} | ({"LogsBucketName"} if environment == "prod" else set())
    assert set(outputs) == want, f"deploy_stack(..., {environment!r}) returned outputs {sorted(outputs)}, expected {sorted(want)}"
    resources = {r["LogicalResourceId"] for r in clients["cloudformation"].list_stack_resources(
        StackName=f"pipeline-{environment}")["StackResourceSummaries"] if r.get("LogicalResourceId")}
    assert ("LogsBucket" in resources) == (environment == "prod"), \
        f"the {environment} stack has resources {sorted(resources)}: the LogsBucket belongs to prod only"
    tags = {t["Key"]: t["Value"] for t in clients["s3"].get_bucket_tagging(Bucket=outputs["BucketName"])["TagSet"]}
    assert tags.get("environment") == environment, f"the deployed data bucket has tags {tags}, expected environment={environment!r}"


@pytest.mark.parametrize("environment", ["production", "Prod", ""])
def test_an_unknown_environment_is_refused_before_cloudformation_sees_it(clients, environment):
    log = CallLog(clients["cloudformation"])
    with pytest.raises(ValueError):
        deploy_stack(clients["cloudformation"], "pipeline-x", build_template(), environment)
    assert not log.calls, f"deploy_stack(..., {environment!r}) called {[name for name, _ in log.calls]} before refusing"


def test_a_template_failing_lint_is_refused_before_cloudformation_sees_it(clients):
    broken = build_template()
    del broken["Resources"]["EventsTable"]["Properties"]["KeySchema"]
    log = CallLog(clients["cloudformation"])
    with pytest.raises(ValueError) as raised:
        deploy_stack(clients["cloudformation"], "pipeline-broken", broken, "dev")
    assert "E3003" in str(raised.value), f"the ValueError should list the cfn-lint findings, got: {raised.value}"
    assert not log.named("CreateStack"), "deploy_stack called CreateStack with a template that fails cfn-lint"
    assert any(f.startswith("E3003") for f in lint_template(broken)), \
        f"lint_template(<table without KeySchema>) returned {lint_template(broken)}, expected an E3003 finding"


def seeded_stack(clients, environment="staging"):
    outputs = deploy(clients, "pipeline", environment)
    clients["s3"].put_object(Bucket=outputs["BucketName"], Key="incoming/orders.csv", Body=b"id\n1\n")
    clients["dynamodb"].put_item(TableName=outputs["TableName"], Item={"pk": {"S": "ORDER#1"}, "sk": {"S": "1"}})
    return outputs


def assert_data_still_there(clients, outputs):
    body = clients["s3"].get_object(Bucket=outputs["BucketName"], Key="incoming/orders.csv")["Body"].read()
    assert body == b"id\n1\n", f"after the update the object in {outputs['BucketName']} reads {body!r}"
    item = clients["dynamodb"].get_item(TableName=outputs["TableName"], Key={"pk": {"S": "ORDER#1"}, "sk": {"S": "1"}})
    assert "Item" in item, f"after the update the item in {outputs['TableName']} is gone"


def test_an_in_place_update_keeps_the_data_and_the_environment(clients):
    before = seeded_stack(clients)
    template = build_template()
    template["Resources"]["ReportsQueue"] = {"Type": "AWS::SQS::Queue"}
    template["Outputs"]["QueueUrl"] = {"Value": {"Ref": "ReportsQueue"}}
    log = CallLog(clients["cloudformation"])
    after = update_stack(clients["cloudformation"], "pipeline", template)
    updates = log.named("UpdateStack")
    assert len(updates) == 1, f"update_stack made {len(updates)} UpdateStack calls, expected 1"
    params = updates[0].get("Parameters", [])
    assert params in ([{"ParameterKey": "Environment", "UsePreviousValue": True}],
                      [{"ParameterKey": "Environment", "ParameterValue": "staging"}]), \
        f"UpdateStack was sent Parameters {params}: keep the stack's Environment (UsePreviousValue)"
    assert "QueueUrl" in after, f"update_stack returned {after}, expected the new QueueUrl output"
    kept = {key: after.get(key) for key in before}
    assert kept == before, f"the update changed the stack's outputs from {before} to {kept}"
    status = clients["cloudformation"].describe_stacks(StackName="pipeline")["Stacks"][0]["StackStatus"]
    assert status == "UPDATE_COMPLETE", f"stack status after update_stack is {status}"
    assert_data_still_there(clients, after)


def test_an_update_that_changes_nothing_is_not_an_error(clients):
    before = seeded_stack(clients)
    try:
        after = update_stack(clients["cloudformation"], "pipeline", build_template())
    except ClientError as exc:
        pytest.fail(f"update_stack with the deployed template raised {exc}: 'No updates are to be performed' is success")
    assert after == before, f"update_stack with the deployed template returned {after}, expected {before}"


@pytest.mark.parametrize("change,resource", [(new_sort_key, "EventsTable"),
                                             (lambda r: r["DataBucket"]["Properties"].update(BucketName="acme-data"),
                                              "DataBucket")], ids=["new sort key", "chosen bucket name"])
def test_an_update_that_would_replace_data_is_refused_before_cloudformation_sees_it(clients, change, resource):
    before = seeded_stack(clients)
    _, template = mutated(change)
    log = CallLog(clients["cloudformation"])
    with pytest.raises(ReplacementRefused) as raised:
        update_stack(clients["cloudformation"], "pipeline", template)
    assert resource in str(raised.value), f"ReplacementRefused should name {resource}, got: {raised.value}"
    assert not log.named("UpdateStack"), "update_stack called UpdateStack for an update that replaces data"
    assert isinstance(raised.value, ValueError), "ReplacementRefused must be a ValueError"
    assert_data_still_there(clients, before)


def test_an_update_failing_lint_is_refused(clients):
    seeded_stack(clients)
    broken = build_template()
    broken["Outputs"]["Dangling"] = {"Value": {"Ref": "Nope"}}
    log = CallLog(clients["cloudformation"])
    with pytest.raises(ValueError) as raised:
        update_stack(clients["cloudformation"], "pipeline", broken)
    assert "E6101" in str(raised.value) or "Nope" in str(raised.value), \
        f"the ValueError should list the cfn-lint findings, got: {raised.value}"
    assert not log.named("UpdateStack"), "update_stack called UpdateStack with a template that fails cfn-lint"
