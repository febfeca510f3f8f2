"""CloudFormation, the follow-up: one template for every environment, data that survives the stack,
and knowing BEFORE an update which resources it would replace.

day2.aws.iac wrote the basic template (bucket, table, role, Outputs, cfn-lint). The interviewer's
next questions are: "How do you deploy the same template to dev and prod?", "What happens to the
data if someone deletes the stack?" and "You changed the table's key: what does the update do?"
(CloudFormation deletes the table and makes a new, empty one). This kata answers all three.

    template = build_template()
    outputs = deploy_stack(cloudformation, "pipeline-prod", template, environment="prod")
    # {"BucketName": ..., "TableName": ..., "LogsBucketName": ...}   (the logs bucket: prod only)
    replacement_risk(old_template, new_template)   # {"EventsTable": ["KeySchema"]}
    update_stack(cloudformation, "pipeline-prod", new_template)      # refused: it would replace

Requirements
- `build_template()` returns a dict (JSON-serialisable), cfn-lint clean (no errors, no warnings):
  - Parameters: Environment, Type String, AllowedValues ["dev", "staging", "prod"], Default "dev".
  - Conditions: IsProd, {"Fn::Equals": [{"Ref": "Environment"}, "prod"]}.
  - DataBucket (AWS::S3::Bucket): default encryption (BucketEncryption); a tag environment =
    the Environment parameter; in prod only, server access logs to LogsBucket
    (LoggingConfiguration with DestinationBucketName {"Ref": "LogsBucket"}), in other
    environments no LoggingConfiguration at all ({"Ref": "AWS::NoValue"} inside an Fn::If).
  - LogsBucket (AWS::S3::Bucket): created only in prod ("Condition": "IsProd").
  - EventsTable (AWS::DynamoDB::Table): PAY_PER_REQUEST, key pk (S, HASH) and sk (S, RANGE),
    PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled true in prod and false elsewhere
    (an Fn::If on IsProd), a tag environment = the Environment parameter.
  - Every bucket and table has DeletionPolicy "Retain" AND UpdateReplacePolicy "Retain".
  - No physical names (no BucketName, no TableName): one template, many stacks.
  - Outputs: BucketName (Ref DataBucket), TableName (Ref EventsTable), and LogsBucketName
    (Ref LogsBucket) with "Condition": "IsProd" (an output of a resource that does not exist
    would break the dev stack).
- `lint_template(template)`: cfn-lint's Python API (`cfnlint.api.lint`, offline, region
  us-east-1); one string per finding, starting with the rule id; [] when clean.
- `deploy_stack(cloudformation, stack_name, template, environment)` raises ValueError, without
  calling CloudFormation, when `environment` is not one of the template's AllowedValues or when
  lint_template finds anything. Otherwise it creates the stack with Parameters
  [{"ParameterKey": "Environment", "ParameterValue": environment}], waits for CREATE_COMPLETE
  and returns the Outputs as {OutputKey: OutputValue}.
- `replacement_risk(old, new)` compares two templates without calling AWS and returns
  {logical id: sorted names of the properties whose change forces a replacement} for every
  resource present in BOTH templates that the update would replace. REPLACED_BY lists those
  properties per type (the "Update requires: Replacement" lines of the CloudFormation
  reference); a property counts as changed when its value differs, when it is added, and when it
  is removed (a bucket going from a generated name to a chosen one gets a new bucket). A changed
  Type replaces too and is reported as ["Type"]. Every other change (tags, encryption, billing
  mode, types not in REPLACED_BY) is made in place and is not reported. Resources only in one
  template are created or deleted, not replaced: not reported. {} when nothing is replaced.
- `update_stack(cloudformation, stack_name, template)` updates the stack in place, keeping its
  Environment ({"ParameterKey": "Environment", "UsePreviousValue": True}):
  - lint first (ValueError, no UpdateStack call, when there are findings);
  - read the deployed template back (get_template: boto3 hands back a dict for a JSON template,
    a str for YAML) and raise ReplacementRefused (a ValueError) naming every resource that
    replacement_risk(deployed, template) reports, without calling UpdateStack;
  - call UpdateStack and wait for UPDATE_COMPLETE; CloudFormation answers an update that changes
    nothing with a ValidationError "No updates are to be performed": that is not a failure;
  - in every successful case return the stack's Outputs as {OutputKey: OutputValue}.
"""
from __future__ import annotations

import functools
import json
import os
from typing import Any

from botocore.exceptions import ClientError

# "Update requires: Replacement" in the CloudFormation resource reference (the rest is in place).
REPLACED_BY: dict[str, tuple[str, ...]] = {
    "AWS::S3::Bucket": ("BucketName",),
    "AWS::DynamoDB::Table": ("KeySchema", "LocalSecondaryIndexes", "TableName"),
    "AWS::SQS::Queue": ("FifoQueue", "QueueName"),
}
ENVIRONMENTS = ["dev", "staging", "prod"]
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
NO_UPDATES = "No updates are to be performed"


class ReplacementRefused(ValueError):
    """An update would replace resources (and so lose what is in them); nothing was changed."""


