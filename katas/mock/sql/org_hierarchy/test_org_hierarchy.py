"""Tests for the org-hierarchy mock kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.sql import Result, Rules, SqlError, assert_same_result, run_kata_query

KATA = "mock.sql.org_hierarchy"
FILE = "org_hierarchy.sql"
COLUMNS = ("employee_id",)
ANY_ORDER = Rules(ordered=False)
HEAD = 1
STOP_AFTER_S = 3
EMPLOYEES = """CREATE TABLE Employees (
    employee_id INT PRIMARY KEY, employee_name VARCHAR(32), manager_id INT)"""


def employee(employee_id, manager_id):
    return (employee_id, f"E{employee_id}", manager_id)


def chain(first, last, top):
    """first reports to top, first+1 to first, ... last to last-1: a chain as deep as it is long."""
    return [employee(first, top)] + [employee(i, i - 1) for i in range(first + 1, last + 1)]


def oracle(employees):
    """Brute force: from each employee follow manager_id upwards; under the head if the walk reaches 1."""
    manager_of = {employee_id: manager_id for employee_id, _, manager_id in employees}
    under = []
    for employee_id in manager_of:
        seen, boss = {employee_id}, manager_of[employee_id]
        while boss is not None and boss != HEAD and boss in manager_of and boss not in seen:
            seen.add(boss)
            boss = manager_of[boss]
        if employee_id != HEAD and boss == HEAD:
            under.append((employee_id,))
    return under


def run_with_a_time_limit(engine):
    """Run the learner's query, stopped after STOP_AFTER_S: an endless recursion fails instead of hanging."""
    if engine.name == "postgres":
        engine.execute(f"SET statement_timeout = '{STOP_AFTER_S}s'")
        timer = None
    else:
        timer = threading.Timer(STOP_AFTER_S, engine.conn.interrupt)
        timer.start()
    try:
        return run_kata_query(engine, KATA, FILE)
    except SqlError as exc:
        if "cancel" in str(exc).lower() or "interrupt" in str(exc).lower():
            raise AssertionError(
                f"{FILE} on {engine.name} was still running after {STOP_AFTER_S} s: it loops. Does the head's "
                "own row (manager_id = 1) re-enter the recursion, or does a walk up from an employee go "
                "round a cycle for ever (UNION ALL keeps every repeat)?") from None
        raise
    finally:
        if timer is not None:
            timer.cancel()


def check(engine, employees, want, what):
    engine.run_script("DELETE FROM Employees")
    engine.insert("Employees", employees)
    assert sorted(oracle(employees)) == sorted(want), "the test's own oracle disagrees with the case"
    got = run_with_a_time_limit(engine)
    assert_same_result(got, Result(COLUMNS, want), ANY_ORDER, what=f"{FILE} on {engine.name}, {what}")


@pytest.fixture
def org(sql_engine):
    sql_engine.run_script(EMPLOYEES)
    return sql_engine


PUBLIC_EXAMPLE = [(1, "Boss", 1), (3, "Alice", 3), (2, "Bob", 1), (4, "Daniel", 2), (7, "Luis", 4),
                  (8, "Jhon", 3), (9, "Angela", 8), (77, "Robert", 1)]
SMALL_TREE = [employee(1, 1), employee(2, 1), employee(3, 2)]

CASES = {
    "the public example (Alice manages herself)": (PUBLIC_EXAMPLE, [(2,), (77,), (4,), (7,)]),
    "the head alone has nobody under them": ([employee(1, 1)], []),
    "the head is never returned, though they are their own manager": (SMALL_TREE, [(2,), (3,)]),
    "a self-managed employee with a team is not under the head": (
        SMALL_TREE + [employee(5, 5), employee(6, 5), employee(7, 6)], [(2,), (3,)]),
    "a 2-cycle outside the head's tree, with a report hanging off it": (
        SMALL_TREE + [employee(10, 11), employee(11, 10), employee(12, 11)], [(2,), (3,)]),
    "a 3-cycle outside the head's tree, with a chain hanging off it": (
        SMALL_TREE + [employee(20, 22), employee(21, 20), employee(22, 21)] + chain(23, 26, 21), [(2,), (3,)]),
    "a NULL manager and a manager who is not in the table": (
        SMALL_TREE + [employee(30, None), employee(31, 30), employee(32, 999), employee(33, 32)], [(2,), (3,)]),
    "a chain 100 deep under the head": ([employee(1, 1)] + chain(2, 101, 1), [(i,) for i in range(2, 102)]),
    "a deep chain and a wide level side by side, with every kind of dirt": (
        [employee(1, 1)] + chain(2, 40, 1) + [employee(i, 2) for i in range(100, 130)] + [employee(5000, 5000)]
        + [employee(6000, 6001), employee(6001, 6000)] + [employee(7000, 7002), employee(7001, 7000),
                                                          employee(7002, 7001)],
        [(i,) for i in range(2, 41)] + [(i,) for i in range(100, 130)]),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("employees,want", CASES.values(), ids=CASES.keys())
def test_everyone_under_the_head_on_hand_made_organisations(org, employees, want):
    check(org, employees, want, f"on {len(employees)} employees")


@st.composite
def organisations(draw):
    """Employees 1..n; the head manages themselves; everyone else has a random manager, or NULL, or a
    missing id: self-managers, cycles and chains come up on their own."""
    n = draw(st.integers(1, 14))
    managers = st.one_of(st.integers(1, n), st.none(), st.just(99))
    return [employee(HEAD, HEAD)] + [employee(i, draw(managers)) for i in range(2, n + 1)]


@pytest.mark.timeout(120)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(employees=organisations())
def test_matches_a_brute_force_walk_up_on_random_organisations(org, employees):
    check(org, employees, oracle(employees), f"on the random organisation {employees}")
