"""Tests for row validation with a quarantine: run `pytest katas/day3/etl/test_validation.py`.

One named case per rule, one per cleaning step, the duplicate rule, the dirty `customers_raw` data
set from data_gen, and two hypothesis properties: labelled rows (each field drawn good or bad, so
the failing columns are known) and chaos rows (odd unicode, empty strings, whitespace, huge
numbers) on which only the partition itself is checked.
"""
from __future__ import annotations

import csv
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day3.etl.validation import COLUMNS, COUNTRY_SPELLINGS, Customer, Rejected, Validated, validate

GOOD = {"customer_id": "42", "name": "Ada Lovelace", "email": "ada@example.com",
        "signup_date": "2023-03-15", "country": "United States", "phone": "555-010-1234"}
GOOD_CUSTOMER = Customer(42, "Ada Lovelace", "ada@example.com", date(2023, 3, 15), "United States", "+15550101234")


def row(**changes) -> dict:
    """GOOD with some columns changed; a value of ... removes the key."""
    out = dict(GOOD, **changes)
    return {key: value for key, value in out.items() if value is not ...}


def partition_problems(result: Validated, n: int) -> list[str]:
    """What is wrong with the split of n input rows; [] when every index lands exactly once."""
    if not isinstance(result, Validated):
        return [f"validate returned {result!r}, expected a Validated"]
    clean = [index for index, _ in result.clean]
    quarantined = [rejected.index for rejected in result.quarantined]
    problems = []
    if sorted(clean + quarantined) != list(range(n)):
        lost = sorted(set(range(n)) - set(clean) - set(quarantined))
        both = sorted(set(clean) & set(quarantined))
        problems.append(f"indices lost {lost}, in both lists {both}, clean {clean}, quarantined {quarantined}")
    if clean != sorted(clean) or quarantined != sorted(quarantined):
        problems.append(f"lists not in input order: clean {clean}, quarantined {quarantined}")
    for rejected in result.quarantined:
        if not rejected.reasons:
            problems.append(f"row {rejected.index} is quarantined with no reason")
    return problems


def only(result: Validated, what: str):
    """The single clean Customer or the single Rejected of a one-row input."""
    problems = partition_problems(result, 1)
    assert not problems, f"validate([one row]): {problems}"
    if what == "clean":
        assert result.clean, f"validate([row]) quarantined it with {result.quarantined[0].reasons}, expected it clean"
        return result.clean[0][1]
    assert result.quarantined, f"validate([row]) returned it clean as {result.clean[0][1]}, expected it quarantined"
    return result.quarantined[0]


def columns_of(reasons) -> list[str]:
    return [reason.split(": ", 1)[0] for reason in reasons]


# ---------------------------------------------------------------------------------------------
# One case per rule: a good row with one column broken is quarantined with exactly that reason
# ---------------------------------------------------------------------------------------------

