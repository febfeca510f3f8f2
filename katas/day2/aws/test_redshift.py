"""Tests for the Redshift kata: run `pytest katas/day2/aws/test_redshift.py`.

moto stores the cluster but runs no SQL, so the COPY statement is checked as exact text, the
quoting against PostgreSQL's own parser (with standard_conforming_strings=off, which reads
backslashes in literals the way Redshift does), and the loader against a local PostgreSQL.
"""
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from katas.day2.aws.redshift import (
    LoadError,
    copy_statement,
    create_cluster,
    load_from_s3,
    quote_ident,
    quote_literal,
)

pytestmark = pytest.mark.needs("aws", "pg")

ROLE = "arn:aws:iam::123456789012:role/redshift-copy"


# ---------------------------------------------------------------- the cluster

def test_the_cluster_reads_back_encrypted_private_and_with_the_copy_role(aws, aws_session):
    redshift = aws_session.client("redshift")
    create_cluster(redshift, identifier="warehouse", db_name="dev", master_username="loader",
                   iam_role_arn=ROLE, tags={"team": "data"})
    described = redshift.describe_clusters(ClusterIdentifier="warehouse")["Clusters"][0]
    got = {"Encrypted": described.get("Encrypted"), "PubliclyAccessible": described.get("PubliclyAccessible"),
           "IamRoles": [r["IamRoleArn"] for r in described.get("IamRoles", [])],
           "NodeType": described.get("NodeType"), "NumberOfNodes": described.get("NumberOfNodes"),
           "DBName": described.get("DBName"), "MasterUsername": described.get("MasterUsername"),
           "Tags": {t["Key"]: t["Value"] for t in described.get("Tags", [])}}
    want = {"Encrypted": True, "PubliclyAccessible": False, "IamRoles": [ROLE], "NodeType": "ra3.xlplus",
            "NumberOfNodes": 2, "DBName": "dev", "MasterUsername": "loader", "Tags": {"team": "data"}}
    assert got == want, f"create_cluster(...) then describe_clusters gave {got}, expected {want}"


def test_one_node_makes_a_single_node_cluster_and_the_description_is_returned(aws, aws_session):
    returned = create_cluster(aws_session.client("redshift"), identifier="tiny", db_name="dev",
                              master_username="loader", iam_role_arn=ROLE, number_of_nodes=1)
    got = (returned.get("ClusterIdentifier"), returned.get("NumberOfNodes"), returned.get("ClusterStatus"))
    assert got == ("tiny", 1, "available"), \
        f"create_cluster(number_of_nodes=1) returned (id, nodes, status) {got}; expected describe_clusters' " \
        "answer ('tiny', 1, 'available')"


def test_a_malformed_role_arn_creates_no_cluster(aws, aws_session):
    redshift = aws_session.client("redshift")
    with pytest.raises(ValueError):
        create_cluster(redshift, identifier="warehouse", db_name="dev", master_username="loader",
                       iam_role_arn="arn:aws:iam::123456789012:role/x'; DROP TABLE sales; --")
    left = [c["ClusterIdentifier"] for c in redshift.describe_clusters()["Clusters"]]
    assert left == [], f"a bad role ARN raised, but clusters {left} were created anyway: validate first"


# ---------------------------------------------------------------- quoting

QUOTED = {
    "plain identifier": (quote_ident, "sales", '"sales"'),
    "identifier with a double quote": (quote_ident, 'we"ird', '"we""ird"'),
    "identifier with spaces and a dot": (quote_ident, "daily sales.v2", '"daily sales.v2"'),
    "plain literal": (quote_literal, "s3://lake/sales/", "'s3://lake/sales/'"),
    "literal with a single quote": (quote_literal, "it's", "'it''s'"),
    "literal with a backslash": (quote_literal, "a\\b", "'a\\\\b'"),
    "literal ending in a backslash": (quote_literal, "dir\\", "'dir\\\\'"),
    "empty literal": (quote_literal, "", "''"),
}


