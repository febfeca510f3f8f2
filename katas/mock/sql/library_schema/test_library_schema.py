"""Tests for the library schema (README.md beside this file). PostgreSQL only.

Each test gets a fresh database, runs your schema.sql in it, stocks a small library and then
inserts rows: valid ones must be accepted, invalid ones refused by the constraint named in the
README. The name is read from the error PostgreSQL sends back (`exc.diag.constraint_name`).
"""
from __future__ import annotations

import re

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.sql import run_kata_query

pytestmark = pytest.mark.needs("pg")

KATA = "mock.sql.library_schema"
KEYS = {"authors": "author_id", "books": "book_id", "copies": "copy_id", "members": "member_id",
        "loans": "loan_id", "holds": "hold_id"}
COLUMNS = {
    "authors": {"author_id", "name"},
    "books": {"book_id", "isbn", "title", "published_year"},
    "book_authors": {"book_id", "author_id"},
    "copies": {"copy_id", "book_id"},
    "members": {"member_id", "name", "email"},
    "loans": {"loan_id", "copy_id", "member_id", "loaned_on", "due_on", "returned_on"},
    "holds": {"hold_id", "book_id", "member_id", "placed_at", "closed_at"},
}
OPTICS_ISBN = "9780306406157"


@pytest.fixture
def library(pg_engine, pg):
    """A fresh database after your schema.sql: an autocommit psycopg connection to it."""
    run_kata_query(pg_engine, KATA, "schema.sql")
    return pg


def insert(conn, table: str, **values) -> int:
    """INSERT one row and return the id the database generated for it."""
    columns = ", ".join(values)
    marks = ", ".join(f"%({name})s" for name in values)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {KEYS[table]}"
    return conn.execute(sql, values).fetchone()[0]


@pytest.fixture
def stocked(library) -> dict[str, int]:
    """Two authors, two books (Optics by both, Tides by Ann), three copies, two members, one open
    loan (Optics copy 1 to Cy) and one open hold (Di on Optics). Returns their ids by name."""
    ids = {
        "ann": insert(library, "authors", name="Ann Author"),
        "bo": insert(library, "authors", name="Bo Writer"),
        "optics": insert(library, "books", isbn=OPTICS_ISBN, title="Optics", published_year=1999),
        "tides": insert(library, "books", isbn="9791234567896", title="Tides"),
        "cy": insert(library, "members", name="Cy", email="cy@example.com"),
        "di": insert(library, "members", name="Di", email="Di.Lee@Example.org"),
    }
    for book, author in [("optics", "ann"), ("optics", "bo"), ("tides", "ann")]:
        library.execute("INSERT INTO book_authors (book_id, author_id) VALUES (%s, %s)", [ids[book], ids[author]])
    ids["optics_1"] = insert(library, "copies", book_id=ids["optics"])
    ids["optics_2"] = insert(library, "copies", book_id=ids["optics"])
    ids["tides_1"] = insert(library, "copies", book_id=ids["tides"])
    ids["open_loan"] = insert(library, "loans", copy_id=ids["optics_1"], member_id=ids["cy"],
                              loaned_on="2024-03-01", due_on="2024-03-15")
    ids["open_hold"] = insert(library, "holds", book_id=ids["optics"], member_id=ids["di"])
    return ids


def attempt(conn, sql: str, params: dict) -> psycopg.Error | None:
    """Run one statement in its own transaction; the error it raised, or None if it was accepted."""
    try:
        with conn.transaction():
            conn.execute(sql, params)
    except psycopg.Error as exc:
        return exc
    return None


def describe(exc: psycopg.Error) -> str:
    return f"{type(exc).__name__} [{exc.sqlstate}] {exc.diag.message_primary}"


# -- the tables ---------------------------------------------------------------------------------------

def test_every_table_has_the_columns_of_the_readme(library):
    rows = library.execute("""
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public'""").fetchall()
    present: dict[str, set[str]] = {}
    for table, column in rows:
        present.setdefault(table, set()).add(column)
    missing = {table: sorted(wanted - present.get(table, set()))
               for table, wanted in COLUMNS.items() if wanted - present.get(table, set())}
    assert not missing, f"after schema.sql these tables lack columns (table: missing): {missing}"


STORED_ONCE = {"title": {"books"}, "isbn": {"books"}, "published_year": {"books"}, "email": {"members"}}


def test_each_fact_is_stored_in_one_table_only(library):
    rows = library.execute("""
        SELECT c.column_name, c.table_name
        FROM information_schema.columns AS c
        JOIN information_schema.tables AS t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name = ANY(%s)""",
        [list(STORED_ONCE)]).fetchall()
    found: dict[str, set[str]] = {column: set() for column in STORED_ONCE}
    for column, table in rows:
        found[column].add(table)
    wrong = {column: sorted(tables) for column, tables in found.items() if tables != STORED_ONCE[column]}
    assert not wrong, (f"columns found in these tables: {wrong}; expected {STORED_ONCE}. A copy, a loan or a hold "
                       "reaches the title through book_id: storing it again lets the two disagree (not 3NF)")


