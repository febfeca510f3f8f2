"""Tests for the Glacier kata: run `pytest katas/day2/aws/test_glacier.py`.

moto keeps the lifecycle configuration but never applies it, accepts rules real S3 refuses, and
finishes restores at once. So the configuration is read back from moto, what the rules do on a
given day is checked on the pure plan_lifecycle (against a brute-force oracle), and the restore
handling is checked on the requests the code makes (moto's Restore header, a spy for the tier).
"""
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day2.aws.glacier import (
    Action,
    LifecycleRule,
    StoredObject,
    get_lifecycle_rules,
    plan_lifecycle,
    put_lifecycle_rule,
    read_or_restore,
)

pytestmark = pytest.mark.needs("aws")

BUCKET = "dojo-archive"
UTC = timezone.utc
BIG = 1024 * 1024            # over the 128 KiB transition minimum
SMALL = 1000


@pytest.fixture
def s3(aws, aws_session):
    client = aws_session.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def raw_rules(s3):
    try:
        return s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchLifecycleConfiguration":
            return []
        raise


class Spy:
    """Wraps a real client and records restore_object calls; can fake a restore already running."""

    def __init__(self, client, head_restore=None, restore_error=None):
        self._client = client
        self.head_restore = head_restore
        self.restore_error = restore_error
        self.restores = []

    def __getattr__(self, name):
        return getattr(self._client, name)

    def head_object(self, **kwargs):
        answer = self._client.head_object(**kwargs)
        if self.head_restore is not None:
            answer["Restore"] = self.head_restore
        return answer

    def restore_object(self, **kwargs):
        self.restores.append(kwargs)
        if self.restore_error:
            raise ClientError({"Error": {"Code": self.restore_error, "Message": "injected by the test"}},
                              "RestoreObject")
        return self._client.restore_object(**kwargs)


# ---------------------------------------------------------------- lifecycle configuration

