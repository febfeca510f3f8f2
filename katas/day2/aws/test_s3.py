"""Tests for the S3 kata: run `pytest katas/day2/aws/test_s3.py`.

moto stands in for S3 (in-process, or a loopback server for the presigned URL). moto does not
check presigned signatures or expiry, and accepts delete_objects with more than 1,000 keys, so
those tests check the learner's side themselves: the SigV4 signature is verified here, and the
keys per delete_objects call are counted.
"""
import hashlib
import hmac
import urllib.request
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.validate import validate_parameters

from katas.day2.aws.s3 import head, list_keys, move_prefix, presigned_get_url, upload_with_metadata

pytestmark = pytest.mark.needs("aws", "http")

BUCKET = "dojo-data"
MANY = 1_005          # more than one list_objects_v2 page (1,000 keys)


@pytest.fixture
def s3(aws, aws_session):
    client = aws_session.client("s3", config=Config(signature_version="s3v4"))
    client.create_bucket(Bucket=BUCKET)
    return client


def moto_backend():
    """moto's S3 backend, for fast bulk set-up; None if this moto version lays it out differently."""
    try:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.s3.models import s3_backends
        return s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    except (ImportError, KeyError):
        return None


def seed_keys(s3, keys, body=b"x"):
    """Create many small objects fast: straight into moto's backend (1,005 put_object calls take ~1.5 s)."""
    backend = moto_backend()
    for key in keys:
        if backend is not None:
            backend.put_object(BUCKET, key, body)
        else:
            s3.put_object(Bucket=BUCKET, Key=key, Body=body)


def all_keys(s3, prefix=""):
    """The test's own listing (paginated), independent of the learner's list_keys."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", ())]


def exists(s3, key):
    try:
        s3.head_object(Bucket=BUCKET, Key=key)
        return True
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return False
        raise


class Spy:
    """Wraps a real client: counts copies and keys per delete_objects call; can make chosen copies or
    deletes fail. With fast_copies=True a copy_object call is checked against the real API shape by
    botocore, then done straight in moto's backend (1,005 copies through boto3 take ~2 s)."""

    def __init__(self, client, failing_copies=(), failing_deletes=(), fast_copies=False):
        self._client = client
        self.failing_copies = set(failing_copies)
        self.failing_deletes = set(failing_deletes)
        self.backend = moto_backend() if fast_copies else None
        self.delete_batches = []
        self.copies = 0

    def __getattr__(self, name):
        return getattr(self._client, name)

    def copy_object(self, **kwargs):
        source = kwargs.get("CopySource")
        if isinstance(source, dict):
            source_bucket, source_key = source.get("Bucket"), source.get("Key")
        else:
            source_bucket, _, source_key = unquote(str(source)).lstrip("/").partition("/")
        if source_key in self.failing_copies:
            raise ClientError({"Error": {"Code": "InternalError", "Message": "injected by the test"}}, "CopyObject")
        self.copies += 1
        if self.backend is None:
            return self._client.copy_object(**kwargs)
        shape = self._client.meta.service_model.operation_model("CopyObject").input_shape
        validate_parameters({**kwargs, "CopySource": f"{source_bucket}/{quote(str(source_key))}"}, shape)
        try:
            body = self.backend.get_object(source_bucket, source_key).value
        except Exception:
            raise ClientError({"Error": {"Code": "NoSuchKey", "Message": source_key}}, "CopyObject") from None
        self.backend.put_object(kwargs["Bucket"], kwargs["Key"], body)
        return {"CopyObjectResult": {}}

    def delete_objects(self, **kwargs):
        objects = kwargs["Delete"]["Objects"]
        self.delete_batches.append(len(objects))
        kept = [o for o in objects if o["Key"] not in self.failing_deletes]
        refused = [o["Key"] for o in objects if o["Key"] in self.failing_deletes]
        answer = self._client.delete_objects(**{**kwargs, "Delete": {**kwargs["Delete"], "Objects": kept}}) \
            if kept else {"Deleted": []}
        if refused:
            answer["Errors"] = [{"Key": k, "Code": "AccessDenied", "Message": "injected by the test"} for k in refused]
        return answer


