"""Tests for moving 1 TB to S3: `pytest katas/mock/aws/test_bulk_transfer.py`.

The plans are checked with S3's real limits (arithmetic only). The uploads run for real against
moto, on a file of about 100 KB with the limits scaled down (SMALL: 5 KiB minimum part, 10 parts
at most); moto is told the same 5 KiB minimum, so a part under it fails at complete as it would on
S3 with 5 MiB. A PartTrap on the client fails chosen parts once (as a dropped connection would)
and holds the first parts at a barrier: an upload that sends one part at a time never fills it.
"""
import random
import threading
from dataclasses import replace
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.services.aws import CallLog
from katas.mock.aws.bulk_transfer import (
    S3_LIMITS,
    TRANSFER_FIGURES,
    PartLimits,
    TransferFigures,
    UploadFailed,
    UploadPlan,
    plan_upload,
    recommend,
    transfer_options,
    upload_file,
)

pytestmark = pytest.mark.needs("aws")

D = Decimal
KiB, MiB, GiB, TiB = 2**10, 2**20, 2**30, 2**40
BUCKET, KEY = "archive", "dumps/db.bin"
SMALL = PartLimits(min_part_size=5 * KiB, max_part_size=5 * MiB, max_parts=10, max_object_size=50 * MiB)
FILE_SIZE = 98_765                       # 10 parts of 9,877 bytes, the last one 9,872
BARRIER_SECONDS = 15                     # only a sequential upload waits this long; wide for a loaded CI machine


# ---------------------------------------------------------------------------------------------
# plan_upload: part size and concurrency within S3's limits
# ---------------------------------------------------------------------------------------------

PLANS = {
    "1 TB: 8 MiB would need 119,210 parts, so 100 MB parts; 5 of them fit 512 MiB of memory":
        ((10**12,), {}, UploadPlan(10**12, 100_000_000, 10_000, 5)),
    "1 TiB: size / 10,000 rounded up": ((TiB,), {}, UploadPlan(TiB, 109_951_163, 10_000, 4)),
    "5 TiB, the largest object: parts of 524 MiB, one at a time within 512 MiB":
        ((5 * TiB,), {}, UploadPlan(5 * TiB, 549_755_814, 10_000, 1)),
    "100 MiB: 8 MiB parts, the last one 4 MiB": ((100 * MiB,), {}, UploadPlan(100 * MiB, 8 * MiB, 13, 10)),
    "exactly 10,000 parts of 8 MiB": ((80_000 * MiB,), {}, UploadPlan(80_000 * MiB, 8 * MiB, 10_000, 10)),
    "one byte more needs a byte more per part": ((80_000 * MiB + 1,), {},
                                                 UploadPlan(80_000 * MiB + 1, 8 * MiB + 1, 10_000, 10)),
    "one byte: one part, one at a time": ((1,), {}, UploadPlan(1, 8 * MiB, 1, 1)),
    "64 MiB parts in a 256 MiB budget: 4 at a time":
        ((10 * GiB,), {"preferred_part_size": 64 * MiB, "memory_budget": 256 * MiB}, UploadPlan(10 * GiB, 64 * MiB, 160, 4)),
    "max_concurrency caps it": ((10 * GiB,), {"max_concurrency": 3}, UploadPlan(10 * GiB, 8 * MiB, 1280, 3)),
    "a budget smaller than one part still sends one": ((10 * GiB,), {"memory_budget": MiB}, UploadPlan(10 * GiB, 8 * MiB, 1280, 1)),
    "scaled-down limits: 98,765 bytes in at most 10 parts":
        ((FILE_SIZE,), {"preferred_part_size": 8 * KiB, "max_concurrency": 4, "limits": SMALL},
         UploadPlan(FILE_SIZE, 9_877, 10, 4)),
}


@pytest.mark.parametrize("args,kwargs,want", PLANS.values(), ids=PLANS.keys())
def test_plan_upload(args, kwargs, want):
    got = plan_upload(*args, **kwargs)
    assert got == want, f"plan_upload({args[0]:,}, {kwargs}) returned {got}, expected {want}"


REFUSED_PLANS = {
    "an empty file": ((0,), {}),
    "one byte over 5 TiB": ((5 * TiB + 1,), {}),
    "preferred part under 5 MiB": ((GiB,), {"preferred_part_size": 4 * MiB}),
    "preferred part over 5 GiB": ((GiB,), {"preferred_part_size": 6 * GiB}),
    "limits where the needed part is over the maximum":
        ((50,), {"preferred_part_size": 5, "limits": PartLimits(5, 10, 3, 100)}),   # 3 parts of 17 > 10
}


