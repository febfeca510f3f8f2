"""Tests for bank transfers: run `pytest katas/mock/sql/test_bank_transfers.py`. PostgreSQL only.

Every test gets a fresh database with the `accounts` table and a trigger that writes every
committed balance into `balance_history`: a negative balance that a later credit lifts again is
still on record there (rows written by a transaction that rolls back vanish with it).

How a race is forced, not hoped for: the first transfer gets `after_check=Competitor(...)`. When
transfer calls it (after checking src's balance, before writing), the competitor starts a second
transfer on its own connection in a thread and returns only once that transfer has finished or
is waiting on a lock of the first one (`pg_blocking_pids`). A design that checks without a lock
therefore meets a committed competitor on every run; a design that locks makes it wait.
"""
from __future__ import annotations

import random
import threading
import time
from decimal import Decimal

import psycopg
import pytest
from psycopg.pq import TransactionStatus

from katas.mock.sql.bank_transfers import InsufficientFunds, UnknownAccount, transfer

# PostgreSQL checks for a deadlock only after a lock wait of deadlock_timeout (1 s by default). A
# correct design that retries on deadlock would then spend a second per collision and the hammer
# test minutes; 50 ms keeps it to seconds. lock_timeout only turns a lock that is never released
# (a transaction left open) into an error instead of a hang. Both apply to this test's database only.
pytestmark = [pytest.mark.needs("pg"), pytest.mark.pg_settings(deadlock_timeout="50ms", lock_timeout="5s")]

ACCOUNTS_DDL = "CREATE TABLE accounts (id INT PRIMARY KEY, owner TEXT NOT NULL, balance NUMERIC(12,2) NOT NULL)"
HISTORY_DDL = """
    CREATE TABLE balance_history (seq bigserial PRIMARY KEY, account_id int NOT NULL, balance numeric(12,2) NOT NULL);
    CREATE FUNCTION log_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO balance_history (account_id, balance) VALUES (NEW.id, NEW.balance);
        RETURN NULL;
    END $$;
    CREATE TRIGGER log_every_balance AFTER INSERT OR UPDATE ON accounts
        FOR EACH ROW EXECUTE FUNCTION log_balance()"""

GUARD_SECONDS = 10        # a wait that never ends fails after this long; a correct run waits milliseconds
POLL_SECONDS = 0.002


class Bank:
    """The test's database: an autocommit admin connection to read state, worker connections to call transfer."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.admin = psycopg.connect(dsn, autocommit=True)
        self.workers: list[psycopg.Connection] = []

    def connect(self) -> psycopg.Connection:
        """A worker connection as transfer's callers own it: autocommit off."""
        conn = psycopg.connect(self.dsn)
        self.workers.append(conn)
        return conn

    def open_accounts(self, balances: dict[int, str]) -> None:
        with self.admin.cursor() as cur:
            cur.executemany("INSERT INTO accounts (id, owner, balance) VALUES (%s, %s, %s)",
                            [(i, f"owner {i}", Decimal(b)) for i, b in balances.items()])

    def balances(self) -> dict[int, Decimal]:
        return dict(self.admin.execute("SELECT id, balance FROM accounts ORDER BY id").fetchall())

    def negative_commits(self) -> list[tuple[int, Decimal]]:
        return self.admin.execute(
            "SELECT account_id, balance FROM balance_history WHERE balance < 0 ORDER BY seq").fetchall()

    def close(self) -> None:
        for conn in [*self.workers, self.admin]:
            conn.close()


@pytest.fixture
def bank(pg_dsn):
    """The accounts table and its balance log in the test's fresh database (with its pg_settings)."""
    with psycopg.connect(pg_dsn, autocommit=True) as setup:
        setup.execute(ACCOUNTS_DDL)
        setup.execute(HISTORY_DDL)
    bank = Bank(pg_dsn)
    yield bank
    bank.close()


def is_idle(conn: psycopg.Connection) -> bool:
    return not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE


def locked_rows(bank: Bank) -> list[int]:
    """Ids of accounts some transaction still holds a row lock on."""
    locked = []
    for (account,) in bank.admin.execute("SELECT id FROM accounts ORDER BY id").fetchall():
        try:
            with bank.admin.transaction():
                bank.admin.execute("SELECT 1 FROM accounts WHERE id = %s FOR UPDATE NOWAIT", [account])
        except psycopg.errors.LockNotAvailable:
            locked.append(account)
    return locked


def described(error: BaseException | None) -> str:
    return "returned" if error is None else f"raised {type(error).__name__}: {error}"


