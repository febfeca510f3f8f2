"""Infrastructure as code: a CloudFormation template for a small data pipeline, linted, deployed,
and used through its Outputs.

Interviewers ask for "a basic CloudFormation template with an S3 bucket and a DynamoDB table" to
see whether you let CloudFormation name things (so a stack deploys twice), wire resources with
Ref / Fn::GetAtt instead of pasting ARNs, write an IAM role with least privilege, lint before you
deploy, and hand the names to the application through Outputs.

    template = build_template()                  # a plain dict, the JSON form of the template
    lint_template(template)                      # [] when cfn-lint is happy
    outputs = deploy_stack(boto3.client("cloudformation"), "pipeline-dev", template)
    s3.put_object(Bucket=outputs["BucketName"], Key="incoming/a.csv", Body=b"...")
    ddb.put_item(TableName=outputs["TableName"], Item={"pk": {"S": "a"}, "sk": {"S": "1"}})

In YAML you would write `!Ref DataBucket` and `!GetAtt EventsTable.Arn`; in the dict form they are
`{"Ref": "DataBucket"}` and `{"Fn::GetAtt": ["EventsTable", "Arn"]}` (or "EventsTable.Arn").

Requirements
- `build_template()` returns a dict (JSON-serialisable) with exactly three resources:
  - DataBucket, AWS::S3::Bucket: VersioningConfiguration Status "Enabled", default encryption
    (BucketEncryption), PublicAccessBlockConfiguration with all four flags true.
  - EventsTable, AWS::DynamoDB::Table: BillingMode PAY_PER_REQUEST, key pk (S, HASH) and
    sk (S, RANGE).
  - LambdaRole, AWS::IAM::Role: assumable only by the service lambda.amazonaws.com
    (sts:AssumeRole). Its inline Policies allow exactly s3:GetObject on the objects of DataBucket
    and dynamodb:PutItem + dynamodb:GetItem on EventsTable; nothing on other buckets or tables, no
    wildcard actions. Every Resource in those policies is an intrinsic function (Ref, Fn::GetAtt,
    Fn::Sub), never a hard-coded ARN string. ManagedPolicyArns may hold only
    AWSLambdaBasicExecutionRole (CloudWatch Logs), written as
    {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}
    or as the plain arn:aws:... string.
  - The bucket and the table keep the data when the stack goes away: DeletionPolicy "Retain" and
    UpdateReplacePolicy "Retain".
  - No hard-coded physical names (no BucketName, TableName, RoleName): the same template must
    deploy twice in one account as two stacks.
  - Outputs: BucketName (Ref DataBucket), TableName (Ref EventsTable), RoleArn
    (Fn::GetAtt LambdaRole.Arn).
  - The template is cfn-lint clean (no errors, no warnings).
- `lint_template(template)` runs cfn-lint (its Python API, `cfnlint.api.lint`, offline, region
  us-east-1) on the template and returns one string per finding, each starting with the rule id
  (e.g. "E3003 'KeySchema' is a required property ..."); [] when clean.
- `deploy_stack(cloudformation, stack_name, template)` lints first and raises ValueError listing
  the findings, without calling CloudFormation, when there are any. Otherwise it creates the stack
  with Capabilities ["CAPABILITY_IAM"] (the template creates an IAM role), waits for
  CREATE_COMPLETE, and returns the stack's Outputs as {OutputKey: OutputValue}.
"""
from __future__ import annotations

import json
from typing import Any


def build_template() -> dict[str, Any]:
    raise NotImplementedError("TODO: return the template dict: DataBucket, EventsTable, LambdaRole and Outputs")


def lint_template(template: dict[str, Any]) -> list[str]:
    raise NotImplementedError("TODO: run cfnlint.api.lint on json.dumps(template), one string per finding")


def deploy_stack(cloudformation: Any, stack_name: str, template: dict[str, Any]) -> dict[str, str]:
    raise NotImplementedError("TODO: lint, create_stack with CAPABILITY_IAM, wait, return the Outputs")