RULES = {
    "customer_id missing (empty text)": ({"customer_id": ""}, "customer_id", "missing"),
    "customer_id missing (None, as JSON null gives)": ({"customer_id": None}, "customer_id", "missing"),
    "customer_id missing (key absent)": ({"customer_id": ...}, "customer_id", "missing"),
    "customer_id not a number": ({"customer_id": "abc"}, "customer_id", None),
    "customer_id negative": ({"customer_id": "-5"}, "customer_id", None),
    "customer_id with a decimal point": ({"customer_id": "4.0"}, "customer_id", None),
    "customer_id zero": ({"customer_id": "0"}, "customer_id", None),
    "customer_id past the bigint range": ({"customer_id": str(2**63)}, "customer_id", None),
    "customer_id huge (40 digits)": ({"customer_id": "9" * 40}, "customer_id", None),
    "customer_id in superscript digits (isdigit() says yes)": ({"customer_id": "4²"}, "customer_id", None),
    "customer_id in Arabic-Indic digits (int() accepts them)": ({"customer_id": "٤٢"}, "customer_id", None),
    "name missing": ({"name": ""}, "name", "missing"),
    "name only whitespace": ({"name": " \t  "}, "name", "missing"),
    "name holds a NUL": ({"name": "Ada\x00Lovelace"}, "name", None),
    "name holds an escape character": ({"name": "Ada \x1b[31mLovelace"}, "name", None),
    "name of 101 characters": ({"name": "A" + "b" * 100}, "name", None),
    "email missing": ({"email": None}, "email", "missing"),
    "email with (at) instead of @": ({"email": "ada(at)example.com"}, "email", None),
    "email without a domain": ({"email": "ada@"}, "email", None),
    "email without @": ({"email": "ada.example.com"}, "email", None),
    "email with a dotless domain": ({"email": "ada@localhost"}, "email", None),
    "email with a space inside": ({"email": "ada lovelace@example.com"}, "email", None),
    "email with a trailing newline inside the value": ({"email": "ada@example.com\nx"}, "email", None),
    "email with a non-ASCII letter": ({"email": "adä@example.com"}, "email", None),
    "email of 255 characters": ({"email": "a" * 243 + "@example.com"}, "email", None),
    "signup_date missing": ({"signup_date": "   "}, "signup_date", "missing"),
    "signup_date not a date": ({"signup_date": "not a date"}, "signup_date", None),
    "signup_date February 30": ({"signup_date": "2023-02-30"}, "signup_date", None),
    "signup_date month 13": ({"signup_date": "2023-13-01"}, "signup_date", None),
    "signup_date US form with an impossible day": ({"signup_date": "13/45/2020"}, "signup_date", None),
    "signup_date February 29 of a common year (US form)": ({"signup_date": "02/29/2023"}, "signup_date", None),
    "signup_date with a one-digit month": ({"signup_date": "2024-1-05"}, "signup_date", None),
    "signup_date without dashes (fromisoformat accepts it)": ({"signup_date": "20240105"}, "signup_date", None),
    "signup_date with a time": ({"signup_date": "2024-01-05T10:00:00"}, "signup_date", None),
    "signup_date with slashes in ISO order": ({"signup_date": "2024/01/05"}, "signup_date", None),
    "signup_date in Arabic-Indic digits": ({"signup_date": "٢٠٢٤-٠١-٠٥"}, "signup_date", None),
    "country missing": ({"country": ""}, "country", "missing"),
    "country unknown": ({"country": "Atlantis"}, "country", None),
    "country as a prefix of a spelling": ({"country": "United"}, "country", None),
    "phone too short": ({"phone": "555-0101"}, "phone", None),
    "phone too long": ({"phone": "+1-555-010-12345"}, "phone", None),
    "phone with letters": ({"phone": "555-010-CALL"}, "phone", None),
    "phone with 11 digits not starting with 1": ({"phone": "25550101234"}, "phone", None),
    "phone with a plus in the middle": ({"phone": "555+0101234"}, "phone", None),
}


@pytest.mark.parametrize("changes,column,fragment", RULES.values(), ids=RULES.keys())
def test_each_rule_quarantines_the_row_with_one_reason_naming_its_column(changes, column, fragment):
    bad = row(**changes)
    rejected = only(validate([bad]), "quarantined")
    assert isinstance(rejected, Rejected), f"quarantined holds {rejected!r}, expected Rejected(index, row, reasons)"
    assert columns_of(rejected.reasons) == [column], \
        f"validate([{bad!r}]) gave reasons {rejected.reasons}, expected exactly one, starting with '{column}: '"
    if fragment:
        assert fragment in rejected.reasons[0], \
            f"validate([{bad!r}]) gave reason {rejected.reasons[0]!r}, expected it to say {fragment!r}"
    assert rejected.row == bad, f"Rejected.row is {rejected.row!r}, expected the input row as it came {bad!r}"


