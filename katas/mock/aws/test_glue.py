"""Tests for the Glue ETL kata: `pytest katas/mock/aws/test_glue.py`.

moto (the `aws` fixture) holds the catalog, the crawler, the job and the S3 data; `spark` is the
session-wide local SparkSession; `pg` is an autocommit connection to a fresh PostgreSQL database
(Redshift's stand-in). The Spark tests are few and small: the session's first job takes seconds.
"""
from datetime import date, datetime
from decimal import Decimal

import psycopg
import pytest
from pyspark.sql import types as T

from dojo.services.aws import CallLog
from katas.mock.aws.glue import (
    COLUMNS,
    SCRIPT_SOURCE,
    SETUP,
    GlueSetup,
    JobReport,
    define_catalog,
    define_crawler,
    define_job,
    fetch_inputs,
    job_arguments,
    latest_per_order,
    run_job,
    spark_type,
    validate,
)

pytestmark = pytest.mark.needs("aws", "spark", "pg")

HEADER = "order_id,customer_id,amount,status,updated_at"
# Nothing in the job may come from SETUP: these tests run it on another setup, through the catalog.
OTHER = GlueSetup(database="shop_raw", table="orders_v2", bucket="lake-test", prefix="landing/orders/",
                  job="orders-v2-to-redshift", script_bucket="lake-test-assets", target_table="orders_mart")


def csv_body(*records: str) -> bytes:
    return ("\n".join([HEADER, *records]) + "\n").encode()


@pytest.fixture
def clients(aws, aws_session):
    """(glue, s3) moto clients, with the buckets of SETUP and OTHER made."""
    s3 = aws_session.client("s3")
    for bucket in {SETUP.bucket, SETUP.script_bucket, OTHER.bucket, OTHER.script_bucket}:
        s3.create_bucket(Bucket=bucket)
    return aws_session.client("glue"), s3


def define_all(glue, s3, setup: GlueSetup) -> None:
    define_catalog(glue, setup)
    define_crawler(glue, setup)
    define_job(glue, s3, setup)


def target_rows(conn, table: str) -> dict:
    rows = conn.execute(f"SELECT order_id, customer_id, amount, status, updated_at, dt FROM {table}").fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


# ---------------------------------------------------------------------------------------------
# The definitions in moto (stored, not run: moto never crawls or runs a job)
# ---------------------------------------------------------------------------------------------

def test_the_catalog_holds_the_database_and_the_partitioned_csv_table(clients):
    glue, _ = clients
    define_catalog(glue, OTHER)
    assert glue.get_database(Name="shop_raw")["Database"]["Name"] == "shop_raw", "the database was not created"
    table = glue.get_table(DatabaseName="shop_raw", Name="orders_v2")["Table"]
    descriptor = table["StorageDescriptor"]
    got = [(c["Name"], c["Type"]) for c in descriptor["Columns"]]
    assert got == list(COLUMNS), f"the table's columns are {got}, expected COLUMNS {list(COLUMNS)} in order"
    keys = [(k["Name"], k["Type"]) for k in table.get("PartitionKeys", [])]
    assert keys == [("dt", "date")], f"the partition keys are {keys}, expected [('dt', 'date')]"
    assert descriptor["Location"] == "s3://lake-test/landing/orders/", f"the location is {descriptor['Location']!r}"
    parameters = table.get("Parameters", {})
    want = {"classification": "csv", "skip.header.line.count": "1"}
    assert {k: parameters.get(k) for k in want} == want, f"the table's Parameters are {parameters}, expected {want}"
    assert table.get("TableType") == "EXTERNAL_TABLE", f"TableType is {table.get('TableType')!r}"
    serde = descriptor.get("SerdeInfo", {})
    assert "LazySimpleSerDe" in serde.get("SerializationLibrary", "") and serde.get("Parameters", {}).get("field.delim") == ",", \
        f"SerdeInfo is {serde}, expected LazySimpleSerDe with field.delim ','"