# ---------------------------------------------------------------- upload_with_metadata and head

def test_metadata_comes_back_lowercased_with_content_type_size_and_etag(s3):
    body = b"id,name\n1,Ann\n"
    etag = upload_with_metadata(s3, BUCKET, "raw/a.csv", body, {"Source": "crm", "Owner-Team": "data"}, "text/csv")
    info = head(s3, BUCKET, "raw/a.csv")
    assert info.metadata == {"source": "crm", "owner-team": "data"}, \
        f"head(...).metadata = {info.metadata}, expected the metadata uploaded, keys lowercased"
    assert (info.content_type, info.size) == ("text/csv", len(body)), \
        f"head(...) gave content_type={info.content_type!r}, size={info.size}; expected 'text/csv', {len(body)}"
    assert etag == info.etag == s3.head_object(Bucket=BUCKET, Key="raw/a.csv")["ETag"], \
        f"upload_with_metadata returned {etag!r}, head gave {info.etag!r}: both must be put_object's ETag"


def test_metadata_keys_differing_only_in_case_are_refused_before_upload(s3):
    with pytest.raises(ValueError):
        upload_with_metadata(s3, BUCKET, "raw/b.csv", b"x", {"Owner": "a", "owner": "b"})
    assert not exists(s3, "raw/b.csv"), "the refused upload still created raw/b.csv: validate before put_object"


METADATA_SIZES = {
    "exactly 2,048 bytes is allowed": ({"k": "v" * 2047}, True),
    "2,049 bytes is refused": ({"k": "v" * 2048}, False),
    "keys count too": ({"a" * 1000: "b" * 1049}, False),
    "several small entries within the limit": ({f"m{i}": "x" * 98 for i in range(20)}, True),
}


@pytest.mark.parametrize("metadata,allowed", METADATA_SIZES.values(), ids=METADATA_SIZES.keys())
def test_user_metadata_is_limited_to_2_kb_which_moto_does_not_check(s3, metadata, allowed):
    size = sum(len(k) + len(v) for k, v in metadata.items())
    if allowed:
        upload_with_metadata(s3, BUCKET, "raw/m.bin", b"x", metadata)
        assert head(s3, BUCKET, "raw/m.bin").metadata == metadata, f"{size} bytes of metadata did not round-trip"
    else:
        with pytest.raises(ValueError):
            upload_with_metadata(s3, BUCKET, "raw/m.bin", b"x", metadata)
        assert not exists(s3, "raw/m.bin"), f"{size} bytes of metadata (over 2,048) were uploaded anyway"


# ---------------------------------------------------------------- list_keys

def test_list_keys_returns_every_key_past_the_first_1000(s3):
    wanted = [f"logs/{i:05d}.json" for i in range(MANY)]
    seed_keys(s3, wanted + ["other/keep.json", "logsX/near-miss.json"])
    got = list_keys(s3, BUCKET, "logs/")
    assert len(got) == MANY, (f"list_keys(s3, {BUCKET!r}, 'logs/') returned {len(got)} keys, expected {MANY}: "
                              "one list_objects_v2 call stops at 1,000, use the paginator")
    assert got == wanted, "list_keys must return exactly the keys under the prefix, in S3's (sorted) order"


def test_list_keys_on_an_empty_prefix_is_an_empty_list(s3):
    got = list_keys(s3, BUCKET, "nothing/")
    assert got == [], f"list_keys on an empty prefix returned {got!r}, expected []"


def test_list_keys_prefix_is_a_plain_string_prefix(s3):
    seed_keys(s3, ["logs/1", "logs-old/2", "other/3"])
    got = list_keys(s3, BUCKET, "logs")
    assert got == ["logs-old/2", "logs/1"], f"list_keys(..., 'logs') returned {got}, expected S3's prefix match"


# ---------------------------------------------------------------- presigned_get_url

