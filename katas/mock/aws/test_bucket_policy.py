"""Tests for the bucket-policy kata: run `pytest katas/mock/aws/test_bucket_policy.py`.

moto stores the public access block and the bucket policy but does not evaluate the policy's
principals or conditions (a TLS Deny there blocks every object call, HTTPS included). So the tests
judge the policy you wrote by what it does: they read it back from moto and send requests through
the small bucket-policy evaluator below (harness code, not yours), which decides as S3 does for a
bucket policy: an applicable Deny wins, else an applicable Allow, else nothing. Any correct policy
passes, however its statements are laid out.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.aws.bucket_policy import build_bucket_policy, lock_down

pytestmark = pytest.mark.needs("aws")

ACCOUNT, OTHER_ACCOUNT = "111122223333", "444455556666"
BUCKET = "acme-reports"
BUCKET_ARN, OBJECTS = f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/"
ANALYST = f"arn:aws:iam::{ACCOUNT}:role/analyst"
AUDITOR = f"arn:aws:iam::{ACCOUNT}:role/auditor"
READERS = [ANALYST, AUDITOR]
DISTRIBUTION = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E2QWRUHEXAMPLE"
CLOUDFRONT = "cloudfront.amazonaws.com"

ALLOWED, EXPLICIT, IMPLICIT = "allowed", "explicitDeny", "implicitDeny"


# ---------------------------------------------------------------- the tests' bucket-policy evaluator

@dataclass(frozen=True)
class Caller:
    """Who sends the request: a role or root (arn), a service (service), or nobody (anonymous)."""
    label: str
    arn: str | None = None
    service: str | None = None
    source_arn: str | None = None
    source_account: str | None = None

    @property
    def account(self) -> str | None:
        return self.arn.split(":")[4] if self.arn else None

    def context(self, tls: bool) -> dict:
        keys = {"aws:SecureTransport": tls, "aws:PrincipalArn": self.arn, "aws:PrincipalAccount": self.account,
                "aws:SourceArn": self.source_arn, "aws:SourceAccount": self.source_account}
        return {k.lower(): v for k, v in keys.items() if v is not None}


@dataclass(frozen=True)
class Request:
    caller: Caller
    action: str
    resource: str
    tls: bool = True
    context: dict = field(default_factory=dict)

    def __str__(self):
        return f"{self.caller.label} {self.action} on {self.resource} over {'HTTPS' if self.tls else 'plain HTTP'}"


class PolicyError(AssertionError):
    """The policy uses something S3 would reject or this evaluator does not know."""


def as_list(value) -> list:
    if isinstance(value, (str, bool)):
        return [value]
    if not isinstance(value, list) or not value:
        raise PolicyError(f"{value!r}: S3 wants a string or a non-empty list here")
    return value


def wildcard(pattern: str, text: str, ignore_case: bool = False) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def principal_matches(spec, caller: Caller) -> bool:
    if spec == "*":
        return True
    if not isinstance(spec, dict) or not spec:
        raise PolicyError(f"Principal {spec!r}: use '*', {{'AWS': ...}} or {{'Service': ...}}")
    for kind, values in spec.items():
        for value in as_list(values):
            if kind == "AWS" and value == "*":
                return True
            if kind == "AWS" and caller.arn and (value == caller.arn or value in (
                    caller.account, f"arn:aws:iam::{caller.account}:root")):
                return True
            if kind == "Service" and value == caller.service:
                return True
            if kind not in ("AWS", "Service"):
                raise PolicyError(f"Principal type {kind!r} is not used in this kata (AWS or Service)")
    return False


def string_test(op: str):
    tests = {"StringEquals": lambda a, w: a == w, "StringLike": lambda a, w: wildcard(w, a),
             "ArnEquals": lambda a, w: a == w, "ArnLike": lambda a, w: wildcard(w, a),
             "Bool": lambda a, w: a.lower() == w.lower()}
    return tests[op]


SUPPORTED = {"StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "ArnEquals", "ArnLike",
             "ArnNotEquals", "ArnNotLike", "Bool", "Null"}


def condition_holds(condition: dict, context: dict) -> bool:
    for operator, tests in condition.items():
        base, if_exists = (operator[:-8], True) if operator.endswith("IfExists") else (operator, False)
        if base not in SUPPORTED:
            raise PolicyError(f"condition operator {operator!r} is not one this kata's evaluator knows: {sorted(SUPPORTED)}")
        for key, wanted in tests.items():
            actual = context.get(key.lower())
            wanted = [str(w).lower() if isinstance(w, bool) else str(w) for w in as_list(wanted)]
            if base == "Null":
                if (actual is None) != (wanted[0].lower() == "true"):
                    return False
                continue
            negated = "Not" in base
            if actual is None:
                if if_exists or negated:
                    continue
                return False
            actual = str(actual).lower() if isinstance(actual, bool) else str(actual)
            match = any(string_test(base.replace("Not", ""))(actual, w) for w in wanted)
            if match == negated:
                return False
    return True


def statement_applies(statement: dict, request: Request) -> bool:
    if ("Principal" in statement) == ("NotPrincipal" in statement):
        raise PolicyError(f"statement {statement.get('Sid', statement)} needs exactly one of Principal, NotPrincipal")
    if "Principal" in statement:
        if not principal_matches(statement["Principal"], request.caller):
            return False
    elif principal_matches(statement["NotPrincipal"], request.caller):
        return False
    for element, value, ignore_case in (("Action", request.action, True), ("Resource", request.resource, False)):
        if element in statement:
            hit = any(wildcard(p, value, ignore_case) for p in as_list(statement[element]))
        elif "Not" + element in statement:
            hit = not any(wildcard(p, value, ignore_case) for p in as_list(statement["Not" + element]))
        else:
            raise PolicyError(f"statement {statement.get('Sid', statement)} has no {element} or Not{element}")
        if not hit:
            return False
    return condition_holds(statement.get("Condition", {}), request.caller.context(request.tls))


def decide(policy: dict, request: Request) -> str:
    """S3's answer from this bucket policy alone."""
    if policy.get("Version") != "2012-10-17":
        raise PolicyError(f"Version is {policy.get('Version')!r}: use '2012-10-17' (the old one has no variables)")
    statements = policy.get("Statement")
    statements = [statements] if isinstance(statements, dict) else as_list(statements)
    applicable = [s for s in statements if statement_applies(s, request)]
    for statement in applicable:
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise PolicyError(f"Effect {statement.get('Effect')!r}: 'Allow' or 'Deny'")
    if any(s["Effect"] == "Deny" for s in applicable):
        return EXPLICIT
    return ALLOWED if applicable else IMPLICIT


