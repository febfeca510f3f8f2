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

import json
from typing import Any

from botocore.exceptions import ClientError

# "Update requires: Replacement" in the CloudFormation resource reference (the rest is in place).
REPLACED_BY: dict[str, tuple[str, ...]] = {
    "AWS::S3::Bucket": ("BucketName",),
    "AWS::DynamoDB::Table": ("KeySchema", "LocalSecondaryIndexes", "TableName"),
    "AWS::SQS::Queue": ("FifoQueue", "QueueName"),
}
NO_UPDATES = "No updates are to be performed"


class ReplacementRefused(ValueError):
    """An update would replace resources (and so lose what is in them); nothing was changed."""


def build_template() -> dict[str, Any]:
    raise NotImplementedError("TODO: Parameters.Environment, Conditions.IsProd, the three resources with Retain, Outputs")


def lint_template(template: dict[str, Any]) -> list[str]:
    raise NotImplementedError("TODO: run cfnlint.api.lint on json.dumps(template), one string per finding")


def deploy_stack(cloudformation: Any, stack_name: str, template: dict[str, Any], environment: str) -> dict[str, str]:
    raise NotImplementedError("TODO: check the environment and lint, create_stack with the Environment parameter, wait")


def replacement_risk(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[str]]:
    raise NotImplementedError("TODO: for resources in both templates, the REPLACED_BY properties (or Type) that changed")


def update_stack(cloudformation: Any, stack_name: str, template: dict[str, Any]) -> dict[str, str]:
    raise NotImplementedError("TODO: lint, refuse replacements of the deployed template, update_stack, wait, outputs")
