"""DynamoDB single-table design: customers and their orders in one table, plus a GSI.

Interviewers ask for this to see whether you design keys from access patterns (not from
entities), know what a GSI is for, can make a write safe to repeat, handle the partial success
of BatchWriteItem, and keep money exact (DynamoDB numbers are decimals, boto3 refuses floats).

    client = boto3.client("dynamodb")
    create_table(client, "shop")
    put_customer(client, "shop", Customer("c1", "Ada", "ada@example.com"))
    put_order(client, "shop", Order("o1", "c1", "SHIPPED",
                                    datetime(2024, 1, 31, 23, 59, 59, tzinfo=timezone.utc),
                                    Decimal("19.99")))
    put_order(client, "shop", same_order)        # raises DuplicateOrderError
    get_customer_with_orders(client, "shop", "c1")
    # (Customer("c1", "Ada", "ada@example.com"), [Order("o1", ...)])   with ONE Query call
    orders_by_status_between(client, "shop", "SHIPPED", date(2024, 1, 1), date(2024, 1, 31))
    # [Order("o1", ...)]: the end date is inclusive, the whole of 31 January counts

Every function takes a low-level `boto3.client("dynamodb")` (or anything with the same methods:
the tests wrap it) and a table name. Use the low-level client, not the resource API
(`boto3.dynamodb.types.TypeSerializer` / `TypeDeserializer` convert plain Python values).

Requirements
- `create_table(client, table_name)`: key schema PK (HASH, string) and SK (RANGE, string); one
  global secondary index named "GSI1" with GSI1PK (HASH, string) and GSI1SK (RANGE, string),
  projection ALL; billing mode PAY_PER_REQUEST.
- Item layout (the single-table design; the tests read raw items):
    customer: PK="CUSTOMER#<customer_id>", SK="PROFILE", plus attributes
              entity="customer", customer_id, name, email.
    order:    PK="CUSTOMER#<customer_id>", SK="ORDER#<order_id>", plus attributes
              entity="order", order_id, customer_id, status, placed_at, amount (a number),
              GSI1PK="STATUS#<status>", GSI1SK="<placed_at>#<order_id>".
  `placed_at` is stored as a UTC string "YYYY-MM-DDTHH:MM:SSZ" (whole seconds). Order.placed_at
  must be timezone-aware (naive -> ValueError); other offsets are converted to UTC first, so
  2024-01-31T20:30:00-05:00 is stored as "2024-02-01T01:30:00Z".
- Money: `Order.amount` must be a decimal.Decimal; a float (or int) raises TypeError before
  anything is written. Amounts come back as Decimal, equal to what was written (no float on the
  way back either).
- `put_customer`: a plain put (it replaces the profile).
- `put_order`: writes only if no item with that PK and SK exists (a condition expression). A
  duplicate raises DuplicateOrderError (a domain error, not a botocore ClientError) whose
  message names the order id and customer id; the stored order is left unchanged. Any other
  ClientError (a missing table, throttling) propagates as it is.
- `get_customer_with_orders`: (Customer or None, orders sorted by order_id) from ONE Query on the
  customer's partition (no Scan, no GetItem), following LastEvaluatedKey across pages.
  An unknown customer gives (None, []).
- `orders_by_status_between(status, start, end)`: orders with that status placed on any day from
  `start` to `end`, BOTH inclusive (UTC days), by one Query on GSI1 per page with a BETWEEN on
  GSI1SK, following LastEvaluatedKey; sorted by (placed_at, order_id). start > end gives [].
- `batch_put_orders(client, table_name, orders, *, sleep=time.sleep, max_attempts=5,
  base_delay=0.05)`: BatchWriteItem in chunks of at most 25 puts. A response may hand some puts
  back in UnprocessedItems (throttling): resend ONLY those, after sleeping
  base_delay * 2 ** (n - 1) seconds before the n-th retry (0.05, 0.1, 0.2, ...), with the delay
  sequence restarting for each chunk. No sleep when nothing is unprocessed. After max_attempts
  calls for one chunk, raise UnprocessedItemsError whose `.order_ids` lists the orders never
  written (nothing is silently lost). A float amount anywhere in the load raises TypeError
  before the first call. An empty load makes no call. Returns the number of orders written.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

GSI_NAME = "GSI1"
BATCH_LIMIT = 25


@dataclass(frozen=True)
class Customer:
    customer_id: str
    name: str
    email: str


@dataclass(frozen=True)
class Order:
    order_id: str
    customer_id: str
    status: str
    placed_at: datetime
    amount: Decimal


class DuplicateOrderError(Exception):
    """An order with this id already exists for this customer."""


class UnprocessedItemsError(Exception):
    """BatchWriteItem kept handing items back after every retry."""

    def __init__(self, message: str, order_ids: list[str]):
        super().__init__(message)
        self.order_ids = order_ids


def create_table(client: Any, table_name: str) -> None:
    raise NotImplementedError("TODO: create the table with PK/SK and the GSI1 index (GSI1PK/GSI1SK)")


def put_customer(client: Any, table_name: str, customer: Customer) -> None:
    raise NotImplementedError("TODO: put the PROFILE item in the customer's partition")


def put_order(client: Any, table_name: str, order: Order) -> None:
    raise NotImplementedError("TODO: a put with attribute_not_exists; translate only the condition failure")


def get_customer_with_orders(client: Any, table_name: str, customer_id: str) -> tuple[Customer | None, list[Order]]:
    raise NotImplementedError("TODO: one Query on PK = CUSTOMER#<id>, following LastEvaluatedKey")


def orders_by_status_between(client: Any, table_name: str, status: str, start: date, end: date) -> list[Order]:
    raise NotImplementedError("TODO: Query GSI1 with GSI1SK BETWEEN bounds that include the whole end day")


def batch_put_orders(client: Any, table_name: str, orders: Iterable[Order], *,
                     sleep: Callable[[float], None] = time.sleep, max_attempts: int = 5,
                     base_delay: float = 0.05) -> int:
    raise NotImplementedError("TODO: chunks of 25; resend UnprocessedItems with exponential backoff")
