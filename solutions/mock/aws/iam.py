"""IAM for many users: groups and managed policies in moto, and the evaluator AWS runs on them.

Interviewers ask "how would you manage permissions for many users?" to hear groups (never
per-user policies), customer managed policies that are versioned and reused, least privilege, and
then, the follow-up that separates candidates: *how does AWS decide?* An explicit Deny anywhere
wins, an Allow is needed somewhere, and everything else is an implicit deny. moto stores IAM but
does not evaluate it (and has no policy simulator), so here you write both halves.

    teams = {"analysts": Team(policies={"LakeRead": lake_read_doc}, members=["ann", "bob"]),
             "engineers": Team(policies={"LakeRead": lake_read_doc, "LakeWrite": write_doc},
                               members=["bob", "eve"])}
    provision(iam, teams)                      # groups, users, policies, attachments
    provision(iam, teams)                      # again: no error, nothing duplicated
    docs = effective_policies(iam, "bob")      # LakeRead once, LakeWrite once
    evaluate(docs, "s3:GetObject", "arn:aws:s3:::lake/curated/a.parquet")   # 'allowed'
    evaluate(docs, "s3:DeleteBucket", "arn:aws:s3:::lake")                  # 'implicitDeny'

Requirements: provisioning (a boto3 IAM client is passed in)
- `provision(iam, teams)`: for each team (a `Team(policies, members)` under its group name) make a
  group named after the team with path GROUP_PATH; each policy a customer managed policy of that
  name with path POLICY_PATH, attached to the group; each member a user with path USER_PATH,
  added to the group. A user may be in several teams; a policy name used by several teams (with
  the same document) is one policy attached to each of their groups.
- Permissions go to groups only: no policy is attached to a user, no inline policies.
- Safe to run again: what exists is kept (no EntityAlreadyExists reaches the caller, no duplicate
  attachments). A policy whose document differs from its default version's gets a new version,
  set as the default; an unchanged document gets no new version. IAM keeps at most 5 versions
  of a policy (moto refuses a 6th with LimitExceeded): delete the oldest non-default one first.
- `effective_policies(iam, user_name) -> list[dict]`: the policy documents that apply to the user:
  the DEFAULT version of each managed policy attached to the user or to any of their groups
  (each policy once, however many of the groups carry it), plus every inline policy of the user
  and of their groups. boto3 hands documents back as dicts already.

Requirements: `evaluate(policies, action, resource, context=None) -> str`
- `policies`: policy documents; "Statement" is one statement (a dict) or a list. A statement has
  "Effect" ("Allow" or "Deny"), one of "Action"/"NotAction", one of "Resource"/"NotResource"
  (each a string or a list of strings), and an optional "Condition".
- Returns the policy simulator's words: "explicitDeny" if any applicable statement denies, else
  "allowed" if any applicable statement allows, else "implicitDeny". Statement order never matters.
- A statement applies when its action part, resource part and condition all hold:
  Action: the action matches one of the patterns. NotAction: it matches none of them.
  Resource / NotResource: the same for the resource. "Allow" with NotAction grants every action
  not listed; it denies nothing (the listed actions are left implicitly denied).
- Patterns: `*` matches any run of characters (also empty, also across ":" and "/"), `?` exactly
  one; every other character is literal, ".", "[" and "+" included. Actions match
  case-insensitively ("S3:getobject" is "s3:GetObject"); resources case-sensitively.
- Condition: {operator: {key: value or [values]}}. Every operator and every key in it must hold
  (AND); several values for one key are alternatives (OR). Keys are looked up in `context`
  case-insensitively; a key missing from the context makes that condition false (so a Deny that
  tests a missing key does not apply). Operators:
  StringEquals (exact, case-sensitive); StringLike (the wildcards above, case-sensitive);
  Bool (the context's True/False, or "true"/"false" in any case, against "true"/"false");
  IpAddress (the context's IP address inside one of the CIDR blocks; a bare address is a /32;
  IPv4 and IPv6). Any other operator raises ValueError.
"""
from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from botocore.exceptions import ClientError

GROUP_PATH = "/teams/"
POLICY_PATH = "/teams/"
USER_PATH = "/people/"
MAX_POLICY_VERSIONS = 5

ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY = "allowed", "explicitDeny", "implicitDeny"