def test_the_crawler_adds_partitions_but_never_rewrites_the_schema(clients):
    glue, _ = clients
    define_catalog(glue, OTHER)
    define_crawler(glue, OTHER)
    crawler = glue.get_crawler(Name=OTHER.crawler)["Crawler"]
    got = (crawler.get("Role"), crawler.get("DatabaseName"),
           [t["Path"] for t in crawler.get("Targets", {}).get("S3Targets", [])],
           crawler.get("Schedule", {}).get("ScheduleExpression"))
    want = (OTHER.role_arn, "shop_raw", ["s3://lake-test/landing/orders/"], OTHER.schedule)
    assert got == want, f"the crawler's role, database, S3 paths and schedule are {got}, expected {want}"
    policy = crawler.get("SchemaChangePolicy", {})
    assert policy == {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"}, \
        f"SchemaChangePolicy is {policy}: the crawler must only LOG changes to the table the job relies on"
    recrawl = crawler.get("RecrawlPolicy", {}).get("RecrawlBehavior")
    assert recrawl == "CRAWL_NEW_FOLDERS_ONLY", f"RecrawlBehavior is {recrawl!r}, expected CRAWL_NEW_FOLDERS_ONLY"


def test_the_job_runs_the_uploaded_script_with_its_arguments(clients):
    glue, s3 = clients
    url = define_job(glue, s3, OTHER)
    assert url == "s3://lake-test-assets/scripts/orders-v2-to-redshift.py", f"define_job returned {url!r}"
    body = s3.get_object(Bucket="lake-test-assets", Key="scripts/orders-v2-to-redshift.py")["Body"].read()
    assert body == SCRIPT_SOURCE, "the script in S3 is not SCRIPT_SOURCE, the module's own source"
    job = glue.get_job(JobName=OTHER.job)["Job"]
    got = {name: job.get(name) for name in ("Role", "Command", "GlueVersion", "WorkerType", "NumberOfWorkers",
                                            "Timeout", "MaxRetries", "Connections")}
    want = {"Role": OTHER.role_arn, "Command": {"Name": "glueetl", "ScriptLocation": url, "PythonVersion": "3"},
            "GlueVersion": "4.0", "WorkerType": "G.1X", "NumberOfWorkers": 2, "Timeout": 60, "MaxRetries": 1,
            "Connections": {"Connections": [OTHER.connection]}}
    assert got == want, f"the job is {got}, expected {want}"
    arguments = job_arguments(glue, OTHER.job)
    want_arguments = {"DATABASE": "shop_raw", "TABLE": "orders_v2", "TARGET_TABLE": "orders_mart",
                      "TempDir": "s3://lake-test-assets/temp/", "job-bookmark-option": "job-bookmark-disable"}
    assert arguments == want_arguments, f"job_arguments returned {arguments}, expected {want_arguments}"


def test_defining_everything_twice_creates_nothing_the_second_time(clients):
    glue, s3 = clients
    define_all(glue, s3, OTHER)
    log = CallLog(glue)
    define_all(glue, s3, OTHER)
    creates = [name for name, _ in log.calls if name.startswith("Create")]
    assert creates == [], f"the second run called {creates}: read first, create only what is missing"
    assert [t["Name"] for t in glue.get_tables(DatabaseName="shop_raw")["TableList"]] == ["orders_v2"]


# ---------------------------------------------------------------------------------------------
# The script's parts
# ---------------------------------------------------------------------------------------------

SPARK_TYPES = {
    "string": ("string", T.StringType()), "int": ("int", T.IntegerType()), "bigint": ("bigint", T.LongType()),
    "double": ("double", T.DoubleType()), "boolean": ("boolean", T.BooleanType()), "date": ("date", T.DateType()),
    "timestamp has no zone in the catalog": ("timestamp", T.TimestampNTZType()),
    "decimal(12,2)": ("decimal(12,2)", T.DecimalType(12, 2)),
    "decimal with spaces": ("decimal( 38 , 0 )", T.DecimalType(38, 0)),
}


@pytest.mark.parametrize("glue_type,want", SPARK_TYPES.values(), ids=SPARK_TYPES.keys())
def test_spark_type(glue_type, want):
    got = spark_type(glue_type)
    assert got == want, f"spark_type({glue_type!r}) returned {got!r}, expected {want!r}"


@pytest.mark.parametrize("glue_type", ["struct<a:int>", "decimal", "varchar(10)", ""])
def test_spark_type_refuses_types_it_does_not_know(glue_type):
    with pytest.raises(ValueError):
        got = spark_type(glue_type)
        pytest.fail(f"spark_type({glue_type!r}) returned {got!r}, expected ValueError")


def test_fetch_inputs_downloads_the_dt_folders_over_every_page(clients, tmp_path):
    _, s3 = clients
    s3.meta.events.register("before-parameter-build.s3.ListObjectsV2",
                            lambda params, **_: params.setdefault("MaxKeys", 2))        # pages of 2 keys
    wanted = {"dt=2024-05-01/part-0.csv": b"a", "dt=2024-05-01/part-1.csv": b"b", "dt=2024-05-02/part-0.csv": b"c"}
    noise = ["_SUCCESS", "readme.csv", "dt=2024-05-02/notes.txt", "dt=2024-05-02/_SUCCESS", "dt=latest/x.csv"]
    for relative, body in wanted.items():
        s3.put_object(Bucket="lake-test", Key=f"landing/orders/{relative}", Body=body)
    for relative in noise:
        s3.put_object(Bucket="lake-test", Key=f"landing/orders/{relative}", Body=b"noise")
    s3.put_object(Bucket="lake-test", Key="landing/orders-old/dt=2024-05-01/part-0.csv", Body=b"another prefix")
    got = fetch_inputs(s3, "s3://lake-test/landing/orders/", tmp_path)
    want = [tmp_path / relative for relative in sorted(wanted)]
    assert got == want, f"fetch_inputs returned {got}, expected {want} (S3 answered 2 keys a page: use the paginator)"
    contents = {str(path.relative_to(tmp_path)): path.read_bytes() for path in got}
    assert contents == wanted, f"the downloaded files hold {contents}, expected {wanted}"


RAW_SCHEMA = T.StructType([*(T.StructField(name, T.StringType()) for name, _ in COLUMNS),
                           T.StructField("dt", T.DateType())])
DAY = date(2024, 5, 1)
VALIDATION = {   # order_id field -> (raw fields, the typed row expected, or None when rejected)
    "a plain row": (("1", "c-1", "19.90", "new", "2024-05-01 10:00:00"),
                    (1, "c-1", Decimal("19.90"), "new", datetime(2024, 5, 1, 10))),
    "spaces trimmed, status lowercased, T in the timestamp": ((" 2 ", " c-2 ", "5", "PAID", "2024-05-01T11:30:00"),
                                                               (2, "c-2", Decimal("5.00"), "paid", datetime(2024, 5, 1, 11, 30))),
    "an amount of zero is valid": (("3", "c-3", "0", "shipped", "2024-05-01 12:00:00"),
                                   (3, "c-3", Decimal("0.00"), "shipped", datetime(2024, 5, 1, 12))),
    "order_id zero": (("0", "c-4", "1", "new", "2024-05-01 10:00:00"), None),
    "order_id negative": (("-5", "c-5", "1", "new", "2024-05-01 10:00:00"), None),
    "customer_id blank": (("6", "   ", "1", "new", "2024-05-01 10:00:00"), None),
    "amount 'ten' (a plain cast fails the job under ANSI)": (("7", "c-7", "ten", "new", "2024-05-01 10:00:00"), None),
    "amount negative": (("8", "c-8", "-1.00", "new", "2024-05-01 10:00:00"), None),
    "amount missing": (("9", "c-9", None, "new", "2024-05-01 10:00:00"), None),
    "status unknown": (("10", "c-10", "1", "lost", "2024-05-01 10:00:00"), None),
    "updated_at not a timestamp": (("11", "c-11", "1", "new", "yesterday"), None),
    "updated_at empty": (("12", "c-12", "1", "new", ""), None),
}


def test_validate_types_the_good_rows_and_drops_the_bad_ones(spark):
    raw = spark.createDataFrame([(*fields, DAY) for fields, _ in VALIDATION.values()], RAW_SCHEMA)
    got_frame = validate(raw, list(COLUMNS))
    names = [field.name for field in got_frame.schema.fields]
    assert names == [name for name, _ in COLUMNS] + ["dt"], f"validate returned the columns {names}"
    got = {row["order_id"]: tuple(row) for row in got_frame.collect()}
    want = {typed[0]: (*typed, DAY) for _, typed in VALIDATION.values() if typed}
    for case, (fields, typed) in VALIDATION.items():
        key = typed[0] if typed else int(fields[0].strip())
        assert got.get(key) == (want.get(key)), \
            f"case {case!r}: validate turned {fields} into {got.get(key)}, expected {want.get(key)} (None = rejected)"
    assert set(got) == set(want), f"validate kept the orders {sorted(got)}, expected {sorted(want)}"


TYPED_SCHEMA = T.StructType([T.StructField("order_id", T.LongType()), T.StructField("customer_id", T.StringType()),
                             T.StructField("amount", T.DecimalType(12, 2)), T.StructField("status", T.StringType()),
                             T.StructField("updated_at", T.TimestampNTZType()), T.StructField("dt", T.DateType())])


def test_latest_per_order_keeps_the_newest_update_then_the_later_day(spark):
    def row(order_id, amount, hour, day):
        return (order_id, "c", Decimal(amount), "new", datetime(2024, 5, 1, hour), date(2024, 5, day))
    rows = [row(1, "1.00", 10, 1), row(1, "2.00", 12, 1), row(1, "3.00", 9, 2),    # 12:00 is newest, though day 1
            row(2, "4.00", 10, 1), row(2, "5.00", 10, 2),                          # a tie on time: the later day
            row(3, "6.00", 8, 3)]
    got = {r["order_id"]: r["amount"] for r in latest_per_order(spark.createDataFrame(rows, TYPED_SCHEMA)).collect()}
    want = {1: Decimal("2.00"), 2: Decimal("5.00"), 3: Decimal("6.00")}
    assert got == want, f"latest_per_order kept the amounts {got}, expected {want}"


# ---------------------------------------------------------------------------------------------
# The job, end to end: S3 (moto) -> Spark -> PostgreSQL
# ---------------------------------------------------------------------------------------------

def seed_other(s3) -> None:
    put = lambda key, body: s3.put_object(Bucket="lake-test", Key=f"landing/orders/{key}", Body=body)  # noqa: E731
    put("dt=2024-05-01/part-0.csv", csv_body("1, c-17 ,19.90,NEW,2024-05-01 10:00:00",
                                             "2,c-40,ten,new,2024-05-01 11:00:00",
                                             "3,c-9,7.50,shipped,2024-05-01 12:00:00"))
    put("dt=2024-05-02/part-0.csv", csv_body("1,c-17,25.00,paid,2024-05-02 09:00:00",
                                             "4,c-2,3.00,new,2024-05-02 08:00:00"))
    put("_SUCCESS", b"")
    put("dt=2024-05-02/notes.txt", b"not data")
    s3.put_object(Bucket="lake-test", Key="landing/other/dt=2024-05-01/part-0.csv",
                  Body=csv_body("99,c-99,1.00,new,2024-05-01 10:00:00"))


OTHER_ROWS = {
    1: ("c-17", Decimal("25.00"), "paid", datetime(2024, 5, 2, 9), date(2024, 5, 2)),
    3: ("c-9", Decimal("7.50"), "shipped", datetime(2024, 5, 1, 12), date(2024, 5, 1)),
    4: ("c-2", Decimal("3.00"), "new", datetime(2024, 5, 2, 8), date(2024, 5, 2)),
}


def test_the_job_loads_the_cleaned_table_where_the_catalog_says_and_a_rerun_changes_nothing(spark, clients, pg, tmp_path):
    glue, s3 = clients
    define_all(glue, s3, OTHER)
    seed_other(s3)
    args = job_arguments(glue, OTHER.job)
    report = run_job(spark, glue, s3, pg, args, tmp_path / "run-1")
    want = JobReport(files=2, rows_read=5, rows_rejected=1, rows_superseded=1, rows_loaded=3)
    assert report == want, f"run_job returned {report}, expected {want}"
    assert target_rows(pg, "orders_mart") == OTHER_ROWS, \
        f"orders_mart holds {target_rows(pg, 'orders_mart')}, expected {OTHER_ROWS}"
    again = run_job(spark, glue, s3, pg, args, tmp_path / "run-2")
    assert again == want, f"the rerun returned {again}, expected {want}"
    assert target_rows(pg, "orders_mart") == OTHER_ROWS, "the rerun changed orders_mart: a full refresh must replace, not add"


EXPLODE = """
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'customer explode is refused by the warehouse'; END $$;
CREATE TRIGGER refuse BEFORE INSERT ON orders_clean
FOR EACH ROW WHEN (NEW.customer_id = 'explode') EXECUTE FUNCTION refuse();
"""


def test_a_load_that_fails_leaves_the_previous_table_whole(spark, clients, pg, tmp_path):
    glue, s3 = clients
    define_all(glue, s3, SETUP)
    s3.put_object(Bucket=SETUP.bucket, Key=f"{SETUP.prefix}dt=2024-05-01/a.csv",
                  Body=csv_body("1,c-1,10.00,new,2024-05-01 10:00:00", "2,c-2,20.00,new,2024-05-01 10:00:00"))
    args = job_arguments(glue, SETUP.job)
    run_job(spark, glue, s3, pg, args, tmp_path / "run-1")
    before = target_rows(pg, "orders_clean")
    pg.execute(EXPLODE)
    s3.put_object(Bucket=SETUP.bucket, Key=f"{SETUP.prefix}dt=2024-05-02/b.csv",
                  Body=csv_body("3,explode,1.00,new,2024-05-02 10:00:00"))
    with pytest.raises(psycopg.Error) as failure:
        run_job(spark, glue, s3, pg, args, tmp_path / "run-2")
    assert "refused by the warehouse" in str(failure.value), f"the error was {failure.value!r}"
    after = target_rows(pg, "orders_clean")
    assert after == before, (f"after the failed load orders_clean holds {after}, expected the previous {before}: "
                             "delete and copy must be one transaction")


def test_an_empty_source_leaves_the_warehouse_alone(spark, clients, pg, tmp_path):
    glue, s3 = clients
    define_all(glue, s3, SETUP)
    pg.execute("CREATE TABLE orders_clean (order_id bigint PRIMARY KEY, customer_id text NOT NULL, "
               "amount numeric(12, 2) NOT NULL, status text NOT NULL, updated_at timestamp NOT NULL, dt date NOT NULL)")
    pg.execute("INSERT INTO orders_clean VALUES (1, 'c-1', 10.00, 'new', '2024-05-01 10:00', '2024-05-01')")
    s3.put_object(Bucket=SETUP.bucket, Key=f"{SETUP.prefix}_SUCCESS", Body=b"")
    report = run_job(spark, glue, s3, pg, job_arguments(glue, SETUP.job), tmp_path)
    assert report == JobReport(0, 0, 0, 0, 0), f"run_job on an empty source returned {report}, expected all zeros"
    assert list(target_rows(pg, "orders_clean")) == [1], "an empty source emptied orders_clean: leave it alone"