@pytest.mark.parametrize("quote,value,want", QUOTED.values(), ids=QUOTED.keys())
def test_quoting_gives_the_exact_text(quote, value, want):
    got = quote(value)
    assert got == want, f"{quote.__name__}({value!r}) returned {got!r}, expected {want!r}"


NOT_QUOTABLE = {
    "empty identifier": (quote_ident, ""),
    "identifier with NUL": (quote_ident, "a\x00b"),
    "identifier over 127 bytes": (quote_ident, "é" * 64),
    "literal with NUL": (quote_literal, "a\x00b"),
}


@pytest.mark.parametrize("quote,value", NOT_QUOTABLE.values(), ids=NOT_QUOTABLE.keys())
def test_values_that_cannot_be_quoted_are_refused(quote, value):
    with pytest.raises(ValueError):
        quote(value)


TEXT = st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=TEXT, name=TEXT.filter(lambda s: 0 < len(s.encode()) <= 63))
def test_postgres_reads_back_exactly_what_was_quoted(pg, value, name):
    pg.execute("SET standard_conforming_strings = off")   # backslashes escape, as in Redshift
    pg.execute("SET escape_string_warning = off")
    sql = f"SELECT {quote_literal(value)} AS {quote_ident(name)}"
    cur = pg.execute(sql)
    got = (cur.fetchone()[0], cur.description[0].name)
    assert got == (value, name), f"{sql!r} returned (value, column) {got!r}, expected {(value, name)!r}"


# ---------------------------------------------------------------- the COPY statement

STATEMENTS = {
    "csv from a prefix, one header line": (
        ("sales", "s3://lake/sales/2024-01-", ROLE), dict(file_format="csv", schema="analytics", ignore_header=1),
        "COPY \"analytics\".\"sales\" FROM 's3://lake/sales/2024-01-' "
        f"IAM_ROLE '{ROLE}' FORMAT AS CSV IGNOREHEADER 1;"),
    "csv without a header or schema": (
        ("sales", "s3://lake/sales/", ROLE), dict(file_format="csv"),
        f"COPY \"sales\" FROM 's3://lake/sales/' IAM_ROLE '{ROLE}' FORMAT AS CSV;"),
    "parquet, format name in any case": (
        ("events", "s3://lake/events/dt=2024-01-01/", ROLE), dict(file_format="Parquet", schema="raw"),
        f"COPY \"raw\".\"events\" FROM 's3://lake/events/dt=2024-01-01/' IAM_ROLE '{ROLE}' FORMAT AS PARQUET;"),
    "json auto from a manifest": (
        ("events", "s3://lake/manifests/run-7.json", ROLE), dict(file_format="JSON", manifest=True),
        f"COPY \"events\" FROM 's3://lake/manifests/run-7.json' IAM_ROLE '{ROLE}' FORMAT AS JSON 'auto' MANIFEST;"),
    "csv from a manifest with two header lines": (
        ("sales", "s3://lake/m.manifest", ROLE), dict(file_format="csv", manifest=True, ignore_header=2),
        f"COPY \"sales\" FROM 's3://lake/m.manifest' IAM_ROLE '{ROLE}' FORMAT AS CSV IGNOREHEADER 2 MANIFEST;"),
    "a column list": (
        ("sales", "s3://lake/sales/", ROLE), dict(file_format="csv", columns=["id", "Region", "amount"]),
        f"COPY \"sales\" (\"id\", \"Region\", \"amount\") FROM 's3://lake/sales/' IAM_ROLE '{ROLE}' FORMAT AS CSV;"),
    "a bucket in another region": (
        ("sales", "s3://lake-eu/sales/", ROLE), dict(file_format="csv", region="eu-west-1"),
        f"COPY \"sales\" FROM 's3://lake-eu/sales/' IAM_ROLE '{ROLE}' FORMAT AS CSV REGION 'eu-west-1';"),
    "every option at once": (
        ("sales", "s3://lake-eu/m.json", ROLE),
        dict(file_format="csv", schema="st", columns=["id"], manifest=True, ignore_header=1, region="eu-west-1"),
        f"COPY \"st\".\"sales\" (\"id\") FROM 's3://lake-eu/m.json' IAM_ROLE '{ROLE}' FORMAT AS CSV "
        "IGNOREHEADER 1 MANIFEST REGION 'eu-west-1';"),
    "a GovCloud role with a path": (
        ("sales", "s3://lake/s/", "arn:aws-us-gov:iam::123456789012:role/etl/copy+load@v2"), dict(file_format="csv"),
        "COPY \"sales\" FROM 's3://lake/s/' IAM_ROLE 'arn:aws-us-gov:iam::123456789012:role/etl/copy+load@v2' "
        "FORMAT AS CSV;"),
    "identifiers with double quotes": (
        ('daily "sales"', "s3://lake/s/", ROLE), dict(file_format="csv", schema='my"schema'),
        f"COPY \"my\"\"schema\".\"daily \"\"sales\"\"\" FROM 's3://lake/s/' IAM_ROLE '{ROLE}' FORMAT AS CSV;"),
    "a path with a quote cannot end the literal": (
        ("sales", "s3://lake/it's'; DROP TABLE sales; --", ROLE), dict(file_format="csv"),
        f"COPY \"sales\" FROM 's3://lake/it''s''; DROP TABLE sales; --' IAM_ROLE '{ROLE}' FORMAT AS CSV;"),
    "a path with a backslash before a quote cannot end the literal": (
        ("sales", "s3://lake/x\\'; DROP TABLE sales; --", ROLE), dict(file_format="csv"),
        f"COPY \"sales\" FROM 's3://lake/x\\\\''; DROP TABLE sales; --' IAM_ROLE '{ROLE}' FORMAT AS CSV;"),
}


