"""Orchestration: a small DAG runner (Airflow's core) and the MWAA environment that would host it.

Interviewers ask about Managed Airflow to hear how a scheduler works underneath: tasks with
dependencies run in topological order, a cycle is refused up front, a flaky task is retried after a
delay, and a rerun of the same run id skips what already succeeded (so backfills and manual
reruns are safe). Then: how do you stand up MWAA itself (DAGs in S3, an execution role, two private
subnets, a pinned Airflow version) without clicking in the console.

    tasks = [Task("extract", extract), Task("transform", transform, upstream=("extract",), retries=2,
             retry_delay=30), Task("load", load, upstream=("transform",))]
    store = MemoryStateStore()
    run_dag(tasks, "2024-06-01", store, sleep=fake_sleep)   # {"extract": "success", ...}
    run_dag(tasks, "2024-06-01", store, sleep=fake_sleep)   # a no-op: nothing runs again

Requirements: topological_order(upstream)
- `upstream` maps every task id to the ids it depends on. Return every task id once, each after
  all of its upstream tasks. Among the valid orders return the lexicographically smallest one
  (always run the smallest ready task id next), so runs are reproducible.
- An upstream id that is not a task raises ValueError naming it (not a CycleError).
- A cycle raises CycleError (a ValueError) with `.cycle`, a list of task ids that starts and ends
  with the same id, where each id is an upstream of the next: ["a", "b", "c", "a"] means b depends
  on a, c on b and a on c; a task depending on itself gives ["a", "a"]. The message contains the
  cycle written as "a -> b -> c -> a".

Requirements: run_dag(tasks, run_id, store, sleep=time.sleep)
- Duplicate task ids raise ValueError naming the id; a cycle raises CycleError. Both are refused
  before any task runs. Tasks run one at a time in topological_order.
- A task is called as task.fn(context), context = {"run_id": run_id, "task_id": ..., "try_number":
  n} with n = 1 for the first attempt. Any exception is a failed attempt.
- A failed attempt is retried up to task.retries times. Before retry k (k = 1, 2, ...) call
  sleep(task.retry_delay), or sleep(task.retry_delay * 2 ** (k - 1)) when
  task.retry_exponential_backoff is set. Never sleep before a first attempt or after the last.
- A task whose upstream did not all succeed is not called: its state is "upstream_failed". Other
  branches keep running after a failure.
- After each task, store.set(run_id, task_id, state) with "success", "failed" or
  "upstream_failed". A task whose stored state for this run id is already "success" is not called
  again and stays "success": a rerun of a succeeded run calls nothing and sleeps never, and a rerun
  after a failure resumes from the failed task. Another run id starts from scratch.
- Return {task_id: state} for every task.

Requirements: MWAA
- create_environment_request(spec) returns the keyword arguments for mwaa.create_environment:
  Name, SourceBucketArn, DagS3Path, ExecutionRoleArn, NetworkConfiguration {"SubnetIds": [...],
  "SecurityGroupIds": [...]}, AirflowVersion, EnvironmentClass, MaxWorkers,
  WebserverAccessMode "PRIVATE_ONLY", LoggingConfiguration {"TaskLogs": {"Enabled": True,
  "LogLevel": "INFO"}} and Tags (a dict; left out when spec.tags is empty, the API refuses {}).
- It raises ValueError naming the field when: the name does not match [A-Za-z][0-9A-Za-z_-]{0,79};
  source_bucket_arn is not a bucket ARN "arn:aws:s3:::bucket" (an s3:// URL or a prefix is wrong);
  dag_s3_path is not a relative path inside the bucket (no "s3://", no leading "/", not empty);
  execution_role_arn is not "arn:aws:iam::<12 digits>:role/<name>"; there are not exactly two
  subnet ids (MWAA needs two private subnets in different AZs); there is no security group;
  airflow_version is not in SUPPORTED_AIRFLOW_VERSIONS; max_workers < 1.
- ensure_mwaa_environment(mwaa, spec) calls get_environment(Name=...) first: if it exists, return
  its Arn and create nothing (provisioning is rerun); on ResourceNotFoundException call
  create_environment(**create_environment_request(spec)) and return the Arn. Other errors
  propagate.
"""
from __future__ import annotations

import heapq
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

SUPPORTED_AIRFLOW_VERSIONS = ("2.8.1", "2.9.2", "2.10.1", "2.10.3")