@dataclass(frozen=True)
class Team:
    policies: Mapping[str, dict] = field(default_factory=dict)   # managed policy name -> document
    members: Sequence[str] = ()


# -- provisioning ------------------------------------------------------------------------------------

def provision(iam: Any, teams: Mapping[str, Team]) -> None:
    policy_arns = {}
    for team in teams.values():
        for name, document in team.policies.items():
            if name not in policy_arns:
                policy_arns[name] = _ensure_policy(iam, name, document)
    known_users: set[str] = set()
    for group, team in teams.items():
        _ensure(iam.create_group, GroupName=group, Path=GROUP_PATH)
        attached = {p["PolicyArn"] for page in iam.get_paginator("list_attached_group_policies")
                    .paginate(GroupName=group) for p in page["AttachedPolicies"]}
        for name in team.policies:
            if policy_arns[name] not in attached:
                iam.attach_group_policy(GroupName=group, PolicyArn=policy_arns[name])
        for user in team.members:
            if user not in known_users:
                _ensure(iam.create_user, UserName=user, Path=USER_PATH)
                known_users.add(user)
            iam.add_user_to_group(GroupName=group, UserName=user)     # adding twice is a no-op


def _ensure(create, **params) -> None:
    """Create, or accept that it exists already: the cheap way to be safe to rerun."""
    try:
        create(**params)
    except ClientError as error:
        if error.response["Error"]["Code"] != "EntityAlreadyExists":       # a real fault: let it out
            raise


def _ensure_policy(iam: Any, name: str, document: dict) -> str:
    """The policy's ARN, creating it or adding a default version when its document changed."""
    arn = _policy_arn(iam, name)
    if arn is None:
        return iam.create_policy(PolicyName=name, Path=POLICY_PATH,
                                 PolicyDocument=json.dumps(document))["Policy"]["Arn"]
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    default = next(v for v in versions if v["IsDefaultVersion"])
    current = iam.get_policy_version(PolicyArn=arn, VersionId=default["VersionId"])["PolicyVersion"]["Document"]
    if _as_dict(current) == document:
        return arn
    if len(versions) >= MAX_POLICY_VERSIONS:
        oldest = min((v for v in versions if not v["IsDefaultVersion"]), key=_version_number)
        iam.delete_policy_version(PolicyArn=arn, VersionId=oldest["VersionId"])
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(document), SetAsDefault=True)
    return arn


def _version_number(version: dict) -> int:
    return int(version["VersionId"].lstrip("v"))     # "v12" -> 12; dates can tie, numbers cannot


def _policy_arn(iam: Any, name: str) -> str | None:
    pages = iam.get_paginator("list_policies").paginate(Scope="Local", PathPrefix=POLICY_PATH)
    return next((p["Arn"] for page in pages for p in page["Policies"] if p["PolicyName"] == name), None)


def _as_dict(document: Any) -> dict:
    return json.loads(document) if isinstance(document, str) else document


def effective_policies(iam: Any, user_name: str) -> list[dict]:
    groups = [g["GroupName"] for page in iam.get_paginator("list_groups_for_user").paginate(UserName=user_name)
              for g in page["Groups"]]
    arns: dict[str, None] = {}                 # an ordered set: a policy on two groups counts once
    inline: list[dict] = []
    for page in iam.get_paginator("list_attached_user_policies").paginate(UserName=user_name):
        arns.update(dict.fromkeys(p["PolicyArn"] for p in page["AttachedPolicies"]))
    for page in iam.get_paginator("list_user_policies").paginate(UserName=user_name):
        inline += [iam.get_user_policy(UserName=user_name, PolicyName=n)["PolicyDocument"] for n in page["PolicyNames"]]
    for group in groups:
        for page in iam.get_paginator("list_attached_group_policies").paginate(GroupName=group):
            arns.update(dict.fromkeys(p["PolicyArn"] for p in page["AttachedPolicies"]))
        for page in iam.get_paginator("list_group_policies").paginate(GroupName=group):
            inline += [iam.get_group_policy(GroupName=group, PolicyName=n)["PolicyDocument"]
                       for n in page["PolicyNames"]]
    managed = [_default_document(iam, arn) for arn in arns]
    return [_as_dict(doc) for doc in managed + inline]


def _default_document(iam: Any, arn: str) -> Any:
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    return iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]


# -- evaluation --------------------------------------------------------------------------------------

