"""Tests for the parking lot kata: run `pytest katas/mock/python/test_parking_lot.py`.

Time comes from a fake clock the tests move by hand. The concurrency test releases many threads
at one barrier with cars whose fits() hands the processor to another thread (as a slow lookup
would), so a check-then-act race (two threads both see the same spot free) shows up every time
instead of once in a thousand runs.
"""
from __future__ import annotations

import math
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.python.parking_lot import (
    TARIFFS,
    AlreadyParked,
    Bus,
    Car,
    Level,
    LotFull,
    Motorcycle,
    ParkingLot,
    Spot,
    SpotSize,
    Tariff,
    Ticket,
    UnknownTicket,
)

S, C, L = SpotSize.SMALL, SpotSize.COMPACT, SpotSize.LARGE
SIZES = {"S": S, "C": C, "L": L}
KINDS = {"motorcycle": Motorcycle, "car": Car, "bus": Bus}
START = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


class FakeClock:
    """A clock that only moves when the test says so."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_lot(layout: dict[int, str], clock: FakeClock | None = None) -> ParkingLot:
    """layout {0: "SCL"} is level 0 with a SMALL, a COMPACT and a LARGE spot."""
    levels = [Level(number, [SIZES[c] for c in sizes]) for number, sizes in layout.items()]
    return ParkingLot(levels, clock=clock or FakeClock())


# -- the classes ---------------------------------------------------------------------------------

def test_a_level_holds_one_free_spot_per_size_in_position_order():
    level = Level(2, [S, L, C])
    want = [Spot(2, 0, S), Spot(2, 1, L), Spot(2, 2, C)]
    assert level.spots == want, f"Level(2, [SMALL, LARGE, COMPACT]).spots is {level.spots}, expected {want}"


FITS = {
    "motorcycle": {S: True, C: True, L: True},
    "car": {S: False, C: True, L: True},
    "bus": {S: False, C: False, L: True},
}


@pytest.mark.parametrize("kind", FITS)
def test_each_vehicle_kind_knows_which_spot_sizes_it_fits(kind):
    vehicle = KINDS[kind]("X-1")
    got = {size: vehicle.fits(size) for size in SpotSize}
    assert got == FITS[kind], f"{kind}.fits(size) gave {got}, expected {FITS[kind]}"


# -- which spot ----------------------------------------------------------------------------------

SPOT_CHOICE = {
    "a motorcycle takes a small spot, even one level up": (
        {0: "CL", 1: "S"}, ["motorcycle"], [((1, 0),)]),
    "a motorcycle takes a large spot when nothing smaller is free": (
        {0: "LL"}, ["motorcycle"], [((0, 0),)]),
    "a car skips small spots and prefers compact to large": (
        {0: "SSLC"}, ["car"], [((0, 3),)]),
    "a car takes a large spot when no compact is free": (
        {0: "SCL"}, ["car", "car"], [((0, 1),), ((0, 2),)]),
    "lowest level first, then lowest position (levels given out of order)": (
        {1: "C", 0: "LCC"}, ["car", "car", "car", "car"], [((0, 1),), ((0, 2),), ((1, 0),), ((0, 0),)]),
    "a bus takes the first three ADJACENT large spots": (
        {0: "LLCLLL"}, ["bus"], [((0, 3), (0, 4), (0, 5))]),
    "a bus run never spans two levels": (
        {0: "SLL", 1: "LLLL"}, ["bus"], [((1, 0), (1, 1), (1, 2))]),
    "a motorcycle in a large spot breaks the run the bus would have used": (
        {0: "LLLL"}, ["motorcycle", "bus"], [((0, 0),), ((0, 1), (0, 2), (0, 3))]),
}


@pytest.mark.parametrize("layout,kinds,want", SPOT_CHOICE.values(), ids=SPOT_CHOICE.keys())
def test_spots_are_chosen_smallest_size_first_then_level_then_position(layout, kinds, want):
    lot = make_lot(layout)
    got = [lot.park(KINDS[kind](f"P-{i}")).spots for i, kind in enumerate(kinds)]
    assert got == want, f"on a lot {layout}, parking {kinds} gave spots {got}, expected {want}"


# -- tickets, leaving, refusals ------------------------------------------------------------------

def test_tickets_count_up_and_record_the_entry_time_from_the_clock():
    clock = FakeClock()
    lot = make_lot({0: "CCC"}, clock)
    first = lot.park(Car("A-1"))
    clock.advance(minutes=7)
    second = lot.park(Motorcycle("B-2"))
    want = [Ticket(1, "A-1", ((0, 0),), START), Ticket(2, "B-2", ((0, 1),), START + timedelta(minutes=7))]
    assert [first, second] == want, f"two arrivals 7 minutes apart gave {[first, second]}, expected {want}"


def test_leaving_frees_the_spot_and_returns_the_fee_for_the_stay():
    clock = FakeClock()
    lot = make_lot({0: "CL"}, clock)
    ticket = lot.park(Car("A-1"))
    clock.advance(minutes=90)
    fee = lot.leave(ticket.number)
    assert fee == 500, f"a car leaving after 90 minutes paid {fee} cents, expected 500 (two started hours)"
    free = lot.free_spots()
    assert free == {S: 0, C: 1, L: 1}, f"after the only car left, free_spots() is {free}"
    again = lot.park(Car("B-2"))
    assert again.spots == ((0, 0),), f"the freed compact spot should be reused, the next car got {again.spots}"


def test_a_bus_leaving_frees_all_three_spots():
    lot = make_lot({0: "LLL"})
    ticket = lot.park(Bus("BUS-1"))
    assert lot.free_spots()[L] == 0, f"a parked bus left {lot.free_spots()[L]} large spots free, expected 0"
    lot.leave(ticket.number)
    assert lot.free_spots()[L] == 3, f"after the bus left, {lot.free_spots()[L]} large spots are free, expected 3"


def test_an_unknown_or_already_used_ticket_is_refused():
    lot = make_lot({0: "CC"})
    ticket = lot.park(Car("A-1"))
    with pytest.raises(UnknownTicket):
        lot.leave(99)
        pytest.fail("leave(99) for a ticket never issued did not raise UnknownTicket")
    lot.leave(ticket.number)
    other = lot.park(Car("B-2"))
    with pytest.raises(UnknownTicket):
        lot.leave(ticket.number)
        pytest.fail("leaving twice with the same ticket did not raise UnknownTicket")
    assert lot.free_spots()[C] == 1, f"a refused second leave must not free {other.plate}'s spot"


def test_a_plate_already_parked_is_refused_until_it_leaves():
    lot = make_lot({0: "CC"})
    ticket = lot.park(Car("A-1"))
    with pytest.raises(AlreadyParked):
        lot.park(Car("A-1"))
        pytest.fail("the same plate parked twice without leaving")
    lot.leave(ticket.number)
    again = lot.park(Car("A-1"))
    assert again.number == 2, f"after leaving, A-1 parks again with ticket 2, got ticket {again.number}"


FULL = {
    "a car when only small spots are free": ({0: "SS"}, [], "car"),
    "a car when every fitting spot is taken": ({0: "SC"}, ["car"], "car"),
    "a bus when the large spots are not adjacent": ({0: "LLCL"}, [], "bus"),
    "a motorcycle in a lot with no spot left": ({0: "S"}, ["motorcycle"], "motorcycle"),
}


@pytest.mark.parametrize("layout,before,kind", FULL.values(), ids=FULL.keys())
def test_a_full_lot_refuses_clearly_and_stays_unchanged(layout, before, kind):
    lot = make_lot(layout)
    for i, earlier in enumerate(before):
        lot.park(KINDS[earlier](f"E-{i}"))
    free_before = lot.free_spots()
    with pytest.raises(LotFull) as refused:
        lot.park(KINDS[kind]("LATE-1"))
        pytest.fail(f"parking a {kind} on a full lot {layout} did not raise LotFull")
    message = str(refused.value)
    assert kind in message and "LATE-1" in message, (
        f"LotFull said {message!r}; name the vehicle kind ({kind!r}) and the plate so the driver knows why")
    assert lot.free_spots() == free_before, f"a refused {kind} changed free_spots() from {free_before}"


def test_a_refused_arrival_uses_no_ticket_number():
    lot = make_lot({0: "LLCL"})
    with pytest.raises(LotFull):
        lot.park(Bus("BUS-1"))
    ticket = lot.park(Car("A-1"))
    assert ticket.number == 1, f"after one refused bus, the first car got ticket {ticket.number}, expected 1"


# -- fees ----------------------------------------------------------------------------------------

CAR = TARIFFS[Car]
FEES = {
    "no time at all": (timedelta(0), 0),
    "exactly the 15 free minutes": (timedelta(minutes=15), 0),
    "one second past the free period pays the first hour": (timedelta(minutes=15, seconds=1), 250),
    "exactly one hour": (timedelta(hours=1), 250),
    "a started hour counts in full": (timedelta(hours=1, minutes=1), 500),
    "the daily cap holds within the first day": (timedelta(hours=10), 2000),
    "exactly 24 hours is one day's cap": (timedelta(days=1), 2000),
    "a second day starts fresh": (timedelta(days=1, minutes=30), 2250),
    "two days and nine hours: two caps plus a capped rest": (timedelta(days=2, hours=9), 6000),
}


@pytest.mark.parametrize("stay,want", FEES.values(), ids=FEES.keys())
def test_car_fees_free_period_started_hours_and_daily_cap(stay, want):
    got = CAR.fee(stay)
    assert got == want, f"TARIFFS[Car].fee({stay}) returned {got}, expected {want} (250 cents/hour, 2000/day)"


def test_a_negative_stay_is_an_error():
    with pytest.raises(ValueError):
        CAR.fee(timedelta(minutes=-1))
        pytest.fail("Tariff.fee(-1 minute) did not raise ValueError")


KIND_FEES = {"motorcycle": ("motorcycle", 200), "car": ("car", 500), "bus": ("bus", 2000)}


@pytest.mark.parametrize("kind,want", KIND_FEES.values(), ids=KIND_FEES.keys())
def test_the_lot_charges_each_vehicle_kind_its_own_tariff(kind, want):
    clock = FakeClock()
    lot = make_lot({0: "LLL"}, clock)
    ticket = lot.park(KINDS[kind]("K-1"))
    clock.advance(hours=2)
    got = lot.leave(ticket.number)
    assert got == want, f"a {kind} leaving after 2 hours paid {got} cents, expected {want}"


def test_the_lot_uses_the_tariffs_it_is_given():
    clock = FakeClock()
    lot = ParkingLot([Level(0, [C])], clock=clock, tariffs={Car: Tariff(100, 300, free_minutes=0)})
    ticket = lot.park(Car("A-1"))
    clock.advance(minutes=1)
    got = lot.leave(ticket.number)
    assert got == 100, f"with Tariff(100, 300, free_minutes=0) one minute cost {got}, expected 100"


def fee_by_walking_hours(tariff: Tariff, stay: timedelta) -> int:
    """The slow obvious answer: charge every started hour, then cap each day's total."""
    if stay <= timedelta(minutes=tariff.free_minutes):
        return 0
    hours = math.ceil(stay.total_seconds() / 3600)
    per_day: dict[int, int] = {}
    for hour in range(hours):
        per_day[hour // 24] = per_day.get(hour // 24, 0) + tariff.hourly_cents
    return sum(min(tariff.daily_cap_cents, cents) for cents in per_day.values())


@settings(max_examples=200, deadline=None)
@given(seconds=st.integers(0, 5 * 24 * 3600), kind=st.sampled_from(list(KINDS)))
def test_fees_match_walking_the_stay_hour_by_hour(seconds, kind):
    tariff = TARIFFS[KINDS[kind]]
    stay = timedelta(seconds=seconds)
    got, want = tariff.fee(stay), fee_by_walking_hours(tariff, stay)
    assert got == want, f"TARIFFS[{kind}].fee({stay}) returned {got}, walking the hours gives {want}"


# -- many arrivals and departures: compared with a brute-force model -------------------------------

class ModelLot:
    """The rules, brute force: try every candidate placement and take the smallest by the sort key."""

    def __init__(self, layout: dict[int, str]) -> None:
        self.spots = {(level, pos): SIZES[c] for level, sizes in layout.items() for pos, c in enumerate(sizes)}
        self.taken: dict[tuple[int, int], str] = {}

    def park(self, kind: str, plate: str) -> tuple | None:
        fits = {"motorcycle": {S, C, L}, "car": {C, L}, "bus": {L}}[kind]
        need = 3 if kind == "bus" else 1
        options = []
        for (level, pos), size in self.spots.items():
            run = [(level, pos + k) for k in range(need)]
            if all(spot in self.spots and spot not in self.taken and self.spots[spot] in fits for spot in run):
                options.append(((size.value if need == 1 else 0), level, pos, tuple(run)))
        if not options:
            return None
        run = min(options)[3]
        self.taken.update(dict.fromkeys(run, plate))
        return run

    def leave(self, run: tuple) -> None:
        for spot in run:
            del self.taken[spot]


OPS = st.lists(st.one_of(st.tuples(st.just("park"), st.sampled_from(list(KINDS))),
                         st.tuples(st.just("leave"), st.integers(0, 20))), max_size=25)


@settings(max_examples=60, deadline=None)
@given(ops=OPS)
def test_any_sequence_of_arrivals_and_departures_matches_the_model(ops):
    layout = {0: "SCLLL", 1: "LCLLS"}
    lot, model = make_lot(layout), ModelLot(layout)
    parked: list[tuple[Ticket, tuple]] = []
    for i, (op, arg) in enumerate(ops):
        if op == "park":
            want = model.park(arg, f"V-{i}")
            try:
                ticket = lot.park(KINDS[arg](f"V-{i}"))
            except LotFull:
                ticket = None
            got = ticket.spots if ticket else None
            assert got == want, f"after {ops[:i]}, parking a {arg} gave {got}, the model says {want}"
            if ticket:
                parked.append((ticket, want))
        elif parked:
            ticket, run = parked.pop(arg % len(parked))
            lot.leave(ticket.number)
            model.leave(run)
    free_model = {size: sum(1 for spot, s in model.spots.items() if s is size and spot not in model.taken)
                  for size in SpotSize}
    assert lot.free_spots() == free_model, f"after {ops}, free_spots() is {lot.free_spots()}, model {free_model}"


# -- concurrent arrivals --------------------------------------------------------------------------

SPOTS, ARRIVALS, ROUNDS = 24, 40, 10


class YieldingCar(Car):
    """A car whose fits() lets other threads run in the middle of the search for a spot."""

    def fits(self, size: SpotSize) -> bool:
        time.sleep(0)                    # no waiting: only gives the other threads their turn now
        return super().fits(size)


def arrive_all_at_once(lot: ParkingLot, vehicles: list) -> list:
    """Start one thread per vehicle, release them together at a barrier, collect ticket or exception."""
    results: list = [None] * len(vehicles)
    barrier = threading.Barrier(len(vehicles))

    def arrive(i: int) -> None:
        barrier.wait()
        try:
            results[i] = lot.park(vehicles[i])
        except Exception as error:   # noqa: BLE001 - the test reports whatever came back
            results[i] = error

    threads = [threading.Thread(target=arrive, args=(i,), daemon=True) for i in range(len(vehicles))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


@pytest.mark.timeout(60)
def test_concurrent_arrivals_never_get_the_same_spot():
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)          # and switch threads as often as possible anyway
    try:
        for round_number in range(ROUNDS):
            lot = make_lot({0: "C" * (SPOTS // 2), 1: "L" * (SPOTS // 2)})
            results = arrive_all_at_once(lot, [YieldingCar(f"R{round_number}-{i}") for i in range(ARRIVALS)])
            tickets = [r for r in results if isinstance(r, Ticket)]
            refused = [r for r in results if isinstance(r, LotFull)]
            other = [r for r in results if not isinstance(r, (Ticket, LotFull))]
            taken = [spot for ticket in tickets for spot in ticket.spots]
            where = f"round {round_number}: {ARRIVALS} cars raced for {SPOTS} spots"
            assert not other, f"{where}; park() returned or raised {other[:3]}"
            assert len(taken) == len(set(taken)), (
                f"{where}; a spot was given twice: {sorted(s for s in taken if taken.count(s) > 1)[:4]}. "
                "Finding a free spot and taking it must be one step (a lock)")
            assert (len(tickets), len(refused)) == (SPOTS, ARRIVALS - SPOTS), (
                f"{where}; {len(tickets)} got tickets and {len(refused)} got LotFull, "
                f"expected {SPOTS} and {ARRIVALS - SPOTS}")
            numbers = sorted(ticket.number for ticket in tickets)
            assert numbers == list(range(1, SPOTS + 1)), f"{where}; ticket numbers were {numbers}"
    finally:
        sys.setswitchinterval(previous)
