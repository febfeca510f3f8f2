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


def topological_order(upstream: Mapping[str, Iterable[str]]) -> list[str]:
    raise NotImplementedError("TODO: Kahn's algorithm with a min-heap; raise CycleError naming the cycle")


def run_dag(tasks: Sequence[Task], run_id: str, store: Any, *,
            sleep: Callable[[float], None] = time.sleep) -> dict[str, str]:
    raise NotImplementedError("TODO: run tasks in order with retries, skipping what already succeeded in this run")


def create_environment_request(spec: MwaaSpec) -> dict[str, Any]:
    raise NotImplementedError("TODO: validate the spec and build the create_environment keyword arguments")


def ensure_mwaa_environment(mwaa: Any, spec: MwaaSpec) -> str:
    raise NotImplementedError("TODO: get_environment first; create only on ResourceNotFoundException")
