"""Tests for the Step Functions kata: run `pytest katas/day2/aws/test_step_functions.py`.

Two kinds of checks:
- the definition itself, through a small structural ASL validator below (moto accepts broken
  definitions, so the validator is what says "valid");
- real executions in moto's Step Functions interpreter. The Lambda tasks run Python handlers
  defined here (moto's Docker-free Lambda stand-in, patched to call them), DynamoDB can be made to
  throttle, and the retry waits moto would sleep are recorded instead of slept.
"""
from __future__ import annotations

import copy
import io
import json
import time
import zipfile
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day2.aws.step_functions import (
    DYNAMODB_TRANSIENT_ERRORS,
    LAMBDA_TRANSIENT_ERRORS,
    PipelineConfig,
    RetryPolicy,
    build_definition,
    deploy_and_start,
    wait_for_execution,
)

pytestmark = pytest.mark.needs("aws")

ROLE_NAME = "sfn-etl"
STATE_TYPES = {"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}


# ---------------------------------------------------------------------------------------------
# A small structural validator for Amazon States Language
# ---------------------------------------------------------------------------------------------

def _error_list_problems(rules: object, kind: str, where: str) -> list[str]:
    if not isinstance(rules, list):
        return [f"{where}: {kind} must be a list, got {type(rules).__name__}"]
    problems = []
    for index, rule in enumerate(rules):
        here = f"{where} {kind}[{index}]"
        errors = rule.get("ErrorEquals") if isinstance(rule, dict) else None
        if not isinstance(errors, list) or not errors or not all(isinstance(e, str) and e for e in errors):
            problems.append(f"{here}: ErrorEquals must be a non-empty list of error names, got {errors!r}")
            continue
        if "States.ALL" in errors and (len(errors) > 1 or index != len(rules) - 1):
            problems.append(f"{here}: States.ALL must appear alone and in the last {kind} entry, got {errors!r}")
        if kind == "Retry":
            interval, attempts, rate = (rule.get("IntervalSeconds", 1), rule.get("MaxAttempts", 3),
                                        rule.get("BackoffRate", 2.0))
            if not isinstance(interval, int) or isinstance(interval, bool) or interval < 1:
                problems.append(f"{here}: IntervalSeconds must be an integer >= 1, got {interval!r}")
            if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
                problems.append(f"{here}: MaxAttempts must be an integer >= 0, got {attempts!r}")
            if not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate < 1.0:
                problems.append(f"{here}: BackoffRate must be a number >= 1.0, got {rate!r}")
        elif not isinstance(rule.get("Next"), str):
            problems.append(f"{here}: a catcher needs a Next state, got {rule.get('Next')!r}")
    return problems


def asl_problems(machine: object, where: str = "definition") -> list[str]:
    """Every structural problem found, as readable sentences; [] means valid."""
    if not isinstance(machine, dict):
        return [f"{where}: must be a JSON object, got {type(machine).__name__}"]
    states = machine.get("States")
    if not isinstance(states, dict) or not states:
        return [f"{where}: States must be a non-empty object"]
    problems = []
    start = machine.get("StartAt")
    if start not in states:
        problems.append(f"{where}: StartAt {start!r} is not one of the states {sorted(states)}")
    edges: dict[str, list[str]] = {}
    terminal = False
    for name, state in states.items():
        here = f"{where} > {name}"
        if not isinstance(state, dict):
            problems.append(f"{here}: a state must be an object")
            continue
        kind = state.get("Type")
        targets: list[str] = []
        if kind not in STATE_TYPES:
            problems.append(f"{here}: unknown Type {kind!r}")
        if kind in ("Succeed", "Fail"):
            terminal = True
            if "Next" in state or "End" in state:
                problems.append(f"{here}: a {kind} state is terminal and takes neither Next nor End")
        elif kind == "Choice":
            if "Next" in state or "End" in state:
                problems.append(f"{here}: a Choice state takes neither Next nor End")
            choices = state.get("Choices")
            if not isinstance(choices, list) or not choices:
                problems.append(f"{here}: Choices must be a non-empty list")
            else:
                targets += [choice.get("Next") for choice in choices]
            if "Default" in state:
                targets.append(state["Default"])
        else:
            has_next, has_end = "Next" in state, state.get("End") is True
            if has_next == has_end:
                problems.append(f"{here}: needs exactly one of Next or End: true")
            if has_next:
                targets.append(state["Next"])
            terminal = terminal or has_end
        if kind == "Task" and not isinstance(state.get("Resource"), str):
            problems.append(f"{here}: a Task needs a Resource string")
        for key in ("Retry", "Catch"):
            if key in state:
                if kind not in ("Task", "Map", "Parallel"):
                    problems.append(f"{here}: {key} is only allowed on Task, Map and Parallel states")
                problems += _error_list_problems(state[key], key, here)
        for catcher in state.get("Catch", []) if isinstance(state.get("Catch"), list) else []:
            if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
                targets.append(catcher["Next"])
        for target in targets:
            if target not in states:
                problems.append(f"{here}: transitions to {target!r}, which is not a state here")
        edges[name] = [t for t in targets if t in states]
        if kind == "Map":
            processor = state.get("ItemProcessor") or state.get("Iterator")
            problems += asl_problems(processor, f"{here} (ItemProcessor)")
        if kind == "Parallel":
            for index, branch in enumerate(state.get("Branches") or [None]):
                problems += asl_problems(branch, f"{here} (branch {index})")
    if not terminal:
        problems.append(f"{where}: no state ends the execution (no End: true, Succeed or Fail)")
    if start in states:
        seen, todo = {start}, [start]
        while todo:
            for target in edges.get(todo.pop(), []):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        unreachable = sorted(set(states) - seen)
        if unreachable:
            problems.append(f"{where}: states {unreachable} can never be reached from StartAt")
    return problems


# ---------------------------------------------------------------------------------------------
# The static checks
# ---------------------------------------------------------------------------------------------

def config_for(retry: RetryPolicy | None = None, max_concurrency: int = 4) -> PipelineConfig:
    account = "arn:aws:lambda:us-east-1:123456789012:function"
    return PipelineConfig(extract_function=f"{account}:extract", transform_function=f"{account}:transform",
                          table="sales", quarantine_table="sales_quarantine",
                          alert_topic_arn="arn:aws:sns:us-east-1:123456789012:etl-alerts",
                          retry=retry or RetryPolicy(), max_concurrency=max_concurrency)


CONFIGS = {
    "defaults": config_for(),
    "one slow retry": config_for(RetryPolicy(interval_seconds=30, max_attempts=1, backoff_rate=1.0)),
    "many quick retries": config_for(RetryPolicy(interval_seconds=1, max_attempts=6, backoff_rate=1.5), 1),
}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_the_definition_is_valid_asl_and_json(config):
    definition = build_definition(config)
    problems = asl_problems(definition)
    assert problems == [], f"build_definition({config}) is not valid ASL:\n  " + "\n  ".join(problems)
    assert json.loads(json.dumps(definition)) == definition, "the definition must survive json.dumps unchanged"


BREAKAGES = {
    "a Next that points nowhere": lambda d: d["States"]["Extract"].update(Next="Transfrom"),
    "a catcher to a missing state": lambda d: d["States"]["Load"]["Catch"][0].update(Next="Quarantined"),
    "StartAt a missing state": lambda d: d.update(StartAt="Begin"),
    "States.ALL before a specific retrier": lambda d: d["States"]["Extract"]["Retry"].insert(
        0, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}),
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_the_validator_catches_a_broken_copy_of_your_definition(breakage):
    broken = copy.deepcopy(build_definition(config_for()))
    breakage(broken)
    assert asl_problems(broken), "the validator found nothing wrong with a deliberately broken definition"


def test_states_are_wired_extract_transform_load():
    states = build_definition(config_for())["States"]
    path = [states["Extract"].get("Next"), states["Transform"].get("Next"), states["Load"].get("End")]
    assert path == ["Transform", "Load", True], f"Extract.Next, Transform.Next, Load.End = {path}, expected ['Transform', 'Load', True]"
    load = states["Load"]
    assert (load.get("Type"), load.get("ItemsPath")) == ("Map", "$.transformed.rows"), \
        f"Load is Type={load.get('Type')!r} ItemsPath={load.get('ItemsPath')!r}, expected a Map over '$.transformed.rows'"
    assert load.get("MaxConcurrency") == 4, f"Load.MaxConcurrency = {load.get('MaxConcurrency')!r}, expected config.max_concurrency = 4"
    put = (load.get("ItemProcessor") or {}).get("States", {}).get("Put", {})
    assert put.get("Resource") == "arn:aws:states:::dynamodb:putItem", f"Put.Resource = {put.get('Resource')!r}"
    assert put.get("Parameters", {}).get("ConditionExpression") == "attribute_not_exists(pk)", \
        "Put must use ConditionExpression 'attribute_not_exists(pk)' so a rerun never overwrites a row"
    assert states.get("PipelineFailed", {}).get("Type") == "Fail", "PipelineFailed must be a Fail state"


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_retriers_cover_exactly_the_transient_errors_with_the_configured_backoff(config):
    states = build_definition(config)["States"]
    put = states["Load"]["ItemProcessor"]["States"]["Put"]
    policy = config.retry
    for name, state, errors in (("Extract", states["Extract"], LAMBDA_TRANSIENT_ERRORS),
                                ("Transform", states["Transform"], LAMBDA_TRANSIENT_ERRORS),
                                ("Put", put, DYNAMODB_TRANSIENT_ERRORS)):
        retry = state.get("Retry")
        assert isinstance(retry, list) and len(retry) == 1, f"{name}.Retry = {retry!r}, expected exactly one retrier"
        got = retry[0]
        assert sorted(got.get("ErrorEquals", [])) == sorted(errors), \
            f"{name} retries {got.get('ErrorEquals')}, expected exactly {sorted(errors)} (never States.ALL)"
        want = (policy.interval_seconds, policy.max_attempts, policy.backoff_rate)
        have = (got.get("IntervalSeconds"), got.get("MaxAttempts"), got.get("BackoffRate"))
        assert have == want, f"{name} retrier (IntervalSeconds, MaxAttempts, BackoffRate) = {have}, expected {want}"
        assert "JitterStrategy" not in got, f"{name}: no jitter, the tests check the exact waits"


def test_every_failure_is_caught_into_quarantine_keeping_the_input():
    states = build_definition(config_for())["States"]
    for name in ("Extract", "Transform", "Load"):
        catch = states[name].get("Catch")
        want = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Quarantine"}]
        assert catch == want, f"{name}.Catch = {catch!r}, expected {want}"


@settings(max_examples=60, deadline=None)
@given(interval=st.integers(1, 3600), attempts=st.integers(0, 10),
       rate=st.floats(1.0, 10.0, allow_nan=False), concurrency=st.integers(0, 40))
def test_any_retry_policy_yields_a_valid_definition(interval, attempts, rate, concurrency):
    config = config_for(RetryPolicy(interval, attempts, rate), concurrency)
    definition = build_definition(config)
    assert asl_problems(definition) == [], f"build_definition({config}) is not valid: {asl_problems(definition)}"
    put = definition["States"]["Load"]["ItemProcessor"]["States"]["Put"]["Retry"][0]
    assert (put["IntervalSeconds"], put["MaxAttempts"], put["BackoffRate"]) == (interval, attempts, rate)


# ---------------------------------------------------------------------------------------------
# Real executions in moto
# ---------------------------------------------------------------------------------------------

class Throttled(Exception):
    """Raised by a test handler: the fake Lambda service answers TooManyRequestsException."""


class SourceUnavailable(Exception):
    """Raised by a test handler: the function itself fails (a function error, not retryable)."""


def extract_two_orders(event):
    return {"records": [{"id": "o-1", "day": "2024-06-01", "cents": 1250},
                        {"id": "o-2", "day": "2024-06-01", "cents": 399}]}


def transform_cents_to_amount(event):
    return {"rows": [{"order_id": r["id"], "day": r["day"], "amount": r["cents"] / 100} for r in event["records"]]}


@dataclass
class Stack:
    """The moto account a test runs in, with its knobs and its read-outs."""
    sfn: object
    ddb: object
    sqs: object
    queue_url: str
    config: PipelineConfig
    role_arn: str
    machine_name: str = "sales-etl"
    handlers: dict = field(default_factory=dict)
    invocations: list = field(default_factory=list)
    retry_waits: list = field(default_factory=list)
    throttles_left: dict = field(default_factory=dict)

    def run(self, batch_id="2024-06-01", execution_name="run-1", config=None):
        definition = build_definition(config or self.config)
        arn = deploy_and_start(self.sfn, self.machine_name, definition, self.role_arn, {"batch_id": batch_id},
                               execution_name)
        result = wait_for_execution(self.sfn, arn, sleep=time.sleep, poll_seconds=0.02, max_polls=500)
        history = self.sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        result["entered"] = [e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e]
        return result

    def rows(self, table="sales"):
        items = self.ddb.scan(TableName=table)["Items"]
        return sorted(sorted((k, next(iter(v.values()))) for k, v in item.items()) for item in items)

    def alerts(self):
        messages = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]