# ---------------------------------------------------------------- who asks

ANONYMOUS = Caller("an anonymous caller")
ANALYST_ROLE = Caller("the analyst role", arn=ANALYST)
AUDITOR_ROLE = Caller("the auditor role", arn=AUDITOR)
OTHER_ROLE = Caller("another role of the account", arn=f"arn:aws:iam::{ACCOUNT}:role/etl")
ACCOUNT_ROOT = Caller("the account's root", arn=f"arn:aws:iam::{ACCOUNT}:root")
NAMESAKE = Caller("a role named analyst in another account", arn=f"arn:aws:iam::{OTHER_ACCOUNT}:role/analyst")
OTHER_ROOT = Caller("another account's root", arn=f"arn:aws:iam::{OTHER_ACCOUNT}:root")
OUR_DISTRIBUTION = Caller("our CloudFront distribution", service=CLOUDFRONT, source_arn=DISTRIBUTION,
                          source_account=ACCOUNT)
THEIR_DISTRIBUTION = Caller("another account's CloudFront distribution", service=CLOUDFRONT,
                            source_arn=f"arn:aws:cloudfront::{OTHER_ACCOUNT}:distribution/EVILEXAMPLE",
                            source_account=OTHER_ACCOUNT)
OUR_OTHER_DISTRIBUTION = Caller("another distribution of our account", service=CLOUDFRONT,
                                source_arn=f"arn:aws:cloudfront::{ACCOUNT}:distribution/E9OTHER",
                                source_account=ACCOUNT)
BARE_CLOUDFRONT = Caller("CloudFront without a source ARN", service=CLOUDFRONT)
OTHER_SERVICE = Caller("another service", service="logging.s3.amazonaws.com", source_arn=BUCKET_ARN,
                       source_account=ACCOUNT)
