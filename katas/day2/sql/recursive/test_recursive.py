"""Tests for the recursive-query kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import csv
import datetime as dt
import threading

import pytest

from dojo.sql import Result, Rules, SqlError, assert_same_result, run_kata_query, run_reference_query

KATA = "day2.sql.recursive"
FILE = "reports.sql"
COLUMNS = ("employee_id", "name", "depth", "path")
ANY_ORDER = Rules(ordered=False)
STOP_AFTER_S = 3
EMPLOYEES = """CREATE TABLE employees (
    employee_id INTEGER PRIMARY KEY, name VARCHAR, manager_id INTEGER,
    department VARCHAR, salary INTEGER, hire_date DATE)"""
PARAMS = "CREATE TABLE params (manager_id INTEGER)"


def employee(employee_id, manager_id):
    return (employee_id, f"E{employee_id}", manager_id, "Engineering", 50_000, dt.date(2020, 1, 1))


def load(engine, employees, manager_id):
    engine.run_script(EMPLOYEES)
    engine.run_script(PARAMS)
    engine.insert("employees", employees)
    engine.insert("params", [(manager_id,)])


def run_with_a_time_limit(engine, query_runner):
    """Run a query but stop it after STOP_AFTER_S: an endless recursion fails instead of hanging."""
    if engine.name == "postgres":
        engine.execute(f"SET statement_timeout = '{STOP_AFTER_S}s'")
        timer = None
    else:
        timer = threading.Timer(STOP_AFTER_S, engine.conn.interrupt)
        timer.start()
    try:
        return query_runner(engine, KATA, FILE)
    except SqlError as exc:
        if "cancel" in str(exc).lower() or "interrupt" in str(exc).lower():
            raise AssertionError(f"{FILE} on {engine.name} was still running after {STOP_AFTER_S} s: "
                                 "does the recursion stop at an employee already on the path?") from None
        raise
    finally:
        if timer is not None:
            timer.cancel()


def oracle(employees, manager_id):
    """Brute force: walk down from the manager, never revisiting an employee on the current path."""
    children = {}
    for employee_id, name, boss, *_ in employees:
        children.setdefault(boss, []).append((employee_id, name))
    rows, stack = [], [(manager_id, str(manager_id), 0)]
    while stack:
        boss, path, depth = stack.pop()
        on_path = set(path.split("/"))
        for employee_id, name in children.get(boss, []):
            if str(employee_id) not in on_path:
                rows.append((employee_id, name, depth + 1, f"{path}/{employee_id}"))
                stack.append((employee_id, f"{path}/{employee_id}", depth + 1))
    return rows


SELF_MANAGED = [employee(1, 1), employee(2, 1), employee(3, 1), employee(4, 2), employee(5, 4),
                employee(6, None), employee(7, 6)]
CYCLE = [employee(10, 12), employee(11, 10), employee(12, 11), employee(13, 11), employee(14, 13)]

CASES = {
    "a self-managed root is not its own report": (SELF_MANAGED, 1, [
        (2, "E2", 1, "1/2"), (3, "E3", 1, "1/3"), (4, "E4", 2, "1/2/4"), (5, "E5", 3, "1/2/4/5")]),
    "a cycle through the manager stops at the manager": (CYCLE, 10, [
        (11, "E11", 1, "10/11"), (12, "E12", 2, "10/11/12"), (13, "E13", 2, "10/11/13"),
        (14, "E14", 3, "10/11/13/14")]),
    "a manager further round the cycle sees the rest of it": (CYCLE, 12, [
        (10, "E10", 1, "12/10"), (11, "E11", 2, "12/10/11"), (13, "E13", 3, "12/10/11/13"),
        (14, "E14", 4, "12/10/11/13/14")]),
    "a manager with no reports gives no rows": (SELF_MANAGED, 5, []),
    "ids that are prefixes of each other are not mistaken for a cycle": (
        [employee(1, None), employee(11, 1), employee(111, 11)], 1,
        [(11, "E11", 1, "1/11"), (111, "E111", 2, "1/11/111")]),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("employees,manager_id,want", CASES.values(), ids=CASES.keys())
def test_reports_of_a_manager_on_hand_made_hierarchies(sql_engine, employees, manager_id, want):
    load(sql_engine, employees, manager_id)
    assert sorted(oracle(employees, manager_id)) == sorted(want), "the test's own oracle disagrees with the case"
    got = run_with_a_time_limit(sql_engine, run_kata_query)
    assert_same_result(got, Result(COLUMNS, want), ANY_ORDER, what=f"{FILE} for manager {manager_id} on {sql_engine.name}")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("manager_id", [1, 2])
def test_reports_match_a_brute_force_walk_on_generated_data(sql_engine, dataset, manager_id):
    path = dataset("employees", rows=300)
    with open(path, newline="", encoding="utf-8") as source:
        employees = [(int(r["employee_id"]), r["name"], int(r["manager_id"]) if r["manager_id"] else None,
                      r["department"], int(r["salary"]), dt.date.fromisoformat(r["hire_date"]))
                     for r in csv.DictReader(source)]
    load(sql_engine, employees, manager_id)
    want = run_with_a_time_limit(sql_engine, run_reference_query)
    assert_same_result(want, Result(COLUMNS, oracle(employees, manager_id)), ANY_ORDER, what="the reference")
    got = run_with_a_time_limit(sql_engine, run_kata_query)
    assert_same_result(got, want, ANY_ORDER, what=f"{FILE} for manager {manager_id} on {sql_engine.name}")
