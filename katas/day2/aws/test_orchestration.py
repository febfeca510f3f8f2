"""Tests for the orchestration kata: run `pytest katas/day2/aws/test_orchestration.py`.

The DAG runner is plain Python: sleeps are injected and recorded. moto does not implement MWAA,
so the MWAA tests put botocore's Stubber on a real boto3 'mwaa' client: every request is checked
against the service model offline (types, required fields, lengths) and against the exact
parameters expected here, and nothing leaves the process.
"""
from __future__ import annotations

import itertools

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day2.aws.orchestration import (
    SUPPORTED_AIRFLOW_VERSIONS,
    CycleError,
    MemoryStateStore,
    MwaaSpec,
    Task,
    create_environment_request,
    ensure_mwaa_environment,
    run_dag,
    topological_order,
)

pytestmark = pytest.mark.needs("aws")


# ---------------------------------------------------------------------------------------------
# topological_order
# ---------------------------------------------------------------------------------------------

ORDERS = {
    "empty DAG": ({}, []),
    "one task": ({"a": []}, ["a"]),
    "a chain listed backwards": ({"c": ["b"], "b": ["a"], "a": []}, ["a", "b", "c"]),
    "independent tasks come out sorted": ({"b": [], "c": [], "a": []}, ["a", "b", "c"]),
    "diamond": ({"load": ["clean", "enrich"], "clean": ["extract"], "enrich": ["extract"], "extract": []},
                ["extract", "clean", "enrich", "load"]),
    "smallest READY task first, not smallest overall": ({"a": ["z"], "z": [], "b": []}, ["b", "z", "a"]),
    "an upstream listed twice": ({"b": ["a", "a"], "a": []}, ["a", "b"]),
}


@pytest.mark.parametrize("upstream,want", ORDERS.values(), ids=ORDERS.keys())
def test_topological_order(upstream, want):
    got = topological_order(upstream)
    assert got == want, f"topological_order({upstream}) returned {got}, expected {want}"


def assert_is_a_cycle_of(error: CycleError, upstream: dict, members: set | None = None):
    cycle = error.cycle
    assert isinstance(cycle, list) and len(cycle) >= 2 and cycle[0] == cycle[-1], \
        f"CycleError.cycle = {cycle!r}, expected a list that starts and ends with the same task"
    for before, after in zip(cycle, cycle[1:]):
        assert before in upstream[after], \
            f"cycle {cycle}: {after!r} does not depend on {before!r} (its upstream is {upstream[after]})"
    if members is not None:
        assert set(cycle) == members, f"cycle {cycle} should go through exactly {sorted(members)}"
    assert " -> ".join(cycle) in str(error), f"the message {str(error)!r} should spell the cycle {' -> '.join(cycle)!r}"


CYCLES = {
    "a task that depends on itself": ({"a": ["a"]}, {"a"}),
    "two tasks waiting on each other": ({"a": ["b"], "b": ["a"]}, {"a", "b"}),
    "a cycle behind a healthy start, with a task hanging off it": (
        {"start": [], "x": ["start", "z"], "y": ["x"], "z": ["y"], "end": ["z"]}, {"x", "y", "z"}),
}


@pytest.mark.parametrize("upstream,members", CYCLES.values(), ids=CYCLES.keys())
def test_a_cycle_is_refused_naming_the_cycle(upstream, members):
    with pytest.raises(CycleError) as caught:
        topological_order(upstream)
    assert isinstance(caught.value, ValueError), "CycleError must be a ValueError"
    assert_is_a_cycle_of(caught.value, upstream, members)


def test_an_unknown_upstream_is_a_value_error_naming_it_not_a_cycle():
    with pytest.raises(ValueError) as caught:
        topological_order({"load": ["transfrom"], "transform": []})
    assert not isinstance(caught.value, CycleError), "a missing task is not a cycle"
    assert "transfrom" in str(caught.value), f"the message {str(caught.value)!r} should name 'transfrom'"


def brute_force_order(upstream: dict) -> list | None:
    """The lexicographically smallest valid order by trying every permutation, or None."""
    for order in itertools.permutations(sorted(upstream)):
        position = {task: i for i, task in enumerate(order)}
        if all(position[dep] < position[task] for task, deps in upstream.items() for dep in deps):
            return list(order)
    return None


NAMES = ["extract", "clean", "enrich", "load", "audit", "notify"]


@st.composite
def graphs(draw, acyclic: bool):
    names = draw(st.permutations(NAMES))[:draw(st.integers(0, len(NAMES)))]
    upstream = {name: [] for name in names}
    for i, task in enumerate(names):
        candidates = names[:i] if acyclic else names
        upstream[task] = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=3)) if candidates else []
    return upstream