def test_a_rule_is_stored_as_s3_expects_and_read_back(s3):
    rule = LifecycleRule("logs", "logs/", glacier_after_days=30, expire_after_days=365)
    put_lifecycle_rule(s3, BUCKET, rule)
    stored = raw_rules(s3)
    expected = [{"ID": "logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
                 "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}], "Expiration": {"Days": 365}}]
    assert stored == expected, f"after put_lifecycle_rule({rule}) the bucket holds {stored}, expected {expected}"
    got = get_lifecycle_rules(s3, BUCKET)
    assert got == [rule], f"get_lifecycle_rules returned {got}, expected [{rule}]"


def test_a_disabled_rule_with_only_an_expiry_round_trips(s3):
    rule = LifecycleRule("tmp", "tmp/", expire_after_days=7, enabled=False)
    put_lifecycle_rule(s3, BUCKET, rule)
    stored = raw_rules(s3)
    assert stored == [{"ID": "tmp", "Filter": {"Prefix": "tmp/"}, "Status": "Disabled", "Expiration": {"Days": 7}}], \
        f"stored {stored}: a rule without glacier_after_days has no Transitions key, and Status is 'Disabled'"
    assert get_lifecycle_rules(s3, BUCKET) == [rule]


def test_a_bucket_without_lifecycle_has_no_rules(s3):
    got = get_lifecycle_rules(s3, BUCKET)
    assert got == [], f"get_lifecycle_rules on a bucket without configuration returned {got!r}, expected []"


def test_adding_a_rule_keeps_the_others_because_put_replaces_the_whole_configuration(s3):
    first = LifecycleRule("logs", "logs/", glacier_after_days=30)
    second = LifecycleRule("tmp", "tmp/", expire_after_days=7)
    put_lifecycle_rule(s3, BUCKET, first)
    put_lifecycle_rule(s3, BUCKET, second)
    got = get_lifecycle_rules(s3, BUCKET)
    assert got == [first, second], f"after adding two rules the bucket has {got}: read, merge, then put"


def test_a_rule_with_the_same_id_is_replaced_in_place(s3):
    put_lifecycle_rule(s3, BUCKET, LifecycleRule("logs", "logs/", glacier_after_days=30))
    put_lifecycle_rule(s3, BUCKET, LifecycleRule("tmp", "tmp/", expire_after_days=7))
    newer = LifecycleRule("logs", "logs/", glacier_after_days=60, expire_after_days=400)
    put_lifecycle_rule(s3, BUCKET, newer)
    got = get_lifecycle_rules(s3, BUCKET)
    assert sorted(got, key=lambda r: r.id) == [newer, LifecycleRule("tmp", "tmp/", expire_after_days=7)], \
        f"after replacing rule 'logs' the bucket has {got}: one rule per id, the newer one"


def test_rules_this_code_does_not_model_are_kept_verbatim(s3):
    foreign = {"ID": "abort-uploads", "Filter": {"Prefix": ""}, "Status": "Enabled",
               "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
               "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [foreign]})
    put_lifecycle_rule(s3, BUCKET, LifecycleRule("logs", "logs/", glacier_after_days=30))
    stored = {rule["ID"]: rule for rule in raw_rules(s3)}
    assert stored.get("abort-uploads") == foreign, \
        f"the existing rule became {stored.get('abort-uploads')}, expected it untouched: {foreign}"


BAD_RULES = {
    "no id": LifecycleRule("", "logs/", glacier_after_days=30),
    "no action at all": LifecycleRule("nothing", "logs/"),
    "negative transition": LifecycleRule("neg", "logs/", glacier_after_days=-1),
    "expiry of zero days": LifecycleRule("zero", "logs/", expire_after_days=0),
    "expiry before the transition": LifecycleRule("early", "logs/", glacier_after_days=90, expire_after_days=30),
    "expiry on the transition day": LifecycleRule("same", "logs/", glacier_after_days=30, expire_after_days=30),
}


@pytest.mark.parametrize("rule", BAD_RULES.values(), ids=BAD_RULES.keys())
def test_invalid_rules_are_refused_before_anything_is_written(s3, rule):
    with pytest.raises(ValueError):
        put_lifecycle_rule(s3, BUCKET, rule)
    assert raw_rules(s3) == [], f"put_lifecycle_rule({rule}) raised, but wrote {raw_rules(s3)} (moto accepts it; S3 would not)"


def test_a_transition_on_day_zero_is_allowed(s3):
    rule = LifecycleRule("now", "cold/", glacier_after_days=0)
    put_lifecycle_rule(s3, BUCKET, rule)
    assert get_lifecycle_rules(s3, BUCKET) == [rule]


# ---------------------------------------------------------------- plan_lifecycle (pure)

RULES = [
    LifecycleRule("logs", "logs/", glacier_after_days=30, expire_after_days=365),
    LifecycleRule("tmp", "tmp/", expire_after_days=7),
    LifecycleRule("off", "", expire_after_days=1, enabled=False),
]


def at(year, month, day, hour=0, minute=0, tz=UTC):
    return datetime(year, month, day, hour, minute, tzinfo=tz)


EST = timezone(timedelta(hours=-5))

PLANS = {
    "created at midnight: due exactly 30 days later":
        (StoredObject("logs/a", at(2024, 1, 1), BIG), date(2024, 1, 31), [("transition", date(2024, 1, 31))]),
    "created at midnight: nothing the day before":
        (StoredObject("logs/a", at(2024, 1, 1), BIG), date(2024, 1, 30), []),
    "created mid-day: waits for the next midnight":
        (StoredObject("logs/a", at(2024, 1, 1, 10), BIG), date(2024, 1, 31), []),
    "created mid-day: due the day after":
        (StoredObject("logs/a", at(2024, 1, 1, 10), BIG), date(2024, 2, 1), [("transition", date(2024, 2, 1))]),
    "days are counted in UTC, not the upload's local date":
        (StoredObject("logs/a", at(2024, 1, 1, 23, 30, tz=EST), BIG), date(2024, 2, 1), []),
    "a leap day counts":
        (StoredObject("tmp/x", at(2024, 2, 22, 12), SMALL), date(2024, 3, 1), [("expire", date(2024, 3, 1))]),
    "expiry wins when both are due":
        (StoredObject("logs/a", at(2023, 1, 1), BIG), date(2024, 6, 1), [("expire", date(2024, 1, 1))]),
    "an object already in GLACIER is not transitioned again":
        (StoredObject("logs/a", at(2024, 1, 1), BIG, "GLACIER"), date(2024, 3, 1), []),
    "an archived object still expires":
        (StoredObject("logs/a", at(2023, 1, 1), BIG, "DEEP_ARCHIVE"), date(2024, 1, 1), [("expire", date(2024, 1, 1))]),
    "an object under 128 KiB is not transitioned":
        (StoredObject("logs/a", at(2024, 1, 1), 128 * 1024 - 1), date(2024, 3, 1), []),
    "an object of exactly 128 KiB is":
        (StoredObject("logs/a", at(2024, 1, 1), 128 * 1024), date(2024, 3, 1), [("transition", date(2024, 1, 31))]),
    "a small object still expires":
        (StoredObject("logs/a", at(2022, 1, 1), SMALL), date(2024, 3, 1), [("expire", date(2023, 1, 1))]),
    "the prefix must match from the start of the key":
        (StoredObject("archive/logs/a", at(2020, 1, 1), BIG), date(2024, 3, 1), []),
    "a disabled rule does nothing":
        (StoredObject("other/a", at(2020, 1, 1), BIG), date(2024, 3, 1), []),
}


@pytest.mark.parametrize("obj,today,want", PLANS.values(), ids=PLANS.keys())
def test_plan_lifecycle_cases(obj, today, want):
    got = plan_lifecycle([obj], RULES, today)
    expected = [Action(obj.key, action, due) for action, due in want]
    assert got == expected, f"plan_lifecycle([{obj}], RULES, {today}) returned {got}, expected {expected}"


def test_overlapping_rules_take_the_earliest_due_expiry_and_keep_input_order():
    rules = [LifecycleRule("all", "", expire_after_days=100), LifecycleRule("logs", "logs/", expire_after_days=30)]
    objects = [StoredObject("z/b", at(2024, 1, 1), BIG), StoredObject("logs/a", at(2024, 1, 1), BIG)]
    got = plan_lifecycle(objects, rules, date(2024, 12, 31))
    expected = [Action("z/b", "expire", date(2024, 4, 10)), Action("logs/a", "expire", date(2024, 1, 31))]
    assert got == expected, f"plan_lifecycle returned {got}, expected {expected}"


def test_a_naive_creation_time_is_refused():
    with pytest.raises(ValueError):
        plan_lifecycle([StoredObject("logs/a", datetime(2024, 1, 1, 10), BIG)], RULES, date(2024, 3, 1))


def oracle(objects, rules, today):
    """Brute force: a run at 00:00 UTC on `today` acts when that instant is at or after created + N days;
    the due date is found by walking forward one day at a time."""
    midnight = datetime(today.year, today.month, today.day, tzinfo=UTC)
    plan = []
    for obj in objects:
        def due(days, obj=obj):
            moment = obj.created + timedelta(days=days)
            day = moment.astimezone(UTC).date() - timedelta(days=1)
            while datetime(day.year, day.month, day.day, tzinfo=UTC) < moment:
                day += timedelta(days=1)
            return day
        live = [r for r in rules if r.enabled and obj.key.startswith(r.prefix)]
        expire = [due(r.expire_after_days) for r in live if r.expire_after_days is not None
                  and midnight >= obj.created + timedelta(days=r.expire_after_days)]
        move = [due(r.glacier_after_days) for r in live if r.glacier_after_days is not None
                and midnight >= obj.created + timedelta(days=r.glacier_after_days)]
        if expire:
            plan.append(Action(obj.key, "expire", min(expire)))
        elif move and obj.storage_class not in ("GLACIER", "DEEP_ARCHIVE") and obj.size >= 128 * 1024:
            plan.append(Action(obj.key, "transition", min(move)))
    return plan


rule_strategy = st.builds(
    lambda i, prefix, glacier, extra, expire_only, enabled: LifecycleRule(
        f"r{i}", prefix, None if expire_only else glacier,
        None if extra is None else (glacier or 0) + extra, enabled),
    st.integers(0, 99), st.sampled_from(["", "a/", "a/b/", "c/"]), st.integers(0, 60),
    st.one_of(st.none(), st.integers(1, 90)), st.booleans(), st.booleans(),
).filter(lambda r: r.glacier_after_days is not None or r.expire_after_days is not None)

object_strategy = st.builds(
    StoredObject,
    st.sampled_from(["a/x", "a/b/y", "c/z", "d/w", "ab/v"]),
    st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2024, 12, 31),
                 timezones=st.sampled_from([UTC, EST, timezone(timedelta(hours=9, minutes=30))])),
    st.sampled_from([SMALL, 128 * 1024, BIG]),
    st.sampled_from(["STANDARD", "STANDARD_IA", "GLACIER", "DEEP_ARCHIVE"]),
)


@settings(max_examples=150, deadline=None)
@given(objects=st.lists(object_strategy, max_size=6), rules=st.lists(rule_strategy, max_size=4),
       today=st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 6, 30)))
