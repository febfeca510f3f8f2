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

from typing import Any, Sequence

CLOUDFRONT = "cloudfront.amazonaws.com"


def build_bucket_policy(bucket: str, reader_role_arns: Sequence[str], distribution_arn: str) -> dict:
    raise NotImplementedError("TODO: a TLS-only Deny, Allows for the reader roles and the pinned CloudFront distribution")


def lock_down(s3: Any, bucket: str, policy: dict) -> None:
    raise NotImplementedError("TODO: all four public access block settings, then put_bucket_policy")