@settings(max_examples=150, deadline=None)
@given(upstream=graphs(acyclic=True))
def test_any_acyclic_graph_gets_the_smallest_valid_order(upstream):
    want = brute_force_order(upstream)
    got = topological_order(upstream)
    assert got == want, f"topological_order({upstream}) returned {got}, the smallest valid order is {want}"


@settings(max_examples=150, deadline=None)
@given(upstream=graphs(acyclic=False))
def test_any_graph_is_either_ordered_or_refused_with_a_real_cycle(upstream):
    want = brute_force_order(upstream)
    if want is not None:
        got = topological_order(upstream)
        assert got == want, f"topological_order({upstream}) returned {got}, expected {want}"
    else:
        with pytest.raises(CycleError) as caught:
            topological_order(upstream)
        assert_is_a_cycle_of(caught.value, upstream)


# ---------------------------------------------------------------------------------------------
# run_dag
# ---------------------------------------------------------------------------------------------

class Recorder:
    """Task callables that log every call and fail on demand."""

    def __init__(self):
        self.calls = []
        self.failures = {}      # task id -> number of attempts that fail (999: always)

    def __call__(self, context):
        self.calls.append((context["task_id"], context["run_id"], context["try_number"]))
        if self.failures.get(context["task_id"], 0) >= context["try_number"]:
            raise RuntimeError(f"{context['task_id']} failed on try {context['try_number']}")

    def called(self):
        return [task_id for task_id, _, _ in self.calls]


def etl_tasks(recorder, **transform_options):
    """extract -> transform -> load, and an audit task that only needs extract."""
    return [
        Task("load", recorder, upstream=("transform",)),
        Task("transform", recorder, upstream=("extract",), **transform_options),
        Task("extract", recorder),
        Task("audit", recorder, upstream=("extract",)),
    ]


ALL_SUCCESS = {"extract": "success", "transform": "success", "load": "success", "audit": "success"}


def test_tasks_run_in_dependency_order_with_their_context():
    recorder, slept = Recorder(), []
    states = run_dag(etl_tasks(recorder), "2024-06-01", MemoryStateStore(), sleep=slept.append)
    assert states == ALL_SUCCESS, f"run_dag returned {states}, expected {ALL_SUCCESS}"
    want = [("extract", "2024-06-01", 1), ("audit", "2024-06-01", 1), ("transform", "2024-06-01", 1),
            ("load", "2024-06-01", 1)]
    assert recorder.calls == want, f"calls (task, run_id, try_number) were {recorder.calls}, expected {want}"
    assert slept == [], f"nothing failed, yet the runner slept {slept}"


def test_a_flaky_task_is_retried_after_the_delay():
    recorder, slept = Recorder(), []
    recorder.failures["transform"] = 2
    states = run_dag(etl_tasks(recorder, retries=2, retry_delay=30), "r1", MemoryStateStore(), sleep=slept.append)
    assert states == ALL_SUCCESS, f"a task failing twice with retries=2 ended {states}, expected all success"
    tries = [try_number for task_id, _, try_number in recorder.calls if task_id == "transform"]
    assert tries == [1, 2, 3], f"transform ran with try numbers {tries}, expected [1, 2, 3]"
    assert slept == [30, 30], f"slept {slept}, expected [30, 30]: retry_delay before each retry, not before try 1"


def test_exponential_backoff_doubles_the_delay_and_stops_after_the_last_retry():
    recorder, slept = Recorder(), []
    recorder.failures["transform"] = 999
    states = run_dag(etl_tasks(recorder, retries=3, retry_delay=10, retry_exponential_backoff=True), "r1",
                     MemoryStateStore(), sleep=slept.append)
    assert states["transform"] == "failed", f"transform ended {states['transform']!r}, expected 'failed'"
    assert recorder.called().count("transform") == 4, f"transform ran {recorder.called().count('transform')} times, expected 1 + 3 retries"
    assert slept == [10, 20, 40], f"slept {slept}, expected [10, 20, 40]; no sleep after the last attempt"


def test_a_failed_task_blocks_only_its_downstream():
    recorder, store = Recorder(), MemoryStateStore()
    recorder.failures["transform"] = 999
    states = run_dag(etl_tasks(recorder, retries=1, retry_delay=5), "r1", store, sleep=lambda s: None)
    want = {"extract": "success", "transform": "failed", "load": "upstream_failed", "audit": "success"}
    assert states == want, f"run_dag returned {states}, expected {want}"
    assert "load" not in recorder.called(), "load ran although its upstream failed"
    stored = {task: store.get("r1", task) for task in want}
    assert stored == want, f"the store holds {stored}, expected {want}"


