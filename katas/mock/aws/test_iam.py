"""Tests for the IAM kata: run `pytest katas/mock/aws/test_iam.py`.

moto stores users, groups and policies but evaluates nothing (and has no policy simulator), so
the provisioning is checked on moto's state and the evaluator on its answers: case tables, and
hypothesis properties against a slow, obviously right wildcard matcher written here.
"""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.aws.iam import Team, effective_policies, evaluate, provision

pytestmark = pytest.mark.needs("aws")

ALLOWED, EXPLICIT, IMPLICIT = "allowed", "explicitDeny", "implicitDeny"
V = "2012-10-17"


def policy(*statements):
    return {"Version": V, "Statement": list(statements)}


def allow(action, resource, **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource, **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


LAKE_READ = policy(allow(["s3:GetObject", "s3:List*"], ["arn:aws:s3:::lake", "arn:aws:s3:::lake/curated/*"]))
NO_SECRETS = policy(deny("s3:*", "arn:aws:s3:::lake/curated/secret/*"))
OBJ = "arn:aws:s3:::lake/curated/a.parquet"


# ---------------------------------------------------------------- evaluate: effects and matching

EFFECTS = {
    "no policies at all is an implicit deny": ([], "s3:GetObject", OBJ, IMPLICIT),
    "a matching allow": ([LAKE_READ], "s3:GetObject", OBJ, ALLOWED),
    "an action the policy does not name": ([LAKE_READ], "s3:PutObject", OBJ, IMPLICIT),
    "a resource outside the policy": ([LAKE_READ], "s3:GetObject", "arn:aws:s3:::lake/raw/a.csv", IMPLICIT),
    "actions match case-insensitively": ([LAKE_READ], "S3:getobject", OBJ, ALLOWED),
    "resources match case-sensitively": ([LAKE_READ], "s3:GetObject", "arn:aws:s3:::Lake/curated/a.parquet", IMPLICIT),
    "a star in an action": ([LAKE_READ], "s3:ListBucket", "arn:aws:s3:::lake", ALLOWED),
    "a star crosses slashes": ([LAKE_READ], "s3:GetObject", "arn:aws:s3:::lake/curated/2024/01/a.parquet", ALLOWED),
    "a star matches an empty run": ([LAKE_READ], "s3:GetObject", "arn:aws:s3:::lake/curated/", ALLOWED),
    "a deny in another policy beats the allow": ([LAKE_READ, NO_SECRETS], "s3:GetObject",
                                                 "arn:aws:s3:::lake/curated/secret/pay.csv", EXPLICIT),
    "the deny wins whichever policy comes first": ([NO_SECRETS, LAKE_READ], "s3:GetObject",
                                                   "arn:aws:s3:::lake/curated/secret/pay.csv", EXPLICIT),
    "a deny listed after the allow in one policy still wins": (
        [policy(allow("s3:*", "*"), deny("s3:DeleteBucket", "*"))], "s3:DeleteBucket", "arn:aws:s3:::lake", EXPLICIT),
    "a deny that does not match leaves the allow": ([LAKE_READ, NO_SECRETS], "s3:GetObject", OBJ, ALLOWED),
    "a deny alone is still a deny": ([NO_SECRETS], "s3:GetObject", "arn:aws:s3:::lake/curated/secret/x", EXPLICIT),
    "Statement may be one dict instead of a list": (
        [{"Version": V, "Statement": allow("ec2:Describe*", "*")}], "ec2:DescribeInstances", "*", ALLOWED),
    "a lone star allows everything": ([policy(allow("*", "*"))], "dynamodb:PutItem",
                                      "arn:aws:dynamodb:us-east-1:123456789012:table/t", ALLOWED),
    "? is exactly one character": ([policy(allow("s3:GetObject", "arn:aws:s3:::logs/2024-0?.gz"))],
                                   "s3:GetObject", "arn:aws:s3:::logs/2024-01.gz", ALLOWED),
    "? is not zero characters": ([policy(allow("s3:GetObject", "arn:aws:s3:::logs/2024-0?.gz"))],
                                 "s3:GetObject", "arn:aws:s3:::logs/2024-0.gz", IMPLICIT),
    "? is not two characters": ([policy(allow("s3:GetObject", "arn:aws:s3:::logs/2024-0?.gz"))],
                                "s3:GetObject", "arn:aws:s3:::logs/2024-011.gz", IMPLICIT),
    "a dot in a pattern is a literal dot": ([policy(allow("s3:GetObject", "arn:aws:s3:::a.b/*"))],
                                            "s3:GetObject", "arn:aws:s3:::axb/k", IMPLICIT),
    "brackets in a pattern are literal": ([policy(allow("s3:GetObject", "arn:aws:s3:::lake/[raw]/*"))],
                                          "s3:GetObject", "arn:aws:s3:::lake/[raw]/k", ALLOWED),
    "brackets are not a character class": ([policy(allow("s3:GetObject", "arn:aws:s3:::lake/[raw]/*"))],
                                           "s3:GetObject", "arn:aws:s3:::lake/r/k", IMPLICIT),
}


@pytest.mark.parametrize("policies,action,resource,want", EFFECTS.values(), ids=EFFECTS.keys())
def test_evaluate_effects_and_wildcards(policies, action, resource, want):
    got = evaluate(policies, action, resource)
    assert got == want, f"evaluate({policies}, {action!r}, {resource!r}) returned {got!r}, expected {want!r}"


POWER_USER = policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
READ_ONLY_GUARD = policy(allow("s3:*", "*"), {"Effect": "Deny", "NotAction": ["s3:Get*", "s3:List*"], "Resource": "*"})
NOT_PROD = policy({"Effect": "Allow", "Action": "s3:*", "NotResource": ["arn:aws:s3:::prod-*", "arn:aws:s3:::prod-*/*"]})

NEGATIONS = {
    "Allow NotAction grants what it does not list": ([POWER_USER], "s3:PutObject", OBJ, ALLOWED),
    "Allow NotAction leaves the listed actions implicitly denied": ([POWER_USER], "iam:CreateUser", "*", IMPLICIT),
    "NotAction matches case-insensitively too": ([POWER_USER], "IAM:createuser", "*", IMPLICIT),
    "Deny NotAction denies everything it does not list": ([READ_ONLY_GUARD], "s3:PutObject", OBJ, EXPLICIT),
    "Deny NotAction spares what it lists": ([READ_ONLY_GUARD], "s3:GetObject", OBJ, ALLOWED),
    "NotResource allows outside the listed resources": ([NOT_PROD], "s3:PutObject", "arn:aws:s3:::dev-lake/a", ALLOWED),
    "NotResource leaves the listed resources out": ([NOT_PROD], "s3:PutObject", "arn:aws:s3:::prod-lake/a", IMPLICIT),
    "NotResource is case-sensitive": ([NOT_PROD], "s3:PutObject", "arn:aws:s3:::PROD-lake/a", ALLOWED),
}


@pytest.mark.parametrize("policies,action,resource,want", NEGATIONS.values(), ids=NEGATIONS.keys())
def test_not_action_and_not_resource_invert_the_match_not_the_effect(policies, action, resource, want):
    got = evaluate(policies, action, resource)
    assert got == want, f"evaluate({policies}, {action!r}, {resource!r}) returned {got!r}, expected {want!r}"


# ---------------------------------------------------------------- evaluate: conditions

def cond(effect, condition, action="s3:*", resource="*"):
    return policy({"Effect": effect, "Action": action, "Resource": resource, "Condition": condition})


TEAM_DATA = cond("Allow", {"StringEquals": {"aws:PrincipalTag/team": ["data", "ml"]}})
EU_AND_DATA = cond("Allow", {"StringEquals": {"aws:RequestedRegion": "eu-west-1", "aws:PrincipalTag/team": "data"}})
HOME = cond("Allow", {"StringLike": {"s3:prefix": "home/ann/*"}}, action="s3:ListBucket")
TLS_ONLY = [policy(allow("s3:*", "*")), cond("Deny", {"Bool": {"aws:SecureTransport": "false"}})]
MFA_DENY = [policy(allow("s3:*", "*")), cond("Deny", {"Bool": {"aws:MultiFactorAuthPresent": "false"}})]
OFFICE = cond("Allow", {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"]}})
OFFICE_AND_TLS = cond("Allow", {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}, "Bool": {"aws:SecureTransport": True}})

CONDITIONS = {
    "StringEquals matches": ([TEAM_DATA], {"aws:PrincipalTag/team": "data"}, ALLOWED),
    "StringEquals: several values are alternatives": ([TEAM_DATA], {"aws:PrincipalTag/team": "ml"}, ALLOWED),
    "StringEquals: another value": ([TEAM_DATA], {"aws:PrincipalTag/team": "sales"}, IMPLICIT),
    "StringEquals is case-sensitive": ([TEAM_DATA], {"aws:PrincipalTag/team": "Data"}, IMPLICIT),
    "condition keys are case-insensitive": ([TEAM_DATA], {"AWS:principaltag/TEAM": "data"}, ALLOWED),
    "every key of an operator must hold": ([EU_AND_DATA], {"aws:RequestedRegion": "us-east-1",
                                                           "aws:PrincipalTag/team": "data"}, IMPLICIT),
    "both keys hold": ([EU_AND_DATA], {"aws:RequestedRegion": "eu-west-1", "aws:PrincipalTag/team": "data"}, ALLOWED),
    "StringLike with a star": ([HOME], {"s3:prefix": "home/ann/photos/"}, ALLOWED),
    "StringLike outside the pattern": ([HOME], {"s3:prefix": "home/bob/"}, IMPLICIT),
    "StringLike is case-sensitive": ([HOME], {"s3:prefix": "HOME/ann/x"}, IMPLICIT),
    "Bool: plain HTTP is denied": (TLS_ONLY, {"aws:SecureTransport": False}, EXPLICIT),
    "Bool: HTTPS is allowed": (TLS_ONLY, {"aws:SecureTransport": True}, ALLOWED),
    "Bool: the string 'FALSE' is false": (TLS_ONLY, {"aws:SecureTransport": "FALSE"}, EXPLICIT),
    "Bool: a missing key makes the deny not apply": (MFA_DENY, {}, ALLOWED),
    "Bool: without MFA the deny applies": (MFA_DENY, {"aws:MultiFactorAuthPresent": False}, EXPLICIT),
    "a missing key makes an allow not apply": ([TEAM_DATA], {}, IMPLICIT),
    "no context at all": ([TEAM_DATA], None, IMPLICIT),
    "IpAddress inside the CIDR": ([OFFICE], {"aws:SourceIp": "203.0.113.200"}, ALLOWED),
    "IpAddress outside the CIDR": ([OFFICE], {"aws:SourceIp": "203.0.114.1"}, IMPLICIT),
    "IpAddress: a bare address is a /32": ([OFFICE], {"aws:SourceIp": "198.51.100.7"}, ALLOWED),
    "IpAddress: its neighbour is not": ([OFFICE], {"aws:SourceIp": "198.51.100.8"}, IMPLICIT),
    "IpAddress with IPv6": ([OFFICE], {"aws:SourceIp": "2001:db8::1"}, ALLOWED),
    "every operator must hold": ([OFFICE_AND_TLS], {"aws:SourceIp": "203.0.113.9", "aws:SecureTransport": False},
                                 IMPLICIT),
    "both operators hold": ([OFFICE_AND_TLS], {"aws:SourceIp": "203.0.113.9", "aws:SecureTransport": True}, ALLOWED),
}


@pytest.mark.parametrize("policies,context,want", CONDITIONS.values(), ids=CONDITIONS.keys())
def test_conditions_on_the_context_keys(policies, context, want):
    got = evaluate(policies, "s3:ListBucket", "arn:aws:s3:::lake", context)
    assert got == want, f"evaluate({policies}, 's3:ListBucket', 'arn:aws:s3:::lake', context={context}) " \
                        f"returned {got!r}, expected {want!r}"


def test_an_unsupported_condition_operator_is_refused():
    odd = cond("Allow", {"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "data"}})
    with pytest.raises(ValueError):
        evaluate([odd], "s3:GetObject", OBJ, {"aws:PrincipalTag/team": "data"})


# ---------------------------------------------------------------- evaluate: properties

@lru_cache(maxsize=None)
def slow_match(pattern: str, text: str) -> bool:
    """The obvious recursive definition of `*` and `?`; every other character is itself."""
    if not pattern:
        return not text
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        return any(slow_match(rest, text[i:]) for i in range(len(text) + 1))
    return bool(text) and (head == "?" or head == text[0]) and slow_match(rest, text[1:])


CHARS = "abAB/:.[]+(-"


@st.composite
def pattern_and_text(draw, chars=CHARS):
    """A text, and a pattern often derived from it (so that matches are common, not rare)."""
    text = draw(st.text(alphabet=chars, max_size=8))
    if draw(st.booleans()):
        return draw(st.text(alphabet=chars + "*?", max_size=8)), text
    pieces = [draw(st.sampled_from([c, c, "?", "*", c.swapcase(), "*" + c])) for c in text]
    return "".join(pieces) + draw(st.sampled_from(["", "*", "?"])), text


@settings(max_examples=250, deadline=None)
@given(pattern_and_text())
def test_resource_wildcards_agree_with_the_obvious_matcher(case):
    pattern, text = case
    want = ALLOWED if slow_match(pattern, text) else IMPLICIT
    got = evaluate([policy(allow("*", pattern))], "s3:GetObject", text)
    assert got == want, f"Resource {pattern!r} against {text!r}: evaluate returned {got!r}, expected {want!r}"


@settings(max_examples=150, deadline=None)
@given(pattern_and_text(chars="sS3:gGeEtT.*"))
def test_action_wildcards_agree_with_the_obvious_matcher_ignoring_case(case):
    pattern, action = case
    want = ALLOWED if slow_match(pattern.lower(), action.lower()) else IMPLICIT
    got = evaluate([policy(allow(pattern, "*"))], action, "arn:aws:s3:::x")
    assert got == want, f"Action {pattern!r} against {action!r}: evaluate returned {got!r}, expected {want!r}"


STATEMENTS = st.builds(lambda effect, action, resource: {"Effect": effect, "Action": action, "Resource": resource},
                       st.sampled_from(["Allow", "Deny"]),
                       st.sampled_from(["s3:*", "s3:GetObject", "s3:Put*", "*", "ec2:*"]),
                       st.sampled_from(["*", "arn:aws:s3:::lake/*", "arn:aws:s3:::lake/raw/*", "arn:aws:s3:::other"]))


@settings(max_examples=100, deadline=None)
@given(st.lists(STATEMENTS, max_size=6), st.randoms(use_true_random=False))
def test_the_answer_does_not_depend_on_statement_order(statements, rnd):
    shuffled = statements[:]
    rnd.shuffle(shuffled)
    args = ("s3:GetObject", "arn:aws:s3:::lake/raw/a.csv")
    first, second = evaluate([policy(*statements)], *args), evaluate([policy(*shuffled)], *args)
    assert first == second, f"{statements} gave {first!r}, the same statements shuffled gave {second!r}"


# ---------------------------------------------------------------- provisioning in moto

def lake_write(*prefixes):
    return policy(allow(["s3:PutObject", "s3:DeleteObject"], [f"arn:aws:s3:::lake/{p}/*" for p in prefixes]),
                  deny("s3:DeleteBucket", "*"))


ANALYSTS = [f"analyst-{i:02d}" for i in range(24)]
ENGINEERS = [f"engineer-{i:02d}" for i in range(10)]
ADMINS = ["root-of-all", "ops-1"]
TEAMS = {
    "analysts": Team(policies={"LakeRead": LAKE_READ}, members=ANALYSTS),
    "engineers": Team(policies={"LakeRead": LAKE_READ, "LakeWrite": lake_write("raw", "curated")},
                      members=ENGINEERS + ANALYSTS[:2]),
    "admins": Team(policies={"PowerUser": POWER_USER}, members=ADMINS),
}


@pytest.fixture
def iam(aws, aws_session):
    return aws_session.client("iam")


def names(pages, list_key, name_key):
    return sorted(item[name_key] for page in pages for item in page[list_key])


def attached_to_group(iam, group):
    return names(iam.get_paginator("list_attached_group_policies").paginate(GroupName=group),
                 "AttachedPolicies", "PolicyName")


def members_of(iam, group):
    return names(iam.get_paginator("get_group").paginate(GroupName=group), "Users", "UserName")


def local_policies(iam):
    pages = iam.get_paginator("list_policies").paginate(Scope="Local")
    return {p["PolicyName"]: p for page in pages for p in page["Policies"]}


def default_document(iam, name):
    found = local_policies(iam)[name]
    return iam.get_policy_version(PolicyArn=found["Arn"], VersionId=found["DefaultVersionId"])["PolicyVersion"]["Document"]


def version_ids(iam, name):
    return sorted(v["VersionId"] for v in iam.list_policy_versions(PolicyArn=local_policies(iam)[name]["Arn"])["Versions"])


def snapshot(iam):
    """What an auditor would read: groups, their members and policies, users, policy versions."""
    groups = names(iam.get_paginator("list_groups").paginate(), "Groups", "GroupName")
    return {"groups": {g: (members_of(iam, g), attached_to_group(iam, g)) for g in groups},
            "users": names(iam.get_paginator("list_users").paginate(), "Users", "UserName"),
            "policies": {n: version_ids(iam, n) for n in local_policies(iam)}}


def test_groups_users_and_policies_are_created_with_their_paths(iam):
    provision(iam, TEAMS)
    groups = names(iam.get_paginator("list_groups").paginate(PathPrefix="/teams/"), "Groups", "GroupName")
    assert groups == sorted(TEAMS), f"groups under /teams/: {groups}, expected {sorted(TEAMS)}"
    users = names(iam.get_paginator("list_users").paginate(PathPrefix="/people/"), "Users", "UserName")
    assert users == sorted(ANALYSTS + ENGINEERS + ADMINS), \
        f"{len(users)} users under /people/, expected {len(ANALYSTS + ENGINEERS + ADMINS)} (each user once)"
    policies = sorted(p for p, found in local_policies(iam).items() if found["Path"] == "/teams/")
    assert policies == ["LakeRead", "LakeWrite", "PowerUser"], \
        f"customer managed policies under /teams/: {policies}, expected one per name (LakeRead is shared)"


def test_each_group_carries_its_teams_policies_and_members(iam):
    provision(iam, TEAMS)
    for group, team in TEAMS.items():
        attached = attached_to_group(iam, group)
        assert attached == sorted(team.policies), f"group {group} has {attached}, expected {sorted(team.policies)}"
        members = members_of(iam, group)
        assert members == sorted(team.members), f"group {group} has {len(members)} members, expected {len(team.members)}"
    assert default_document(iam, "LakeWrite") == TEAMS["engineers"].policies["LakeWrite"], \
        "the LakeWrite policy's default version is not the document given"


def test_permissions_go_to_groups_never_to_users(iam):
    provision(iam, TEAMS)
    for user in ANALYSTS + ENGINEERS + ADMINS:
        direct = iam.list_attached_user_policies(UserName=user)["AttachedPolicies"]
        inline = iam.list_user_policies(UserName=user)["PolicyNames"]
        assert direct == [] and inline == [], f"user {user} carries policies itself: {direct} {inline}"
    for group in TEAMS:
        inline = iam.list_group_policies(GroupName=group)["PolicyNames"]
        assert inline == [], f"group {group} has inline policies {inline}: use the managed ones"


def test_running_twice_changes_nothing(iam):
    provision(iam, TEAMS)
    before = snapshot(iam)
    provision(iam, TEAMS)
    after = snapshot(iam)
    assert after == before, f"a second provision changed IAM:\nbefore {before}\nafter  {after}"


def test_a_changed_document_becomes_the_new_default_version(iam):
    provision(iam, TEAMS)
    wider = lake_write("raw", "curated", "sandbox")
    provision(iam, {**TEAMS, "engineers": Team(policies={"LakeRead": LAKE_READ, "LakeWrite": wider},
                                               members=TEAMS["engineers"].members)})
    assert default_document(iam, "LakeWrite") == wider, "after a changed document, the default version is not it"
    assert version_ids(iam, "LakeWrite") == ["v1", "v2"], \
        f"LakeWrite versions {version_ids(iam, 'LakeWrite')}, expected ['v1', 'v2'] (the old one kept for a rollback)"
    assert version_ids(iam, "LakeRead") == ["v1"], "LakeRead did not change but got a new version"


def test_the_sixth_version_replaces_the_oldest_non_default_one(iam):
    provision(iam, TEAMS)
    for round_ in range(6):
        doc = lake_write("raw", *[f"p{i}" for i in range(round_ + 1)])
        provision(iam, {"engineers": Team(policies={"LakeWrite": doc}, members=ENGINEERS)})
    got = version_ids(iam, "LakeWrite")
    assert got == ["v3", "v4", "v5", "v6", "v7"], \
        f"after 6 changes LakeWrite has versions {got}, expected v3..v7: IAM keeps 5, delete the oldest first"
    assert default_document(iam, "LakeWrite") == doc, "the last document is not the default version"


# ---------------------------------------------------------------- effective_policies and the whole story

def make_policy(iam, name, document):
    return iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(document))["Policy"]["Arn"]


def as_bag(documents):
    return Counter(json.dumps(d, sort_keys=True) for d in documents)


def test_effective_policies_gathers_user_and_group_policies_default_versions_only(iam):
    shared_v1, shared_v2 = policy(allow("s3:GetObject", "*")), policy(allow("s3:*", "*"))
    own, group_inline, user_inline = (policy(allow("sqs:SendMessage", "*")), policy(allow("sns:Publish", "*")),
                                      policy(deny("s3:DeleteBucket", "*")))
    shared = make_policy(iam, "Shared", shared_v1)
    iam.create_policy_version(PolicyArn=shared, PolicyDocument=json.dumps(shared_v2), SetAsDefault=False)
    mine = make_policy(iam, "Mine", own)
    iam.create_user(UserName="kim")
    iam.create_user(UserName="lee")
    for group in ("g1", "g2"):
        iam.create_group(GroupName=group)
        iam.attach_group_policy(GroupName=group, PolicyArn=shared)
        iam.add_user_to_group(GroupName=group, UserName="kim")
    iam.put_group_policy(GroupName="g2", PolicyName="inline", PolicyDocument=json.dumps(group_inline))
    iam.attach_user_policy(UserName="kim", PolicyArn=mine)
    iam.put_user_policy(UserName="kim", PolicyName="mine-inline", PolicyDocument=json.dumps(user_inline))
    got = effective_policies(iam, "kim")
    want = [shared_v1, own, group_inline, user_inline]
    assert as_bag(got) == as_bag(want), \
        f"effective_policies(iam, 'kim') returned {got},\nexpected (in any order) {want}: " \
        "the default version of each managed policy once, plus every inline policy of the user and their groups"
    assert effective_policies(iam, "lee") == [], "lee has no group and no policy, yet effective_policies found some"


SCENARIOS = {
    "an analyst reads curated data": ("analyst-05", "s3:GetObject", OBJ, ALLOWED),
    "an analyst lists the bucket": ("analyst-05", "s3:ListBucket", "arn:aws:s3:::lake", ALLOWED),
    "an analyst cannot write": ("analyst-05", "s3:PutObject", OBJ, IMPLICIT),
    "an analyst who is also an engineer writes": ("analyst-01", "s3:PutObject", OBJ, ALLOWED),
    "an engineer writes raw data": ("engineer-03", "s3:PutObject", "arn:aws:s3:::lake/raw/x.csv", ALLOWED),
    "nobody may delete the bucket, engineers explicitly": ("engineer-03", "s3:DeleteBucket", "arn:aws:s3:::lake",
                                                           EXPLICIT),
    "an admin runs anything but IAM": ("ops-1", "ec2:RunInstances", "*", ALLOWED),
    "an admin cannot touch IAM": ("ops-1", "iam:CreateUser", "arn:aws:iam::123456789012:user/x", IMPLICIT),
}


def test_scenarios_over_the_provisioned_organisation(iam):
    provision(iam, TEAMS)
    for name, (user, action, resource, want) in SCENARIOS.items():
        got = evaluate(effective_policies(iam, user), action, resource)
        assert got == want, f"{name}: evaluate(effective_policies(iam, {user!r}), {action!r}, {resource!r}) " \
                            f"returned {got!r}, expected {want!r}"