# ---------------------------------------------------------------------------------------------
# Cleaning: dirty but fixable values become the canonical form
# ---------------------------------------------------------------------------------------------

CLEANING = {
    "the good row as it is": ({}, {}),
    "customer_id padded and with leading zeros": ({"customer_id": " 0042 "}, {"customer_id": 42}),
    "customer_id the largest bigint": ({"customer_id": str(2**63 - 1)}, {"customer_id": 2**63 - 1}),
    "name padded with inner runs of spaces and a tab": ({"name": "  Ada \t  Lovelace "}, {"name": "Ada Lovelace"}),
    "name in upper case": ({"name": "TARA COSTA"}, {"name": "Tara Costa"}),
    "name in lower case": ({"name": "tara costa"}, {"name": "Tara Costa"}),
    "name in mixed case is kept": ({"name": "Ronald McDonald"}, {"name": "Ronald McDonald"}),
    "name in unicode is kept": ({"name": "Zoë 東京"}, {"name": "Zoë 東京"}),
    "name of exactly 100 characters": ({"name": "A" + "b" * 99}, {"name": "A" + "b" * 99}),
    "email in upper case and padded": ({"email": "  ADA@EXAMPLE.COM "}, {"email": "ada@example.com"}),
    "email with a plus tag and subdomain": ({"email": "ada+x@mail.example.co"}, {"email": "ada+x@mail.example.co"}),
    "signup_date US form MM/DD/YYYY": ({"signup_date": "03/04/2023"}, {"signup_date": date(2023, 3, 4)}),
    "signup_date European form DD.MM.YYYY": ({"signup_date": "03.04.2023"}, {"signup_date": date(2023, 4, 3)}),
    "signup_date leap day": ({"signup_date": "29.02.2024"}, {"signup_date": date(2024, 2, 29)}),
    "signup_date padded": ({"signup_date": " 2023-03-15  "}, {"signup_date": date(2023, 3, 15)}),
    "country code": ({"country": "DE"}, {"country": "Germany"}),
    "country variant padded": ({"country": "  U.S.A. "}, {"country": "United States"}),
    "country in upper case": ({"country": "JAPAN"}, {"country": "Japan"}),
    "country local spelling": ({"country": "Brasil"}, {"country": "Brazil"}),
    "phone with +1 and dashes": ({"phone": "+1-555-010-1234"}, {"phone": "+15550101234"}),
    "phone with parentheses": ({"phone": "(555) 010 1234"}, {"phone": "+15550101234"}),
    "phone as bare digits": ({"phone": "5550101234"}, {"phone": "+15550101234"}),
    "phone with dots": ({"phone": "555.010.1234"}, {"phone": "+15550101234"}),
    "phone missing is allowed": ({"phone": ""}, {"phone": None}),
    "phone None is allowed": ({"phone": None}, {"phone": None}),
    "phone key absent is allowed": ({"phone": ...}, {"phone": None}),
}


@pytest.mark.parametrize("changes,want", CLEANING.values(), ids=CLEANING.keys())
def test_dirty_but_fixable_values_come_out_clean_and_canonical(changes, want):
    dirty = row(**changes)
    got = only(validate([dirty]), "clean")
    expected = GOOD_CUSTOMER._replace(**want)
    assert got == expected, f"validate([{dirty!r}]).clean[0] is {got!r}, expected {expected!r}"
    assert isinstance(got, Customer), f"clean values must be Customer tuples, got {type(got).__name__}"


def test_every_country_spelling_maps_to_its_canonical_name():
    spellings = [(spelling, canonical) for canonical, variants in COUNTRY_SPELLINGS.items()
                 for spelling in (canonical, *variants)]
    written = [(case(spelling), canonical) for spelling, canonical in spellings
               for case in (str, str.lower, str.upper)]
    result = validate([row(customer_id=str(i), country=text) for i, (text, _) in enumerate(written, start=1)])
    got = [(text, customer.country) for (text, _), (_, customer) in zip(written, result.clean)]
    assert got == written and not result.quarantined, \
        f"(spelling, country) came out as {got}, quarantined {[r.reasons for r in result.quarantined]}"


