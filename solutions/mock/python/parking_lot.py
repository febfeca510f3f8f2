"""Parking lot: classes for levels, spots, vehicles, tickets and fees, safe under concurrent arrivals.

"Implement a class-based solution for a parking lot management system" is the classic OOP design
question. The interviewer listens for clear responsibilities (who knows what fits where, who
prices a stay), polymorphism instead of `if kind == "bus"` chains, an injected clock so fees can
be tested, and what happens when two cars reach the last free spot at the same moment.

    lot = ParkingLot([Level(0, [SpotSize.SMALL, SpotSize.COMPACT, SpotSize.LARGE])], clock=clock)
    ticket = lot.park(Car("KA-123"))   # Ticket(number=1, plate="KA-123", spots=((0, 1),), entered_at=...)
    lot.free_spots()                   # {SpotSize.SMALL: 1, SpotSize.COMPACT: 0, SpotSize.LARGE: 1}
    lot.leave(ticket.number)           # 250: the fee in cents, one started hour for a car
    lot.park(Bus("BUS-1"))             # raises LotFull("no free spot for a bus (BUS-1)")

Requirements
- Spot sizes, small to large: SpotSize.SMALL, SpotSize.COMPACT, SpotSize.LARGE (given).
- `Level(number, sizes)` holds one Spot per size, in order: `level.spots[i]` is
  `Spot(level=number, position=i, size=sizes[i])`, free (its `plate` is None).
- Vehicles are classes with a `plate` and a `fits(size) -> bool` method: a Motorcycle fits any
  spot; a Car fits a COMPACT or a LARGE spot; a Bus fits only LARGE spots and needs BUS_LENGTH (3)
  of them side by side: free LARGE spots at positions p, p+1, p+2 of ONE level.
- Which spot: the smallest size that fits comes first (big spots stay free for big vehicles), then
  the lowest level number, then the lowest position. A bus takes the first run of BUS_LENGTH
  adjacent free LARGE spots by (level number, position).
- `park(vehicle) -> Ticket`: marks the spots taken (their `plate` is the vehicle's) and returns a
  Ticket whose `number` counts 1, 2, 3... in the order tickets are issued, `spots` are the
  (level number, position) pairs taken in position order, and `entered_at` is the clock's reading.
  A plate that is already parked raises AlreadyParked. When nothing fits, LotFull is raised with a
  message naming the vehicle kind in lower case and the plate, and the lot is left unchanged.
- `leave(ticket_number) -> int` frees the ticket's spots and returns its fee in integer cents, for
  the stay from `entered_at` to the clock's reading now. An unknown ticket number, or one already
  used, raises UnknownTicket.
- `free_spots() -> dict[SpotSize, int]`: the number of free spots of every size (all three keys).
- Fees, per vehicle kind (`TARIFFS`, integer cents): a stay of at most `free_minutes` (15) is free.
  Any longer stay is charged whole, from the first minute: each started hour costs `hourly_cents`,
  and each 24-hour day from entry costs at most `daily_cap_cents`:
      fee = full_days * daily_cap_cents + min(daily_cap_cents, started_hours_of_the_rest * hourly_cents)
  where full_days = stay // 24h and the rest is what remains. `Tariff.fee(stay)` computes it; a
  negative stay raises ValueError.
- Thread safe: `park` and `leave` may be called from many threads at once. No spot is ever given
  to two vehicles, no ticket number is issued twice, and when more vehicles arrive than fit,
  exactly the surplus get LotFull.
"""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum

BUS_LENGTH = 3
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


class SpotSize(Enum):
    SMALL = 1
    COMPACT = 2
    LARGE = 3


class LotFull(Exception):
    """No free spot (or run of spots) fits the arriving vehicle."""


class AlreadyParked(ValueError):
    """The plate is already in the lot."""


class UnknownTicket(LookupError):
    """The ticket number was never issued, or the vehicle has already left."""


@dataclass
class Spot:
    level: int
    position: int
    size: SpotSize
    plate: str | None = None


class Level:
    """One floor: its spots, in position order."""

    def __init__(self, number: int, sizes: Sequence[SpotSize]) -> None:
        self.number = number
        self.spots = [Spot(number, position, size) for position, size in enumerate(sizes)]


class Vehicle(ABC):
    """A vehicle knows which spot sizes it fits; the lot decides which spots it gets."""

    spots_needed = 1

    def __init__(self, plate: str) -> None:
        self.plate = plate

    @abstractmethod
    def fits(self, size: SpotSize) -> bool:
        """Can this vehicle use a spot of this size?"""

    @property
    def kind(self) -> str:
        return type(self).__name__.lower()


class Motorcycle(Vehicle):
    def fits(self, size: SpotSize) -> bool:
        return True


class Car(Vehicle):
    def fits(self, size: SpotSize) -> bool:
        return size in (SpotSize.COMPACT, SpotSize.LARGE)


class Bus(Vehicle):
    spots_needed = BUS_LENGTH

    def fits(self, size: SpotSize) -> bool:
        return size is SpotSize.LARGE


