"""The carrier's orders query (issue 19, GraphQL) as partners call it, shared by its API
tests: the query, the orders a test submits (a new line, a fiber order, the carrier's BYOD
swap), and readers of the answers."""

from __future__ import annotations

import itertools

from tests.api.conftest import CARTS, ORDERS, complete_configuration, submit_url
from tests.carts import IMEI, IPHONE, line
from tests.conftest import SEED_REQUEST
from tests.credentials import AUTH, OTHER_AUTH
from tests.fiber import record_credit, submission_with_a_slot

QUERY = f"{ORDERS}/query"
JORDAN = "3f7f9189-974e-4639-8343-4a1819a98c7e"  # the sandbox world's customer of SEED_REQUEST
ROOT = "10000001-3f41-49bf-a6cf-6f65caa650ca"
FIBER_500 = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a51"

# The carrier's own query (reference §4.1), filter aside.
CARRIERS_SELECTION = """
  orders { id orderId parentOrderId orderDate canceledDate orderStatus { status } customer { firstName }
    fulfillments { fulfillmentStatus { status } }
    products { productStatus { status } lines { lineType name } items { deviceDetails { model IMEI } } }
    accounts { accountNumber } returnOrderDetails { commonOrderId } orderPrice { total } pointOfNoReturnDate
    orderErrorInfoList { errorInfo } }
  pageInfo { totalCount pageSize pageNumber }"""
# Every field of the schema.
EVERY_FIELD = """
  orders { id orderId revision parentOrderId orderDate canceledDate orderStatus { status } customer { id firstName }
    fulfillments { fulfillmentSequence fulfillmentType fulfillmentStatus { status } }
    products { productStatus { status } lines { lineType name }
      items { productOrderItemId action productOfferingId productOfferingType name deviceDetails { model IMEI } } }
    accounts { accountNumber } returnOrderDetails { commonOrderId }
    orderPrice { total dueToday monthlyRecurring unit } pointOfNoReturnDate
    orderErrorInfoList { errorInfo state date } lineOfBusiness }
  pageInfo { totalCount pageSize pageNumber }"""
NUMBERS = "{ orders { orderId } pageInfo { totalCount pageSize pageNumber } }"


def gql(client, query: str, variables: dict | None = None, **kwargs):
    body = {"query": query, **({"variables": variables} if variables is not None else {})}
    return client.post(QUERY, json=body, **kwargs)


def data(client, query: str, variables: dict | None = None, **kwargs) -> dict:
    """The answer of a query that runs without errors."""
    response = gql(client, query, variables, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"data"}, response.text
    return response.json()["data"]


def submit(client, items: list[dict], headers: dict | None = None, scenario: str | None = None) -> dict:
    """A cart of `items` for the sandbox customer Jordan, made ready and submitted."""
    headers = {**(headers or AUTH), **({"mock-scenario": scenario} if scenario else {})}
    created = client.post(CARTS, json={**SEED_REQUEST, "items": items}, headers=headers)
    assert created.status_code == 201, created.text
    cart_id = created.json()["id"]
    complete_configuration(client, cart_id, headers=headers)
    body = None
    if any(item.get("productOfferingType") == "Broadband_Offer" for item in items):
        # A fiber cart also needs its credit decision and its technician's appointment.
        record_credit(client, cart_id, headers)
        body = submission_with_a_slot(client, cart_id, headers)
    submitted = client.post(submit_url(cart_id), json=body, headers=headers)
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


def new_line() -> list[dict]:
    """A new line on Jordan's wireless account: plan, Pixel, SIM, protection."""
    items = line()
    items[0]["billingAccount"] = {"id": "556165899573", "ratingType": "postpaid"}
    return items


FIBER = [
    {
        "productOrderItemId": "fiber",
        "action": "add",
        "productOfferingType": "Broadband_Offer",
        "productOfferingId": FIBER_500,
        "billingAccount": {"id": "556165899574"},
        "subscriberNumber": "4690002300",
        "product": {"place": [{"role": "serviceAddress", "id": "000011VYAA"}]},  # Jordan's, fiber-eligible
    }
]
# The carrier's BYOD example (reference §4.1; tests/carts.py `byod_items`), each item named
# (the query answers its items by id): Jordan's line 4690002221 swaps to his own iPhone.
BYOD = [
    {
        "productOrderItemId": ROOT,
        "action": "noChange",
        "productOfferingType": "Mobile_Offer",
        "productOfferingId": "0b690f7e-3f41-49bf-a6cf-6f65caa650ca",
        "billingAccount": {"ratingType": "postpaid", "id": "556165899573"},
        "subscriberNumber": "4690002221",
    },
    {
        "productOrderItemId": "old-phone",
        "action": "terminate",
        "productOfferingType": "Mobile_Device",
        "rootBundleProductOrderItemId": ROOT,
        "actionReason": {"reasonText": "Memo text required if selected", "name": "LC"},
        "product": {"id": "47777581441708014", "primaryProductId": "47777581441708014"},
    },
    {
        "productOrderItemId": "byod",
        "action": "swap;add",
        "productOfferingType": "Mobile_Device",
        "productOfferingId": IPHONE,
        "rootBundleProductOrderItemId": ROOT,
        "actionReason": {"reasonText": "Memo text required if selected", "name": "LC", "action": "swap"},
        "product": {"place": [{"role": "PPU", "name": "ppuAddress", "id": "000011VYAA"}]},
        "characteristic": [
            {"name": "isBYOD", "value": "true"},
            {"name": "IMEI", "value": IMEI},
            {"name": "eSIM_Enabled", "value": "true"},
        ],
    },
    {
        "productOrderItemId": "old-sim",
        "action": "terminate",
        "productOfferingType": "SIM",
        "rootBundleProductOrderItemId": ROOT,
        "actionReason": {"reasonText": "Memo text required if selected", "name": "LC"},
        "product": {"id": "47777581441708015"},
    },
]


def numbers_of(found: dict) -> list[str]:
    return [order["orderId"] for order in found["getOrders"]["orders"]]


def place_orders(client, clock) -> dict[str, dict]:
    """partner-a: a new line (15 Jan, 26-…01), a fiber order (16 Jan, …02), a BYOD swap
    (17 Jan, …04); partner-b: a new line (16 Jan, …03). Express submit's answers."""
    orders = {"new line": submit(client, new_line())}
    clock.advance(86400)
    orders["fiber"] = submit(client, FIBER)
    orders["theirs"] = submit(client, line(), OTHER_AUTH)
    clock.advance(86400)
    orders["byod"] = submit(client, BYOD)
    return orders


def number_orders(client) -> None:
    """customerOrderIds 26-00000000000001, …02, … in submission order (on the fake clock's year)."""
    numbers = itertools.count(1)
    client.app.state.services.orders.customer_order_ids = lambda at: f"{at:%y}-{next(numbers):014d}"