@pytest.mark.parametrize("args,kwargs", REFUSED_PLANS.values(), ids=REFUSED_PLANS.keys())
def test_plan_upload_refuses_what_s3_would_refuse(args, kwargs):
    with pytest.raises(ValueError):
        got = plan_upload(*args, **kwargs)
        pytest.fail(f"plan_upload({args[0]:,}, {kwargs}) returned {got}, expected ValueError")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(size=st.integers(1, 5 * TiB), preferred=st.integers(5 * MiB, 5 * GiB),
       max_concurrency=st.integers(1, 64), budget=st.integers(1, 4 * GiB))
def test_every_plan_is_within_the_limits_and_its_parts_are_as_small_as_allowed(size, preferred, max_concurrency, budget):
    plan = plan_upload(size, preferred_part_size=preferred, max_concurrency=max_concurrency, memory_budget=budget)
    where = f"plan_upload({size:,}, preferred_part_size={preferred:,}) returned {plan}"
    assert plan.file_size == size and preferred <= plan.part_size <= S3_LIMITS.max_part_size, where
    assert plan.part_count <= S3_LIMITS.max_parts, f"{where}: more than 10,000 parts"
    assert (plan.part_count - 1) * plan.part_size < size <= plan.part_count * plan.part_size, \
        f"{where}: {plan.part_count} parts of {plan.part_size:,} do not cover exactly {size:,} bytes"
    smaller = plan.part_size - 1
    assert plan.part_size == preferred or -(-size // smaller) > S3_LIMITS.max_parts, \
        f"{where}: parts of {smaller:,} bytes would also fit in 10,000 parts"
    assert plan.concurrency == max(1, min(max_concurrency, plan.part_count, budget // plan.part_size)), \
        f"{where}: concurrency should be min(max_concurrency, parts, memory budget // part size), at least 1"


# ---------------------------------------------------------------------------------------------
# upload_file: a real multipart upload to moto, resumed after failed parts
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def s3(aws, aws_session, monkeypatch):
    """A moto S3 client with the bucket made; moto's minimum part size scaled down like SMALL."""
    monkeypatch.setattr("moto.s3.models.S3_UPLOAD_PART_MIN_SIZE", SMALL.min_part_size)
    client = aws_session.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "db.bin"
    path.write_bytes(random.Random(13).randbytes(FILE_SIZE))
    return path


def small_plan(concurrency: int = 4) -> UploadPlan:
    return UploadPlan(FILE_SIZE, 9_877, 10, concurrency)


class PartTrap:
    """Hooks on one client's UploadPart calls (they run in the caller's thread, before the request).

    Records each part tried and the size of its body; fails each part of `fail` once, as a dropped
    connection would; counts parts in flight; holds the first `together` parts at a barrier until
    that many are in flight at once.
    """

    def __init__(self, s3, fail=(), together: int = 0):
        self.fail, self.together = set(fail), together
        self.lock, self.arrivals, self.in_flight, self.peak = threading.Lock(), 0, 0, 0
        self.barrier = threading.Barrier(together, timeout=BARRIER_SECONDS) if together > 1 else None
        self.filled, self.tried, self.sizes = False, [], {}
        s3.meta.events.register("before-parameter-build.s3.UploadPart", self._before)
        s3.meta.events.register("after-call.s3.UploadPart", self._after)

    def _before(self, params, **_):
        number = params["PartNumber"]
        with self.lock:
            self.tried.append(number)
            self.sizes[number] = body_size(params["Body"])
            if number in self.fail:
                self.fail.discard(number)
                raise EndpointConnectionError(endpoint_url=f"https://{BUCKET}.s3.amazonaws.com (part {number})")
            self.arrivals += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            wait = self.barrier is not None and self.arrivals <= self.together
        if wait:
            try:
                self.barrier.wait()
                self.filled = True
            except threading.BrokenBarrierError:
                pass

    def _after(self, **_):
        with self.lock:
            self.in_flight -= 1


def body_size(body) -> int:
    """Bytes in a part's body: botocore may have wrapped the bytes in a file-like object by now."""
    if isinstance(body, bytes | bytearray):
        return len(body)
    position = body.tell()
    size = body.seek(0, 2) - position
    body.seek(position)
    return size


def sent_parts(log: CallLog) -> list[int]:
    return sorted(params["PartNumber"] for params in log.named("UploadPart"))


def open_uploads(s3) -> list[str]:
    return [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])]


def object_bytes(s3) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read()


def test_a_file_goes_up_in_parts_several_at_a_time(s3, source):
    trap = PartTrap(s3, together=4)
    result = upload_file(s3, BUCKET, KEY, str(source), small_plan(concurrency=4))
    assert object_bytes(s3) == source.read_bytes(), "the object in S3 differs from the file"
    assert result.etag.strip('"').endswith("-10"), f"the ETag is {result.etag}: expected a multipart ETag of 10 parts"
    assert (result.uploaded, result.reused) == (list(range(1, 11)), []), \
        f"uploaded, reused = {result.uploaded}, {result.reused}, expected parts 1-10 sent, none reused"
    sizes = [trap.sizes[number] for number in sorted(trap.sizes)]
    assert sizes == [9_877] * 9 + [9_872], f"the parts sent had sizes {sizes}, expected nine of 9,877 and the rest"
    assert trap.filled, f"4 parts were never in flight at once (concurrency=4): send them from {4} threads"
    assert trap.peak <= 4, f"{trap.peak} parts were in flight at once, over the plan's concurrency of 4"
    assert open_uploads(s3) == [], "the multipart upload is still open after a successful upload"


def test_a_failed_part_leaves_the_upload_open_and_a_resume_sends_only_that_part(s3, source):
    plan = small_plan()
    first = PartTrap(s3, fail={3, 7})
    with pytest.raises(UploadFailed) as failure:
        got = upload_file(s3, BUCKET, KEY, str(source), plan)
        pytest.fail(f"upload_file with parts 3 and 7 failing returned {got}, expected UploadFailed")
    upload_id = failure.value.upload_id
    assert sorted(failure.value.failed) == [3, 7], f"UploadFailed.failed is {failure.value.failed}, expected parts 3 and 7"
    assert sorted(first.tried) == list(range(1, 11)), \
        f"the first call tried parts {sorted(first.tried)}: the other parts must still be sent when one fails"
    assert open_uploads(s3) == [upload_id], \
        f"open uploads are {open_uploads(s3)}, expected {upload_id!r} still open: aborting throws the good parts away"
    with pytest.raises(ClientError):
        s3.head_object(Bucket=BUCKET, Key=KEY)
        pytest.fail("the object exists although two parts failed: complete only when every part is in")

    second = CallLog(s3)
    result = upload_file(s3, BUCKET, KEY, str(source), plan, upload_id=upload_id)
    assert sent_parts(second) == [3, 7], f"the resume sent parts {sent_parts(second)}, expected only 3 and 7"
    assert second.named("CreateMultipartUpload") == [], "the resume started a new upload instead of using upload_id"
    assert (result.uploaded, result.reused) == ([3, 7], [1, 2, 4, 5, 6, 8, 9, 10]), \
        f"uploaded, reused = {result.uploaded}, {result.reused}"
    assert object_bytes(s3) == source.read_bytes(), "the resumed upload put different bytes together"
    assert open_uploads(s3) == [], "the upload is still open after the resume completed it"


def test_a_resume_reads_every_page_of_list_parts(s3, source):
    s3.meta.events.register("before-parameter-build.s3.ListParts",
                            lambda params, **_: params.setdefault("MaxParts", 2))   # 5 pages of 2 parts
    plan = small_plan()
    PartTrap(s3, fail={9})
    with pytest.raises(UploadFailed) as failure:
        upload_file(s3, BUCKET, KEY, str(source), plan)
    log = CallLog(s3)
    result = upload_file(s3, BUCKET, KEY, str(source), plan, upload_id=failure.value.upload_id)
    assert sent_parts(log) == [9], (f"the resume sent parts {sent_parts(log)}, expected only 9: S3 answered "
                                    "list_parts 2 parts a page, use the list_parts paginator")
    assert object_bytes(s3) == source.read_bytes(), "the resumed object differs from the file"
    assert result.reused == [1, 2, 3, 4, 5, 6, 7, 8, 10], f"reused = {result.reused}"


def test_a_file_of_another_size_than_the_plan_is_refused_before_any_call(s3, source):
    log = CallLog(s3)
    with pytest.raises(ValueError):
        got = upload_file(s3, BUCKET, KEY, str(source), replace(small_plan(), file_size=FILE_SIZE + 1))
        pytest.fail(f"upload_file with a plan for another size returned {got}, expected ValueError")
    assert log.calls == [], f"upload_file called {[name for name, _ in log.calls]} before refusing"


# ---------------------------------------------------------------------------------------------
# The transfer calculator
# ---------------------------------------------------------------------------------------------

# Round figures of the tests' own, so the arithmetic can be followed by hand.
ROUND = TransferFigures(acceleration_per_gb=D("0.04"), datasync_per_gb=D("0.01"), snowball_job_fee=D(300),
                        snowball_capacity_bytes=80 * 10**12, network_efficiency=D("0.5"),
                        acceleration_efficiency=D(1), datasync_efficiency=D("0.8"), snowball_ship_days=D(2),
                        snowball_ingest_days=D(1), snowball_copy_mbps=D(1000))
GB_450 = 450 * 10**9          # 3.6e12 bits; 419.095... GB as AWS counts them (2**30 bytes)

OPTIONS = {
    "450 GB over 100 Mbit/s": (GB_450, 100, [
        ("internet", D(20), D(0)),                                         # 3.6e12 / (1e8 x 0.5) s
        ("transfer_acceleration", D(10), D("16.7638063430786133")),        # 419.095 GB x 0.04
        ("datasync", D("12.5"), D("4.19095158576965332")),                 # 3.6e12 / 8e7 s; 419.095 GB x 0.01
        ("snowball", D(121), D(300)),                                      # 24 x (2 x 2 + 1) + 1 h of copy
    ]),
    "exactly 80 TB fits one Snowball": (80 * 10**12, 1000, [
        ("internet", D("355.5555555555555556"), D(0)),
        ("transfer_acceleration", D("177.7777777777777778"), D("2980.23223876953125")),
        ("datasync", D("222.2222222222222222"), D("745.058059692382813")),
        ("snowball", D("297.7777777777777778"), D(300)),                   # 120 h + 6.4e14 / 1e9 s
    ]),
}


@pytest.mark.parametrize("size,mbps,want", OPTIONS.values(), ids=OPTIONS.keys())
def test_transfer_options(size, mbps, want):
    got = transfer_options(size, D(mbps), ROUND)
    names = [option.name for option in got]
    assert names == [name for name, _, _ in want], f"transfer_options returned the options {names}"
    for option, (name, hours, cost) in zip(got, want):
        assert isinstance(option.hours, Decimal) and abs(option.hours - hours) < D("0.000001"), \
            f"transfer_options({size:,}, {mbps}): {name} takes {option.hours!r} h, expected {hours}"
        assert isinstance(option.cost, Decimal) and abs(option.cost - cost) < D("0.000001"), \
            f"transfer_options({size:,}, {mbps}): {name} costs {option.cost!r}, expected {cost}"


@pytest.mark.parametrize("size,devices", [(80 * 10**12 + 1, 2), (200 * 10**12, 3)], ids=["80 TB and a byte", "200 TB"])
def test_snowball_devices_are_counted_by_capacity(size, devices):
    snowball = transfer_options(size, D(1000), ROUND)[3]
    assert snowball.cost == devices * D(300), f"{size:,} bytes by Snowball cost {snowball.cost}, expected {devices} x $300"


@pytest.mark.parametrize("size,mbps", [(0, 100), (10**12, 0), (-1, 100), (10**12, -5)])
def test_transfer_options_refuses_sizes_and_bandwidths_that_are_not_positive(size, mbps):
    with pytest.raises(ValueError):
        got = transfer_options(size, D(mbps))
        pytest.fail(f"transfer_options({size}, {mbps}) returned {got}, expected ValueError")


TB = 10**12
RECOMMENDATIONS = {
    "1 TB, 100 Mbit/s, 2 days: the internet (27.8 h, free)": (TB, 100, 48, TRANSFER_FIGURES, "internet"),
    "1 TB, 100 Mbit/s, 26 h: DataSync (24.7 h) is cheaper than acceleration":
        (TB, 100, 26, TRANSFER_FIGURES, "datasync"),
    "1 TB, 100 Mbit/s, 24 h: only acceleration (23.4 h) makes it": (TB, 100, 24, TRANSFER_FIGURES, "transfer_acceleration"),
    "1 TB, 10 Mbit/s, a week: Snowball (6 days) beats 11.6 days of network": (TB, 10, 168, TRANSFER_FIGURES, "snowball"),
    "1 TB, 10 Mbit/s, 3 days: nothing makes it": (TB, 10, 72, TRANSFER_FIGURES, None),
    "a deadline equal to the time still makes it": (GB_450, 100, 20, ROUND, "internet"),
    "equal costs: the faster one": (GB_450, 100, 1000, replace(ROUND, acceleration_per_gb=D(0), datasync_per_gb=D(0)),
                                    "transfer_acceleration"),
}


@pytest.mark.parametrize("size,mbps,deadline,figures,want", RECOMMENDATIONS.values(), ids=RECOMMENDATIONS.keys())
def test_recommend_the_cheapest_option_within_the_deadline(size, mbps, deadline, figures, want):
    got = recommend(size, D(mbps), D(deadline), figures)
    name = None if got is None else got.name
    assert name == want, f"recommend({size:,}, {mbps} Mbit/s, {deadline} h) returned {got}, expected {want}"
