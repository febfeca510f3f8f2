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
from datetime import date, datetime, timezone
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


_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _customer_pk(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"placed_at must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _to_dynamo(plain: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in plain.items()}


def _from_dynamo(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def _order_item(order: Order) -> dict[str, Any]:
    if not isinstance(order.amount, Decimal):
        raise TypeError(f"order {order.order_id}: amount must be a Decimal, got "
                        f"{type(order.amount).__name__} {order.amount!r}")
    placed_at = _utc_text(order.placed_at)
    return _to_dynamo({
        "PK": _customer_pk(order.customer_id), "SK": f"ORDER#{order.order_id}",
        "entity": "order", "order_id": order.order_id, "customer_id": order.customer_id,
        "status": order.status, "placed_at": placed_at, "amount": order.amount,
        "GSI1PK": f"STATUS#{order.status}", "GSI1SK": f"{placed_at}#{order.order_id}",
    })


def _order_from(item: dict[str, Any]) -> Order:
    plain = _from_dynamo(item)
    placed_at = datetime.strptime(plain["placed_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return Order(plain["order_id"], plain["customer_id"], plain["status"], placed_at, plain["amount"])


def _query_all(client: Any, **request: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = client.query(**request)
        items.extend(page.get("Items", []))
        last = page.get("LastEvaluatedKey")
        if not last:
            return items
        request["ExclusiveStartKey"] = last


def create_table(client: Any, table_name: str) -> None:
    client.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}
                              for name in ("PK", "SK", "GSI1PK", "GSI1SK")],
        GlobalSecondaryIndexes=[{
            "IndexName": GSI_NAME,
            "KeySchema": [{"AttributeName": "GSI1PK", "KeyType": "HASH"},
                          {"AttributeName": "GSI1SK", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
        BillingMode="PAY_PER_REQUEST",
    )


def put_customer(client: Any, table_name: str, customer: Customer) -> None:
    client.put_item(TableName=table_name, Item=_to_dynamo({
        "PK": _customer_pk(customer.customer_id), "SK": "PROFILE", "entity": "customer",
        "customer_id": customer.customer_id, "name": customer.name, "email": customer.email,
    }))


def put_order(client: Any, table_name: str, order: Order) -> None:
    item = _order_item(order)
    try:
        client.put_item(TableName=table_name, Item=item,
                        ConditionExpression="attribute_not_exists(PK) AND attribute_not_exists(SK)")
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        raise DuplicateOrderError(
            f"order {order.order_id!r} for customer {order.customer_id!r} already exists") from None


def get_customer_with_orders(client: Any, table_name: str, customer_id: str) -> tuple[Customer | None, list[Order]]:
    items = _query_all(client, TableName=table_name, KeyConditionExpression="PK = :pk",
                       ExpressionAttributeValues={":pk": {"S": _customer_pk(customer_id)}})
    customer = None
    orders = []
    for item in items:
        entity = item.get("entity", {}).get("S")
        if entity == "customer":
            plain = _from_dynamo(item)
            customer = Customer(plain["customer_id"], plain["name"], plain["email"])
        elif entity == "order":
            orders.append(_order_from(item))
    return customer, sorted(orders, key=lambda order: order.order_id)


def orders_by_status_between(client: Any, table_name: str, status: str, start: date, end: date) -> list[Order]:
    if start > end:
        return []
    # "~" sorts after "T", so every "YYYY-MM-DDTHH:MM:SSZ#id" on the end day is below the bound.
    items = _query_all(
        client, TableName=table_name, IndexName=GSI_NAME,
        KeyConditionExpression="GSI1PK = :pk AND GSI1SK BETWEEN :low AND :high",
        ExpressionAttributeValues={":pk": {"S": f"STATUS#{status}"},
                                   ":low": {"S": start.isoformat()},
                                   ":high": {"S": f"{end.isoformat()}~"}})
    orders = [_order_from(item) for item in items]
    return sorted(orders, key=lambda order: (order.placed_at, order.order_id))


def batch_put_orders(client: Any, table_name: str, orders: Iterable[Order], *,
                     sleep: Callable[[float], None] = time.sleep, max_attempts: int = 5,
                     base_delay: float = 0.05) -> int:
    requests = [{"PutRequest": {"Item": _order_item(order)}} for order in orders]
    for begin in range(0, len(requests), BATCH_LIMIT):
        pending = requests[begin:begin + BATCH_LIMIT]
        attempt = 1
        while True:
            response = client.batch_write_item(RequestItems={table_name: pending})
            pending = response.get("UnprocessedItems", {}).get(table_name, [])
            if not pending:
                break
            if attempt >= max_attempts:
                lost = [request["PutRequest"]["Item"]["order_id"]["S"] for request in pending]
                raise UnprocessedItemsError(
                    f"{len(lost)} orders still unprocessed after {attempt} BatchWriteItem calls: {lost}", lost)
            sleep(base_delay * 2 ** (attempt - 1))
            attempt += 1
    return len(requests)


# Why
# - Single-table design starts from access patterns: "a customer and their orders" is one Query on
#   PK (one round trip, one partition), "orders in a status between two dates" is one Query on
#   GSI1. Nothing needs a Scan, whose cost grows with the table, not with the answer.
# - Sort keys compare as strings, so dates must be fixed-width UTC ISO text. BETWEEN is inclusive,
#   but "2024-01-31" < "2024-01-31T10:00:00Z#o1": the upper bound must cover the whole end day
#   (here end + "~"), the classic off-by-one-day bug. Mixed UTC offsets would break the ordering.
# - A status GSI partition is hot if one status dominates (write sharding: "STATUS#SHIPPED#<n>").
#   GSIs are eventually consistent: a read right after a write may miss it on real AWS.
# - put_order's condition makes retries safe: a client that timed out and resends gets a clear
#   DuplicateOrderError instead of silently overwriting. Only ConditionalCheckFailedException is
#   translated; other errors keep their meaning. BatchWriteItem cannot take conditions, so a
#   batch load is idempotent only because a put of the same item is.
# - BatchWriteItem succeeds partially: throttled puts come back in UnprocessedItems with HTTP 200.
#   Ignoring them loses data silently. Resend only those with exponential backoff (add jitter in
#   production so many clients do not retry in lockstep); 25 puts / 16 MB per call.
# - Floats are binary: 0.1 + 0.2 != 0.3. DynamoDB numbers are decimal strings (38 digits) and
#   boto3 refuses floats, so money is Decimal end to end (json.dumps needs a default= for it).
# - moto: returns every put as processed (never UnprocessedItems), accepts more than 25 puts in a
#   call, and its GSI is immediately consistent. The tests wrap the client to hand items back
#   and to check the 25 limit; real DynamoDB also caps each Query page at 1 MB.
