"""Every rung of the large-files ladder gives the reference's answer (the ladder script only times them)."""
import random

import pytest

from dojo import impl

REFERENCE = impl.load_reference("day1.data.large_files")
VALIDATING = ["ladder_csv_module", "aggregate_csv", "ladder_compiled"]     # also number the bad lines
LIBRARIES = ["ladder_pandas_chunks", "ladder_pyarrow_stream", "ladder_duckdb", "ladder_polars"]

BAD_LINES = [
    "", "1,2,3", "1,2,abc,USD,completed,north,2023-01-01T00:00:00",
    "1,2,12.5,USD,completed,north,2023-01-01T00:00:00", "1,2,1.00,USD,completed,north,2023-02-30T00:00:00",
    "1,2,1.00,USD,completed,north,2023-01-01T24:00:00", "1,2,1.00,USD,completed,north,0000-01-01T00:00:00",
    "1,2,1.00,USD,completed,north,2023-01-01T00:00:00,extra", "1,2,123456789.00,USD,completed,north,2023-01-01T00:00:00",
]
ODD_BUT_GOOD = [
    "1,2,-0.50,USD,completed,north,2024-02-29T23:59:59",                   # a refund on a leap day
    "1,2,1.00,USD,completed,a-region-name-far-longer-than-thirty-two-bytes,2023-01-01T00:00:00",
    "1,2,1.00,USD,completed,north,1850-01-01T00:00:00",                   # outside the compiled window
]


@pytest.fixture(scope="module")
def clean_and_dirty(tmp_path_factory):
    import data_gen

    folder = tmp_path_factory.mktemp("ladder")
    clean = folder / "clean.csv"
    data_gen.generate("transactions", clean, rows=30_000, fmt="csv", seed=11)
    lines = clean.read_text().rstrip("\n").split("\n")
    rng = random.Random(5)
    for _ in range(200):
        lines.insert(rng.randrange(1, len(lines)), rng.choice(BAD_LINES + ODD_BUT_GOOD))
    dirty = folder / "dirty.csv"
    dirty.write_text("\n".join(lines))                # the last line has no newline
    return clean, dirty


@pytest.mark.parametrize("rung", VALIDATING)
def test_validating_rungs_agree_on_groups_and_bad_lines(clean_and_dirty, rung):
    _, dirty = clean_and_dirty
    want = REFERENCE.ladder_csv_module(dirty)
    got = getattr(REFERENCE, rung)(dirty)
    assert got.groups == want.groups, f"{rung} totals differ from the csv module's"
    assert got.bad_lines == want.bad_lines, f"{rung} numbers the bad lines differently"
    assert len(want.bad_lines) > 50


@pytest.mark.parametrize("rung", LIBRARIES)
def test_library_rungs_agree_on_a_clean_file(clean_and_dirty, rung):
    clean, _ = clean_and_dirty
    assert getattr(REFERENCE, rung)(clean) == REFERENCE.ladder_csv_module(clean).groups
