"""Moving 1 TB to S3: multipart upload settings, a resumable upload, and the transfer options priced.

Interviewers ask "what are the options to transfer 1 TB from an on-premise server to S3?" and
listen for two things. The arithmetic first: 1 TB over 100 Mbit/s is about a day, over 10 Mbit/s
about twelve days, so the link decides between the network and a Snowball device. Then the
mechanics of doing it over the network: one PUT stops at 5 GB, so a big file goes up as a
multipart upload, in parts that respect S3's limits, several at a time, and a failed part is
retried on its own instead of starting the terabyte again.

    plan = plan_upload(10**12)                 # 1 TB with S3's real limits
    # UploadPlan(file_size=10**12, part_size=100_000_000, part_count=10_000, concurrency=5)
    try:
        upload_file(s3, "archive", "dump.bin", "/data/dump.bin", plan)
    except UploadFailed as failure:            # part 3 hit a network error; parts 1, 2, 4... are in S3
        upload_file(s3, "archive", "dump.bin", "/data/dump.bin", plan, upload_id=failure.upload_id)
        # UploadResult(etag='"...-10000"', upload_id=..., uploaded=[3], reused=[1, 2, 4, ..., 10000])

    recommend(10**12, bandwidth_mbps=10, deadline_hours=168).name          # 'snowball'

Requirements: the multipart upload
- S3's limits are a PartLimits: every part but the last at least 5 MiB, a part at most 5 GiB, at
  most 10,000 parts, an object at most 5 TiB (S3_LIMITS). Every function takes `limits` so the
  tests can run the same logic on a small file with the limits scaled down (never a real 1 TB).
- `plan_upload(file_size, *, preferred_part_size=8 MiB, max_concurrency=10, memory_budget=512 MiB,
  limits=S3_LIMITS)` returns an UploadPlan. part_size is the smallest size that is at least
  preferred_part_size and keeps part_count within limits.max_parts; part_count = file size / part
  size rounded up (the last part holds the rest, and may be smaller than the minimum). Each part in
  flight is a buffer in memory, so concurrency = min(max_concurrency, part_count, memory_budget //
  part_size), at least 1. ValueError when file_size is under 1 byte or over max_object_size, when
  preferred_part_size is outside min_part_size..max_part_size, or when the part size needed is over
  max_part_size.
- `upload_file(s3, bucket, key, path, plan, upload_id=None)` uploads the file at `path` (its size
  must be plan.file_size, else ValueError before any call) as plan.part_count parts: part n
  (numbered from 1) is the bytes from (n - 1) x part_size, at most part_size of them, read from
  the file when that part is sent (never the whole file in memory). Without upload_id it calls
  create_multipart_upload; with one, it RESUMES: it asks S3 which parts it already holds with
  list_parts (every page: a page holds at most 1,000 parts, fewer if MaxParts says so) and uploads
  only the others. Parts go up with upload_part, plan.concurrency of them at a time (threads).
  When any part fails (any exception), the other parts are still sent, the upload is NOT aborted
  (its parts are what a resume reuses) and UploadFailed(upload_id, {part number: error text})
  is raised after all parts were tried. Otherwise complete_multipart_upload gets every part (held
  before and sent now), with its ETag, in part-number order, and the result is an UploadResult:
  the ETag complete answered, the upload id, `uploaded` (part numbers sent by this call, sorted)
  and `reused` (part numbers S3 already held, sorted).

Requirements: the transfer calculator (figures in TRANSFER_FIGURES, dated FIGURES_AS_OF)
- Sizes are bytes; a bandwidth in Mbit/s is 10**6 bits a second; AWS prices a GB as 2**30 bytes.
- `transfer_options(size_bytes, bandwidth_mbps, figures=TRANSFER_FIGURES)` returns four
  TransferOption(name, hours, cost), in this order, hours and cost exact Decimals:
    "internet"               size x 8 bits over bandwidth x network_efficiency; data into S3 is free
    "transfer_acceleration"  the same link at acceleration_efficiency; acceleration_per_gb x GB
    "datasync"               the same link at datasync_efficiency; datasync_per_gb x GB
    "snowball"               devices = size / snowball_capacity_bytes rounded up, cost devices x
                             snowball_job_fee; hours = 24 x (snowball_ship_days x 2 +
                             snowball_ingest_days) + the local copy: size x 8 bits over
                             snowball_copy_mbps (one local network, shared by the devices)
  ValueError when size_bytes or bandwidth_mbps is not positive.
- `recommend(size_bytes, bandwidth_mbps, deadline_hours, figures=TRANSFER_FIGURES)` returns the
  cheapest option finishing within the deadline (hours <= deadline_hours); among equal costs the
  faster one; None when none fits.
"""
from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

