"""S3 basics done properly: metadata, listing past 1,000 keys, a presigned GET, moving a "folder".

Interviewers ask for this because everyone has called put_object, and few have hit its edges: a
list call returns at most 1,000 keys, S3 has no rename (a move is copy then delete), delete_objects
takes at most 1,000 keys and answers 200 even when some keys failed, and a presigned URL is signed
for one HTTP method and carries its own expiry.

    s3 = boto3.client("s3")
    upload_with_metadata(s3, "data", "raw/a.csv", b"id\\n1\\n", {"Source": "crm"}, "text/csv")
    head(s3, "data", "raw/a.csv").metadata        # {"source": "crm"}
    list_keys(s3, "data", "raw/")                  # every key, even 50,000 of them
    presigned_get_url(s3, "data", "raw/a.csv", 300)  # anyone with the URL can GET it for 5 minutes
    move_prefix(s3, "data", "raw", "archive/2024")  # raw/a.csv -> archive/2024/a.csv

Every function takes a boto3 S3 client (dependency injection), so tests pass in a mocked one.

Requirements
- `upload_with_metadata(s3, bucket, key, body, metadata, content_type)` puts the object with its
  ContentType and user metadata and returns the ETag put_object answered. Metadata keys are
  lowercased before the upload (S3 returns them lowercased anyway); two keys that differ only in
  case raise ValueError, and so does user metadata over 2 KB (S3's limit: the UTF-8 bytes of every
  key plus every value, at most 2,048), before anything is sent.
- `head(s3, bucket, key)` returns an ObjectInfo(size, content_type, metadata, etag) from head_object
  (no body download).
- `list_keys(s3, bucket, prefix="")` returns every key under the prefix (a plain string prefix, as
  S3 means it), in S3's order, using the list_objects_v2 paginator: a single call stops at 1,000.
- `presigned_get_url(s3, bucket, key, expires_in=3600)` returns a URL presigned for GET of that
  object, valid for expires_in seconds; expires_in outside 1..604800 (7 days, the SigV4 maximum)
  raises ValueError. The tests pass a SigV4 client and, since moto checks neither signatures nor
  expiry, verify the signature (method GET, the key, X-Amz-Expires) themselves before fetching.
- `move_prefix(s3, bucket, src_prefix, dst_prefix)` moves every object under src_prefix to the
  same relative key under dst_prefix, and returns a MoveReport(moved, failed):
  - prefixes name folders: "raw" and "raw/" both mean keys under "raw/" (never "raw-old/x");
    an empty prefix, or a destination equal to or inside the source, raises ValueError;
  - copy each object with `s3.copy_object` (a server-side copy that keeps the body, content type
    and metadata; the tests wrap the client to make chosen copies fail), then delete the source keys with
    `s3.delete_objects`, at most 1,000 keys per call;
  - nothing is lost: a key whose copy failed (a botocore ClientError) is not deleted and goes into
    `failed` as {source key: error code}; a key that delete_objects lists under "Errors" also goes
    into `failed` (it exists at both places, which is safe);
  - `moved` lists the source keys that were copied and deleted, in S3's order.
"""
from __future__ import annotations

from typing import Any, Mapping, NamedTuple

from botocore.exceptions import ClientError

MAX_METADATA_BYTES = 2048
MAX_PRESIGN_SECONDS = 7 * 24 * 3600
DELETE_BATCH = 1000


class ObjectInfo(NamedTuple):
    size: int
    content_type: str
    metadata: dict[str, str]
    etag: str


class MoveReport(NamedTuple):
    moved: list[str]
    failed: dict[str, str]


def upload_with_metadata(s3: Any, bucket: str, key: str, body: bytes, metadata: Mapping[str, str],
                         content_type: str = "application/octet-stream") -> str:
    lowered: dict[str, str] = {}
    for name, value in metadata.items():
        low = name.lower()
        if low in lowered:
            raise ValueError(f"metadata keys {name!r} and another differ only in case: S3 would keep one")
        lowered[low] = str(value)
    size = sum(len(k.encode()) + len(v.encode()) for k, v in lowered.items())
    if size > MAX_METADATA_BYTES:
        raise ValueError(f"user metadata is {size} bytes; S3 allows at most {MAX_METADATA_BYTES}")
    answer = s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type, Metadata=lowered)
    return answer["ETag"]