def _zipped_handler() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("h.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def _fake_lambda_runtime(stack: Stack):
    from moto.core.exceptions import JsonRESTError

    def invoke(self, function_name, qualifier, body, headers, response_headers):
        short = function_name.rsplit(":", 1)[-1]
        event = json.loads(body) if body else {}
        stack.invocations.append(short)
        try:
            result = stack.handlers[short](event)
        except Throttled:
            raise JsonRESTError("TooManyRequestsException", "Rate exceeded") from None
        except Exception as error:  # a function error, as the Lambda service reports it
            response_headers["x-amz-function-error"] = "Unhandled"
            result = {"errorType": type(error).__name__, "errorMessage": str(error)}
        return json.dumps(result).encode()

    return invoke


@pytest.fixture(scope="module")
def account(aws_session):
    """One moto account for the file (building it per test costs more than the tests): IAM role,
    the two Lambda functions, the tables, an alert topic with an SQS inbox subscribed.
    The `stack` fixture empties the tables and the inbox before every test."""
    from moto import mock_aws
    from moto.core.config import default_user_config

    from dojo.services.aws import CLEARED, FAKE_ENVIRONMENT

    config = {
        "stepfunctions": {"execute_state_machine": True},  # run executions, not just store them
        "lambda": {"use_docker": False},                    # Lambda tasks call the test's handlers
        "core": {**default_user_config["core"], "reset_boto3_session": False},
    }
    with pytest.MonkeyPatch.context() as env:
        for name in CLEARED:
            env.delenv(name, raising=False)
        for name, value in FAKE_ENVIRONMENT.items():
            env.setenv(name, value)
        with mock_aws(config=config):
            iam, lam, sns = aws_session.client("iam"), aws_session.client("lambda"), aws_session.client("sns")
            ddb, sqs = aws_session.client("dynamodb"), aws_session.client("sqs")
            role_arn = iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                        "Principal": {"Service": "states.amazonaws.com"}}]}))["Role"]["Arn"]
            functions = {name: lam.create_function(FunctionName=name, Runtime="python3.12", Role=role_arn,
                                                   Handler="h.handler", Code={"ZipFile": _zipped_handler()})["FunctionArn"]
                         for name in ("extract", "transform")}
            for table, key in (("sales", "pk"), ("sales_quarantine", "execution")):
                ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                                 KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}])
            topic = sns.create_topic(Name="etl-alerts")["TopicArn"]
            queue_url = sqs.create_queue(QueueName="etl-alerts-inbox")["QueueUrl"]
            queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
            pipeline = PipelineConfig(extract_function=functions["extract"], transform_function=functions["transform"],
                                      table="sales", quarantine_table="sales_quarantine", alert_topic_arn=topic,
                                      retry=RetryPolicy(interval_seconds=3, max_attempts=3, backoff_rate=2.0),
                                      max_concurrency=1)
            yield SimpleNamespace(sfn=aws_session.client("stepfunctions"), ddb=ddb, sqs=sqs, queue_url=queue_url,
                                  pipeline=pipeline, role_arn=role_arn)