KiB, MiB, GiB, TiB = 2**10, 2**20, 2**30, 2**40


@dataclass(frozen=True)
class PartLimits:
    min_part_size: int = 5 * MiB        # every part except the last
    max_part_size: int = 5 * GiB
    max_parts: int = 10_000
    max_object_size: int = 5 * TiB


S3_LIMITS = PartLimits()


@dataclass(frozen=True)
class UploadPlan:
    file_size: int
    part_size: int
    part_count: int
    concurrency: int


@dataclass(frozen=True)
class UploadResult:
    etag: str
    upload_id: str
    uploaded: list[int]
    reused: list[int]


class UploadFailed(RuntimeError):
    """Some parts failed; the upload is left open so that upload_file(..., upload_id=...) resumes it."""

    def __init__(self, upload_id: str, failed: dict[int, str]):
        super().__init__(f"upload {upload_id}: parts {sorted(failed)} failed; resume with this upload id")
        self.upload_id = upload_id
        self.failed = failed


FIGURES_AS_OF = "2026-12-05"   # written from the published us-east-1 prices, offline: check before quoting


@dataclass(frozen=True)
class TransferFigures:
    # published prices, us-east-1
    acceleration_per_gb: Decimal = Decimal("0.04")     # S3 Transfer Acceleration, US/EU/JP edges
    datasync_per_gb: Decimal = Decimal("0.0125")       # DataSync, per GB copied
    snowball_job_fee: Decimal = Decimal(300)            # Snowball Edge Storage Optimized, 10 days on site
    snowball_capacity_bytes: int = 80 * 10**12          # 80 TB usable
    # assumptions, not prices: change them to your network and your courier
    network_efficiency: Decimal = Decimal("0.8")       # share of the link a parallel multipart upload keeps
    acceleration_efficiency: Decimal = Decimal("0.95")  # edge locations cut loss on long paths; never past the link
    datasync_efficiency: Decimal = Decimal("0.9")      # parallel streams, verification, retries built in
    snowball_ship_days: Decimal = Decimal(2)            # each way
    snowball_ingest_days: Decimal = Decimal(2)          # AWS copying the device into S3
    snowball_copy_mbps: Decimal = Decimal(2000)         # local copy onto the device (10 GbE, realistic)


TRANSFER_FIGURES = TransferFigures()


@dataclass(frozen=True)
class TransferOption:
    name: str
    hours: Decimal
    cost: Decimal