def test_plan_lifecycle_matches_a_brute_force_oracle(objects, rules, today):
    got = plan_lifecycle(objects, rules, today)
    want = oracle(objects, rules, today)
    assert got == want, f"plan_lifecycle({objects}, {rules}, {today}) returned {got}, expected {want}"


# ---------------------------------------------------------------- read_or_restore

def test_a_standard_object_is_simply_read(s3):
    s3.put_object(Bucket=BUCKET, Key="hot/a.csv", Body=b"1,2\n")
    spy = Spy(s3)
    got = read_or_restore(spy, BUCKET, "hot/a.csv")
    assert tuple(got) == ("ok", b"1,2\n", None), f"read_or_restore on a STANDARD object returned {got}"
    assert spy.restores == [], f"no restore is needed for a STANDARD object, but restore_object got {spy.restores}"


def test_an_archived_object_gets_a_restore_request_instead_of_a_crash(s3):
    s3.put_object(Bucket=BUCKET, Key="cold/a.csv", Body=b"old\n", StorageClass="GLACIER")
    with pytest.raises(ClientError) as raised:          # what a plain GET does: the problem to handle
        s3.get_object(Bucket=BUCKET, Key="cold/a.csv")
    assert raised.value.response["Error"]["Code"] == "InvalidObjectState"
    spy = Spy(s3)
    got = read_or_restore(spy, BUCKET, "cold/a.csv", tier="Bulk", days=3)
    assert tuple(got) == ("restore requested", None, "Bulk"), \
        f"read_or_restore(..., tier='Bulk', days=3) on a GLACIER object returned {got}"
    restore = s3.head_object(Bucket=BUCKET, Key="cold/a.csv").get("Restore")
    assert restore, "head_object shows no Restore header: restore_object was never called"
    assert spy.restores == [{"Bucket": BUCKET, "Key": "cold/a.csv",
                             "RestoreRequest": {"Days": 3, "GlacierJobParameters": {"Tier": "Bulk"}}}], \
        f"restore_object was called with {spy.restores}"
    expiry = parsedate_to_datetime(restore.split('expiry-date="')[1].rstrip('"'))
    days_left = (expiry - datetime.now(UTC)).total_seconds() / 86400
    assert 2 < days_left <= 3.01, f"the restored copy expires in {days_left:.2f} days, expected 3 (Days=days)"