@pytest.mark.parametrize("args,kwargs,want", STATEMENTS.values(), ids=STATEMENTS.keys())
def test_the_copy_statement_is_exact(args, kwargs, want):
    got = copy_statement(*args, **kwargs)
    assert got == want, f"copy_statement{args} with {kwargs}\n returned {got!r}\n expected {want!r}"


REFUSED = {
    "an unknown format": (("sales", "s3://lake/s/", ROLE), dict(file_format="xml")),
    "IGNOREHEADER with parquet": (("sales", "s3://lake/s/", ROLE), dict(file_format="parquet", ignore_header=1)),
    "IGNOREHEADER with json": (("sales", "s3://lake/s/", ROLE), dict(file_format="json", ignore_header=1)),
    "a negative IGNOREHEADER": (("sales", "s3://lake/s/", ROLE), dict(file_format="csv", ignore_header=-1)),
    "an https URL instead of s3://": (("sales", "https://lake.s3.amazonaws.com/s/", ROLE), dict(file_format="csv")),
    "an s3 URL without a bucket": (("sales", "s3:///s/", ROLE), dict(file_format="csv")),
    "a role ARN with a quote": (("sales", "s3://lake/s/", ROLE + "' FORMAT AS CSV; DROP TABLE sales; --"),
                                dict(file_format="csv")),
    "a role ARN with a backslash": (("sales", "s3://lake/s/", ROLE + "\\"), dict(file_format="csv")),
    "a user ARN, not a role": (("sales", "s3://lake/s/", "arn:aws:iam::123456789012:user/bob"),
                               dict(file_format="csv")),
    "an account id that is not 12 digits": (("sales", "s3://lake/s/", "arn:aws:iam::1234:role/x"),
                                            dict(file_format="csv")),
    "an empty table name": (("", "s3://lake/s/", ROLE), dict(file_format="csv")),
}


@pytest.mark.parametrize("args,kwargs", REFUSED.values(), ids=REFUSED.keys())
def test_bad_copy_arguments_are_refused(args, kwargs):
    try:
        got = copy_statement(*args, **kwargs)
    except ValueError:
        return
    pytest.fail(f"copy_statement{args} with {kwargs} returned {got!r}; expected ValueError")