def sigv4_mismatch(url, method, secret="testing"):
    """Re-sign a SigV4 presigned S3 URL as `method` and compare: None when it matches, else why not."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    params = dict(query)
    if params.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
        return f"not a SigV4 presigned URL (query: {sorted(params)})"
    signature = params["X-Amz-Signature"]
    canonical_query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
                               for k, v in sorted(query) if k != "X-Amz-Signature")
    canonical_request = "\n".join([method, parts.path, canonical_query, f"host:{parts.netloc}", "",
                                   params["X-Amz-SignedHeaders"], "UNSIGNED-PAYLOAD"])
    scope = params["X-Amz-Credential"].split("/", 1)[1]
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", params["X-Amz-Date"], scope,
                                hashlib.sha256(canonical_request.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(expected, signature) else f"the signature is not valid for {method} {parts.path}"


@pytest.fixture
def served_s3(moto_server, aws_session):
    client = aws_session.client("s3", endpoint_url=moto_server, config=Config(signature_version="s3v4"))
    client.create_bucket(Bucket=BUCKET)
    return client


def test_presigned_url_is_fetched_over_loopback_and_is_signed_for_get(served_s3):
    body = b"region,total\neu,42\n"
    served_s3.put_object(Bucket=BUCKET, Key="reports/2024/summary.csv", Body=body, ContentType="text/csv")
    url = presigned_get_url(served_s3, BUCKET, "reports/2024/summary.csv", 300)
    parts = urlsplit(url)
    assert parts.path == f"/{BUCKET}/reports/2024/summary.csv", f"the URL points at {parts.path}, not the object"
    expires = dict(parse_qsl(parts.query)).get("X-Amz-Expires")
    assert expires == "300", f"presigned_get_url(..., 300) gave X-Amz-Expires={expires!r}, expected '300'"
    # moto serves any URL whatever its signature, so the signature is checked here, as S3 would
    problem = sigv4_mismatch(url, "GET")
    assert problem is None, f"presigned_get_url returned {url}: {problem} (presign get_object, not put_object)"
    with urllib.request.urlopen(url, timeout=5) as response:
        fetched = response.read()
    assert fetched == body, f"GET {url} returned {fetched!r}, expected {body!r}"


EXPIRIES = {
    "zero seconds": (0, False),
    "negative": (-60, False),
    "one second": (1, True),
    "exactly seven days": (604_800, True),
    "one second past seven days": (604_801, False),
}


@pytest.mark.parametrize("seconds,allowed", EXPIRIES.values(), ids=EXPIRIES.keys())
def test_presigned_expiry_must_be_between_one_second_and_seven_days(s3, seconds, allowed):
    if allowed:
        url = presigned_get_url(s3, BUCKET, "any/key", seconds)
        got = dict(parse_qsl(urlsplit(url).query)).get("X-Amz-Expires")
        assert got == str(seconds), f"presigned_get_url(..., {seconds}) gave X-Amz-Expires={got!r}"
    else:
        with pytest.raises(ValueError):
            presigned_get_url(s3, BUCKET, "any/key", seconds)


# ---------------------------------------------------------------- move_prefix

def test_move_prefix_moves_every_key_past_1000_and_deletes_in_batches_of_at_most_1000(s3):
    source = [f"raw/{i % 3}/{i:05d}.json" for i in range(MANY)]
    seed_keys(s3, source + ["raw-old/keep.json", "other/keep.json"])
    spy = Spy(s3, fast_copies=True)
    report = move_prefix(spy, BUCKET, "raw/", "archive/2024/")
    expected_dest = sorted("archive/2024/" + k[len("raw/"):] for k in source)
    assert all_keys(s3, "archive/") == expected_dest, \
        f"after move_prefix('raw/', 'archive/2024/') the destination holds {len(all_keys(s3, 'archive/'))} keys, " \
        f"expected {MANY} (list with a paginator)"
    left = all_keys(s3, "raw/")
    assert left == [], f"{len(left)} source keys were left behind, e.g. {left[:3]}"
    assert exists(s3, "raw-old/keep.json") and exists(s3, "other/keep.json"), "keys outside raw/ were touched"
    assert sorted(report.moved) == sorted(source) and report.failed == {}, \
        f"report: {len(report.moved)} moved, failed={report.failed}; expected {MANY} moved, none failed"
    assert spy.delete_batches and max(spy.delete_batches) <= 1000, \
        f"delete_objects was called with {spy.delete_batches} keys: S3 refuses more than 1,000 per call (moto does not)"


def test_a_prefix_without_slash_means_the_folder_not_its_siblings(s3):
    seed_keys(s3, ["raw/a.csv", "raw-old/b.csv", "rawest/c.csv"])
    report = move_prefix(s3, BUCKET, "raw", "done")
    assert all_keys(s3) == ["done/a.csv", "raw-old/b.csv", "rawest/c.csv"], \
        f"move_prefix('raw', 'done') left the bucket as {all_keys(s3)}: 'raw' must mean 'raw/'"
    assert report.moved == ["raw/a.csv"], f"report.moved = {report.moved}, expected ['raw/a.csv']"


def test_a_moved_object_keeps_its_body_and_metadata(s3):
    s3.put_object(Bucket=BUCKET, Key="in/x.csv", Body=b"1,2\n", ContentType="text/csv", Metadata={"source": "crm"})
    move_prefix(s3, BUCKET, "in/", "out/")
    got = s3.get_object(Bucket=BUCKET, Key="out/x.csv")
    assert (got["Body"].read(), got["ContentType"], got["Metadata"]) == (b"1,2\n", "text/csv", {"source": "crm"}), \
        "the moved object lost its body, content type or metadata"


def test_a_failed_copy_midway_loses_nothing(s3):
    keys = [f"in/{i:02d}.csv" for i in range(10)]
    seed_keys(s3, keys)
    spy = Spy(s3, failing_copies={"in/04.csv"})
    report = move_prefix(spy, BUCKET, "in/", "out/")
    assert exists(s3, "in/04.csv"), "in/04.csv could not be copied but was deleted: it is lost"
    assert not exists(s3, "out/04.csv"), "out/04.csv exists although its copy failed"
    assert report.failed == {"in/04.csv": "InternalError"}, \
        f"report.failed = {report.failed}, expected {{'in/04.csv': 'InternalError'}} (the ClientError code)"
    others = [k for k in keys if k != "in/04.csv"]
    assert report.moved == others, f"report.moved = {report.moved}, expected every other key: keep going past a failure"
    assert all_keys(s3, "in/") == ["in/04.csv"], f"left in the source: {all_keys(s3, 'in/')}, expected only in/04.csv"


def test_keys_that_delete_objects_reports_as_errors_are_reported_as_failed(s3):
    seed_keys(s3, ["in/a", "in/b", "in/c"])
    spy = Spy(s3, failing_deletes={"in/b"})
    report = move_prefix(spy, BUCKET, "in/", "out/")
    assert report.failed == {"in/b": "AccessDenied"}, \
        f"delete_objects answered Errors for in/b but report.failed = {report.failed}: it answers 200 anyway, read 'Errors'"
    assert report.moved == ["in/a", "in/c"], f"report.moved = {report.moved}, expected ['in/a', 'in/c']"
    assert exists(s3, "in/b") and exists(s3, "out/b"), "in/b must still exist at both places"


BAD_MOVES = {
    "empty source": ("", "out/"),
    "a lone slash": ("/", "out/"),
    "empty destination": ("in/", ""),
    "destination equals source": ("in", "in/"),
    "destination inside source": ("in/", "in/sub/"),
}


@pytest.mark.parametrize("src,dst", BAD_MOVES.values(), ids=BAD_MOVES.keys())
def test_unsafe_prefixes_are_refused_and_nothing_moves(s3, src, dst):
    seed_keys(s3, ["in/a", "in/sub/b"])
    with pytest.raises(ValueError):
        move_prefix(s3, BUCKET, src, dst)
    assert all_keys(s3) == ["in/a", "in/sub/b"], f"move_prefix({src!r}, {dst!r}) changed the bucket: {all_keys(s3)}"