def test_once_restored_the_read_returns_the_body(s3):
    s3.put_object(Bucket=BUCKET, Key="cold/b.csv", Body=b"old\n", StorageClass="GLACIER")
    first = read_or_restore(s3, BUCKET, "cold/b.csv")
    second = read_or_restore(s3, BUCKET, "cold/b.csv")       # moto restores at once; AWS takes hours
    assert (first.status, tuple(second)) == ("restore requested", ("ok", b"old\n", None)), \
        f"first read {first}, second read {second}: expected a restore request, then the body"


def test_a_restore_already_running_is_reported_without_a_new_request(s3):
    s3.put_object(Bucket=BUCKET, Key="cold/c.csv", Body=b"x", StorageClass="GLACIER")
    spy = Spy(s3, head_restore='ongoing-request="true"')
    got = read_or_restore(spy, BUCKET, "cold/c.csv")
    assert tuple(got) == ("restore in progress", None, None), f"with a restore running, read_or_restore returned {got}"
    assert spy.restores == [], f"head_object said a restore is running, yet restore_object was called: {spy.restores}"


def test_a_restore_requested_by_someone_else_meanwhile_is_not_a_crash(s3):
    s3.put_object(Bucket=BUCKET, Key="cold/d.csv", Body=b"x", StorageClass="GLACIER")
    spy = Spy(s3, restore_error="RestoreAlreadyInProgress")
    got = read_or_restore(spy, BUCKET, "cold/d.csv")
    assert tuple(got) == ("restore in progress", None, None), \
        f"restore_object answered RestoreAlreadyInProgress; read_or_restore returned {got}"


