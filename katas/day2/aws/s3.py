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
    raise NotImplementedError("TODO: validate and lowercase the metadata, put_object, return the ETag")


def head(s3: Any, bucket: str, key: str) -> ObjectInfo:
    raise NotImplementedError("TODO: head_object, then build an ObjectInfo")


def list_keys(s3: Any, bucket: str, prefix: str = "") -> list[str]:
    raise NotImplementedError("TODO: collect the keys of every page from the list_objects_v2 paginator")


def presigned_get_url(s3: Any, bucket: str, key: str, expires_in: int = 3600) -> str:
    raise NotImplementedError("TODO: check expires_in, then generate_presigned_url for get_object")


def move_prefix(s3: Any, bucket: str, src_prefix: str, dst_prefix: str) -> MoveReport:
    raise NotImplementedError("TODO: list, copy each key, delete only what was copied (1,000 per call)")