# ---------------------------------------------------------------- the loader (PostgreSQL stand-in)

class Lake:
    """A bucket in moto and a `sales` table in the test's PostgreSQL database."""

    def __init__(self, session, pg):
        self.s3 = session.client("s3")
        self.pg = pg
        for bucket in ("lake", "other"):
            self.s3.create_bucket(Bucket=bucket)
        pg.execute("CREATE TABLE sales (id int PRIMARY KEY, region text, amount numeric(10, 2), "
                   "note text DEFAULT 'n/a')")

    def put(self, key, body, bucket="lake"):
        self.s3.put_object(Bucket=bucket, Key=key, Body=body.encode() if isinstance(body, str) else body)

    def manifest(self, key, entries):
        self.put(key, json.dumps({"entries": entries}))
        return f"s3://lake/{key}"

    def rows(self, table="sales", columns="id, region, amount"):
        return self.pg.execute(f"SELECT {columns} FROM {table} ORDER BY id").fetchall()

    def ids(self):
        return [row[0] for row in self.rows()]


@pytest.fixture
def lake(aws, aws_session, pg):
    return Lake(aws_session, pg)


HEADER = "id,region,amount\n"


def load(lake, source, **kwargs):
    kwargs.setdefault("file_format", "csv")
    kwargs.setdefault("columns", ["id", "region", "amount"])
    return load_from_s3(lake.s3, lake.pg, "sales", source, **kwargs)


def test_a_prefix_loads_every_matching_file_and_returns_the_row_count(lake):
    lake.put("sales/2024-01-01.csv", HEADER + "1,north,10.50\n2,south,20\n")
    lake.put("sales/2024-01-02.csv", HEADER + "3,east,30.25\n")
    lake.put("sales/2023-12-31.csv", HEADER + "99,old,0\n")
    got = load(lake, "s3://lake/sales/2024-01-", ignore_header=1)
    rows = [(i, r, float(a)) for i, r, a in lake.rows()]
    want = [(1, "north", 10.5), (2, "south", 20.0), (3, "east", 30.25)]
    assert (got, rows) == (3, want), \
        f"load_from_s3(prefix s3://lake/sales/2024-01-, ignore_header=1) returned {got} and loaded {rows}; " \
        f"expected 3 and {want} (2023-12-31.csv does not match the prefix)"


def test_a_prefix_matches_key_names_not_folders(lake):
    lake.put("sales/part-1.csv", "1,north,1\n")
    lake.put("sales_backup.csv", "2,south,2\n")
    lake.put("salesman.csv", "3,east,3\n")
    lake.put("sale.csv", "4,west,4\n")
    load(lake, "s3://lake/sales")
    assert lake.ids() == [1, 2, 3], \
        f"prefix s3://lake/sales loaded ids {lake.ids()}; Redshift loads every key starting with 'sales' " \
        "(sales/part-1.csv, sales_backup.csv, salesman.csv), not only the 'sales/' folder"


def test_ignore_header_skips_lines_in_every_file(lake):
    for n in range(3):
        lake.put(f"in/{n}.csv", f"# export {n}\n{HEADER}{n},r{n},{n}\n")
    load(lake, "s3://lake/in/", ignore_header=2)
    assert lake.ids() == [0, 1, 2], \
        f"ignore_header=2 over three files loaded ids {lake.ids()}, expected [0, 1, 2]: skip the header of every file"


def test_a_header_longer_than_a_read_chunk_is_still_skipped(lake):
    lake.put("wide/0.csv", "id,region,amount" + ",padding" * 20_000 + "\n1,north,1\n")
    load(lake, "s3://lake/wide/", ignore_header=1)
    assert lake.ids() == [1], f"a 160 kB header line plus one row loaded ids {lake.ids()}, expected [1]"