# ---------------------------------------------------------------------------------------------
# Every reason, not the first one; the raw row kept; the input left alone
# ---------------------------------------------------------------------------------------------

def test_a_row_broken_in_every_column_gets_every_reason_in_column_order():
    bad = {"customer_id": "x", "name": "", "email": "bob(at)example.com", "signup_date": "2023-02-30",
           "country": "Atlantis", "phone": "12"}
    rejected = only(validate([bad]), "quarantined")
    assert columns_of(rejected.reasons) == list(COLUMNS), \
        f"validate([{bad!r}]) gave reasons {rejected.reasons}, expected one per column in the order {COLUMNS}"


def test_two_broken_columns_give_two_reasons():
    bad = row(email="ada@", signup_date="2023-13-01")
    rejected = only(validate([bad]), "quarantined")
    assert columns_of(rejected.reasons) == ["email", "signup_date"], \
        f"validate([{bad!r}]) gave reasons {rejected.reasons}: stop at the first and the fixed row bounces again"


def test_the_quarantine_keeps_the_raw_row_and_the_input_is_not_modified():
    bad = {"customer_id": " 7 ", "name": "  ", "email": "X@Y.COM", "signup_date": "", "country": "usa",
           "phone": None, "source_file": "day-1.csv"}
    before = dict(bad)
    rejected = only(validate([bad]), "quarantined")
    assert rejected.row == before and type(rejected.row) is dict, \
        f"Rejected.row is {rejected.row!r}, expected a plain dict equal to the input {before!r}"
    assert bad == before, f"validate modified its input row: {before!r} became {bad!r}"


def test_extra_keys_are_ignored():
    got = only(validate([row(source_file="a.csv", line="7")]), "clean")
    assert got == GOOD_CUSTOMER, f"a good row with extra keys came out as {got!r}, expected {GOOD_CUSTOMER!r}"


def test_a_generator_is_read_once_and_indices_count_from_zero():
    rows = (row(customer_id=str(i), email="bad" if i == 2 else f"u{i}@example.com") for i in range(1, 5))
    result = validate(rows)
    assert not partition_problems(result, 4), partition_problems(result, 4)
    assert [index for index, _ in result.clean] == [0, 2, 3], f"clean indices {[i for i, _ in result.clean]}"
    assert [r.index for r in result.quarantined] == [1], f"quarantined indices {[r.index for r in result.quarantined]}"


def test_no_rows_give_an_empty_result():
    result = validate([])
    assert (result.clean, result.quarantined) == ([], []), f"validate([]) returned {result!r}"


# ---------------------------------------------------------------------------------------------
# Duplicates: a cross-row rule, and a duplicate is quarantined, never dropped
# ---------------------------------------------------------------------------------------------

DUPLICATES = {
    "an exact copy": ([row(), row()], {1: "duplicate of row 0"}),
    "a near copy, re-cased and padded": ([row(), row(name="ADA LOVELACE ", email=" ADA@EXAMPLE.COM")],
                                         {1: "duplicate of row 0"}),
    "the same id written with leading zeros": ([row(customer_id="42"), row(customer_id="0042")],
                                               {1: "duplicate of row 0"}),
    "three copies all point at the first": ([row(), row(customer_id="7"), row(), row()],
                                            {2: "duplicate of row 0", 3: "duplicate of row 0"}),
    "a dirty first row still claims its id": ([row(email="bad"), row()], {0: None, 1: "duplicate of row 0"}),
}


