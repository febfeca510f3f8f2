"""Tests for the dedupe kata (README.md beside this file): each runs on DuckDB and PostgreSQL.

The find query is compared with the expected emails; the delete is run for real and the tests read
what is left in Person (the engines' own "rows deleted" counts are not used).
"""
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.sql import Result, Rules, assert_same_result, run_kata_query

KATA = "mock.sql.dedupe"
FIND = "find_duplicates.sql"
DELETE = "delete_duplicates.sql"
PERSON = "CREATE TABLE Person (id INT PRIMARY KEY, email VARCHAR)"
ANY_ORDER = Rules(ordered=False)


def duplicate_emails(rows: list[tuple]) -> list[tuple]:
    """Brute force: emails on more than one row; NULL is never equal to anything."""
    counts = Counter(email for _, email in rows if email is not None)
    return [(email,) for email, n in counts.items() if n > 1]


def survivors(rows: list[tuple]) -> list[tuple]:
    """Brute force: a row stays unless a row with a smaller id has the same (non-NULL) email."""
    smallest: dict[str, int] = {}
    for person_id, email in rows:
        if email is not None:
            smallest[email] = min(smallest.get(email, person_id), person_id)
    return [(person_id, email) for person_id, email in rows if email is None or smallest[email] == person_id]


WORKED_EXAMPLE = [(1, "a@x.io"), (2, "b@x.io"), (3, "a@x.io"), (4, "A@x.io"), (5, None), (6, None)]

# name: (rows in insertion order, emails find_duplicates returns, ids left after delete_duplicates)
CASES = {
    "the worked example": (WORKED_EXAMPLE, ["a@x.io"], [1, 2, 4, 5, 6]),
    "three copies: the email once, both extra rows deleted in one run": (
        [(10, "c@x.io"), (11, "c@x.io"), (12, "c@x.io"), (13, "d@x.io")], ["c@x.io"], [10, 13]),
    "the bigger ids inserted first: the smallest id still stays": (
        [(9, "e@x.io"), (7, "e@x.io"), (2, "e@x.io"), (5, "f@x.io")], ["e@x.io"], [2, 5]),
    "case and a trailing space make different emails": (
        [(1, "Ann@x.io"), (2, "ann@x.io"), (3, "ann@x.io "), (4, "ANN@X.IO")], [], [1, 2, 3, 4]),
    "NULL emails are nobody's duplicates": (
        [(1, None), (2, None), (3, None), (4, "g@x.io"), (5, "g@x.io")], ["g@x.io"], [1, 2, 3, 4]),
    "no duplicates: nothing found, nothing deleted": ([(1, "h@x.io"), (2, "i@x.io")], [], [1, 2]),
}


@pytest.fixture
def person(sql_engine):
    """The engine under test with an empty Person table, created with the public schema."""
    sql_engine.run_script(PERSON)
    return sql_engine


def fill(engine, rows: list[tuple]) -> None:
    engine.run_script("DELETE FROM Person")
    engine.insert("Person", rows)


def table_after_delete(engine) -> Result:
    """Run the learner's delete, then read back what is left."""
    run_kata_query(engine, KATA, DELETE)
    return engine.execute("SELECT id, email FROM Person")


@pytest.mark.parametrize("rows,emails,_kept", CASES.values(), ids=CASES.keys())
def test_find_duplicates_returns_each_duplicated_email_once(person, rows, emails, _kept):
    assert sorted(duplicate_emails(rows)) == sorted((e,) for e in emails), "the test's own oracle disagrees"
    fill(person, rows)
    got = run_kata_query(person, KATA, FIND)
    assert_same_result(got, Result(("email",), [(e,) for e in emails]), ANY_ORDER,
                       what=f"{FIND} on {person.name} over Person {rows}")


@pytest.mark.parametrize("rows,_emails,kept", CASES.values(), ids=CASES.keys())
def test_delete_duplicates_keeps_only_the_smallest_id_per_email(person, rows, _emails, kept):
    want = [row for row in rows if row[0] in kept]
    assert sorted(survivors(rows), key=str) == sorted(want, key=str), "the test's own oracle disagrees"
    fill(person, rows)
    got = table_after_delete(person)
    assert_same_result(got, Result(("id", "email"), want), ANY_ORDER,
                       what=f"Person after {DELETE} on {person.name} (it held {rows})")


def test_delete_duplicates_a_second_run_deletes_nothing(person):
    rows = [(40, "k@x.io"), (30, "k@x.io"), (20, "k@x.io"), (10, "k@x.io"), (5, None), (6, None), (7, "K@x.io")]
    fill(person, rows)
    first = table_after_delete(person)
    second = table_after_delete(person)
    assert_same_result(first, Result(("id", "email"), survivors(rows)), ANY_ORDER,
                       what=f"Person after the first run of {DELETE} on {person.name}")
    assert_same_result(second, first, ANY_ORDER,
                       what=f"Person after a SECOND run of {DELETE} on {person.name} (it must delete nothing)")


PEOPLE = st.lists(
    st.tuples(st.integers(1, 60), st.sampled_from(["a@x.io", "A@x.io", "a@x.io ", "b@x.io", "c@x.io", None])),
    max_size=14, unique_by=lambda row: row[0])
PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(rows=PEOPLE)
def test_find_duplicates_matches_a_brute_force_on_random_tables(person, rows):
    fill(person, rows)
    got = run_kata_query(person, KATA, FIND)
    assert_same_result(got, Result(("email",), duplicate_emails(rows)), ANY_ORDER,
                       what=f"{FIND} on {person.name} over Person {rows}")


@PROPERTY
@given(rows=PEOPLE)
def test_delete_duplicates_matches_a_brute_force_on_random_tables(person, rows):
    fill(person, rows)
    got = table_after_delete(person)
    assert_same_result(got, Result(("id", "email"), survivors(rows)), ANY_ORDER,
                       what=f"Person after {DELETE} on {person.name} (it held {rows})")