def plan_upload(file_size: int, *, preferred_part_size: int = 8 * MiB, max_concurrency: int = 10,
                memory_budget: int = 512 * MiB, limits: PartLimits = S3_LIMITS) -> UploadPlan:
    """The smallest part size at or over the preferred one that keeps within max_parts."""
    if not 1 <= file_size <= limits.max_object_size:
        raise ValueError(f"file size {file_size} is outside 1..{limits.max_object_size} bytes")
    if not limits.min_part_size <= preferred_part_size <= limits.max_part_size:
        raise ValueError(f"preferred part size {preferred_part_size} is outside "
                         f"{limits.min_part_size}..{limits.max_part_size}")
    part_size = max(preferred_part_size, -(-file_size // limits.max_parts))
    if part_size > limits.max_part_size:
        raise ValueError(f"{file_size} bytes need parts of {part_size}, over {limits.max_part_size}")
    part_count = -(-file_size // part_size)
    concurrency = max(1, min(max_concurrency, part_count, memory_budget // part_size))
    return UploadPlan(file_size, part_size, part_count, concurrency)


def _parts_held(s3: Any, bucket: str, key: str, upload_id: str) -> dict[int, str]:
    """Part number -> ETag of every part S3 already holds, over all pages."""
    held: dict[int, str] = {}
    for page in s3.get_paginator("list_parts").paginate(Bucket=bucket, Key=key, UploadId=upload_id):
        held.update((part["PartNumber"], part["ETag"]) for part in page.get("Parts", []))
    return held


def _read_part(path: str, plan: UploadPlan, number: int) -> bytes:
    offset = (number - 1) * plan.part_size
    with open(path, "rb") as source:
        source.seek(offset)
        return source.read(min(plan.part_size, plan.file_size - offset))


def upload_file(s3: Any, bucket: str, key: str, path: str, plan: UploadPlan,
                upload_id: str | None = None) -> UploadResult:
    """Upload the missing parts, plan.concurrency at a time; complete, or raise UploadFailed."""
    if os.path.getsize(path) != plan.file_size:
        raise ValueError(f"{path} holds {os.path.getsize(path)} bytes, the plan is for {plan.file_size}")
    if upload_id is None:
        upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        held: dict[int, str] = {}
    else:
        held = _parts_held(s3, bucket, key, upload_id)
    missing = [n for n in range(1, plan.part_count + 1) if n not in held]

    def send(number: int) -> str:
        body = _read_part(path, plan, number)      # read in the worker: at most `concurrency` parts in memory
        return s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=body)["ETag"]

    etags, failed = dict(held), {}
    with ThreadPoolExecutor(max_workers=plan.concurrency) as pool:
        futures = {pool.submit(send, number): number for number in missing}
        for future in as_completed(futures):
            try:
                etags[futures[future]] = future.result()
            except Exception as exc:               # noqa: BLE001 - any failure leaves the part to a resume
                failed[futures[future]] = f"{type(exc).__name__}: {exc}"
    if failed:
        raise UploadFailed(upload_id, failed)
    parts = [{"PartNumber": n, "ETag": etags[n]} for n in sorted(etags)]
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                        MultipartUpload={"Parts": parts})
    return UploadResult(done["ETag"], upload_id, missing, sorted(held))


def _link_hours(size_bytes: int, mbps: Decimal, efficiency: Decimal) -> Decimal:
    return Decimal(size_bytes) * 8 / (Decimal(mbps) * 10**6 * efficiency) / 3600


def transfer_options(size_bytes: int, bandwidth_mbps: Decimal,
                     figures: TransferFigures = TRANSFER_FIGURES) -> list[TransferOption]:
    """Hours and dollars of the four ways in, for this size over this link."""
    if size_bytes <= 0 or bandwidth_mbps <= 0:
        raise ValueError(f"size {size_bytes} and bandwidth {bandwidth_mbps} must be positive")
    gb = Decimal(size_bytes) / GiB
    devices = math.ceil(Decimal(size_bytes) / figures.snowball_capacity_bytes)
    snowball_days = figures.snowball_ship_days * 2 + figures.snowball_ingest_days
    return [
        TransferOption("internet", _link_hours(size_bytes, bandwidth_mbps, figures.network_efficiency), Decimal(0)),
        TransferOption("transfer_acceleration",
                       _link_hours(size_bytes, bandwidth_mbps, figures.acceleration_efficiency),
                       gb * figures.acceleration_per_gb),
        TransferOption("datasync", _link_hours(size_bytes, bandwidth_mbps, figures.datasync_efficiency),
                       gb * figures.datasync_per_gb),
        TransferOption("snowball", snowball_days * 24 + _link_hours(size_bytes, figures.snowball_copy_mbps, Decimal(1)),
                       devices * figures.snowball_job_fee),
    ]


def recommend(size_bytes: int, bandwidth_mbps: Decimal, deadline_hours: Decimal,
              figures: TransferFigures = TRANSFER_FIGURES) -> TransferOption | None:
    """The cheapest option within the deadline (the faster one on a tie), or None."""
    in_time = [o for o in transfer_options(size_bytes, bandwidth_mbps, figures) if o.hours <= deadline_hours]
    return min(in_time, key=lambda o: (o.cost, o.hours), default=None)


# Why
# - Part size: S3 caps an upload at 10,000 parts, so the part size has a floor of size / 10,000
#   (100 MB for 1 TB); the default 8 MiB would need 119,210 parts and fail at part 10,001, hours
#   in. Bigger parts mean fewer requests but more to resend when one fails and more memory in
#   flight (concurrency x part size), which is why the memory budget caps concurrency.
# - Resume: the upload id is the checkpoint. list_parts is S3's own record of what arrived (all
#   pages: 1,000 parts a page), so a rerun sends only what is missing; aborting on failure would
#   throw away every good part. Abandoned uploads keep costing storage: a lifecycle rule with
#   AbortIncompleteMultipartUpload (e.g. 7 days) cleans them up. For real integrity, send a
#   ChecksumSHA256 per part and compare on resume; here a changed file is only caught by its size.
# - moto keeps S3's 5 MiB minimum for every part but the last (EntityTooSmall at complete); the
#   tests lower it with the limits, so a small file exercises the same rules.
# - The calculator: data into S3 over the internet is free; what costs is time. The bit/byte
#   factor of 8 is the classic slip. Rule of thumb: when the network needs more than about a week,
#   ship a device. Transfer Acceleration helps long, lossy paths, never beyond your own uplink;
#   DataSync is for verified, scheduled, incremental copies more than for speed. Direct Connect
#   is for recurring volume (weeks to provision), not a one-off terabyte.