@pytest.mark.parametrize("rows,want", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_a_repeated_customer_id_is_quarantined_as_a_duplicate_of_the_first_row(rows, want):
    result = validate(rows)
    problems = partition_problems(result, len(rows))
    assert not problems, f"validate(rows with duplicates): {problems} (a dropped duplicate is a lost row)"
    got = {r.index: r.reasons for r in result.quarantined}
    assert sorted(got) == sorted(want), f"quarantined rows {sorted(got)}, expected {sorted(want)}: {got}"
    for index, fragment in want.items():
        if fragment:
            assert f"customer_id: {fragment}" in got[index], \
                f"row {index} has reasons {got[index]}, expected 'customer_id: {fragment}' among them"


# ---------------------------------------------------------------------------------------------
# The dirty data set
# ---------------------------------------------------------------------------------------------

BAD_DATES = {"2023-02-30", "13/45/2020", "2023-13-01", "not a date", ""}


def expected_dirt(raw: list[dict]) -> dict[int, set[str]]:
    """index -> failing columns, from what data_gen's customers_raw is documented to break."""
    seen: set[str] = set()
    dirt: dict[int, set[str]] = {}
    for index, record in enumerate(raw):
        email = record["email"].strip()
        columns = {
            "customer_id": record["customer_id"] in seen,
            "name": not record["name"].strip(),
            "email": not email or "(at)" in email or email.endswith("@") or "@" not in email,
            "signup_date": record["signup_date"].strip() in BAD_DATES,
            "country": not record["country"].strip(),
        }
        seen.add(record["customer_id"])
        if any(columns.values()):
            dirt[index] = {column for column, bad in columns.items() if bad}
    return dirt


def test_the_dirty_customers_data_set_splits_as_its_dirt_says(dataset):
    with open(dataset("customers_raw", rows=400, seed=11), newline="", encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle))
    result = validate(raw)
    problems = partition_problems(result, len(raw))
    assert not problems, f"validate(customers_raw, 400 rows): {problems}"
    want = expected_dirt(raw)
    got = {r.index: set(columns_of(r.reasons)) for r in result.quarantined}
    wrong = {i: (got.get(i), want.get(i)) for i in sorted(set(got) | set(want)) if got.get(i) != want.get(i)}
    assert not wrong, ("rows whose failing columns differ (index: (got, expected)): "
                       f"{dict(list(wrong.items())[:8])}; e.g. row {next(iter(wrong))} is {raw[next(iter(wrong))]}")
    assert 40 < len(want) < 200, f"the data set has {len(want)} dirty rows of 400: expected some of each kind"
    canonical = set(COUNTRY_SPELLINGS)
    for index, customer in result.clean:
        assert customer.country in canonical and customer.email == customer.email.strip().lower() \
            and customer.name == " ".join(customer.name.split()), f"row {index} came out as {customer!r}"


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

# Each field is drawn good or bad; a bad draw names the column that must be reported.
GOOD_VALUES = {
    "customer_id": st.integers(1, 30).map(str) | st.integers(1, 30).map(lambda i: f" 0{i} "),
    "name": st.sampled_from(["Ada Lovelace", " TARA COSTA ", "zoë müller", "Ronald  McDonald", "李 小龍"]),
    "email": st.sampled_from(["ada@example.com", " BOB.X+1@MAIL.TEST", "c_d%e@a-b.example.org"]),
    "signup_date": st.dates().map(lambda d: d.isoformat() if d.year >= 1000 else "2000-01-01")
    | st.sampled_from(["12/31/1999", "31.12.1999", " 2024-02-29 "]),
    "country": st.sampled_from([s for c, v in COUNTRY_SPELLINGS.items() for s in (c, *v)]).map(lambda s: f" {s.lower()}"),
    "phone": st.sampled_from(["", None, "(555) 010 1234", "+1-555-010-1234", "15550101234", " 555.010.1234 "]),
}
BAD_VALUES = {
    "customer_id": st.sampled_from(["", None, "-1", "0", "1.5", "x", "١", "²", str(2**63), "9" * 25, " \n "]),
    "name": st.sampled_from(["", None, "   ", "a\x00b", "x" * 101, "\x7f"]),
    "email": st.sampled_from(["", None, "ada(at)example.com", "ada@", "ada.example.com", "@x.com", "a@b", "é@x.com"]),
    "signup_date": st.sampled_from(["", None, "2023-02-30", "13/45/2020", "2023-13-01", "not a date", "2024-1-05",
                                    "20240105", "31/12/1999", "12.31.1999"]),
    "country": st.sampled_from(["", None, "Atlantis", "U.S", "Deutsch land", "\u3000"]),
    "phone": st.sampled_from(["123", "555-010-123x", "+2-555-010-1234", "5550101234567", "+"]),
}


