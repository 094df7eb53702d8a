"""The carrier's orders query (`POST /omni-svcs/v1/orders/query`, GraphQL, BYOD solution
v1.0.0): what its filter asks for, and what an order is in its answer. Pure: the GraphQL
layer (api/graphql/) renders these views and the use case (services/order_query.py)
fetches the page; every mapping and what omnicart made up are in docs/orders-query.md.

The filter (`getOrders(filter: {orderId, accountNumber, orderDate, lineOfBusiness, limit,
offset})`), every condition given must hold:
- `orderId`: the order's id (a UUID) or its customerOrderId (`NN-…`);
- `accountNumber`: a billing account one of its items names (domain/order_keys.py);
- `orderDate`: its submission day, UTC: one day `2025-08-04`, or the days of an ISO 8601
  interval `2025-08-01/2025-08-31`, both ends included, either end open (`..`);
- `lineOfBusiness`: `WIRELESS` or `FIBER` (any case);
- `limit` (1 to 100, default 20) orders from `offset` (0 to 1 000 000) on, newest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import msgspec

from omnicart.domain.catalog import DEVICE, Catalog, offering_type
from omnicart.domain.checkout import ordered_kind
from omnicart.domain.delivery import PHYSICAL_TYPES
from omnicart.domain.ids import is_time_uuid
from omnicart.domain.order import FINAL_STATES, Order
from omnicart.domain.order_keys import LINES_OF_BUSINESS, billing_accounts, line_of_business, line_type
from omnicart.domain.pricing import ONE_TIME, RECURRING
from omnicart.wire.cart import State
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.prices import Price
from omnicart.wire.values import timestamp

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
MAX_ID_LENGTH = 64
OPEN_END = ".."
# The states whose reason explains what went wrong (orderErrorInfoList).
ERROR_STATES = frozenset({State.FAILED, State.FALLOUT})
DIRECT_FULFILMENT = "DF"  # shipped to the customer (checkout's fulfillmentMethod)

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# -- the filter ---------------------------------------------------------------------------


class FilterError(ValueError):
    """A filter value the query cannot mean anything by: `field` (of the filter) and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"filter.{field} {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class OrdersFilter:
    """getOrders' filter as the partner wrote it (None: not given)."""

    orderId: str | None = None
    accountNumber: str | None = None
    orderDate: str | None = None
    lineOfBusiness: str | None = None
    limit: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class Wanted:
    """The filter checked, in the store's terms; the submission range is [from, to)."""

    order_id: str | None = None
    customer_order_id: str | None = None
    account_number: str | None = None
    line_of_business: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def wanted(given: OrdersFilter) -> Wanted:
    """What `given` asks for; raises FilterError for a value it cannot mean anything by."""
    order_id = _text("orderId", given.orderId)
    submitted_from, submitted_to = order_dates(given.orderDate) if given.orderDate is not None else (None, None)
    return Wanted(
        order_id=order_id if order_id is not None and is_time_uuid(order_id) else None,
        customer_order_id=order_id if order_id is not None and not is_time_uuid(order_id) else None,
        account_number=_text("accountNumber", given.accountNumber),
        line_of_business=_line_of_business(given.lineOfBusiness),
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        limit=_bounded("limit", given.limit, 1, MAX_LIMIT, DEFAULT_LIMIT),
        offset=_bounded("offset", given.offset, 0, MAX_OFFSET, 0),
    )


def _text(field: str, value: str | None) -> str | None:
    if value is not None and not 1 <= len(value) <= MAX_ID_LENGTH:
        raise FilterError(field, f"must be 1 to {MAX_ID_LENGTH} characters long")
    return value


def _bounded(field: str, value: int | None, low: int, high: int, default: int) -> int:
    if value is None:
        return default
    if not low <= value <= high:
        raise FilterError(field, f"must be an integer from {low} to {high}")
    return value


def _line_of_business(value: str | None) -> str | None:
    if value is None:
        return None
    if value.upper() not in LINES_OF_BUSINESS:
        raise FilterError("lineOfBusiness", f"must be one of {', '.join(LINES_OF_BUSINESS)}")
    return value.upper()


def order_dates(text: str) -> tuple[datetime | None, datetime | None]:
    """The submission range [from, to) of `orderDate`: a day, or an interval of days with
    both ends included (`2025-08-01/2025-08-31`, `2025-08-01/..`, `../2025-08-31`)."""
    first, slash, last = text.partition("/")
    if not slash:
        last = first
    start = None if slash and first == OPEN_END else _day(first)
    end = None if slash and last == OPEN_END else _day(last)
    if start is None and end is None:
        raise FilterError("orderDate", "must have at least one end")
    if start is not None and end is not None and start > end:
        raise FilterError("orderDate", f"ends ({end}) before it starts ({start})")
    return (
        None if start is None else datetime.combine(start, time(), UTC),
        None if end is None or end == date.max else datetime.combine(end + timedelta(days=1), time(), UTC),
    )


def _day(text: str) -> date:
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise FilterError("orderDate", "must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)")


# -- the answer ---------------------------------------------------------------------------


class _View(msgspec.Struct, frozen=True):
    """What the GraphQL layer renders: field names are the schema's (api/graphql/orders.graphql)."""


class Status(_View, frozen=True):
    status: str


class Fulfillment(_View, frozen=True):
    fulfillmentSequence: str
    fulfillmentType: str
    fulfillmentStatus: Status


class Line(_View, frozen=True):
    lineType: str
    name: str | None


class DeviceDetails(_View, frozen=True):
    model: str | None
    IMEI: str | None