class Competitor:
    """A competing transfer, started at the very moment the first transfer calls after_check.

    Pass it as after_check. Its first call starts transfer(src, dst, amount) on its own connection
    in a thread and returns once that transfer has finished or waits on a lock held by another
    backend. Later calls (a design that retries calls after_check again) do nothing.
    """

    def __init__(self, bank: Bank, src: int, dst: int, amount: str):
        self.conn = bank.connect()
        self.pid = self.conn.info.backend_pid
        self.observer = psycopg.connect(bank.dsn, autocommit=True)
        bank.workers.append(self.observer)
        self.call = (src, dst, Decimal(amount))
        self.thread: threading.Thread | None = None
        self.finished = threading.Event()
        self.error: BaseException | None = None

    def __call__(self) -> None:
        if self.thread is not None:
            return
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self._wait_until_finished_or_blocked()

    def _run(self) -> None:
        try:
            transfer(self.conn, *self.call)
        except BaseException as exc:    # noqa: BLE001 - reported by the test, whatever it is
            self.error = exc
        finally:
            self.finished.set()

    def _wait_until_finished_or_blocked(self) -> None:
        deadline = time.monotonic() + GUARD_SECONDS
        while not self.finished.wait(POLL_SECONDS):
            waiting = self.observer.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [self.pid]).fetchone()[0]
            if waiting:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the competing transfer{self.call} neither finished nor waited on a database "
                                     f"lock within {GUARD_SECONDS} s: is transfer waiting on a Python lock?")

    def outcome(self) -> BaseException | None:
        """Wait for the competing transfer to end; None if it returned, else what it raised."""
        assert self.thread is not None, "transfer never called after_check: the race did not happen"
        self.thread.join(GUARD_SECONDS)
        assert not self.thread.is_alive(), f"the competing transfer{self.call} did not end within {GUARD_SECONDS} s"
        return self.error


def race(bank: Bank, first: tuple[int, int, str], second: tuple[int, int, str]):
    """Run transfer(*first) with transfer(*second) forced in between its check and its writes."""
    competitor = Competitor(bank, *second)
    conn = bank.connect()
    try:
        transfer(conn, first[0], first[1], Decimal(first[2]), after_check=competitor)
        first_error = None
    except Exception as exc:    # noqa: BLE001 - reported by the test
        first_error = exc
    return first_error, competitor.outcome()


# -- one transfer at a time ---------------------------------------------------------------------------

def test_a_transfer_moves_the_amount_and_commits(bank):
    bank.open_accounts({1: "100.00", 2: "5.00"})
    conn = bank.connect()
    transfer(conn, 1, 2, Decimal("30.25"))
    got = bank.balances()
    assert got == {1: Decimal("69.75"), 2: Decimal("35.25")}, (
        f"after transfer(conn, 1, 2, Decimal('30.25')) another connection sees {got}; expected 1: 69.75, 2: 35.25 "
        "(committed)")
    assert is_idle(conn), f"after transfer the connection is {conn.info.transaction_status.name}: expected IDLE"


def test_the_whole_balance_can_be_sent(bank):
    bank.open_accounts({1: "30.00", 2: "0.00"})
    transfer(bank.connect(), 1, 2, Decimal("30.00"))
    got = bank.balances()
    assert got == {1: Decimal("0.00"), 2: Decimal("30.00")}, (
        f"transfer(conn, 1, 2, 30.00) from a balance of 30.00 left {got}; expected 1: 0.00, 2: 30.00")


# name -> (src, dst, amount, the exception, text its message must hold)
REFUSED = {
    "a zero amount": (1, 2, "0", ValueError, ""),
    "a negative amount": (1, 2, "-5.00", ValueError, ""),
    "the same account on both sides": (1, 1, "5.00", ValueError, ""),
    "an unknown source": (7, 2, "5.00", UnknownAccount, "7"),
    "an unknown destination": (1, 8, "5.00", UnknownAccount, "8"),
    "more than the balance": (1, 2, "500.00", InsufficientFunds, ""),
    "one cent more than the balance": (1, 2, "100.01", InsufficientFunds, ""),
}