class CycleError(ValueError):
    def __init__(self, cycle: list[str]):
        self.cycle = cycle
        super().__init__(f"the tasks form a cycle: {' -> '.join(cycle)}")


@dataclass(frozen=True)
class Task:
    task_id: str
    fn: Callable[[dict[str, Any]], object]
    upstream: tuple[str, ...] = ()
    retries: int = 0
    retry_delay: float = 0.0
    retry_exponential_backoff: bool = False


class MemoryStateStore:
    """Task states by (run id, task id): what Airflow keeps in its metadata database."""

    def __init__(self) -> None:
        self.states: dict[tuple[str, str], str] = {}

    def get(self, run_id: str, task_id: str) -> str | None:
        return self.states.get((run_id, task_id))

    def set(self, run_id: str, task_id: str, state: str) -> None:
        self.states[(run_id, task_id)] = state


@dataclass(frozen=True)
class MwaaSpec:
    name: str
    source_bucket_arn: str
    dag_s3_path: str
    execution_role_arn: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    airflow_version: str = "2.10.3"
    environment_class: str = "mw1.small"
    max_workers: int = 5
    tags: Mapping[str, str] = field(default_factory=dict)


def _find_cycle(upstream: Mapping[str, Iterable[str]], stuck: set[str]) -> list[str]:
    """Walk upstream edges inside the stuck set until a task repeats; every stuck task has one."""
    start = min(stuck)
    path, position = [start], {start: 0}
    while True:
        parent = min(p for p in upstream[path[-1]] if p in stuck)
        if parent in position:
            loop = path[position[parent]:] + [parent]
            return loop[::-1]          # parent-first: each id is an upstream of the next
        position[parent] = len(path)
        path.append(parent)


def topological_order(upstream: Mapping[str, Iterable[str]]) -> list[str]:
    parents = {task: list(dict.fromkeys(deps)) for task, deps in upstream.items()}
    for task, deps in parents.items():
        for dep in deps:
            if dep not in parents:
                raise ValueError(f"task {task!r} depends on {dep!r}, which is not a task")
    children: dict[str, list[str]] = {task: [] for task in parents}
    waiting = {task: len(deps) for task, deps in parents.items()}
    for task, deps in parents.items():
        for dep in deps:
            children[dep].append(task)
    ready = [task for task, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        task = heapq.heappop(ready)
        order.append(task)
        for child in children[task]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, child)
    if len(order) < len(parents):
        raise CycleError(_find_cycle(parents, set(parents) - set(order)))
    return order


def run_dag(tasks: Sequence[Task], run_id: str, store: Any, *,
            sleep: Callable[[float], None] = time.sleep) -> dict[str, str]:
    by_id: dict[str, Task] = {}
    for task in tasks:
        if task.task_id in by_id:
            raise ValueError(f"duplicate task id {task.task_id!r}")
        by_id[task.task_id] = task
    states: dict[str, str] = {}
    for task_id in topological_order({t.task_id: t.upstream for t in tasks}):
        task = by_id[task_id]
        if store.get(run_id, task_id) == "success":
            states[task_id] = "success"
            continue
        if any(states[dep] != "success" for dep in task.upstream):
            states[task_id] = "upstream_failed"
        else:
            states[task_id] = _run_with_retries(task, run_id, sleep)
        store.set(run_id, task_id, states[task_id])
    return states


def _run_with_retries(task: Task, run_id: str, sleep: Callable[[float], None]) -> str:
    for try_number in range(1, task.retries + 2):
        if try_number > 1:
            factor = 2 ** (try_number - 2) if task.retry_exponential_backoff else 1
            sleep(task.retry_delay * factor)
        try:
            task.fn({"run_id": run_id, "task_id": task.task_id, "try_number": try_number})
        except Exception:
            continue
        return "success"
    return "failed"