def evaluate(policies: Iterable[Mapping[str, Any]], action: str, resource: str,
             context: Mapping[str, Any] | None = None) -> str:
    context = {key.lower(): value for key, value in (context or {}).items()}
    allowed = False
    for statement in _statements(policies):
        if not _applies(statement, action, resource, context):
            continue
        if statement["Effect"] == "Deny":
            return EXPLICIT_DENY               # nothing can override an explicit deny: stop here
        allowed = True                         # an Allow must not stop the search: a Deny may follow
    return ALLOWED if allowed else IMPLICIT_DENY


def _statements(policies: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for policy in policies:
        statements = policy.get("Statement", [])
        yield from [statements] if isinstance(statements, Mapping) else statements


def _as_list(value: Any) -> list:
    return [value] if isinstance(value, (str, bool)) else list(value)


def _applies(statement: Mapping[str, Any], action: str, resource: str, context: Mapping[str, Any]) -> bool:
    return (_element_matches(statement, "Action", action, case_sensitive=False)
            and _element_matches(statement, "Resource", resource, case_sensitive=True)
            and _condition_holds(statement.get("Condition", {}), context))


def _element_matches(statement: Mapping[str, Any], element: str, value: str, case_sensitive: bool) -> bool:
    """Action/Resource: one pattern matches. NotAction/NotResource: none does."""
    if element in statement:
        return any(_wildcard_match(p, value, case_sensitive) for p in _as_list(statement[element]))
    return not any(_wildcard_match(p, value, case_sensitive) for p in _as_list(statement["Not" + element]))


def _wildcard_match(pattern: str, value: str, case_sensitive: bool = True) -> bool:
    """IAM's wildcards: `*` any run (across ':' and '/'), `?` one character, the rest literal."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=re.DOTALL | (0 if case_sensitive else re.IGNORECASE)) is not None


def _condition_holds(condition: Mapping[str, Mapping[str, Any]], context: Mapping[str, Any]) -> bool:
    for operator, tests in condition.items():
        check = OPERATORS.get(operator)
        if check is None:
            raise ValueError(f"unsupported condition operator {operator!r}")
        for key, wanted in tests.items():
            if key.lower() not in context:
                return False                   # a missing key makes the condition false
            actual = context[key.lower()]
            if not any(check(actual, value) for value in _as_list(wanted)):
                return False
    return True


def _string_equals(actual: Any, wanted: Any) -> bool:
    return str(actual) == str(wanted)


def _string_like(actual: Any, wanted: Any) -> bool:
    return _wildcard_match(str(wanted), str(actual), case_sensitive=True)


def _bool(actual: Any, wanted: Any) -> bool:
    return str(actual).lower() == str(wanted).lower()


def _ip_address(actual: Any, wanted: Any) -> bool:
    try:
        return ipaddress.ip_address(str(actual)) in ipaddress.ip_network(str(wanted), strict=False)
    except ValueError:
        return False


OPERATORS = {"StringEquals": _string_equals, "StringLike": _string_like, "Bool": _bool, "IpAddress": _ip_address}


# Why
# - Evaluation is a fold, not a first match: one applicable Deny decides ("explicitDeny") however
#   many Allows there are, so the loop may stop at a Deny but never at an Allow. No Allow at all is
#   the default, "implicitDeny": that difference matters in the simulator because an implicit deny
#   can be lifted by adding an Allow, an explicit one cannot (also not by another account's policy).
# - NotAction/NotResource invert the match, not the effect: "Allow NotAction iam:*" allows everything
#   else and leaves iam:* implicitly denied; it is the classic "everything but IAM" power-user policy.
# - Wildcards are translated to a regex with every other character escaped. fnmatch is the trap: it
#   reads "[abc]" as a character class, and S3 keys may hold brackets. O(len(pattern) + len(value))
#   to build, and Python's regex engine backtracks on many stars; IAM limits policy size anyway.
# - A missing condition key makes the condition false: "Deny unless MFA" written with Bool on
#   aws:MultiFactorAuthPresent does not fire for long-term access keys (the key is absent), which is
#   why AWS recommends BoolIfExists there. Saying so in an interview shows real IAM experience.
# - Provisioning: permissions hang on groups, users only join groups, so joining or leaving a team
#   is one call and an audit reads a handful of policies. Versions keep the old document for a
#   rollback (set_default_policy_version), and the 5-version cap must be handled before it bites.
