"""Tests for the customer-validation kata: run `pytest katas/mock/tools/test_customer_validation.py`.

Named cases per rule (rejections, the reference join, E.164, the merge), the exact data-quality
report of a small frame, then data_gen's dirty `customers_raw` file: every row accounted for, and a
hypothesis property that the accounting holds on any mix of rows.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.tools.customer_validation import (
    COUNTRY_REFERENCE,
    CUSTOMER_COLUMNS,
    REPORT_KEYS,
    clean_customers,
)

E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def row(customer_id="1", name="Ada Lovelace", email="ada@mail.test", signup_date="2023-03-15",
        country="Germany", phone="") -> dict:
    return {"customer_id": customer_id, "name": name, "email": email, "signup_date": signup_date,
            "country": country, "phone": phone}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(row()))


def customers_of(result) -> list[dict]:
    return result.customers.to_dict("records")


# -- rejections -------------------------------------------------------------------------------------------

REJECT_CASES = {
    "an id with letters": (row(customer_id="12a"), "customer_id: not a positive integer"),
    "id zero": (row(customer_id="0"), "customer_id: not a positive integer"),
    "a negative id": (row(customer_id="-3"), "customer_id: not a positive integer"),
    "a decimal id": (row(customer_id="1.5"), "customer_id: not a positive integer"),
    "an id beyond a bigint": (row(customer_id=str(2**63)), "customer_id: not a positive integer"),
    "a missing email": (row(email="  "), "email: missing or invalid"),
    "an email with (at)": (row(email="ada(at)mail.test"), "email: missing or invalid"),
    "an email without a domain": (row(email="ada@"), "email: missing or invalid"),
    "an unknown country": (row(country="Atlantis"), "country: not in the reference table"),
    "a missing country": (row(country=""), "country: not in the reference table"),
    "every failing rule, in order": (row(customer_id="x", email="nope", country="Mars"),
                                     "customer_id: not a positive integer; email: missing or invalid; "
                                     "country: not in the reference table"),
}


@pytest.mark.parametrize("bad,reasons", REJECT_CASES.values(), ids=REJECT_CASES.keys())
def test_a_row_failing_a_rule_is_rejected_with_every_reason(bad, reasons):
    result = clean_customers(frame(row(customer_id="5", email="good@mail.test"), bad))
    got = result.rejected.to_dict("records")
    assert got == [{"row": 1, "reasons": reasons}], (
        f"clean_customers(<a good row, then {bad}>).rejected is {got}, expected [{{'row': 1, 'reasons': {reasons!r}}}]")
    assert [c["customer_id"] for c in customers_of(result)] == [5], (
        f"the good row should be the only customer, got {customers_of(result)}")


def test_an_id_with_spaces_around_it_is_stripped_and_accepted():
    got = customers_of(clean_customers(frame(row(customer_id=" 42 "))))
    assert [c["customer_id"] for c in got] == [42], f"customer_id ' 42 ' gave customers {got}, expected id 42 (int)"


# -- cleaning and the reference table -------------------------------------------------------------------------

CLEAN_CASES = {
    "a lower-case alias, padded": (row(country="  germany "), {"country": "Germany", "country_code": "DE"}),
    "an ISO code": (row(country="us"), {"country": "United States", "country_code": "US"}),
    "an alias with dots": (row(country="U.S.A."), {"country": "United States", "country_code": "US"}),
    "a local spelling": (row(country="BRASIL"), {"country": "Brazil", "country_code": "BR"}),
    "an upper-case email is lower-cased": (row(email=" ADA@MAIL.TEST"), {"email": "ada@mail.test"}),
    "an all-caps name becomes title case, spaces collapsed": (row(name=" ADA   LOVELACE "), {"name": "Ada Lovelace"}),
    "a mixed-case name is kept": (row(name="Ada McDonald"), {"name": "Ada McDonald"}),
    "a missing name stays missing": (row(name=" "), {"name": None}),
    "signup_date is kept as stripped text": (row(signup_date=" 03/15/2023 "), {"signup_date": "03/15/2023"}),
}


@pytest.mark.parametrize("given_row,want", CLEAN_CASES.values(), ids=CLEAN_CASES.keys())
def test_a_valid_row_is_cleaned_and_enriched(given_row, want):
    got = customers_of(clean_customers(frame(given_row)))
    assert len(got) == 1, f"clean_customers(<{given_row}>) gave {len(got)} customers, expected 1"
    picked = {k: got[0][k] for k in want}
    assert picked == want, f"clean_customers(<{given_row}>) gave {picked}, expected {want}"


def test_the_reference_table_passed_in_is_the_one_used():
    reference = pd.concat([COUNTRY_REFERENCE, pd.DataFrame(
        [("Portugal", "PT", "Portugal", "+351"), ("PT", "PT", "Portugal", "+351")], columns=COUNTRY_REFERENCE.columns)],
        ignore_index=True)
    got = customers_of(clean_customers(frame(row(country="portugal", phone="912 345 678")), reference))
    want = {"country": "Portugal", "country_code": "PT", "phone": "+351912345678"}
    assert got and {k: got[0][k] for k in want} == want, (
        f"with Portugal added to the reference table, clean_customers gave {got}, expected {want}: "
        f"look countries up in the `reference` argument, not in a table of your own")


PHONE_CASES = {        # (country, phone as written) -> E.164 or None
    "a US national number with dots": ("United States", "555.010.1234", "+15550101234"),
    "a German national number gets +49": ("Germany", "(555) 010 1234", "+495550101234"),
    "a trunk 0 is dropped before the code": ("Germany", "030 1234567", "+49301234567"),
    "a + number keeps its own country code": ("Germany", "+1-555-010-1234", "+15550101234"),
    "letters make it invalid": ("France", "06 12 ab 34", None),
    "too short": ("France", "12345", None),
    "more than 15 digits with the code": ("India", "12345678901234", None),
    "a + then 0 is invalid": ("Japan", "+0123456789", None),
    "missing": ("Japan", " ", None),
}


@pytest.mark.parametrize("country,phone,want", PHONE_CASES.values(), ids=PHONE_CASES.keys())
def test_phones_become_e164_with_the_customers_calling_code(country, phone, want):
    got = customers_of(clean_customers(frame(row(country=country, phone=phone))))
    assert got and got[0]["phone"] == want, (
        f"phone {phone!r} of a customer in {country} became {got[0]['phone'] if got else '<no customer>'!r}, "
        f"expected {want!r}")


# -- near-duplicates -------------------------------------------------------------------------------------------

def test_near_duplicates_by_case_and_spaces_merge_into_the_first_row():
    raw = frame(row(customer_id="7", name="Tara Costa", email="tara@mail.test", phone=""),
                row(customer_id="8", name="Other Person", email="other@mail.test"),
                row(customer_id="7", name=" TARA  COSTA ", email=" TARA@MAIL.TEST", phone="+1 555 010 1234",
                    signup_date="2020-01-01"),
                row(customer_id="9", name="tara costa", email="tara@mail.test", phone="+1 555 999 0000"))
    result = clean_customers(raw)
    got = [(c["customer_id"], c["name"], c["phone"], c["signup_date"]) for c in customers_of(result)]
    want = [(7, "Tara Costa", "+15550101234", "2023-03-15"), (8, "Other Person", None, "2023-03-15")]
    assert got == want, (f"clean_customers(<Tara, Other, Tara re-cased, Tara lower-case>) gave customers {got}, "
                         f"expected {want}: the FIRST row survives with its values, a missing phone is filled "
                         f"from the first later row that has one")
    lineage = result.lineage.to_dict("records")
    want_lineage = [{"row": 0, "outcome": "kept", "customer_id": 7}, {"row": 1, "outcome": "kept", "customer_id": 8},
                    {"row": 2, "outcome": "merged", "customer_id": 7}, {"row": 3, "outcome": "merged", "customer_id": 7}]
    assert lineage == want_lineage, f"lineage is {lineage}, expected {want_lineage}"


NOT_SAME_CASES = {
    "same email, another name": (row(name="Ada Lovelace"), row(customer_id="2", name="Ada Byron")),
    "same name, another email": (row(email="ada@mail.test"), row(customer_id="2", email="ada2@mail.test")),
    "a missing name does not match a present one": (row(name=""), row(customer_id="2")),
}


@pytest.mark.parametrize("first,second", NOT_SAME_CASES.values(), ids=NOT_SAME_CASES.keys())
def test_rows_that_differ_in_more_than_case_and_spaces_stay_apart(first, second):
    got = customers_of(clean_customers(frame(first, second)))
    assert len(got) == 2, f"clean_customers(<{first}, {second}>) gave {len(got)} customers {got}, expected 2"


def test_a_rejected_row_is_never_merged_into_a_customer():
    raw = frame(row(customer_id="1"), row(customer_id="x"))     # same name and email, but the second is invalid
    lineage = clean_customers(raw).lineage.to_dict("records")
    assert lineage[1] == {"row": 1, "outcome": "rejected", "customer_id": None}, f"lineage is {lineage}"


# -- the report --------------------------------------------------------------------------------------------------

def test_the_report_counts_every_rule_on_a_small_frame():
    raw = frame(row(customer_id="1", country="germany", phone="030 1234567"),
                row(customer_id="1", name="ADA LOVELACE", email="ADA@mail.test", country="DE", phone=""),
                row(customer_id="2", name="Bo", email="bo@mail.test", country="France", phone="abc"),
                row(customer_id="3", name="Cy", email="cy@", country="Mars"),
                row(customer_id="x", name="Di", email="di@mail.test", country="Japan", phone=""))
    got = clean_customers(raw).report
    want = {"rows_in": 5, "customers_out": 2, "rows_rejected": 2, "rows_merged": 1,
            "customer_id: not a positive integer": 1, "email: missing or invalid": 1,
            "country: not in the reference table": 1, "country: spelling normalised": 2,
            "phone: missing": 1, "phone: invalid, set to null": 1}
    assert list(got) == list(REPORT_KEYS), f"report keys are {list(got)}, expected REPORT_KEYS {list(REPORT_KEYS)}"
    assert got == want, f"report is {got}, expected {want}"


# -- data_gen's customers_raw --------------------------------------------------------------------------------

@pytest.fixture
def customers_raw(dataset):
    return pd.read_csv(dataset("customers_raw", rows=800, fmt="csv", seed=5), dtype=str, keep_default_na=False)


def assert_every_row_accounted_for(raw: pd.DataFrame, result) -> None:
    lineage, report = result.lineage, result.report
    assert lineage["row"].tolist() == list(range(len(raw))), (
        f"lineage has rows {lineage['row'].tolist()[:10]}... for {len(raw)} input rows: expected each 0..n-1 once")
    outcomes = lineage["outcome"].value_counts().to_dict()
    assert set(outcomes) <= {"kept", "merged", "rejected"}, f"unknown outcomes {outcomes}"
    counted = (report["customers_out"], report["rows_rejected"], report["rows_merged"])
    seen = (outcomes.get("kept", 0), outcomes.get("rejected", 0), outcomes.get("merged", 0))
    assert counted == seen and sum(counted) == report["rows_in"] == len(raw), (
        f"report says customers_out, rows_rejected, rows_merged = {counted} of rows_in {report['rows_in']}; lineage "
        f"says kept, rejected, merged = {seen} of {len(raw)} rows: every input row must land exactly once")
    assert len(result.customers) == report["customers_out"] and len(result.rejected) == report["rows_rejected"]
    assert result.rejected["row"].tolist() == lineage.loc[lineage["outcome"] == "rejected", "row"].tolist()
    kept_ids = lineage.loc[lineage["outcome"] == "kept", "customer_id"].tolist()
    assert result.customers["customer_id"].tolist() == kept_ids, "customers are not the kept rows, in input order"


def test_every_row_of_a_generated_file_is_accounted_for(customers_raw):
    result = clean_customers(customers_raw)
    assert_every_row_accounted_for(customers_raw, result)
    assert result.report["rows_merged"] > 0 and result.report["rows_rejected"] > 0, (
        f"800 rows of customers_raw hold near-duplicates and bad emails; report {result.report}")


def test_a_generated_file_comes_out_clean(customers_raw):
    customers = clean_customers(customers_raw).customers
    assert list(customers.columns) == list(CUSTOMER_COLUMNS), f"customers has columns {list(customers.columns)}"
    assert isinstance(customers.index, pd.RangeIndex) and customers.index.start == 0, "customers needs a 0..n-1 index"
    names = set(COUNTRY_REFERENCE["name"])
    problems = {
        "a phone not in E.164": customers["phone"].dropna().map(lambda p: not E164.fullmatch(p)).sum(),
        "a country not in the reference": (~customers["country"].isin(names)).sum(),
        "an email not lower-cased or padded": (customers["email"] != customers["email"].str.strip().str.lower()).sum(),
        "two customers with one (email, name) key": customers.assign(
            n=customers["name"].fillna("").str.casefold()).duplicated(["email", "n"]).sum(),
    }
    found = {what: int(count) for what, count in problems.items() if count}
    assert not found, f"clean_customers(<800 rows of customers_raw>).customers has {found}"


def test_the_input_frames_are_left_as_they_were(customers_raw):
    before, reference = customers_raw.copy(), COUNTRY_REFERENCE.copy()
    clean_customers(customers_raw)
    pd.testing.assert_frame_equal(customers_raw, before, obj="raw after clean_customers(raw)")
    pd.testing.assert_frame_equal(COUNTRY_REFERENCE, reference, obj="COUNTRY_REFERENCE after clean_customers")


ANY_ROW = st.builds(
    row,
    customer_id=st.sampled_from(["1", "2", " 3", "x", "0"]),
    name=st.sampled_from(["Ada Lovelace", "ADA LOVELACE ", "Bo", ""]),
    email=st.sampled_from(["ada@mail.test", " ADA@MAIL.TEST", "bo@mail.test", "bad@", ""]),
    country=st.sampled_from(["Germany", "de", "usa ", "Mars", ""]),
    phone=st.sampled_from(["", "030 1234567", "+1-555-010-1234", "abc"]),
)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(ANY_ROW, min_size=1, max_size=10))
def test_every_row_is_accounted_for_on_any_mix_of_rows(rows):
    raw = frame(*rows)
    result = clean_customers(raw)
    assert_every_row_accounted_for(raw, result)
    keys = result.customers.assign(n=result.customers["name"].fillna("").str.casefold())
    assert not keys.duplicated(["email", "n"]).any(), (
        f"clean_customers(<{rows}>) left two customers with the same (email, name): {result.customers.to_dict('records')}")
