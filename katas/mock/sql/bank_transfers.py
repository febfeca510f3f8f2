"""Bank transfers that stay consistent under concurrent transactions (PostgreSQL only).

*"Explain how you would ensure data consistency in a banking system with concurrent
transactions."* Here you show it: `transfer` moves money between two accounts while many other
connections do the same, and the tests check that the database never loses an update, never
commits a negative balance, and always holds the same total.

    accounts(id INT PRIMARY KEY, owner TEXT NOT NULL, balance NUMERIC(12,2) NOT NULL)
    -- deliberately WITHOUT a CHECK (balance >= 0): your code must keep the rule

    with psycopg.connect(dsn) as conn:                 # autocommit off: the default
        transfer(conn, 1, 2, Decimal("30.00"))         # committed: 1 has 30 less, 2 has 30 more
        transfer(conn, 1, 2, Decimal("1000000"))       # raises InsufficientFunds, changes nothing

Interviewers ask this to hear about isolation levels, row locks, lock ordering, deadlocks and
retries, and to see whether the candidate knows that "read the balance, check it in Python, write
the new balance" is a race: two transfers read the same old balance and one update is lost.

Requirements
- `transfer(conn, src, dst, amount)` takes a psycopg 3 connection that the CALLER owns (autocommit
  off; do not close it, do not change its settings for good) and a Decimal amount. It runs in its
  own transaction and commits it, or rolls it back: when it returns or raises, the connection is
  idle (no transaction open, no lock held). It returns None.
- `amount <= 0` or `src == dst` raise ValueError before touching the database.
- A src or dst that is not in `accounts` raises UnknownAccount (a LookupError) naming the id; nothing
  changes.
- When src's balance is less than amount, InsufficientFunds is raised and nothing changes. A
  balance exactly equal to amount is enough (it becomes 0.00).
- Under concurrent calls from many connections (threads or processes, one connection each): no
  lost update (every committed transfer is in the final balances), no negative balance is EVER
  committed (not even one that a later credit lifts again: the tests log every committed balance
  with a trigger), the total of all balances never changes, and no deadlock or serialization
  error reaches the caller (avoid them, or retry the transaction yourself).
- The database does the locking: other processes call transfer too, so a Python lock is not an
  answer (the tests' competing transfer would wait on it, never on the database, and fail).
- The hook: `after_check()` is called once per attempt, inside the transaction, right after src's
  balance has been read (or locked) and checked and BEFORE any balance is updated. A design that
  checks and debits in one statement (`UPDATE ... WHERE balance >= amount`) calls it right after
  that statement. The tests pass a hook that runs a competing transfer on another connection at
  exactly that moment and waits until it has committed or is waiting on one of your locks: the
  race a wrong design loses by luck in production, it loses here every time. In production nobody
  passes it: the default does nothing. Where it goes, whatever your design:

      with conn.transaction():              # or your retry loop around it
          ...read or lock src and dst, raise InsufficientFunds if src holds less than amount...
          after_check()                     # the tests' competitor runs here
          ...update both balances...
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

import psycopg


class InsufficientFunds(Exception):
    """src's balance is less than the amount; nothing was changed."""


class UnknownAccount(LookupError):
    """src or dst is not an account; nothing was changed."""


def no_hook() -> None:
    """The default after_check: nothing happens between the check and the writes."""


def transfer(conn: psycopg.Connection, src: int, dst: int, amount: Decimal, *,
             after_check: Callable[[], None] = no_hook) -> None:
    """Move amount from src to dst in one committed transaction, safe under concurrent calls."""
    raise NotImplementedError("TODO: validate, then in one transaction lock, check, call after_check, write")
