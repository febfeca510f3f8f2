"""Step Functions: an extract -> transform -> load state machine with Retry and Catch.

Interviewers ask for this to see whether you know Amazon States Language (ASL) beyond the happy
path: which errors deserve a retry (throttling, yes; bad data, never), how exponential backoff is
configured, how a Catch keeps the original input so a failure can be quarantined and reported,
and how the load stays idempotent when an operator simply reruns a batch.

    config = PipelineConfig(extract_function=EXTRACT_ARN, transform_function=TRANSFORM_ARN,
                            table="sales", quarantine_table="sales_quarantine",
                            alert_topic_arn=TOPIC_ARN, retry=RetryPolicy(2, 3, 2.0))
    definition = build_definition(config)          # a plain dict, json.dumps-able
    arn = deploy_and_start(sfn, "sales-etl", definition, ROLE_ARN,
                           {"batch_id": "2024-06-01"}, execution_name="2024-06-01-run1")
    wait_for_execution(sfn, arn)["status"]         # "SUCCEEDED"

The execution input is a JSON object with a "batch_id". The extract Lambda returns
{"records": [...]}; the transform Lambda returns {"rows": [{"order_id": str, "day": str,
"amount": number}, ...]}; each row becomes one DynamoDB item {"pk": S order_id, "day": S day,
"amount": N amount}.

Requirements: the definition (state names are part of the contract: the tests read the history)
- "StartAt": "Extract". Extract -> Transform -> Load; Load ends the execution on success.
- "Extract": Task on "arn:aws:states:::lambda:invoke", Parameters {"FunctionName":
  config.extract_function, "Payload.$": "$"}; put the Lambda's records at $.extracted.records
  (ResultSelector {"records.$": "$.Payload.records"}, ResultPath "$.extracted") so the input,
  batch_id included, is kept.
- "Transform": Task on "arn:aws:states:::lambda:invoke", Parameters {"FunctionName":
  config.transform_function, "Payload": {"batch_id.$": "$.batch_id", "records.$":
  "$.extracted.records"}}; put the rows at $.transformed.rows the same way.
- "Load": Map over "$.transformed.rows" with MaxConcurrency = config.max_concurrency and
  ResultPath null. Its ItemProcessor starts at "Put": a Task on
  "arn:aws:states:::dynamodb:putItem" into config.table with ConditionExpression
  "attribute_not_exists(pk)", so a rerun never overwrites a loaded row. A
  "DynamoDB.ConditionalCheckFailedException" from Put is caught and goes to "AlreadyLoaded", a
  Succeed state inside the ItemProcessor: a rerun of a loaded batch succeeds and writes nothing.
  The amount must be sent as a DynamoDB number, which is a string: States.Format('{}', $.amount).
- Retry: Extract and Transform retry exactly LAMBDA_TRANSIENT_ERRORS; Put retries exactly
  DYNAMODB_TRANSIENT_ERRORS. Each has ONE retrier with IntervalSeconds, MaxAttempts and
  BackoffRate from config.retry and no jitter (the tests check the exact waits). Never retry
  States.ALL: a validation error or a bug in a Lambda fails the same way every time.
- Catch: Extract, Transform and Load each catch ["States.ALL"] with ResultPath "$.error" (so the
  input survives next to {"Error", "Cause"}) and go to "Quarantine".
- "Quarantine": Task on "arn:aws:states:::dynamodb:putItem" into config.quarantine_table with the
  item {"execution": S $$.Execution.Name, "batch_id": S $.batch_id, "error": S $.error.Error,
  "cause": S $.error.Cause}; ResultPath null; then "NotifyFailure".
- "NotifyFailure": Task on "arn:aws:states:::sns:publish" to config.alert_topic_arn with Subject
  "ETL failed" and Message {"batch_id.$": "$.batch_id", "error.$": "$.error.Error",
  "execution.$": "$$.Execution.Name"}; ResultPath null; then "PipelineFailed".
- "PipelineFailed": a Fail state with Error "PipelineFailed", so the execution ends FAILED after
  the failure was recorded and reported.
- The definition is structurally valid ASL: every Next/Default target exists, every non-terminal
  state has exactly one of Next or End, retriers and catchers are well formed.

Requirements: the functions
- deploy_and_start(sfn, name, definition, role_arn, execution_input, execution_name) creates the
  state machine, or, if one with that name exists, updates its definition and role (deploys are
  rerun); then starts an execution and returns its ARN. Find the machine by name through the
  list_state_machines paginator: do not rely on StateMachineAlreadyExists (moto silently returns
  the old machine instead).
- wait_for_execution(sfn, execution_arn, sleep=..., poll_seconds=..., max_polls=...) calls
  describe_execution until the status is no longer RUNNING and returns that response. It calls
  sleep(poll_seconds) between polls and never sleeps any other way; after max_polls polls that
  all said RUNNING it raises TimeoutError naming the execution ARN.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

LAMBDA_TRANSIENT_ERRORS = (
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
)
DYNAMODB_TRANSIENT_ERRORS = (
    "DynamoDB.ProvisionedThroughputExceededException",
    "DynamoDB.ThrottlingException",
    "DynamoDB.RequestLimitExceeded",
    "DynamoDB.InternalServerError",
)


@dataclass(frozen=True)
class RetryPolicy:
    interval_seconds: int = 2
    max_attempts: int = 3
    backoff_rate: float = 2.0


@dataclass(frozen=True)
class PipelineConfig:
    extract_function: str
    transform_function: str
    table: str
    quarantine_table: str
    alert_topic_arn: str
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_concurrency: int = 10


def _retrier(errors: tuple[str, ...], policy: RetryPolicy) -> list[dict[str, Any]]:
    return [{
        "ErrorEquals": list(errors),
        "IntervalSeconds": policy.interval_seconds,
        "MaxAttempts": policy.max_attempts,
        "BackoffRate": policy.backoff_rate,
    }]


QUARANTINE_CATCH = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Quarantine"}]


def build_definition(config: PipelineConfig) -> dict[str, Any]:
    lambda_retry = _retrier(LAMBDA_TRANSIENT_ERRORS, config.retry)
    return {
        "Comment": "Extract -> Transform -> Load; failures are quarantined and reported",
        "StartAt": "Extract",
        "States": {
            "Extract": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": config.extract_function, "Payload.$": "$"},
                "ResultSelector": {"records.$": "$.Payload.records"},
                "ResultPath": "$.extracted",
                "Retry": lambda_retry,
                "Catch": QUARANTINE_CATCH,
                "Next": "Transform",
            },
            "Transform": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {
                    "FunctionName": config.transform_function,
                    "Payload": {"batch_id.$": "$.batch_id", "records.$": "$.extracted.records"},
                },
                "ResultSelector": {"rows.$": "$.Payload.rows"},
                "ResultPath": "$.transformed",
                "Retry": lambda_retry,
                "Catch": QUARANTINE_CATCH,
                "Next": "Load",
            },
            "Load": {
                "Type": "Map",
                "ItemsPath": "$.transformed.rows",
                "MaxConcurrency": config.max_concurrency,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Put",
                    "States": {
                        "Put": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::dynamodb:putItem",
                            "Parameters": {
                                "TableName": config.table,
                                "Item": {
                                    "pk": {"S.$": "$.order_id"},
                                    "day": {"S.$": "$.day"},
                                    "amount": {"N.$": "States.Format('{}', $.amount)"},
                                },
                                "ConditionExpression": "attribute_not_exists(pk)",
                            },
                            "Retry": _retrier(DYNAMODB_TRANSIENT_ERRORS, config.retry),
                            "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                                       "Next": "AlreadyLoaded"}],
                            "End": True,
                        },
                        "AlreadyLoaded": {"Type": "Succeed"},
                    },
                },
                "ResultPath": None,
                "Catch": QUARANTINE_CATCH,
                "End": True,
            },
            "Quarantine": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {
                    "TableName": config.quarantine_table,
                    "Item": {
                        "execution": {"S.$": "$$.Execution.Name"},
                        "batch_id": {"S.$": "$.batch_id"},
                        "error": {"S.$": "$.error.Error"},
                        "cause": {"S.$": "$.error.Cause"},
                    },
                },
                "ResultPath": None,
                "Next": "NotifyFailure",
            },
            "NotifyFailure": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {
                    "TopicArn": config.alert_topic_arn,
                    "Subject": "ETL failed",
                    "Message": {"batch_id.$": "$.batch_id", "error.$": "$.error.Error",
                                "execution.$": "$$.Execution.Name"},
                },
                "ResultPath": None,
                "Next": "PipelineFailed",
            },
            "PipelineFailed": {"Type": "Fail", "Error": "PipelineFailed",
                               "Cause": "the batch was quarantined; see the quarantine table"},
        },
    }


def _find_state_machine(sfn: Any, name: str) -> str | None:
    for page in sfn.get_paginator("list_state_machines").paginate():
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                return machine["stateMachineArn"]
    return None


def deploy_and_start(sfn: Any, name: str, definition: dict[str, Any], role_arn: str,
                     execution_input: dict[str, Any], execution_name: str) -> str:
    body = json.dumps(definition)
    arn = _find_state_machine(sfn, name)
    if arn is None:
        arn = sfn.create_state_machine(name=name, definition=body, roleArn=role_arn)["stateMachineArn"]
    else:
        sfn.update_state_machine(stateMachineArn=arn, definition=body, roleArn=role_arn)
    started = sfn.start_execution(stateMachineArn=arn, name=execution_name, input=json.dumps(execution_input))
    return started["executionArn"]


def wait_for_execution(sfn: Any, execution_arn: str, *, sleep: Callable[[float], None] = time.sleep,
                       poll_seconds: float = 1.0, max_polls: int = 300) -> dict[str, Any]:
    for poll in range(max_polls):
        if poll:
            sleep(poll_seconds)
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING":
            return described
    raise TimeoutError(f"execution {execution_arn} still RUNNING after {max_polls} polls")


# Why
# - Retry only what is transient. Throttling and service hiccups (the LAMBDA/DYNAMODB_TRANSIENT
#   lists) succeed on a later attempt; a ValidationException or a bug in a Lambda fails the same way
#   every time, so retrying it only delays the alert and multiplies cost. Retrying States.ALL is the
#   classic mistake; if you do want a catch-all retrier it must be the last one, after the specific
#   ones, or it shadows them.
# - Backoff: wait_n = IntervalSeconds * BackoffRate**n for n = 0 .. MaxAttempts-1, so (2, 3, 2.0)
#   waits 2, 4, 8 s: at most 14 s extra per state. In production add "JitterStrategy": "FULL" and
#   MaxDelaySeconds so many executions throttled together do not retry in lockstep; the kata leaves
#   jitter out so the waits can be asserted exactly.
# - Catch with ResultPath "$.error" keeps the original input next to {"Error", "Cause"}; without it
#   the error object replaces the input and the quarantine record loses the batch id. Record first,
#   then notify, then Fail: the execution still shows as FAILED (alarms on ExecutionsFailed work)
#   but nothing is lost.
# - Idempotency lives in the load: attribute_not_exists(pk) plus a caught
#   ConditionalCheckFailedException makes a rerun of the same batch a no-op. Standard workflows are
#   at-least-once per state, and operators rerun batches by hand, so a blind put is a bug.
# - Cost: Standard workflows bill per state transition (~$25 per million); a Map over a thousand
#   rows is thousands of transitions. For large batches pass S3 keys, not data (the payload limit is
#   256 KB), use a Distributed Map over S3, or let one Lambda/Glue job do BatchWriteItem; Express
#   workflows bill by duration and suit high-volume short runs.
# - Deploys: CreateStateMachine is idempotent only for an identical definition; a changed one raises
#   StateMachineAlreadyExists on AWS, so look the name up and update. In real projects the machine
#   lives in CloudFormation/CDK/Terraform and the definition is linted with `aws stepfunctions
#   validate-state-machine-definition`.
# - What moto does not do: it accepts structurally broken definitions (the tests validate instead),
#   returns the old machine on a second create instead of failing, runs Lambda tasks only through a
#   stand-in (the tests plug Python handlers in), never throttles (the tests inject throttling), and
#   does not check IAM: on AWS the role needs lambda:InvokeFunction, dynamodb:PutItem and
#   sns:Publish on exactly these resources. moto also lets States.ALL catch States.Runtime errors,
#   which AWS does not.