@st.composite
def labelled_rows(draw):
    values, bad = {}, set()
    for column in COLUMNS:
        if draw(st.booleans() if column != "customer_id" else st.integers(0, 5).map(lambda n: n == 0)):
            values[column], _ = draw(BAD_VALUES[column]), bad.add(column)
        else:
            values[column] = draw(GOOD_VALUES[column])
    return values, bad


def replay(customer: Customer) -> dict:
    """A clean Customer written back as text, as the next pipeline stage would store it."""
    return {"customer_id": str(customer.customer_id), "name": customer.name, "email": customer.email,
            "signup_date": customer.signup_date.isoformat(), "country": customer.country, "phone": customer.phone}


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(labelled_rows(), max_size=12))
def test_labelled_rows_are_reported_on_exactly_their_bad_columns(drawn):
    rows = [values for values, _ in drawn]
    result = validate(rows)
    problems = partition_problems(result, len(rows))
    assert not problems, f"validate({rows!r}): {problems}"
    seen, want = set(), {}
    for index, (values, bad) in enumerate(drawn):
        if "customer_id" not in bad:
            number = int(values["customer_id"])
            bad = bad | ({"customer_id"} if number in seen else set())
            seen.add(number)
        if bad:
            want[index] = [c for c in COLUMNS if c in bad]
    got = {r.index: columns_of(r.reasons) for r in result.quarantined}
    assert got == want, f"validate({rows!r}) reported columns {got}, expected {want}"
    again = validate([replay(customer) for _, customer in result.clean])
    assert [c for _, c in again.clean] == [c for _, c in result.clean] and not again.quarantined, \
        "clean rows written back as text and validated again must come out the same and clean"


chaos_text = st.one_of(
    st.none(),
    st.just(""),
    st.text(st.sampled_from(" \t\n\r\x0b\x0c\u00a0\u2003\u3000"), max_size=4),
    st.text(max_size=20),
    st.integers(-(10**30), 10**30).map(str),
    st.text(st.characters(categories=("Nd", "No")), max_size=6),
    st.sampled_from([*GOOD.values(), "٣", "²", "ＡＤＡ@ＥＸＡＭＰＬＥ.ＣＯＭ", "\x00", "İ@example.com"]),
)
chaos_rows = st.fixed_dictionaries({}, optional={column: chaos_text for column in COLUMNS})


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(chaos_rows | st.just(GOOD), max_size=10))
def test_any_rows_at_all_split_into_clean_and_quarantined_with_none_lost(rows):
    result = validate(iter(rows))
    problems = partition_problems(result, len(rows))
    assert not problems, f"validate({rows!r}): {problems}"
    for rejected in result.quarantined:
        columns = columns_of(rejected.reasons)
        assert rejected.row == rows[rejected.index], f"Rejected.row {rejected.row!r} is not input row {rejected.index}"
        assert columns == [c for c in COLUMNS if c in columns], \
            f"row {rows[rejected.index]!r}: reasons {rejected.reasons} must be one per column, in COLUMNS order"
    ids = [customer.customer_id for _, customer in result.clean]
    assert len(ids) == len(set(ids)), f"the clean rows carry a customer_id twice: {ids}"