def test_a_rerun_of_a_succeeded_run_is_a_no_op():
    recorder, store, slept = Recorder(), MemoryStateStore(), []
    run_dag(etl_tasks(recorder), "2024-06-01", store, sleep=slept.append)
    recorder.calls.clear()
    states = run_dag(etl_tasks(recorder), "2024-06-01", store, sleep=slept.append)
    assert states == ALL_SUCCESS, f"the rerun returned {states}, expected {ALL_SUCCESS}"
    assert recorder.calls == [] and slept == [], f"the rerun called {recorder.called()} and slept {slept}, expected nothing"


def test_a_rerun_after_a_failure_resumes_from_the_failed_task():
    recorder, store = Recorder(), MemoryStateStore()
    recorder.failures["transform"] = 999
    run_dag(etl_tasks(recorder), "2024-06-01", store, sleep=lambda s: None)
    recorder.failures.clear()
    recorder.calls.clear()
    states = run_dag(etl_tasks(recorder), "2024-06-01", store, sleep=lambda s: None)
    assert states == ALL_SUCCESS, f"the rerun after fixing transform returned {states}, expected {ALL_SUCCESS}"
    assert recorder.called() == ["transform", "load"], \
        f"the rerun called {recorder.called()}, expected only ['transform', 'load'] (extract and audit already succeeded)"


def test_another_run_id_starts_from_scratch():
    recorder, store = Recorder(), MemoryStateStore()
    run_dag(etl_tasks(recorder), "2024-06-01", store, sleep=lambda s: None)
    recorder.calls.clear()
    run_dag(etl_tasks(recorder), "2024-06-02", store, sleep=lambda s: None)
    assert sorted(recorder.called()) == sorted(ALL_SUCCESS), f"run 2024-06-02 called {recorder.called()}, expected every task"


def test_duplicate_task_ids_are_refused():
    recorder = Recorder()
    with pytest.raises(ValueError, match="extract"):
        run_dag([Task("extract", recorder), Task("extract", recorder)], "r1", MemoryStateStore(), sleep=lambda s: None)
    assert recorder.calls == [], f"tasks ran before the duplicate was found: {recorder.called()}"


def test_a_cyclic_dag_runs_nothing():
    recorder = Recorder()
    tasks = [Task("a", recorder, upstream=("b",)), Task("b", recorder, upstream=("a",)), Task("c", recorder)]
    with pytest.raises(CycleError):
        run_dag(tasks, "r1", MemoryStateStore(), sleep=lambda s: None)
    assert recorder.calls == [], f"tasks ran although the DAG has a cycle: {recorder.called()}"


@settings(max_examples=100, deadline=None)
@given(upstream=graphs(acyclic=True), data=st.data())
def test_a_task_succeeds_exactly_when_it_and_all_its_ancestors_succeed(upstream, data):
    failing = set(data.draw(st.lists(st.sampled_from(sorted(upstream)), unique=True) if upstream else st.just([])))
    recorder = Recorder()
    recorder.failures = {task: 999 for task in failing}
    tasks = [Task(name, recorder, upstream=tuple(deps)) for name, deps in upstream.items()]
    states = run_dag(tasks, "r1", MemoryStateStore(), sleep=lambda s: None)

    def ancestors(task):
        found, todo = set(), list(upstream[task])
        while todo:
            parent = todo.pop()
            if parent not in found:
                found.add(parent)
                todo.extend(upstream[parent])
        return found

    want = {}
    for task in upstream:
        if ancestors(task) & failing:
            want[task] = "upstream_failed"
        else:
            want[task] = "failed" if task in failing else "success"
    assert states == want, f"DAG {upstream} with failing tasks {sorted(failing)}: got {states}, expected {want}"


# ---------------------------------------------------------------------------------------------
# MWAA through botocore's Stubber
# ---------------------------------------------------------------------------------------------