def test_csv_quoting_nulls_and_a_missing_final_newline_survive(lake):
    lake.put("q/a.csv", '1,"north, upper",1\n2,"multi\nline",2\n3,,3')   # no newline at the end
    lake.put("q/b.csv", '4,"say ""hi""",4\n')
    load(lake, "s3://lake/q/")
    got = [(i, r) for i, r, _ in lake.rows()]
    want = [(1, "north, upper"), (2, "multi\nline"), (3, None), (4, 'say "hi"')]
    assert got == want, f"loading two CSV files gave (id, region) {got}, expected {want}: load each file as its " \
                        "own COPY (a.csv has no final newline), an empty unquoted field is NULL"


class TwoKeysPerPage:
    """The real client, except that listings come two keys a page: what S3 does past 1,000 keys."""

    def __init__(self, s3):
        self._s3 = s3

    def __getattr__(self, name):
        return getattr(self._s3, name)

    def list_objects_v2(self, **kwargs):
        return self._s3.list_objects_v2(**{**kwargs, "MaxKeys": min(kwargs.get("MaxKeys", 2), 2)})

    def get_paginator(self, name):
        paginator = self._s3.get_paginator(name)
        original = paginator.paginate

        def paginate(**kwargs):
            config = {**kwargs.pop("PaginationConfig", {}), "PageSize": 2}
            return original(PaginationConfig=config, **kwargs)

        paginator.paginate = paginate
        return paginator


def test_every_page_of_the_listing_is_loaded(lake):
    for n in range(7):
        lake.put(f"paged/{n}.csv", f"{n},r,{n}\n")
    loaded = load_from_s3(TwoKeysPerPage(lake.s3), lake.pg, "sales", "s3://lake/paged/", file_format="csv",
                          columns=["id", "region", "amount"])
    assert lake.ids() == list(range(7)), \
        f"with two keys per listing page, 7 files loaded ids {lake.ids()} (returned {loaded}); follow " \
        "ContinuationToken or use get_paginator('list_objects_v2')"


def test_an_empty_prefix_is_an_error(lake):
    with pytest.raises(LoadError):
        load(lake, "s3://lake/nothing-here/")


def test_a_manifest_loads_exactly_its_entries_even_from_another_bucket(lake):
    lake.put("m/1.csv", "1,north,1\n")
    lake.put("m/2.csv", "2,south,2\n")
    lake.put("m/3.csv", "3,east,3\n")
    lake.put("x/4.csv", "4,west,4\n", bucket="other")
    source = lake.manifest("manifests/run.json", [
        {"url": "s3://lake/m/1.csv", "mandatory": True},
        {"url": "s3://lake/m/3.csv"},
        {"url": "s3://other/x/4.csv", "mandatory": False},
    ])
    got = load(lake, source, manifest=True)
    assert (got, lake.ids()) == (3, [1, 3, 4]), \
        f"a manifest of m/1.csv, m/3.csv and other/x/4.csv returned {got} and loaded ids {lake.ids()}; " \
        "expected 3 and [1, 3, 4] (m/2.csv is not listed)"


def test_a_missing_optional_manifest_entry_is_skipped(lake):
    lake.put("m/1.csv", "1,north,1\n")
    source = lake.manifest("manifests/run.json", [
        {"url": "s3://lake/m/gone.csv", "mandatory": False}, {"url": "s3://lake/m/also-gone.csv"},
        {"url": "s3://lake/m/1.csv", "mandatory": True}])
    load(lake, source, manifest=True)
    assert lake.ids() == [1], f"optional missing entries should be skipped; loaded ids {lake.ids()}, expected [1]"


def test_a_missing_mandatory_entry_fails_clearly_and_loads_nothing(lake):
    lake.put("m/1.csv", "1,north,1\n")
    lake.put("m/3.csv", "3,east,3\n")
    source = lake.manifest("manifests/run.json", [
        {"url": "s3://lake/m/1.csv", "mandatory": True},
        {"url": "s3://lake/m/2.csv", "mandatory": True},
        {"url": "s3://lake/m/3.csv", "mandatory": True}])
    with pytest.raises(LoadError) as failed:
        load(lake, source, manifest=True)
    assert "s3://lake/m/2.csv" in str(failed.value), \
        f"the error {failed.value!r} should name the missing mandatory file s3://lake/m/2.csv"
    assert lake.ids() == [], f"the load failed but rows {lake.ids()} stayed: run it in one transaction"