@dataclass(frozen=True)
class Ticket:
    number: int
    plate: str
    spots: tuple[tuple[int, int], ...]       # (level number, position), in position order
    entered_at: datetime


@dataclass(frozen=True)
class Tariff:
    hourly_cents: int
    daily_cap_cents: int
    free_minutes: int = 15

    def fee(self, stay: timedelta) -> int:
        if stay < timedelta(0):
            raise ValueError(f"a stay cannot be negative: {stay}")
        if stay <= timedelta(minutes=self.free_minutes):
            return 0
        full_days, rest = divmod(stay, DAY)
        started_hours = -(-rest // HOUR)                 # ceiling division of timedeltas
        return full_days * self.daily_cap_cents + min(self.daily_cap_cents, started_hours * self.hourly_cents)


TARIFFS: Mapping[type[Vehicle], Tariff] = {
    Motorcycle: Tariff(hourly_cents=100, daily_cap_cents=800),
    Car: Tariff(hourly_cents=250, daily_cap_cents=2000),
    Bus: Tariff(hourly_cents=1000, daily_cap_cents=8000),
}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ParkingLot:
    """Assigns spots and prices stays; one lock makes find-a-spot-and-take-it a single step."""

    def __init__(self, levels: Sequence[Level], clock: Callable[[], datetime] = utc_now,
                 tariffs: Mapping[type[Vehicle], Tariff] = TARIFFS) -> None:
        self.levels = sorted(levels, key=lambda level: level.number)
        self.clock = clock
        self.tariffs = tariffs
        self._lock = threading.Lock()
        self._tickets: dict[int, tuple[Ticket, Vehicle, list[Spot]]] = {}
        self._parked: set[str] = set()
        self._last_number = 0

    def park(self, vehicle: Vehicle) -> Ticket:
        with self._lock:
            if vehicle.plate in self._parked:
                raise AlreadyParked(f"{vehicle.plate} is already parked")
            spots = self._find_spots(vehicle)
            if spots is None:
                raise LotFull(f"no free spot for a {vehicle.kind} ({vehicle.plate})")
            for spot in spots:
                spot.plate = vehicle.plate
            self._last_number += 1
            ticket = Ticket(self._last_number, vehicle.plate,
                            tuple((spot.level, spot.position) for spot in spots), self.clock())
            self._tickets[ticket.number] = (ticket, vehicle, spots)
            self._parked.add(vehicle.plate)
            return ticket

    def leave(self, ticket_number: int) -> int:
        with self._lock:
            if ticket_number not in self._tickets:
                raise UnknownTicket(f"ticket {ticket_number} was never issued or has already been used")
            ticket, vehicle, spots = self._tickets.pop(ticket_number)
            for spot in spots:
                spot.plate = None
            self._parked.discard(vehicle.plate)
            return self.tariffs[type(vehicle)].fee(self.clock() - ticket.entered_at)

    def free_spots(self) -> dict[SpotSize, int]:
        with self._lock:
            counts = dict.fromkeys(SpotSize, 0)
            for spot in self._all_spots():
                if spot.plate is None:
                    counts[spot.size] += 1
            return counts

    def _all_spots(self) -> list[Spot]:
        return [spot for level in self.levels for spot in level.spots]

    def _find_spots(self, vehicle: Vehicle) -> list[Spot] | None:
        """The spots the rules give this vehicle, or None. Called with the lock held."""
        if vehicle.spots_needed > 1:
            return self._first_run(vehicle)
        candidates = [spot for spot in self._all_spots() if spot.plate is None and vehicle.fits(spot.size)]
        if not candidates:
            return None
        return [min(candidates, key=lambda spot: (spot.size.value, spot.level, spot.position))]

    def _first_run(self, vehicle: Vehicle) -> list[Spot] | None:
        n = vehicle.spots_needed
        for level in self.levels:
            for start in range(len(level.spots) - n + 1):
                run = level.spots[start:start + n]
                if all(spot.plate is None and vehicle.fits(spot.size) for spot in run):
                    return run
        return None


# Why
# - Responsibilities: a Vehicle says what it fits (polymorphism: a new kind is a new class, no
#   if/elif on kinds), a Level owns its spots, a Tariff prices a stay, the ParkingLot assigns spots
#   and issues tickets. Tickets hold (level, position) pairs, not Spot objects, so they stay
#   immutable values that can be printed, stored or sent.
# - Concurrency: "find a free spot" then "mark it taken" is check-then-act. Without a lock two
#   threads both see the last spot free and both take it. One lock around the whole decision (and
#   the ticket counter) is simple and correct; the lot's work is microseconds, so contention is not
#   the bottleneck. Per-level locks or a queue of free spots per size are the follow-ups at scale.
# - The clock is a parameter: fees depend on time, and a test that waits two hours is not a test.
#   Money is integer cents; a stay is a timedelta, so rounding up is ceiling division on timedeltas.
# - Finding a spot scans every spot: O(spots) per arrival, fine for thousands. At scale keep a
#   min-heap (or sorted set) of free spots per size keyed by (level, position): O(log n) per park
#   and leave; a bus run needs per-level bookkeeping of free LARGE runs.