@pytest.fixture
def stack(account, aws_credentials, monkeypatch, request):
    """A clean slate in the shared account, a state machine name of its own, and the fakes:
    Python handlers behind the Lambda tasks, DynamoDB that throttles on demand, and moto's retry
    waits recorded instead of slept."""
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.dynamodb.exceptions import DynamodbException
    from moto.dynamodb.models import DynamoDBBackend
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

    for table, key in (("sales", "pk"), ("sales_quarantine", "execution")):
        for item in account.ddb.scan(TableName=table)["Items"]:
            account.ddb.delete_item(TableName=table, Key={key: item[key]})
    for message in account.sqs.receive_message(QueueUrl=account.queue_url, MaxNumberOfMessages=10).get("Messages", []):
        account.sqs.delete_message(QueueUrl=account.queue_url, ReceiptHandle=message["ReceiptHandle"])
    built = Stack(sfn=account.sfn, ddb=account.ddb, sqs=account.sqs, queue_url=account.queue_url,
                  config=account.pipeline, role_arn=account.role_arn,
                  machine_name=f"sales-etl-{len(account.sfn.list_state_machines()['stateMachines'])}",
                  handlers={"extract": extract_two_orders, "transform": transform_cents_to_amount})
    original_put = DynamoDBBackend.put_item

    def sometimes_throttled_put(self, table_name, *args, **kwargs):
        if built.throttles_left.get(table_name, 0) > 0:
            built.throttles_left[table_name] -= 1
            raise DynamodbException("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                                    "The level of configured provisioned throughput for the table was exceeded.")
        return original_put(self, table_name, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "put_item", sometimes_throttled_put)
    monkeypatch.setattr(LambdaSimpleBackend, "invoke", _fake_lambda_runtime(built))
    monkeypatch.setattr(retrier_decl, "time", SimpleNamespace(sleep=built.retry_waits.append))
    return built


LOADED = [[("amount", "12.5"), ("day", "2024-06-01"), ("pk", "o-1")],
          [("amount", "3.99"), ("day", "2024-06-01"), ("pk", "o-2")]]


def test_a_clean_batch_runs_extract_transform_load_and_writes_every_row(stack):
    seen = []
    stack.handlers["transform"] = lambda event: seen.append(event) or transform_cents_to_amount(event)
    result = stack.run()
    assert result["status"] == "SUCCEEDED", f"execution ended {result['status']} ({result.get('error')}: {result.get('cause')}), expected SUCCEEDED"
    for state in ("Extract", "Transform", "Load", "Put"):
        assert state in result["entered"], f"state {state!r} never ran; states entered: {result['entered']}"
    assert stack.rows() == LOADED, f"sales table holds {stack.rows()}, expected {LOADED}"
    assert stack.rows("sales_quarantine") == [] and stack.alerts() == [], "a clean run must quarantine and alert nothing"
    assert stack.retry_waits == [], f"a clean run waited {stack.retry_waits} for retries, expected none"
    assert seen == [{"batch_id": "2024-06-01", **extract_two_orders({})}], \
        f"the transform Lambda received {seen}, expected one event {{'batch_id': ..., 'records': [...]}}"


def test_a_rerun_of_the_same_batch_succeeds_and_overwrites_nothing(stack):
    stack.run(execution_name="run-1")
    stack.handlers["extract"] = lambda event: {"records": [{"id": "o-1", "day": "2024-06-01", "cents": 99999},
                                                           {"id": "o-2", "day": "2024-06-01", "cents": 399}]}
    result = stack.run(execution_name="run-2")
    assert result["status"] == "SUCCEEDED", f"the rerun ended {result['status']} ({result.get('error')}), expected SUCCEEDED: catch ConditionalCheckFailed"
    assert "AlreadyLoaded" in result["entered"], f"a loaded row must go to AlreadyLoaded; states entered: {result['entered']}"
    assert stack.rows() == LOADED, f"after the rerun the sales table holds {stack.rows()}, expected it unchanged: {LOADED}"


def test_a_throttled_put_is_retried_with_exponential_backoff(stack):
    stack.throttles_left["sales"] = 2
    result = stack.run()
    assert result["status"] == "SUCCEEDED", f"two throttles then success ended {result['status']} ({result.get('error')}), expected SUCCEEDED"
    assert stack.retry_waits == [3, 6], f"moto waited {stack.retry_waits} s between attempts, expected [3, 6] (3 s, then x2.0)"
    assert stack.rows() == LOADED


def test_throttling_past_max_attempts_is_quarantined_and_reported(stack):
    stack.throttles_left["sales"] = 100
    result = stack.run(batch_id="2024-06-02", execution_name="throttled")
    assert (result["status"], result.get("error")) == ("FAILED", "PipelineFailed"), \
        f"execution ended {result['status']} with error {result.get('error')!r} ({result.get('cause')}), expected FAILED with 'PipelineFailed'"
    assert stack.retry_waits == [3, 6, 12], f"moto waited {stack.retry_waits}, expected [3, 6, 12]: MaxAttempts=3 retries"
    quarantined = stack.rows("sales_quarantine")
    assert len(quarantined) == 1, f"quarantine table holds {quarantined}, expected one record"
    record = dict(quarantined[0])
    want = {"execution": "throttled", "batch_id": "2024-06-02", "error": "DynamoDB.ProvisionedThroughputExceededException"}
    assert {k: record.get(k) for k in want} == want and record.get("cause"), f"quarantine record {record}, expected {want} and a cause"
    alerts = stack.alerts()
    assert alerts == [{"batch_id": "2024-06-02", "error": "DynamoDB.ProvisionedThroughputExceededException",
                       "execution": "throttled"}], f"alert messages {alerts}, expected one naming the batch, error and execution"


def test_bad_data_is_not_retried(stack):
    stack.handlers["transform"] = lambda event: {"rows": [{"order_id": "o-9", "day": "2024-06-01", "amount": "n/a"}]}
    result = stack.run(execution_name="bad-amount")
    assert result["status"] == "FAILED", f"an amount of 'n/a' ended {result['status']}, expected FAILED"
    assert stack.retry_waits == [], f"a ValidationException was retried (waits {stack.retry_waits}): bad data fails the same way every time"
    record = dict(stack.rows("sales_quarantine")[0]) if stack.rows("sales_quarantine") else {}
    assert record.get("error") == "DynamoDB.ValidationException", f"quarantine record {record}, expected error DynamoDB.ValidationException"


def test_a_throttled_lambda_is_retried_once_then_succeeds(stack):
    calls = []

    def extract_throttled_once(event):
        calls.append(event)
        if len(calls) == 1:
            raise Throttled()
        return extract_two_orders(event)

    stack.handlers["extract"] = extract_throttled_once
    result = stack.run()
    assert result["status"] == "SUCCEEDED", f"one Lambda throttle ended {result['status']} ({result.get('error')}), expected SUCCEEDED"
    assert stack.invocations[:3] == ["extract", "extract", "transform"], f"Lambda calls were {stack.invocations}"
    assert stack.retry_waits == [3], f"moto waited {stack.retry_waits}, expected [3]"
    assert calls[0] == {"batch_id": "2024-06-01"}, f"extract got {calls[0]!r}, expected the execution input"


def test_a_failing_extract_is_quarantined_with_its_batch_and_nothing_is_loaded(stack):
    def broken_source(event):
        raise SourceUnavailable("upstream API returned 503 for 2024-06-03")

    stack.handlers["extract"] = broken_source
    result = stack.run(batch_id="2024-06-03", execution_name="no-source")
    assert (result["status"], result.get("error")) == ("FAILED", "PipelineFailed"), \
        f"execution ended {result['status']} / {result.get('error')!r} ({result.get('cause')}), expected FAILED / 'PipelineFailed'"
    assert "Transform" not in result["entered"], f"Transform ran after Extract failed: {result['entered']}"
    assert stack.retry_waits == [], f"a function error was retried (waits {stack.retry_waits}); only transient Lambda.* errors are"
    assert stack.rows() == [], "nothing may be loaded when extract fails"
    quarantined = [dict(r) for r in stack.rows("sales_quarantine")]
    assert len(quarantined) == 1 and {k: quarantined[0].get(k) for k in ("execution", "batch_id", "error")} == \
        {"execution": "no-source", "batch_id": "2024-06-03", "error": "SourceUnavailable"}, \
        f"quarantine holds {quarantined}, expected one record for execution 'no-source', batch '2024-06-03', error 'SourceUnavailable'"
    assert [a.get("batch_id") for a in stack.alerts()] == ["2024-06-03"], "one alert naming the batch must be published"


def test_a_redeploy_updates_the_definition_instead_of_keeping_the_old_one(stack):
    stack.run(execution_name="first")
    faster = PipelineConfig(**{**stack.config.__dict__, "retry": RetryPolicy(1, 1, 1.0)})
    stack.run(execution_name="second", config=faster)
    machines = [m for m in stack.sfn.list_state_machines()["stateMachines"] if m["name"] == stack.machine_name]
    assert len(machines) == 1, f"{len(machines)} state machines named {stack.machine_name!r}, expected 1"
    deployed = json.loads(stack.sfn.describe_state_machine(stateMachineArn=machines[0]["stateMachineArn"])["definition"])
    assert deployed == build_definition(faster), "after deploying a changed definition the machine still runs the old one"


# ---------------------------------------------------------------------------------------------
# wait_for_execution against a scripted client
# ---------------------------------------------------------------------------------------------

class ScriptedSfn:
    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.calls = 0

    def describe_execution(self, executionArn):
        self.calls += 1
        status = self.statuses.pop(0) if self.statuses else "RUNNING"
        return {"executionArn": executionArn, "status": status}


WAITS = {
    "already finished: no sleep": (["SUCCEEDED"], 1, []),
    "two RUNNING polls, then FAILED": (["RUNNING", "RUNNING", "FAILED"], 3, [0.5, 0.5]),
    "TIMED_OUT is final too": (["RUNNING", "TIMED_OUT"], 2, [0.5]),
}


@pytest.mark.parametrize("statuses,polls,sleeps", WAITS.values(), ids=WAITS.keys())
def test_wait_for_execution_polls_with_the_injected_sleep(statuses, polls, sleeps):
    client, slept = ScriptedSfn(statuses), []
    got = wait_for_execution(client, "arn:exec", sleep=slept.append, poll_seconds=0.5, max_polls=10)
    assert got["status"] == statuses[-1], f"wait_for_execution returned status {got['status']!r}, expected {statuses[-1]!r}"
    assert (client.calls, slept) == (polls, sleeps), \
        f"{client.calls} polls and sleeps {slept}, expected {polls} polls and sleeps {sleeps}"


def test_wait_for_execution_gives_up_after_max_polls_naming_the_execution():
    client, slept = ScriptedSfn([]), []
    with pytest.raises(TimeoutError, match="arn:exec:stuck"):
        wait_for_execution(client, "arn:exec:stuck", sleep=slept.append, poll_seconds=2.0, max_polls=4)
    assert client.calls == 4 and len(slept) <= 4, f"{client.calls} polls and {len(slept)} sleeps, expected 4 polls"