def build_template() -> dict[str, Any]:
    environment_tag = [{"Key": "environment", "Value": {"Ref": "Environment"}}]
    data_bucket = {
        "Type": "AWS::S3::Bucket",
        **RETAIN,
        "Properties": {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
            "LoggingConfiguration": {"Fn::If": [
                "IsProd",
                {"DestinationBucketName": {"Ref": "LogsBucket"}, "LogFilePrefix": "data-bucket/"},
                {"Ref": "AWS::NoValue"},
            ]},
            "Tags": environment_tag,
        },
    }
    logs_bucket = {"Type": "AWS::S3::Bucket", "Condition": "IsProd", **RETAIN}
    table = {
        "Type": "AWS::DynamoDB::Table",
        **RETAIN,
        "Properties": {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "PointInTimeRecoverySpecification": {
                "PointInTimeRecoveryEnabled": {"Fn::If": ["IsProd", True, False]}},
            "Tags": environment_tag,
        },
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Data pipeline storage, one template for dev, staging and prod",
        "Parameters": {"Environment": {"Type": "String", "AllowedValues": ENVIRONMENTS, "Default": "dev",
                                       "Description": "Which environment this stack serves"}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Environment"}, "prod"]}},
        "Resources": {"DataBucket": data_bucket, "LogsBucket": logs_bucket, "EventsTable": table},
        "Outputs": {
            "BucketName": {"Value": {"Ref": "DataBucket"}},
            "TableName": {"Value": {"Ref": "EventsTable"}},
            "LogsBucketName": {"Condition": "IsProd", "Value": {"Ref": "LogsBucket"}},
        },
    }


def lint_template(template: dict[str, Any]) -> list[str]:
    from cfnlint.api import lint  # imported here: cfn-lint takes ~0.4 s to import

    return [f"{match.rule.id} {match.message}"
            for match in lint(json.dumps(template), rules=_cfn_lint_rules(), regions=["us-east-1"])]


@functools.cache
def _cfn_lint_rules() -> Any:
    """cfn-lint's rules loaded once: a plain cfnlint.api.lint call reloads them every time (~0.3 s)."""
    import cfnlint.rules

    rules = cfnlint.rules.RulesCollection()
    rules.create_from_directory(os.path.dirname(cfnlint.rules.__file__))
    return rules


def deploy_stack(cloudformation: Any, stack_name: str, template: dict[str, Any], environment: str) -> dict[str, str]:
    allowed = template.get("Parameters", {}).get("Environment", {}).get("AllowedValues", [])
    if environment not in allowed:
        raise ValueError(f"environment {environment!r} is not one of {allowed}")
    _refuse_lint_findings(stack_name, template)
    cloudformation.create_stack(
        StackName=stack_name, TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Environment", "ParameterValue": environment}])
    cloudformation.get_waiter("stack_create_complete").wait(StackName=stack_name)
    return stack_outputs(cloudformation, stack_name)


def replacement_risk(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[str]]:
    old_resources, new_resources = old.get("Resources", {}), new.get("Resources", {})
    risks = {}
    for name in old_resources.keys() & new_resources.keys():
        forcing = _replacing_changes(old_resources[name], new_resources[name])
        if forcing:
            risks[name] = forcing
    return risks


def _replacing_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The properties whose change replaces this resource; absent and present count as different."""
    if old.get("Type") != new.get("Type"):
        return ["Type"]
    before, after = old.get("Properties", {}), new.get("Properties", {})
    missing = object()
    return sorted(prop for prop in REPLACED_BY.get(new.get("Type"), ())
                  if before.get(prop, missing) != after.get(prop, missing))


def update_stack(cloudformation: Any, stack_name: str, template: dict[str, Any]) -> dict[str, str]:
    _refuse_lint_findings(stack_name, template)
    risks = replacement_risk(deployed_template(cloudformation, stack_name), template)
    if risks:
        described = ", ".join(f"{name} (changes {', '.join(props)})" for name, props in sorted(risks.items()))
        raise ReplacementRefused(f"updating {stack_name!r} would replace {described}")
    try:
        cloudformation.update_stack(
            StackName=stack_name, TemplateBody=json.dumps(template),
            Parameters=[{"ParameterKey": "Environment", "UsePreviousValue": True}])
    except ClientError as exc:
        if NO_UPDATES not in str(exc):
            raise
    else:
        cloudformation.get_waiter("stack_update_complete").wait(StackName=stack_name)
    return stack_outputs(cloudformation, stack_name)


def deployed_template(cloudformation: Any, stack_name: str) -> dict[str, Any]:
    body = cloudformation.get_template(StackName=stack_name)["TemplateBody"]
    return body if isinstance(body, dict) else json.loads(body)


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def _refuse_lint_findings(stack_name: str, template: dict[str, Any]) -> None:
    problems = lint_template(template)
    if problems:
        raise ValueError(f"template for stack {stack_name!r} fails cfn-lint:\n" + "\n".join(problems))


# Why
# - One template, many environments: a parameter with AllowedValues (a typo fails before any
#   resource is touched) and conditions for what differs (prod gets access logs and point-in-time
#   recovery). Copies of the template per environment drift apart; conditions keep the
#   difference visible in one place. Outputs of conditional resources need the same Condition.
# - DeletionPolicy Retain keeps the data when the stack is deleted; UpdateReplacePolicy Retain keeps
#   the OLD resource when an update replaces it. Without the second, a changed key schema silently
#   deletes the table. With it, the data survives but the stack now points at a new, empty table:
#   Retain is a seat belt, not a plan. The plan is to not replace data resources by accident.
# - replacement_risk is a local, instant version of what a change set tells you
#   (create_change_set + describe_change_set: "Replacement": "True" | "Conditional"); use the
#   change set in CI for the authoritative answer, including replacements driven by a parameter
#   value. The cheap local check catches the common mistakes before anyone opens a PR.
# - Physical names make replacement fail outright (the new resource cannot take the old name), a
#   second reason not to hard-code BucketName or TableName.
# - "No updates are to be performed" is a ValidationError, so an idempotent deploy script must
#   treat it as success; otherwise every re-run of an unchanged pipeline is red.