class QueriedItem(_View, frozen=True):
    productOrderItemId: str
    action: str
    productOfferingId: str | None
    productOfferingType: str | None
    name: str | None
    deviceDetails: DeviceDetails | None


class QueriedProduct(_View, frozen=True):
    productStatus: Status
    lines: list[Line]
    items: list[QueriedItem]


class AccountRef(_View, frozen=True):
    accountNumber: str


class CustomerRef(_View, frozen=True):
    """The order's customer party; the name is the customer directory's to tell."""

    id: str


class ReturnOrderDetails(_View, frozen=True):
    commonOrderId: str | None


class OrderPrice(_View, frozen=True):
    total: float
    dueToday: float
    monthlyRecurring: float
    unit: str


class OrderErrorInfo(_View, frozen=True):
    errorInfo: str
    state: str
    date: str


class QueriedOrder(_View, frozen=True, kw_only=True):
    id: str
    orderId: str
    revision: str
    parentOrderId: str | None = None
    orderDate: str
    canceledDate: str | None
    orderStatus: Status
    customer: CustomerRef | None
    fulfillments: list[Fulfillment]
    products: list[QueriedProduct]
    accounts: list[AccountRef]
    returnOrderDetails: ReturnOrderDetails | None = None
    orderPrice: OrderPrice
    pointOfNoReturnDate: str | None
    orderErrorInfoList: list[OrderErrorInfo]
    lineOfBusiness: str


class PageInfo(_View, frozen=True):
    totalCount: int | None  # None: more than the store counts (store.TOTAL_COUNTED)
    pageSize: int
    pageNumber: int


class OrderPage(_View, frozen=True):
    orders: list[QueriedOrder]
    pageInfo: PageInfo


def page_info(total: int | None, limit: int, offset: int) -> PageInfo:
    """`pageNumber` counts from 1: the page of `limit` orders the first one shown is on."""
    return PageInfo(totalCount=total, pageSize=limit, pageNumber=offset // limit + 1)


def queried_order(order: Order, catalog: Catalog) -> QueriedOrder:
    cart = order.cart
    state = Status(order.state.value)
    customer = cart.customer_id
    return QueriedOrder(
        id=order.id,
        orderId=order.customerOrderId,
        revision=str(len(order.stateHistory)),
        orderDate=timestamp(order.submissionDate),
        canceledDate=None if order.cancellationDate is None else timestamp(order.cancellationDate),
        orderStatus=state,
        customer=None if customer is None else CustomerRef(customer),
        fulfillments=[Fulfillment("1", DIRECT_FULFILMENT, state)] if _ships(order, catalog) else [],
        products=_products(order, catalog),
        accounts=[AccountRef(number) for number in billing_accounts(cart)],
        orderPrice=_price(cart.orderTotalPrice),
        pointOfNoReturnDate=_point_of_no_return(order),
        orderErrorInfoList=[
            OrderErrorInfo(
                change.reason or f"the order is {change.state.value}", change.state.value, timestamp(change.date)
            )
            for change in order.stateHistory
            if change.state in ERROR_STATES
        ],
        lineOfBusiness=order.lineOfBusiness or line_of_business(cart, catalog),
    )


def _ships(order: Order, catalog: Catalog) -> bool:
    """Whether something physical goes to the customer (checkout's fulfilment options)."""
    for item in order.cart.productOrderItem:
        kind = ordered_kind(item, catalog.get(item.offering_id))
        if kind is not None and kind[0] in PHYSICAL_TYPES:
            return True
    return False


def _products(order: Order, catalog: Catalog) -> list[QueriedProduct]:
    """One product per bundle (a line: its root and the items under it), in item order."""
    bundles: dict[str, list[ProductOrderItem]] = {}
    for item in order.cart.productOrderItem:
        bundles.setdefault(item.bundle_root, []).append(item)
    status = Status(order.state.value)
    products = []
    for root_id, members in bundles.items():
        root = next((item for item in members if item.productOrderItemId == root_id), members[0])
        number = next((item.subscriberNumber for item in (root, *members) if item.subscriberNumber), None)
        offering = catalog.get(root.offering_id)
        line = Line(line_type(root, catalog), number or (offering.name if offering else None))
        products.append(QueriedProduct(status, [line], [_item(item, catalog) for item in members]))
    return products


def _item(item: ProductOrderItem, catalog: Catalog) -> QueriedItem:
    offering = catalog.get(item.offering_id)
    kind = offering_type(item, offering)
    name = offering.name if offering else None
    return QueriedItem(
        productOrderItemId=item.productOrderItemId,
        action=item.action,
        productOfferingId=item.offering_id,
        productOfferingType=kind,
        name=name,
        deviceDetails=DeviceDetails(name, item.characteristic_value("IMEI")) if kind == DEVICE else None,
    )


def _price(totals: list[Price]) -> OrderPrice:
    """Taxes included: what is due today, the monthly charges, and `total` the two together
    (the customer's first bill)."""
    due = {ONE_TIME: 0.0, RECURRING: 0.0}
    unit = "USD"
    for price in totals:
        amounts = price.price
        due[price.priceType] = (amounts.taxIncludedAmount or amounts.dutyFreeAmount).value
        unit = amounts.dutyFreeAmount.unit
    return OrderPrice(round(due[ONE_TIME] + due[RECURRING], 2), due[ONE_TIME], due[RECURRING], unit)


def _point_of_no_return(order: Order) -> str | None:
    """When the order can no longer be cancelled: when it reached a final state, or the
    time fulfilment plans to take it there; None while no one knows."""
    for change in order.stateHistory:
        if change.state in FINAL_STATES:
            return timestamp(change.date)
    for step in order.plan:
        if step.state in FINAL_STATES:
            return timestamp(step.at)
    return None