@pytest.mark.parametrize("src,dst,amount,error,mentions", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_transfer_changes_nothing_and_leaves_the_connection_idle(bank, src, dst, amount, error, mentions):
    bank.open_accounts({1: "100.00", 2: "5.00"})
    before = bank.balances()
    conn = bank.connect()
    call = f"transfer(conn, {src}, {dst}, Decimal({amount!r}))"
    with pytest.raises(error) as raised:
        transfer(conn, src, dst, Decimal(amount))
    assert mentions in str(raised.value), f"{call} raised {raised.value!r}: the message should name account {mentions}"
    assert bank.balances() == before, f"{call} raised, yet balances went from {before} to {bank.balances()}"
    assert is_idle(conn), (f"after {call} raised, the connection is {conn.info.transaction_status.name}: "
                           "expected IDLE (roll back, so no transaction and no lock is left behind)")
    assert locked_rows(bank) == [], f"after {call} raised, rows {locked_rows(bank)} are still locked"


# -- races forced at the worst moment ---------------------------------------------------------------------

def test_a_competing_debit_between_check_and_write_is_not_lost(bank):
    bank.open_accounts({1: "100.00", 2: "0.00", 3: "0.00"})
    first, second = race(bank, (1, 2, "30.00"), (1, 3, "50.00"))
    assert (first, second) == (None, None), (
        f"transfer(1 -> 2, 30) {described(first)}; the competing transfer(1 -> 3, 50) {described(second)}: "
        "both must succeed (100 covers both), no deadlock or serialization error may reach the caller")
    got = bank.balances()
    assert got == {1: Decimal("20.00"), 2: Decimal("30.00"), 3: Decimal("50.00")}, (
        f"after 1 -> 2 (30) raced with 1 -> 3 (50), balances are {got}; expected 1: 20, 2: 30, 3: 50. "
        "A balance read before the competitor committed and written back afterwards loses its update")


def test_two_debits_that_overdraw_together_never_commit_a_negative_balance(bank):
    bank.open_accounts({1: "100.00", 2: "0.00", 3: "0.00", 4: "500.00"})
    first, second = race(bank, (1, 2, "80.00"), (1, 3, "80.00"))
    transfer(bank.connect(), 4, 1, Decimal("100.00"))     # payday: a credit that would hide an overdraft
    negative = bank.negative_commits()
    assert negative == [], (
        f"committed negative balances (account, balance): {negative}, even though account 1 now holds "
        f"{bank.balances()[1]}: the check and the debit were not atomic")
    outcomes = sorted(type(error).__name__ if error else "ok" for error in (first, second))
    assert outcomes == ["InsufficientFunds", "ok"], (
        f"two debits of 80 from 100: transfer(1 -> 2) {described(first)}, transfer(1 -> 3) {described(second)}; "
        "expected one to succeed and the other to raise InsufficientFunds")
    assert sum(bank.balances().values()) == Decimal("600.00"), f"the total changed: {bank.balances()}"


def test_opposite_transfers_at_the_same_moment_both_complete(bank):
    bank.open_accounts({1: "100.00", 2: "100.00"})
    first, second = race(bank, (1, 2, "10.00"), (2, 1, "20.00"))
    assert (first, second) == (None, None), (
        f"transfer(1 -> 2, 10) {described(first)}; transfer(2 -> 1, 20) at the same moment {described(second)}: "
        "a deadlock must be avoided (lock in one global order) or retried, never reach the caller")
    got = bank.balances()
    assert got == {1: Decimal("110.00"), 2: Decimal("90.00")}, f"balances are {got}; expected 1: 110, 2: 90"


# -- many threads at once ----------------------------------------------------------------------------------

THREADS, TRANSFERS_EACH, ACCOUNTS, OPENING = 6, 40, 4, Decimal("100.00")


def plan(seed: int) -> list[tuple[int, int, Decimal]]:
    """A seeded list of transfers between random accounts, many of them too big to be covered."""
    rng = random.Random(seed)
    moves = []
    while len(moves) < TRANSFERS_EACH:
        src, dst = rng.randint(1, ACCOUNTS), rng.randint(1, ACCOUNTS)
        if src != dst:
            moves.append((src, dst, Decimal(rng.randint(100, 7000)) / 100))
    return moves


def test_many_threads_hammering_keep_every_invariant(bank):
    bank.open_accounts({i: str(OPENING) for i in range(1, ACCOUNTS + 1)})
    done: list[tuple[int, int, Decimal]] = []
    unexpected: list[str] = []
    record = threading.Lock()       # guards the two lists above, not the database

    def worker(conn, moves):
        for src, dst, amount in moves:
            try:
                transfer(conn, src, dst, amount)
            except InsufficientFunds:
                continue
            except Exception as exc:    # noqa: BLE001 - every other error is a finding
                with record:
                    unexpected.append(f"transfer({src} -> {dst}, {amount}) raised {type(exc).__name__}: {exc}")
                continue
            with record:
                done.append((src, dst, amount))

    threads = [threading.Thread(target=worker, args=(bank.connect(), plan(seed)), daemon=True)
               for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + GUARD_SECONDS * 3     # one bound for all: a hung run fails, never hangs
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "some transfers never finished: a deadlock or a lock never released?"
    assert unexpected == [], "errors reached the caller:\n" + "\n".join(unexpected[:5])
    expected = {i: OPENING for i in range(1, ACCOUNTS + 1)}
    for src, dst, amount in done:
        expected[src] -= amount
        expected[dst] += amount
    got = bank.balances()
    assert bank.negative_commits() == [], f"negative balances were committed: {bank.negative_commits()[:5]}"
    assert sum(got.values()) == OPENING * ACCOUNTS, f"the total is {sum(got.values())}, expected {OPENING * ACCOUNTS}"
    assert got == expected, (f"balances {got} differ from the {len(done)} transfers that returned, applied to "
                             f"the opening balances: {expected}. An update was lost")