def head(s3: Any, bucket: str, key: str) -> ObjectInfo:
    answer = s3.head_object(Bucket=bucket, Key=key)
    return ObjectInfo(answer["ContentLength"], answer["ContentType"], dict(answer.get("Metadata", {})),
                      answer["ETag"])


def list_keys(s3: Any, bucket: str, prefix: str = "") -> list[str]:
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", ()))
    return keys


def presigned_get_url(s3: Any, bucket: str, key: str, expires_in: int = 3600) -> str:
    if not 1 <= expires_in <= MAX_PRESIGN_SECONDS:
        raise ValueError(f"expires_in={expires_in}: a SigV4 presigned URL lives 1..{MAX_PRESIGN_SECONDS} s")
    return s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                     ExpiresIn=expires_in)


def _as_folder(prefix: str) -> str:
    if not prefix.strip("/"):
        raise ValueError("an empty prefix would move the whole bucket: name a folder")
    return prefix if prefix.endswith("/") else prefix + "/"


def move_prefix(s3: Any, bucket: str, src_prefix: str, dst_prefix: str) -> MoveReport:
    src, dst = _as_folder(src_prefix), _as_folder(dst_prefix)
    if dst.startswith(src):
        raise ValueError(f"destination {dst!r} is the source {src!r} or inside it")
    keys = list_keys(s3, bucket, src)          # list everything first: new keys never join the listing
    failed: dict[str, str] = {}
    copied: list[str] = []
    for key in keys:
        try:
            s3.copy_object(Bucket=bucket, Key=dst + key[len(src):],
                           CopySource={"Bucket": bucket, "Key": key})
        except ClientError as error:
            failed[key] = error.response.get("Error", {}).get("Code", "Unknown")
            continue
        copied.append(key)
    for start in range(0, len(copied), DELETE_BATCH):
        batch = copied[start:start + DELETE_BATCH]
        answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch],
                                                          "Quiet": True})
        for error in answer.get("Errors", ()):
            failed[error["Key"]] = error.get("Code", "Unknown")
    moved = [key for key in copied if key not in failed]
    return MoveReport(moved, failed)


# Why
# - Cost: a move is 1 LIST per 1,000 keys + 1 COPY per key + 1 DELETE per 1,000 keys. COPY is
#   server-side (no bytes through the client), but objects over 5 GB need a multipart copy
#   (upload_part_copy; boto3's managed `s3.copy` does it for you).
# - Safety over speed: list first, copy everything, delete only what was copied. A crash midway
#   leaves duplicates, never losses; rerunning finishes the job (copy is idempotent). Copying while
#   paginating would work here too, but listing first means a destination inside the source can
#   never feed itself (which is also why that case is refused).
# - delete_objects answers 200 with per-key "Errors": ignoring them is the classic silent bug. It
#   also takes at most 1,000 keys (S3 answers MalformedXML beyond that; moto accepts any number, so
#   the tests count the keys per call).
# - Interview talking points: S3 has no directories or rename; "folders" are key prefixes, so
#   "raw" must become "raw/" or "raw-old/" moves too. Listing is paginated by ContinuationToken;
#   the paginator hides it. For millions of keys use S3 Inventory plus S3 Batch Operations.
# - Metadata: user metadata travels as x-amz-meta-* headers, lowercased, ASCII only (boto3 checks
#   that), 2 KB in total (S3 checks; moto does not, so this code does).
# - Presigned URLs: anyone holding one acts with the signer's permissions for that method and key
#   until it expires; SigV4 caps ExpiresIn at 7 days, and a URL signed by temporary credentials
#   dies with them. moto checks neither the signature nor the expiry, so the tests verify the
#   SigV4 signature themselves (method, key, expiry) and only use moto to serve the body.