def test_a_book_has_many_authors_and_an_author_many_books(stocked, library):
    authors_of_optics = [name for (name,) in library.execute("""
        SELECT a.name FROM book_authors AS ba JOIN authors AS a ON a.author_id = ba.author_id
        WHERE ba.book_id = %s ORDER BY a.name""", [stocked["optics"]])]
    books_of_ann = [title for (title,) in library.execute("""
        SELECT b.title FROM book_authors AS ba JOIN books AS b ON b.book_id = ba.book_id
        WHERE ba.author_id = %s ORDER BY b.title""", [stocked["ann"]])]
    assert (authors_of_optics, books_of_ann) == (["Ann Author", "Bo Writer"], ["Optics", "Tides"]), (
        f"through book_authors, Optics has authors {authors_of_optics} and Ann wrote {books_of_ann}; "
        "expected ['Ann Author', 'Bo Writer'] and ['Optics', 'Tides']")


# -- valid rows are accepted ----------------------------------------------------------------------------

def lend(copy: str, member: str, loaned_on: str, due_on: str) -> str:
    """The INSERT of one open loan; copy and member name ids of the stocked library."""
    return (f"INSERT INTO loans (copy_id, member_id, loaned_on, due_on) "
            f"VALUES (%({copy})s, %({member})s, {loaned_on}, {due_on})")


# name -> statements run in order on the stocked library; every one must be accepted
ACCEPTED = {
    "an ISBN starting with 979": [
        "INSERT INTO books (isbn, title) VALUES ('9791034567895', 'Waves')"],
    "a book without a published year": [
        "INSERT INTO books (isbn, title, published_year) VALUES ('9780000000002', 'Anon', NULL)"],
    "one more author on a book": [
        "INSERT INTO book_authors (book_id, author_id) VALUES (%(tides)s, %(bo)s)"],
    "an email that differs by more than its case": [
        "INSERT INTO members (name, email) VALUES ('Cy Two', 'cy@example.net')"],
    "another copy of a book that is out, lent at the same time": [
        lend("optics_2", "di", "'2024-03-02'", "'2024-03-16'")],
    "a member with two open loans": [
        lend("tides_1", "cy", "'2024-03-02'", "'2024-03-16'")],
    "a loan due the same day (the reference shelf)": [
        lend("optics_2", "di", "'2024-03-10'", "'2024-03-10'")],
    "a return on the day of the loan": [
        "UPDATE loans SET returned_on = loaned_on WHERE loan_id = %(open_loan)s"],
    "a returned copy lent again, twice": [
        "UPDATE loans SET returned_on = '2024-03-05' WHERE loan_id = %(open_loan)s",
        lend("optics_1", "di", "'2024-03-06'", "'2024-03-20'"),
        "UPDATE loans SET returned_on = '2024-03-07' WHERE copy_id = %(optics_1)s AND returned_on IS NULL",
        lend("optics_1", "cy", "'2024-03-08'", "'2024-03-22'")],
    "a hold on another book while one is open": [
        "INSERT INTO holds (book_id, member_id) VALUES (%(tides)s, %(di)s)"],
    "a new hold once the earlier one is closed": [
        "UPDATE holds SET closed_at = now() WHERE hold_id = %(open_hold)s",
        "INSERT INTO holds (book_id, member_id) VALUES (%(optics)s, %(di)s)"],
    "two members holding the same book": [
        "INSERT INTO holds (book_id, member_id) VALUES (%(optics)s, %(cy)s)"],
}