NAME = re.compile(r"[A-Za-z][0-9A-Za-z_-]{0,79}")
BUCKET_ARN = re.compile(r"arn:aws:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
ROLE_ARN = re.compile(r"arn:aws:iam::\d{12}:role/[\w+=,.@/-]+")


def create_environment_request(spec: MwaaSpec) -> dict[str, Any]:
    if not NAME.fullmatch(spec.name):
        raise ValueError(f"name {spec.name!r} must match [A-Za-z][0-9A-Za-z_-]{{0,79}}")
    if not BUCKET_ARN.fullmatch(spec.source_bucket_arn):
        raise ValueError(f"source_bucket_arn {spec.source_bucket_arn!r} must be a bucket ARN like arn:aws:s3:::my-bucket")
    if not spec.dag_s3_path or spec.dag_s3_path.startswith(("s3://", "/")):
        raise ValueError(f"dag_s3_path {spec.dag_s3_path!r} must be a relative path inside the bucket, like 'dags'")
    if not ROLE_ARN.fullmatch(spec.execution_role_arn):
        raise ValueError(f"execution_role_arn {spec.execution_role_arn!r} must look like arn:aws:iam::123456789012:role/name")
    if len(spec.subnet_ids) != 2:
        raise ValueError(f"subnet_ids: MWAA needs exactly two private subnets, got {len(spec.subnet_ids)}")
    if not spec.security_group_ids:
        raise ValueError("security_group_ids: at least one security group is needed")
    if spec.airflow_version not in SUPPORTED_AIRFLOW_VERSIONS:
        raise ValueError(f"airflow_version {spec.airflow_version!r} is not one of {SUPPORTED_AIRFLOW_VERSIONS}")
    if spec.max_workers < 1:
        raise ValueError(f"max_workers must be at least 1, got {spec.max_workers}")
    request: dict[str, Any] = {
        "Name": spec.name,
        "SourceBucketArn": spec.source_bucket_arn,
        "DagS3Path": spec.dag_s3_path,
        "ExecutionRoleArn": spec.execution_role_arn,
        "NetworkConfiguration": {"SubnetIds": list(spec.subnet_ids),
                                 "SecurityGroupIds": list(spec.security_group_ids)},
        "AirflowVersion": spec.airflow_version,
        "EnvironmentClass": spec.environment_class,
        "MaxWorkers": spec.max_workers,
        "WebserverAccessMode": "PRIVATE_ONLY",
        "LoggingConfiguration": {"TaskLogs": {"Enabled": True, "LogLevel": "INFO"}},
    }
    if spec.tags:
        request["Tags"] = dict(spec.tags)
    return request


def ensure_mwaa_environment(mwaa: Any, spec: MwaaSpec) -> str:
    try:
        return mwaa.get_environment(Name=spec.name)["Environment"]["Arn"]
    except mwaa.exceptions.ResourceNotFoundException:
        pass
    return mwaa.create_environment(**create_environment_request(spec))["Arn"]


# Why
# - Kahn's algorithm with a min-heap: O((V + E) log V). The heap makes the order the
#   lexicographically smallest valid one, so two runs of the same DAG behave the same (and the
#   tests can compare with a brute-force oracle). If Kahn stops early, the tasks left all still
#   wait on each other; following any remaining upstream edge from one of them must revisit a
#   task, which gives the cycle to report. Airflow refuses such a DAG at parse time for the same
#   reason: a cycle can never be scheduled.
# - Retries with an injected sleep keep tests instant and make the policy visible. Airflow's knobs
#   are the same: retries, retry_delay, retry_exponential_backoff (plus max_retry_delay and jitter,
#   which you should mention). Retry transient failures; a task that fails on bad data should fail
#   fast and alert.
# - Idempotent reruns come from recording state per (run id, task id), which is what Airflow's
#   metadata DB does per (dag_run, task_instance). A rerun of a succeeded run is a no-op and
#   "clear the failed task" resumes from there. This is only safe if each task is idempotent too:
#   write to a partition named by the run id (overwrite, not append) or use MERGE/upserts.
# - Here tasks run one at a time; Airflow's scheduler hands every ready task to an executor
#   (Celery workers on MWAA) in parallel, bounded by pools and max_active_tasks.
# - MWAA: DAGs live in S3 (versioning on), the environment sits in two private subnets of a VPC
#   (NAT or VPC endpoints for egress), an execution role grants S3/CloudWatch Logs/SQS access, and
#   the Airflow version is pinned because upgrades change operators. It costs a few hundred dollars
#   a month even idle (mw1.small ~ $0.49/h plus workers); Step Functions is cheaper for a handful
#   of AWS-native steps, Airflow wins for many DAGs, backfills, sensors and the provider ecosystem.
# - moto does not implement MWAA (404), so the tests use botocore's Stubber on a real client: it
#   checks the request against the service model offline (types, required fields, lengths such as
#   exactly two subnets) but not regex patterns, which is why the function validates those itself.
#   Nothing verifies that the subnets are private, the role trusts airflow-env.amazonaws.com, or the
#   bucket blocks public access; on AWS creation would fail or be insecure.
