"""Lock a bucket down: block public access, then let in only named roles and one CloudFront distribution.

Interviewers ask "how do you restrict public access to an S3 bucket while allowing specific users
or services?" to hear three layers: the public access block (account or bucket wide, overrides any
ACL or policy that would make data public), a bucket policy naming exactly who may do what, and
conditions that close the gaps (TLS only; a service principal pinned to one source ARN, or any
other distribution, in any account, could read through CloudFront: the confused deputy).
day2.aws.s3 and day2.aws.free_tier_setup already upload, presign and set the access block; this
kata is the follow-up: the policy itself, judged by what it lets through.

    policy = build_bucket_policy("acme-reports", ["arn:aws:iam::111122223333:role/analyst"],
                                 "arn:aws:cloudfront::111122223333:distribution/E2QWRUHEXAMPLE")
    lock_down(s3, "acme-reports", policy)
    # the analyst role reads over HTTPS; anyone over plain HTTP is refused (explicitly);
    # anonymous callers, other accounts, other roles, other distributions get nothing

Requirements
- `build_bucket_policy(bucket, reader_role_arns, distribution_arn) -> dict`: a bucket policy
  document (Version "2012-10-17") that, for requests to this bucket, gives:
  - every request not made over TLS (aws:SecureTransport false), by anyone, for any s3 action on
    the bucket or its objects: an EXPLICIT deny. An Allow that merely requires TLS is not enough:
    an implicit deny is lifted by an admin's own IAM policy, an explicit one is not;
  - each role of `reader_role_arns`: s3:GetObject on every object and s3:ListBucket on the bucket
    (ListBucket's resource is the bucket ARN, GetObject's the object ARNs), nothing else;
  - the service principal "cloudfront.amazonaws.com": s3:GetObject on every object, only when the
    request's aws:SourceArn is `distribution_arn`;
  - anyone else (anonymous callers, the account's other roles and root, other accounts, even a
    role of the same name in another account, other services): no Allow at all.
  With no reader roles, leave their statements out (a Principal with an empty list is invalid).
- `lock_down(s3, bucket, policy)`: turns on all four settings of the bucket's public access block
  (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) and puts the
  policy (as JSON) on the bucket. Safe to run again.

How the tests judge the policy (moto stores it but does not evaluate its conditions)
- They read the policy back from moto and run requests through an evaluator of their own, the way
  S3 decides for a bucket policy: an applicable Deny wins, else an applicable Allow, else nothing.
  It understands Effect; Principal or NotPrincipal as "*", {"AWS": role ARN, account ID or
  "arn:aws:iam::<account>:root" (any principal of that account) or "*"}, {"Service": name};
  Action/NotAction and Resource/NotResource with `*` and `?` (actions ignore case); and Condition
  operators StringEquals, StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnLike,
  ArnNotEquals, ArnNotLike, Bool, Null, each also with "IfExists". Values may be a string or a list.
- The request context holds aws:SecureTransport; for a role or root: aws:PrincipalArn and
  aws:PrincipalAccount; for a service: aws:SourceArn and aws:SourceAccount when the service sends
  them. Condition keys ignore case. A missing key makes a condition false, a negated one
  (StringNotEquals, ArnNotLike, ...) true, and an ...IfExists one true.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

CLOUDFRONT = "cloudfront.amazonaws.com"
BLOCK_ALL = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
             "RestrictPublicBuckets": True}


def build_bucket_policy(bucket: str, reader_role_arns: Sequence[str], distribution_arn: str) -> dict:
    bucket_arn, objects = f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"
    statements: list[dict[str, Any]] = [{
        "Sid": "DenyAnythingWithoutTls",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, objects],            # the bucket too: ListBucket is a bucket action
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }]
    if reader_role_arns:
        readers = {"AWS": list(reader_role_arns)}
        statements += [
            {"Sid": "ReadersList", "Effect": "Allow", "Principal": readers,
             "Action": "s3:ListBucket", "Resource": bucket_arn},
            {"Sid": "ReadersGet", "Effect": "Allow", "Principal": readers,
             "Action": "s3:GetObject", "Resource": objects},
        ]
    statements.append({
        "Sid": "CloudFrontDistributionGet",
        "Effect": "Allow",
        "Principal": {"Service": CLOUDFRONT},
        "Action": "s3:GetObject",
        "Resource": objects,
        "Condition": {"StringEquals": {"aws:SourceArn": distribution_arn}},   # no confused deputy
    })
    return {"Version": "2012-10-17", "Statement": statements}


def lock_down(s3: Any, bucket: str, policy: dict) -> None:
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=dict(BLOCK_ALL))
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


# Why
# - Layers, each closing a different door: the public access block stops ACLs and policies that
#   would make anything public (BlockPublicPolicy even refuses to store such a policy, which is why
#   it goes on first); the Allows name exact principals; the Deny on aws:SecureTransport false is
#   explicit, so no IAM policy in the account can bring plain HTTP back.
# - Principals are role ARNs, not the account root: "arn:aws:iam::<id>:root" means "anyone in that
#   account whom IAM allows", which is delegation, not restriction.
# - A service principal alone is a confused deputy: every CloudFront distribution, in every
#   account, is "cloudfront.amazonaws.com". aws:SourceArn pins it to yours (Origin Access Control).
# - ListBucket is granted on the bucket ARN, GetObject on "bucket/*": a policy with only
#   "bucket/*" silently breaks listing, with only "bucket" silently breaks reads.
# - What the policy cannot do alone: a same-account admin whose IAM policy allows s3:* still gets
#   in over TLS; to shut the account's other principals out too, add a Deny with
#   StringNotEquals/ArnNotLike on aws:PrincipalArn (and keep a break-glass role in the list).