@pytest.mark.parametrize("statements", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_valid_rows_are_accepted(stocked, library, statements):
    for sql in statements:
        error = attempt(library, sql, stocked)
        assert error is None, f"{sql}\nwith ids {stocked}\nwas refused: {describe(error)}; it is valid"


# -- invalid rows are refused by the named constraint ------------------------------------------------------

BOOK = "INSERT INTO books (isbn, title) VALUES (%(isbn)s, 'Optics, 2nd ed.')"

# name -> (statement, extra parameters, the constraint that must refuse it)
REFUSED = {
    "an ISBN with hyphens": (BOOK, {"isbn": "978-0-306-40615-7"}, "books_isbn_format"),
    "an ISBN-10": (BOOK, {"isbn": "0306406152"}, "books_isbn_format"),
    "an ISBN-10 ending in X": (BOOK, {"isbn": "080442957X"}, "books_isbn_format"),
    "an ISBN of 14 digits": (BOOK, {"isbn": "97803064061570"}, "books_isbn_format"),
    "an ISBN with a prefix before it": (BOOK, {"isbn": "ISBN9780306406158"}, "books_isbn_format"),
    "an ISBN with a trailing space": (BOOK, {"isbn": "9780306406158 "}, "books_isbn_format"),
    "an ISBN with a trailing newline": (BOOK, {"isbn": "9780306406158\n"}, "books_isbn_format"),
    "an ISBN starting with 977 (an ISSN)": (BOOK, {"isbn": "9770306406157"}, "books_isbn_format"),
    "an empty ISBN": (BOOK, {"isbn": ""}, "books_isbn_format"),
    "the same ISBN twice": (BOOK, {"isbn": OPTICS_ISBN}, "books_isbn_unique"),
    "an author twice on one book": (
        "INSERT INTO book_authors (book_id, author_id) VALUES (%(optics)s, %(ann)s)", {}, "book_authors_pkey"),
    "the same email in another case": (
        "INSERT INTO members (name, email) VALUES ('Cy Again', 'CY@Example.COM')", {}, "members_email_unique"),
    "the same email exactly": (
        "INSERT INTO members (name, email) VALUES ('Di Again', 'Di.Lee@Example.org')", {}, "members_email_unique"),
    "a second open loan of a copy": (
        lend("optics_1", "di", "'2024-03-02'", "'2024-03-16'"), {}, "loans_one_open_per_copy"),
    "a due date before the loan date": (
        lend("optics_2", "di", "'2024-03-10'", "'2024-03-09'"), {}, "loans_due_after_loan"),
    "a return before the loan date": (
        "UPDATE loans SET returned_on = '2024-02-29' WHERE loan_id = %(open_loan)s", {}, "loans_returned_after_loan"),
    "a second open hold by one member on one book": (
        "INSERT INTO holds (book_id, member_id) VALUES (%(optics)s, %(di)s)", {}, "holds_one_open_per_member_book"),
    "a copy of a book that does not exist": (
        "INSERT INTO copies (book_id) VALUES (-1)", {}, "copies_book_id_fkey"),
    "a loan of a copy that does not exist": (
        lend("missing", "di", "'2024-03-02'", "'2024-03-16'"), {"missing": -1}, "loans_copy_id_fkey"),
    "deleting a member who has loans (the history stays)": (
        "DELETE FROM members WHERE member_id = %(cy)s", {}, "loans_member_id_fkey"),
    "deleting a copy that has loans": (
        "DELETE FROM copies WHERE copy_id = %(optics_1)s", {}, "loans_copy_id_fkey"),
}


@pytest.mark.parametrize("sql,extra,constraint", REFUSED.values(), ids=REFUSED.keys())
def test_invalid_rows_are_refused_by_the_named_constraint(stocked, library, sql, extra, constraint):
    params = {**stocked, **extra}
    error = attempt(library, sql, params)
    shown = f"{sql}\nwith {extra or 'the stocked ids'}"
    assert error is not None, f"{shown}\nwas accepted; expected it to be refused by {constraint}"
    assert error.diag.constraint_name == constraint, (
        f"{shown}\nwas refused by {error.diag.constraint_name!r} ({describe(error)}); expected {constraint!r}")


# name -> (statement, the NOT NULL column that must refuse it)
NOT_NULL = {
    "a loan without a due date (a CHECK passes on NULL)": (lend("optics_2", "di", "'2024-03-02'", "NULL"), "due_on"),
    "a loan without a loan date": (lend("optics_2", "di", "NULL", "'2024-03-16'"), "loaned_on"),
    "a member without an email": ("INSERT INTO members (name, email) VALUES ('Ed', NULL)", "email"),
    "a book without an ISBN": ("INSERT INTO books (isbn, title) VALUES (NULL, 'Untitled')", "isbn"),
}


@pytest.mark.parametrize("sql,column", NOT_NULL.values(), ids=NOT_NULL.keys())
def test_required_columns_refuse_null(stocked, library, sql, column):
    error = attempt(library, sql, stocked)
    assert isinstance(error, psycopg.errors.NotNullViolation), (
        f"{sql}\n{'was accepted' if error is None else 'raised ' + describe(error)}; "
        f"expected a NOT NULL violation on {column}")
    assert error.diag.column_name == column, f"{sql}\nrefused on column {error.diag.column_name!r}, expected {column!r}"


# -- the ISBN rule against an obvious model ----------------------------------------------------------------

ISBN_SHAPE = re.compile(r"97[89][0-9]{10}", re.ASCII)
isbn_like = st.one_of(
    st.from_regex(r"\A97[89][0-9]{10}\Z"),
    st.from_regex(r"\A9[0-9]{9,14}\Z"),
    st.text(alphabet="0123456789X- \n", min_size=9, max_size=16),
)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(isbn=isbn_like)
def test_an_isbn_is_accepted_exactly_when_it_is_13_digits_starting_978_or_979(library, isbn):
    want_accepted = ISBN_SHAPE.fullmatch(isbn) is not None
    try:
        with library.transaction(force_rollback=True):
            library.execute("INSERT INTO books (isbn, title) VALUES (%s, 'T')", [isbn])
        got_accepted, why = True, "accepted"
    except psycopg.Error as exc:
        got_accepted, why = False, f"refused by {exc.diag.constraint_name} ({describe(exc)})"
    assert got_accepted == want_accepted, (
        f"INSERT INTO books (isbn, ...) VALUES ({isbn!r}, ...) was {why}; expected it to be "
        f"{'accepted' if want_accepted else 'refused by books_isbn_format'}")