CALLERS = [ANONYMOUS, ANALYST_ROLE, AUDITOR_ROLE, OTHER_ROLE, ACCOUNT_ROOT, NAMESAKE, OTHER_ROOT,
           OUR_DISTRIBUTION, THEIR_DISTRIBUTION, OUR_OTHER_DISTRIBUTION, BARE_CLOUDFRONT, OTHER_SERVICE]

OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAcl", "s3:PutObjectAcl"]
BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucket",
                  "s3:GetBucketAcl"]


def intended(request: Request) -> str:
    """The requirements, said directly: the slow obvious answer the policy must agree with."""
    if not request.tls:
        return EXPLICIT
    reader = request.caller in (ANALYST_ROLE, AUDITOR_ROLE)
    on_object = request.resource.startswith(OBJECTS)
    if reader and (request.action, on_object) in (("s3:GetObject", True), ("s3:ListBucket", False)):
        return ALLOWED
    if request.caller is OUR_DISTRIBUTION and request.action == "s3:GetObject" and on_object:
        return ALLOWED
    return "denied"


def agrees(got: str, want: str) -> bool:
    return got in (EXPLICIT, IMPLICIT) if want == "denied" else got == want


# ---------------------------------------------------------------- fixtures

@pytest.fixture
def s3(aws, aws_session):
    client = aws_session.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def stored_policy(s3):
    """The learner's policy, applied with lock_down and read back from moto as S3 would store it."""
    lock_down(s3, BUCKET, build_bucket_policy(BUCKET, READERS, DISTRIBUTION))
    return json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])


# ---------------------------------------------------------------- lock_down in moto

def test_all_four_public_access_block_settings_are_on(s3):
    lock_down(s3, BUCKET, build_bucket_policy(BUCKET, READERS, DISTRIBUTION))
    got = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    want = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    assert got == want, f"the bucket's public access block is {got}, expected every setting True"


def test_the_stored_policy_is_the_one_built(s3):
    policy = build_bucket_policy(BUCKET, READERS, DISTRIBUTION)
    lock_down(s3, BUCKET, policy)
    stored = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    assert stored == policy, f"moto holds {stored}, but build_bucket_policy returned {policy}"


def test_lock_down_can_run_again(s3):
    policy = build_bucket_policy(BUCKET, READERS, DISTRIBUTION)
    lock_down(s3, BUCKET, policy)
    lock_down(s3, BUCKET, policy)
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"]) == policy, "a second lock_down lost the policy"


# ---------------------------------------------------------------- scenarios on the stored policy

SCENARIOS = {
    "anonymous read is refused": (ANONYMOUS, "s3:GetObject", OBJECTS + "q1.csv", True, "denied"),
    "anonymous listing is refused": (ANONYMOUS, "s3:ListBucket", BUCKET_ARN, True, "denied"),
    "the named role reads an object": (ANALYST_ROLE, "s3:GetObject", OBJECTS + "2024/q1.csv", True, ALLOWED),
    "the named role lists the bucket (the bucket ARN)": (ANALYST_ROLE, "s3:ListBucket", BUCKET_ARN, True, ALLOWED),
    "the second named role reads too": (AUDITOR_ROLE, "s3:GetObject", OBJECTS + "q1.csv", True, ALLOWED),
    "the named role may not write": (ANALYST_ROLE, "s3:PutObject", OBJECTS + "q1.csv", True, "denied"),
    "the named role may not delete": (ANALYST_ROLE, "s3:DeleteObject", OBJECTS + "q1.csv", True, "denied"),
    "the named role may not change the policy": (ANALYST_ROLE, "s3:PutBucketPolicy", BUCKET_ARN, True, "denied"),
    "plain HTTP is explicitly denied to the named role": (ANALYST_ROLE, "s3:GetObject", OBJECTS + "q1.csv", False,
                                                          EXPLICIT),
    "plain HTTP listing is explicitly denied": (ANALYST_ROLE, "s3:ListBucket", BUCKET_ARN, False, EXPLICIT),
    "plain HTTP is explicitly denied to the account's root": (ACCOUNT_ROOT, "s3:PutObject", OBJECTS + "x", False,
                                                              EXPLICIT),
    "plain HTTP is explicitly denied to CloudFront": (OUR_DISTRIBUTION, "s3:GetObject", OBJECTS + "x", False, EXPLICIT),
    "another account's root gets nothing": (OTHER_ROOT, "s3:GetObject", OBJECTS + "q1.csv", True, "denied"),
    "a role named analyst in another account gets nothing": (NAMESAKE, "s3:GetObject", OBJECTS + "q1.csv", True,
                                                             "denied"),
    "another role of the account gets nothing from the policy": (OTHER_ROLE, "s3:GetObject", OBJECTS + "q1.csv", True,
                                                                 "denied"),
    "our distribution reads through CloudFront": (OUR_DISTRIBUTION, "s3:GetObject", OBJECTS + "site/index.html", True,
                                                  ALLOWED),
    "another account's distribution is refused (confused deputy)": (THEIR_DISTRIBUTION, "s3:GetObject",
                                                                    OBJECTS + "site/index.html", True, "denied"),
    "another distribution of ours is refused too": (OUR_OTHER_DISTRIBUTION, "s3:GetObject", OBJECTS + "x", True,
                                                    "denied"),
    "CloudFront without a source ARN is refused": (BARE_CLOUDFRONT, "s3:GetObject", OBJECTS + "x", True, "denied"),
    "CloudFront may not write": (OUR_DISTRIBUTION, "s3:PutObject", OBJECTS + "site/index.html", True, "denied"),
    "CloudFront may not list": (OUR_DISTRIBUTION, "s3:ListBucket", BUCKET_ARN, True, "denied"),
}


