"""Glacier through S3: lifecycle rules that archive and expire, and reads that survive archived objects.

Interviewers ask about Glacier to hear the cost trade-off (cheap storage, slow and billed
retrieval) and whether you know the sharp edges: a lifecycle configuration is replaced as a whole
by every put, S3 counts lifecycle days to the next midnight UTC, expiry beats transition, and a
GET on an archived object fails with InvalidObjectState until someone asks for a restore.

    put_lifecycle_rule(s3, "data", LifecycleRule("logs", "logs/", glacier_after_days=30,
                                                 expire_after_days=365))
    get_lifecycle_rules(s3, "data")      # [LifecycleRule(id='logs', prefix='logs/', ...)]
    plan_lifecycle([StoredObject("logs/a", datetime(2024, 1, 1, 10, tzinfo=UTC), 10**6)],
                   rules, date(2024, 2, 1))
    # [Action(key='logs/a', action='transition', due=date(2024, 2, 1))]
    read_or_restore(s3, "data", "logs/a", tier="Bulk", days=3)
    # ReadResult(status='restore requested', body=None, tier='Bulk')

S3 (and moto) store a lifecycle configuration, but moto never acts on it: what the rules would do
on a given day is computed by plan_lifecycle, a pure function, which is what the tests check.

Requirements
- `LifecycleRule(id, prefix, glacier_after_days=None, expire_after_days=None, enabled=True)`.
- `put_lifecycle_rule(s3, bucket, rule)` adds the rule to the bucket's lifecycle configuration, or
  replaces the rule with the same id. Every other rule already there is kept exactly as it was,
  even kinds this module does not model. The rule is written as
  {"ID", "Filter": {"Prefix"}, "Status": "Enabled"|"Disabled", "Transitions": [{"Days", "StorageClass":
  "GLACIER"}] (only with glacier_after_days), "Expiration": {"Days"} (only with expire_after_days)}.
  ValueError, before anything is written, for: an empty id; no action at all; glacier_after_days
  below 0; expire_after_days below 1; expire_after_days not greater than glacier_after_days (real
  S3 refuses that; moto does not).
- `get_lifecycle_rules(s3, bucket)` reads the configuration back as LifecycleRule objects, in the
  stored order; a bucket without a configuration gives [].
- `plan_lifecycle(objects, rules, today)`: for StoredObject(key, created, size, storage_class)
  items (created: a timezone-aware datetime, else ValueError) returns the Actions the rules call for
  on `today`, one at most per object, in input order:
  - a rule applies when it is enabled and the key starts with its prefix ("" matches every key);
  - an action of N days is due on the date of created + N days rounded UP to the next midnight UTC
    (created 2024-01-01 10:00 UTC + 30 days -> due 2024-02-01; created at 00:00 exactly -> 2024-01-31);
    it happens when today >= that date;
  - expiry wins: if any applicable expiry is due, the action is "expire" (due = the earliest);
  - else "transition" (due = the earliest) if a transition is due, the object is not already in
    GLACIER or DEEP_ARCHIVE, and it is at least 128 KiB (S3's default minimum for transitions).
- `read_or_restore(s3, bucket, key, tier="Standard", days=1)` returns a ReadResult(status, body, tier):
  - ("ok", bytes, None) when get_object works;
  - on InvalidObjectState (the object is archived): head_object; if its Restore header says
    ongoing-request="true", ("restore in progress", None, None) without a new request; otherwise
    restore_object with RestoreRequest={"Days": days, "GlacierJobParameters": {"Tier": tier}} and
    ("restore requested", None, tier). DEEP_ARCHIVE has no Expedited tier: ask for Standard then.
    If restore_object answers RestoreAlreadyInProgress (someone else asked first), report
    ("restore in progress", None, None);
  - any other error (NoSuchKey, AccessDenied, ...) propagates;
  - tier not in Expedited/Standard/Bulk, or days < 1: ValueError before any call.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable, NamedTuple

from botocore.exceptions import ClientError

TIERS = ("Expedited", "Standard", "Bulk")
ARCHIVED = ("GLACIER", "DEEP_ARCHIVE")
MIN_TRANSITION_BYTES = 128 * 1024


@dataclass(frozen=True)
class LifecycleRule:
    id: str
    prefix: str
    glacier_after_days: int | None = None
    expire_after_days: int | None = None
    enabled: bool = True


@dataclass(frozen=True)
class StoredObject:
    key: str
    created: datetime
    size: int
    storage_class: str = "STANDARD"


class Action(NamedTuple):
    key: str
    action: str          # "transition" or "expire"
    due: date


class ReadResult(NamedTuple):
    status: str          # "ok", "restore requested" or "restore in progress"
    body: bytes | None
    tier: str | None


def _error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def _validate(rule: LifecycleRule) -> None:
    if not rule.id:
        raise ValueError("a lifecycle rule needs an id")
    if rule.glacier_after_days is None and rule.expire_after_days is None:
        raise ValueError(f"rule {rule.id!r} has no action")
    if rule.glacier_after_days is not None and rule.glacier_after_days < 0:
        raise ValueError(f"rule {rule.id!r}: glacier_after_days must be >= 0")
    if rule.expire_after_days is not None and rule.expire_after_days < 1:
        raise ValueError(f"rule {rule.id!r}: expire_after_days must be >= 1")
    if (rule.glacier_after_days is not None and rule.expire_after_days is not None
            and rule.expire_after_days <= rule.glacier_after_days):
        raise ValueError(f"rule {rule.id!r}: expiry ({rule.expire_after_days} d) must come after the "
                         f"transition ({rule.glacier_after_days} d)")


def _to_s3(rule: LifecycleRule) -> dict:
    raw: dict[str, Any] = {"ID": rule.id, "Filter": {"Prefix": rule.prefix},
                           "Status": "Enabled" if rule.enabled else "Disabled"}
    if rule.glacier_after_days is not None:
        raw["Transitions"] = [{"Days": rule.glacier_after_days, "StorageClass": "GLACIER"}]
    if rule.expire_after_days is not None:
        raw["Expiration"] = {"Days": rule.expire_after_days}
    return raw


def _raw_rules(s3: Any, bucket: str) -> list[dict]:
    try:
        return s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    except ClientError as error:
        if _error_code(error) == "NoSuchLifecycleConfiguration":
            return []
        raise


def put_lifecycle_rule(s3: Any, bucket: str, rule: LifecycleRule) -> None:
    _validate(rule)
    rules = [raw for raw in _raw_rules(s3, bucket) if raw.get("ID") != rule.id]
    rules.append(_to_s3(rule))
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})


def _from_s3(raw: dict) -> LifecycleRule:
    prefix = raw.get("Filter", {}).get("Prefix", raw.get("Prefix", ""))
    glacier = next((t["Days"] for t in raw.get("Transitions", ()) if t.get("StorageClass") == "GLACIER"), None)
    return LifecycleRule(raw.get("ID", ""), prefix, glacier, raw.get("Expiration", {}).get("Days"),
                         raw.get("Status") == "Enabled")


def get_lifecycle_rules(s3: Any, bucket: str) -> list[LifecycleRule]:
    return [_from_s3(raw) for raw in _raw_rules(s3, bucket)]


def _due(created: datetime, days: int) -> date:
    """created + days, rounded up to the next midnight UTC, as a date."""
    moment = created.astimezone(timezone.utc) + timedelta(days=days)
    return moment.date() if moment.time() == time(0) else moment.date() + timedelta(days=1)


def plan_lifecycle(objects: Iterable[StoredObject], rules: Iterable[LifecycleRule], today: date) -> list[Action]:
    active = [rule for rule in rules if rule.enabled]
    actions = []
    for obj in objects:
        if obj.created.tzinfo is None or obj.created.utcoffset() is None:
            raise ValueError(f"{obj.key}: created must be timezone-aware, got {obj.created!r}")
        applicable = [rule for rule in active if obj.key.startswith(rule.prefix)]
        expiries = [d for d in (_due(obj.created, r.expire_after_days) for r in applicable
                                if r.expire_after_days is not None) if d <= today]
        if expiries:
            actions.append(Action(obj.key, "expire", min(expiries)))
            continue
        if obj.storage_class in ARCHIVED or obj.size < MIN_TRANSITION_BYTES:
            continue
        transitions = [d for d in (_due(obj.created, r.glacier_after_days) for r in applicable
                                   if r.glacier_after_days is not None) if d <= today]
        if transitions:
            actions.append(Action(obj.key, "transition", min(transitions)))
    return actions


def read_or_restore(s3: Any, bucket: str, key: str, tier: str = "Standard", days: int = 1) -> ReadResult:
    if tier not in TIERS:
        raise ValueError(f"tier {tier!r}: expected one of {TIERS}")
    if days < 1:
        raise ValueError(f"days={days}: a restored copy must live at least 1 day")
    try:
        return ReadResult("ok", s3.get_object(Bucket=bucket, Key=key)["Body"].read(), None)
    except ClientError as error:
        if _error_code(error) != "InvalidObjectState":
            raise
    head = s3.head_object(Bucket=bucket, Key=key)
    if 'ongoing-request="true"' in head.get("Restore", ""):
        return ReadResult("restore in progress", None, None)
    if head.get("StorageClass") == "DEEP_ARCHIVE" and tier == "Expedited":
        tier = "Standard"
    try:
        s3.restore_object(Bucket=bucket, Key=key,
                          RestoreRequest={"Days": days, "GlacierJobParameters": {"Tier": tier}})
    except ClientError as error:
        if _error_code(error) == "RestoreAlreadyInProgress":
            return ReadResult("restore in progress", None, None)
        raise
    return ReadResult("restore requested", None, tier)


# Why
# - Cost model: GLACIER (Flexible Retrieval) storage costs a fraction of STANDARD, but each object
#   has a 90-day minimum charge, ~40 KB of index overhead, a per-request transition fee, and a
#   retrieval fee per GB and per request. That is why tiny objects are not transitioned by default
#   (128 KiB) and why "archive after 30 days, delete after 60" can cost more than never archiving.
# - Retrieval: Expedited 1-5 min, Standard 3-5 h, Bulk 5-12 h (DEEP_ARCHIVE: Standard 12 h, Bulk
#   48 h, no Expedited). A restore makes a temporary STANDARD copy for `days`; the archived object
#   stays. So a reader must not block or crash: it asks once, reports, and callers come back later
#   (or subscribe to the s3:ObjectRestore:Completed event).
# - put_bucket_lifecycle_configuration replaces the whole configuration: read, merge by rule ID,
#   write back, keeping rules you do not understand verbatim. (Concurrent editors can still race;
#   in production one IaC stack owns the configuration.)
# - Day counting: S3 adds N days to the creation time and rounds up to midnight UTC, so "30 days"
#   for an object written at 10:00 happens on day 31. Timezone-naive dates are refused: the local
#   date of the upload is not the UTC one.
# - Expiry beats transition when both are due, and an archived object is never transitioned again.
# - moto stores the lifecycle configuration but never runs it, accepts expiry <= transition, lets
#   DEEP_ARCHIVE restore with Expedited, and finishes restores instantly (the next GET works). The
#   validation, the plan and the tier fallback are therefore this code's job, and tests check them.
