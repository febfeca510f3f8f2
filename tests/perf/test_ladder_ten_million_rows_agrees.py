"""Every rung of the ten-million-rows ladder gives the reference's table (the ladder script only times them)."""
import pytest

import data_gen
from dojo import impl

REFERENCE = impl.load_reference("day3.pandas.ten_million_rows")
RUNGS = {                   # name -> (loader, pipeline)
    "rowwise": ("load_orders", "ladder_rowwise"),
    "pandas_plain": ("ladder_pandas_plain_load", "ladder_pandas_plain"),
    "polars": ("ladder_polars_load", "ladder_polars"),
    "duckdb": ("load_orders", "ladder_duckdb"),
}
TRICKY = """order_id,user_id,order_ts,region,amount
1,1,2023-12-31T23:59:59,west,
1,1,2024-01-01T00:04:00,west,80.00
2,1,2024-01-01T00:00:00,west,10.00
3,2,2024-01-15T10:00:00,east,
4,3,2024-01-15T10:00:00,east,1.00
4,3,2024-01-15T10:00:00,east,1.00
5,3,2024-02-01T00:00:00,central,2.00
6,1,2024-02-10T00:00:00,central,3.00
"""


def table(frame):
    return [(str(r.region), str(r.month), round(float(r.total_amount), 2), int(r.orders)) for r in frame.itertuples()]


@pytest.fixture(scope="module", params=["tricky", "generated"])
def path(request, tmp_path_factory):
    """A hand-made file (the first of a pair lacks the amount; a user with none known) and a generated
    one where most users have one order, so the global-median fallback is common."""
    target = tmp_path_factory.mktemp("ladder") / "orders.csv"
    if request.param == "tricky":
        target.write_text(TRICKY)
    else:
        data_gen.generate("orders_raw", target, rows=6000, seed=2, users=5000)
    return target


@pytest.mark.parametrize("rung", RUNGS)
def test_every_rung_gives_the_reference_table(path, rung):
    loader, pipeline = (getattr(REFERENCE, name) for name in RUNGS[rung])
    frame = REFERENCE.load_orders(path)
    want = table(REFERENCE.monthly_sales(REFERENCE.impute_amounts(REFERENCE.dedupe(frame))))
    got = table(pipeline(loader(path)))
    assert [g[:2] + g[3:] for g in got] == [w[:2] + w[3:] for w in want], f"{rung} groups differ"
    assert all(abs(g[2] - w[2]) <= 0.01 + 1e-9 for g, w in zip(got, want)), f"{rung} totals differ by more than a cent"