@pytest.mark.parametrize("caller,action,resource,tls,want", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_scenarios_on_the_policy_read_back_from_moto(stored_policy, caller, action, resource, tls, want):
    request = Request(caller, action, resource, tls)
    got = decide(stored_policy, request)
    why = {EXPLICIT: " (an explicit Deny: no IAM policy can lift it)", "denied": " (no Allow may apply)"}.get(want, "")
    assert agrees(got, want), f"{request}: your policy gives {got!r}, expected {want!r}{why}\npolicy: {stored_policy}"


def test_without_reader_roles_only_cloudfront_reads(s3):
    policy = build_bucket_policy(BUCKET, [], DISTRIBUTION)
    lock_down(s3, BUCKET, policy)
    stored = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    for caller, want in ((OUR_DISTRIBUTION, ALLOWED), (ANALYST_ROLE, "denied"), (ANONYMOUS, "denied")):
        request = Request(caller, "s3:GetObject", OBJECTS + "a.html")
        got = decide(stored, request)
        assert agrees(got, want), f"with no reader roles, {request}: got {got!r}, expected {want!r}"


# ---------------------------------------------------------------- every combination against the requirements

OBJECT_KEYS = st.text(alphabet="abcXYZ019/._-*?[]", min_size=1, max_size=12)
REQUESTS = st.one_of(
    st.builds(lambda c, a, k, tls: Request(c, a, OBJECTS + k, tls),
              st.sampled_from(CALLERS), st.sampled_from(OBJECT_ACTIONS), OBJECT_KEYS, st.booleans()),
    st.builds(lambda c, a, tls: Request(c, a, BUCKET_ARN, tls),
              st.sampled_from(CALLERS), st.sampled_from(BUCKET_ACTIONS), st.booleans()),
)


@pytest.fixture(scope="module")
def built_policy():
    return build_bucket_policy(BUCKET, READERS, DISTRIBUTION)


@settings(max_examples=300, deadline=None)
@given(request_=REQUESTS)
def test_every_request_gets_what_the_requirements_say(built_policy, request_):
    got, want = decide(built_policy, request_), intended(request_)
    assert agrees(got, want), f"{request_}: your policy gives {got!r}, the requirements say {want!r}"


@settings(max_examples=40, deadline=None)
@given(readers=st.lists(st.sampled_from([f"arn:aws:iam::{ACCOUNT}:role/r{i}" for i in range(5)]),
                        min_size=1, max_size=4, unique=True),
       reader=st.integers(0, 4), tls=st.booleans())
def test_exactly_the_named_roles_read_whoever_they_are(readers, reader, tls):
    policy = build_bucket_policy(BUCKET, readers, DISTRIBUTION)
    arn = f"arn:aws:iam::{ACCOUNT}:role/r{reader}"
    request = Request(Caller(f"role r{reader}", arn=arn), "s3:GetObject", OBJECTS + "k", tls)
    want = EXPLICIT if not tls else ALLOWED if arn in readers else "denied"
    got = decide(policy, request)
    assert agrees(got, want), f"readers {readers}: {request} gives {got!r}, expected {want!r}"