SPEC = MwaaSpec(
    name="sales-etl",
    source_bucket_arn="arn:aws:s3:::acme-airflow-dags",
    dag_s3_path="dags",
    execution_role_arn="arn:aws:iam::123456789012:role/mwaa-sales-etl",
    subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
    security_group_ids=("sg-0123456789abcdef0",),
    airflow_version="2.10.3",
    environment_class="mw1.small",
    max_workers=4,
    tags={"team": "data", "cost-center": "analytics"},
)
ARN = "arn:aws:airflow:us-east-1:123456789012:environment/sales-etl"
EXPECTED_REQUEST = {
    "Name": "sales-etl",
    "SourceBucketArn": "arn:aws:s3:::acme-airflow-dags",
    "DagS3Path": "dags",
    "ExecutionRoleArn": "arn:aws:iam::123456789012:role/mwaa-sales-etl",
    "NetworkConfiguration": {"SubnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                             "SecurityGroupIds": ["sg-0123456789abcdef0"]},
    "AirflowVersion": "2.10.3",
    "EnvironmentClass": "mw1.small",
    "MaxWorkers": 4,
    "WebserverAccessMode": "PRIVATE_ONLY",
    "LoggingConfiguration": {"TaskLogs": {"Enabled": True, "LogLevel": "INFO"}},
    "Tags": {"team": "data", "cost-center": "analytics"},
}


@pytest.fixture
def mwaa(aws_credentials, aws_session):
    client = aws_session.client("mwaa")
    with Stubber(client) as stubber:
        yield client, stubber


def test_the_request_carries_every_setting():
    got = create_environment_request(SPEC)
    assert got == EXPECTED_REQUEST, f"create_environment_request(SPEC) returned\n{got}\nexpected\n{EXPECTED_REQUEST}"


def test_no_tags_means_no_tags_key():
    got = create_environment_request(MwaaSpec(**{**SPEC.__dict__, "tags": {}}))
    assert "Tags" not in got, f"with no tags the request has Tags={got.get('Tags')!r}; the API refuses an empty map"


def test_a_missing_environment_is_created_with_the_exact_request(mwaa):
    client, stubber = mwaa
    stubber.add_client_error("get_environment", service_error_code="ResourceNotFoundException",
                             http_status_code=404, expected_params={"Name": "sales-etl"})
    stubber.add_response("create_environment", {"Arn": ARN}, expected_params=EXPECTED_REQUEST)
    got = ensure_mwaa_environment(client, SPEC)
    assert got == ARN, f"ensure_mwaa_environment returned {got!r}, expected the new environment's ARN {ARN!r}"
    stubber.assert_no_pending_responses()


def test_an_existing_environment_is_not_created_again(mwaa):
    client, stubber = mwaa
    stubber.add_response("get_environment", {"Environment": {"Name": "sales-etl", "Arn": ARN, "Status": "AVAILABLE"}},
                         expected_params={"Name": "sales-etl"})
    got = ensure_mwaa_environment(client, SPEC)   # a create_environment call here fails: nothing is stubbed for it
    assert got == ARN, f"ensure_mwaa_environment returned {got!r}, expected the existing ARN {ARN!r}"
    stubber.assert_no_pending_responses()


def test_other_errors_are_not_mistaken_for_a_missing_environment(mwaa):
    client, stubber = mwaa
    stubber.add_client_error("get_environment", service_error_code="AccessDeniedException", http_status_code=403)
    with pytest.raises(ClientError) as caught:
        ensure_mwaa_environment(client, SPEC)
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException", \
        f"expected the AccessDeniedException to propagate, got {caught.value.response['Error']['Code']}"


INVALID = {
    "an s3:// URL instead of a bucket ARN": ("source_bucket_arn", "s3://acme-airflow-dags"),
    "a bucket ARN with a prefix": ("source_bucket_arn", "arn:aws:s3:::acme-airflow-dags/dags"),
    "a DAG path given as an s3:// URL": ("dag_s3_path", "s3://acme-airflow-dags/dags"),
    "a DAG path with a leading slash": ("dag_s3_path", "/dags"),
    "an empty DAG path": ("dag_s3_path", ""),
    "a user ARN instead of a role": ("execution_role_arn", "arn:aws:iam::123456789012:user/alice"),
    "a role name instead of an ARN": ("execution_role_arn", "mwaa-sales-etl"),
    "one subnet": ("subnet_ids", ("subnet-0a1b2c3d4e5f60001",)),
    "three subnets": ("subnet_ids", ("subnet-1", "subnet-2", "subnet-3")),
    "no security group": ("security_group_ids", ()),
    "an unsupported Airflow version": ("airflow_version", "1.10.12"),
    "a name starting with a digit": ("name", "1-sales"),
    "a name with a space": ("name", "sales etl"),
    "zero workers": ("max_workers", 0),
}


@pytest.mark.parametrize("field_name,value", INVALID.values(), ids=INVALID.keys())
def test_an_invalid_spec_is_refused_naming_the_field(field_name, value):
    spec = MwaaSpec(**{**SPEC.__dict__, field_name: value})
    with pytest.raises(ValueError) as caught:
        create_environment_request(spec)
    assert field_name in str(caught.value), f"{field_name}={value!r}: the error {str(caught.value)!r} should name {field_name!r}"


@pytest.mark.parametrize("version", SUPPORTED_AIRFLOW_VERSIONS)
def test_every_supported_version_passes_the_service_model(mwaa, version):
    client, stubber = mwaa
    request = create_environment_request(MwaaSpec(**{**SPEC.__dict__, "airflow_version": version}))
    stubber.add_response("create_environment", {"Arn": ARN}, expected_params=request)
    assert client.create_environment(**request)["Arn"] == ARN