BAD_MANIFESTS = {
    "no entries key": {"files": []},
    "entries not a list": {"entries": "s3://lake/m/1.csv"},
    "an entry without url": {"entries": [{"mandatory": True}]},
}


@pytest.mark.parametrize("document", BAD_MANIFESTS.values(), ids=BAD_MANIFESTS.keys())
def test_a_malformed_manifest_is_a_load_error(lake, document):
    lake.put("manifests/bad.json", json.dumps(document))
    with pytest.raises(LoadError):
        load(lake, "s3://lake/manifests/bad.json", manifest=True)


def test_a_missing_manifest_is_a_load_error(lake):
    with pytest.raises(LoadError):
        load(lake, "s3://lake/manifests/never-written.json", manifest=True)


def test_json_auto_matches_keys_to_column_names(lake):
    lake.put("j/0.json", "\n".join([
        json.dumps({"id": 1, "region": "north", "amount": 1.5}),
        "",
        json.dumps({"amount": 2, "id": 2, "extra": "ignored"}),
        json.dumps({"region": "east", "id": 3, "note": "hand-made"}),
    ]) + "\n")
    got = load_from_s3(lake.s3, lake.pg, "sales", "s3://lake/j/", file_format="json")
    rows = [(i, r, None if a is None else float(a), n) for i, r, a, n in lake.rows(columns="id, region, amount, note")]
    want = [(1, "north", 1.5, None), (2, None, 2.0, None), (3, "east", None, "hand-made")]
    assert (got, rows) == (3, want), \
        f"JSON 'auto' into sales(id, region, amount, note) returned {got} and loaded {rows}; expected 3 and {want}: " \
        "match keys to the table's columns, ignore other keys, missing keys are NULL"


def test_parquet_columns_are_matched_by_name(lake):
    table = pa.table({"amount": [7.25, 8.0], "extra": ["x", "y"], "id": [7, 8], "region": ["north", "south"]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    lake.put("p/part-0.parquet", buffer.getvalue())
    load(lake, "s3://lake/p/", file_format="parquet")
    rows = [(i, r, float(a)) for i, r, a in lake.rows()]
    want = [(7, "north", 7.25), (8, "south", 8.0)]
    assert rows == want, f"a Parquet file with columns in another order loaded {rows}, expected {want}"


def test_a_quoted_schema_and_table_name_are_loaded_into(lake):
    lake.pg.execute('CREATE SCHEMA "Staging"')
    lake.pg.execute('CREATE TABLE "Staging"."daily ""sales""" (id int, region text)')
    lake.put("s/0.csv", "1,north\n")
    load_from_s3(lake.s3, lake.pg, 'daily "sales"', "s3://lake/s/", file_format="csv", schema="Staging")
    got = lake.pg.execute('SELECT id, region FROM "Staging"."daily ""sales"""').fetchall()
    assert got == [(1, "north")], f"loading into \"Staging\".\"daily \"\"sales\"\"\" gave {got}, expected [(1, 'north')]"


LOAD_REFUSED = {
    "an unknown format": dict(file_format="xml"),
    "IGNOREHEADER with json": dict(file_format="json", ignore_header=1),
}


@pytest.mark.parametrize("kwargs", LOAD_REFUSED.values(), ids=LOAD_REFUSED.keys())
def test_the_loader_validates_like_copy_statement(lake, kwargs):
    lake.put("v/0.csv", "1,north,1\n")
    with pytest.raises(ValueError):
        load_from_s3(lake.s3, lake.pg, "sales", "s3://lake/v/", **kwargs)
    assert lake.ids() == [], f"load_from_s3 with {kwargs} raised but loaded ids {lake.ids()}"