def test_deep_archive_has_no_expedited_tier_so_standard_is_requested(s3):
    s3.put_object(Bucket=BUCKET, Key="deep/a.csv", Body=b"x", StorageClass="DEEP_ARCHIVE")
    spy = Spy(s3)
    got = read_or_restore(spy, BUCKET, "deep/a.csv", tier="Expedited")
    tiers = [call["RestoreRequest"]["GlacierJobParameters"]["Tier"] for call in spy.restores]
    assert tiers == ["Standard"] and got.tier == "Standard", \
        f"DEEP_ARCHIVE with tier='Expedited': restore tiers {tiers}, result {got}; expected Standard (moto accepts Expedited)"


def test_a_glacier_object_keeps_the_expedited_tier(s3):
    s3.put_object(Bucket=BUCKET, Key="cold/e.csv", Body=b"x", StorageClass="GLACIER")
    got = read_or_restore(s3, BUCKET, "cold/e.csv", tier="Expedited")
    assert got.tier == "Expedited", f"GLACIER offers Expedited, but read_or_restore requested {got.tier}"


OTHER_ERRORS = {
    "a missing key": ("missing/a.csv", None, "NoSuchKey"),
    "access denied on the restore": ("cold/f.csv", "AccessDenied", "AccessDenied"),
}


@pytest.mark.parametrize("key,restore_error,code", OTHER_ERRORS.values(), ids=OTHER_ERRORS.keys())
def test_other_errors_are_not_swallowed(s3, key, restore_error, code):
    s3.put_object(Bucket=BUCKET, Key="cold/f.csv", Body=b"x", StorageClass="GLACIER")
    with pytest.raises(ClientError) as raised:
        read_or_restore(Spy(s3, restore_error=restore_error), BUCKET, key)
    got = raised.value.response["Error"]["Code"]
    assert got == code, f"read_or_restore raised {got}, expected the original {code}"


BAD_ARGS = {
    "unknown tier": {"tier": "Fast"},
    "lowercase tier": {"tier": "bulk"},
    "zero days": {"days": 0},
}


@pytest.mark.parametrize("kwargs", BAD_ARGS.values(), ids=BAD_ARGS.keys())
def test_bad_restore_arguments_are_refused_before_any_call(s3, kwargs):
    s3.put_object(Bucket=BUCKET, Key="cold/g.csv", Body=b"x", StorageClass="GLACIER")
    spy = Spy(s3)
    with pytest.raises(ValueError):
        read_or_restore(spy, BUCKET, "cold/g.csv", **kwargs)
    assert spy.restores == [], f"read_or_restore(**{kwargs}) made restore requests {spy.restores}"
