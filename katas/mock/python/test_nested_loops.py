"""Tests for the nested-loops kata: run `pytest katas/mock/python/test_nested_loops.py`.

Correctness is judged against the given slow version (named cases, then a hypothesis property on
small inputs full of collisions); speed by two complexity guards the given version cannot pass; the
benchmark (`pytest -m perf --benchmark-enable`) races your match_payments against the reference and
the given version.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.bench import CONTENDERS, race
from dojo.guards import within_time_limit
from katas.mock.python.nested_loops import Order, Payment, match_payments, match_payments_slow

GUARD_TIMEOUT_S = 4         # reference: about 0.2 s per guard, input included; the given version: 30 s and 80 s
HOUR = 3600


def o(order_id: int, placed_at: int, customer_id: int = 7, amount_cents: int = 1999) -> Order:
    return Order(order_id, customer_id, amount_cents, placed_at)


def p(payment_id: int, paid_at: int, customer_id: int = 7, amount_cents: int = 1999) -> Payment:
    return Payment(payment_id, customer_id, amount_cents, paid_at)


def check_against_the_given_version(orders: list[Order], payments: list[Payment], window: int) -> None:
    """Your answer must be the given version's answer, with the same order of keys and of lists."""
    want = match_payments_slow(orders, payments, window)
    got = match_payments(list(orders), list(payments), window)
    assert list(got.items()) == list(want.items()), (
        f"match_payments({orders}, {payments}, window={window}) returned {got}; "
        f"the given version returns {want} (keys in the order of orders, ids in the order of payments)")


CASES = {
    "no orders": ([], [p(10, 100)], HOUR),
    "no payments: every order maps to []": ([o(1, 100), o(2, 200)], [], HOUR),
    "the docstring's example": ([o(1, 1000)], [p(10, 1500), p(11, 999), p(12, 1200, customer_id=8), p(13, 1100)],
                                HOUR),
    "paid exactly when placed, and exactly at the end of the window": ([o(1, 1000)], [p(10, 1000), p(11, 1000 + HOUR)],
                                                                       HOUR),
    "one second late is out": ([o(1, 1000)], [p(10, 1001 + HOUR), p(11, 999)], HOUR),
    "window 0 keeps only the same second": ([o(1, 1000)], [p(10, 1000), p(11, 1001)], 0),
    "same customer, other amount": ([o(1, 1000)], [p(10, 1500, amount_cents=2000)], HOUR),
    "same amount, other customer": ([o(1, 1000)], [p(10, 1500, customer_id=8)], HOUR),
    "ids come in the order of payments, not by time": ([o(1, 1000)], [p(12, 3000), p(10, 1000), p(11, 2000)], HOUR),
    "a payment id given twice is listed twice": ([o(1, 1000)], [p(10, 1200), p(10, 1300)], HOUR),
    "one payment matches two orders": ([o(1, 1000), o(2, 1500)], [p(10, 1600)], HOUR),
    "keys come in the order of orders": ([o(3, 50), o(1, 10), o(2, 30)], [p(10, 40)], HOUR),
    "several customers and amounts interleaved": (
        [o(1, 100, 1, 500), o(2, 100, 2, 500), o(3, 100, 1, 700)],
        [p(10, 150, 2, 500), p(11, 150, 1, 700), p(12, 150, 1, 500), p(13, 150, 1, 700)], HOUR),
}


@pytest.mark.parametrize("orders,payments,window", CASES.values(), ids=CASES.keys())
def test_match_payments_gives_the_answer_of_the_given_version(orders, payments, window):
    check_against_the_given_version(orders, payments, window)


def test_the_inputs_are_left_as_they_were():
    orders = [o(2, 500), o(1, 100)]
    payments = [p(12, 900), p(10, 150), p(11, 560)]
    before = (list(orders), list(payments))
    match_payments(orders, payments, HOUR)
    assert (orders, payments) == before, (
        f"match_payments changed its arguments: orders {before[0]} became {orders}, payments {before[1]} became "
        f"{payments}; sort copies, never the caller's lists")


ORDERS = st.lists(st.tuples(st.integers(1, 3), st.sampled_from([100, 200]),
                            st.integers(0, 40)), max_size=12)
PAYMENTS = st.lists(st.builds(Payment, st.integers(1, 8), st.integers(1, 3), st.sampled_from([100, 200]),
                              st.integers(0, 60)), max_size=15)


@settings(max_examples=80, deadline=None)
@given(order_fields=ORDERS, payments=PAYMENTS, window=st.integers(0, 25))
def test_match_payments_equals_the_given_version_on_random_small_inputs(order_fields, payments, window):
    orders = [Order(order_id, c, a, t) for order_id, (c, a, t) in enumerate(order_fields, start=1)]
    check_against_the_given_version(orders, payments, window)


# -- complexity guards: the given version needs minutes for these ----------------------------------------


def many_customers(n: int, seed: int) -> tuple[list[Order], list[Payment]]:
    """n orders and n payments of 20,000 customers; about half the orders are paid in time."""
    rng = random.Random(seed)
    orders = [Order(i, rng.randrange(20_000), rng.randrange(100, 20_000, 100), rng.randrange(30 * 86_400))
              for i in range(n)]
    payments = []
    for i in range(n):
        order = orders[rng.randrange(n)]
        late = rng.choice([0, 0, 2 * HOUR])                   # a third of them outside the window
        payments.append(Payment(100_000 + i, order.customer_id, order.amount_cents,
                                order.placed_at + late + rng.randrange(HOUR)))
    return orders, payments


def one_hot_key(n: int, seed: int) -> tuple[list[Order], list[Payment]]:
    """A subscription: one customer, one amount, an order every 5 minutes, each paid within 10 minutes."""
    rng = random.Random(seed)
    orders = [Order(i, 42, 999, i * 300) for i in range(n)]
    payments = [Payment(100_000 + i, 42, 999, i * 300 + rng.randrange(600)) for i in range(n)]
    rng.shuffle(payments)                                   # the payments arrive out of time order
    return orders, payments


def spot_check(got: dict[int, list[int]], orders: list[Order], payments: list[Payment], window: int) -> None:
    """Every order has an entry, and 20 of them agree with the given version."""
    assert list(got) == [order.order_id for order in orders], (
        f"match_payments returned {len(got)} keys for {len(orders)} orders, or not in the order of orders")
    for order in orders[:: max(1, len(orders) // 20)]:
        want = match_payments_slow([order], payments, window)[order.order_id]
        assert got[order.order_id] == want, f"order {order} got payments {got[order.order_id]}, expected {want}"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_fifty_thousand_orders_and_payments_finish_in_time():
    orders, payments = many_customers(50_000, seed=3)
    got = within_time_limit(lambda: match_payments(orders, payments, HOUR),
                            "match_payments(50,000 orders, 50,000 payments)")
    spot_check(got, orders, payments, HOUR)


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_one_customer_paying_the_same_amount_all_day_finishes_in_time():
    orders, payments = one_hot_key(20_000, seed=5)
    got = within_time_limit(lambda: match_payments(orders, payments, 600),
                            "match_payments(20,000 orders and payments of ONE customer and amount)")
    spot_check(got, orders, payments, 600)


# -- benchmark ---------------------------------------------------------------------------------------------


@pytest.mark.perf
@pytest.mark.timeout(600)
@pytest.mark.parametrize("contender", CONTENDERS)
def test_benchmark_match_payments(benchmark, contender):
    orders, payments = many_customers(4000, seed=9)
    race(benchmark, "mock.python.nested_loops", "match_payments", contender, match_payments_slow,
         orders, payments, HOUR)
