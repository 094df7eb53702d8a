"""The carrier's orders query over HTTP (issue 19, BYOD solution: POST
/omni-svcs/v1/orders/query, GraphQL), on each database: orders submitted through the API
are found with each filter and paged, every field of the carrier's query is answered as
docs/orders-query.md maps it (written out here), a partner sees only its orders, and the
customers' names come from the customer directory. Queries that cannot run:
test_orders_query_refusals.py."""

from __future__ import annotations

import pytest

from omnicart.config import Settings
from omnicart.domain.errors import DownstreamFailure
from omnicart.providers.interface import Providers
from tests.api.conftest import (
    CARTS,
    ORDERS,
    advance,
    assert_error,
    complete_configuration,
    sandbox_settings,
    submit_url,
)
from tests.carts import IPHONE, line
from tests.conftest import SEED_REQUEST
from tests.credentials import AUTH, OTHER_AUTH
from tests.orders_query import (
    CARRIERS_SELECTION,
    EVERY_FIELD,
    FIBER,
    JORDAN,
    NUMBERS,
    QUERY,
    ROOT,
    data,
    gql,
    new_line,
    number_orders,
    numbers_of,
    place_orders,
    submit,
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return sandbox_settings(database_url)


@pytest.fixture(autouse=True)
def _numbered(client, clock):
    """Every test runs on the fake clock, its orders numbered."""
    number_orders(client)


@pytest.fixture
def placed(client, clock) -> dict[str, dict]:
    return place_orders(client, clock)


class TestTheCarriersQuery:
    def test_answers_every_field_the_carrier_lists(self, client, placed):
        found = data(client, f"{{ getOrders {{ {CARRIERS_SELECTION} }} }}")
        byod, fiber, new = placed["byod"], placed["fiber"], placed["new line"]
        assert found == {
            "getOrders": {
                "orders": [
                    {
                        "id": byod["id"],
                        "orderId": "26-00000000000004",
                        "parentOrderId": None,
                        "orderDate": "2026-01-17T12:00:00.250Z",
                        "canceledDate": None,
                        "orderStatus": {"status": "Submitted"},
                        "customer": {"firstName": "Jordan"},
                        "fulfillments": [],
                        "products": [
                            {
                                "productStatus": {"status": "Submitted"},
                                "lines": [{"lineType": "WIRELESS", "name": "4690002221"}],
                                "items": [
                                    {"deviceDetails": None},
                                    {"deviceDetails": {"model": None, "IMEI": None}},
                                    {"deviceDetails": {"model": "iPhone 16 128GB", "IMEI": "358073464620280"}},
                                    {"deviceDetails": None},
                                ],
                            }
                        ],
                        "accounts": [{"accountNumber": "556165899573"}],
                        "returnOrderDetails": None,
                        "orderPrice": {"total": 0.0},
                        "pointOfNoReturnDate": "2026-01-17T12:00:15.250Z",
                        "orderErrorInfoList": [],
                    },
                    {
                        "id": fiber["id"],
                        "orderId": "26-00000000000002",
                        "parentOrderId": None,
                        "orderDate": "2026-01-16T12:00:00.250Z",
                        "canceledDate": None,
                        "orderStatus": {"status": "Submitted"},
                        "customer": {"firstName": "Jordan"},
                        "fulfillments": [],
                        "products": [
                            {
                                "productStatus": {"status": "Submitted"},
                                "lines": [{"lineType": "FIBER", "name": "4690002300"}],
                                "items": [{"deviceDetails": None}],
                            }
                        ],
                        "accounts": [{"accountNumber": "556165899574"}],
                        "returnOrderDetails": None,
                        "orderPrice": {"total": 70.36},
                        "pointOfNoReturnDate": "2026-01-16T12:00:15.250Z",
                        "orderErrorInfoList": [],
                    },
                    {
                        "id": new["id"],
                        "orderId": "26-00000000000001",
                        "parentOrderId": None,
                        "orderDate": "2026-01-15T12:00:00.250Z",
                        "canceledDate": None,
                        "orderStatus": {"status": "Submitted"},
                        "customer": {"firstName": "Jordan"},
                        "fulfillments": [{"fulfillmentStatus": {"status": "Submitted"}}],
                        "products": [
                            {
                                "productStatus": {"status": "Submitted"},
                                "lines": [{"lineType": "WIRELESS", "name": "Value Plus VL"}],
                                "items": [
                                    {"deviceDetails": None},
                                    {"deviceDetails": {"model": "Google Pixel 9 128GB", "IMEI": None}},
                                    {"deviceDetails": None},
                                    {"deviceDetails": None},
                                ],
                            }
                        ],
                        "accounts": [{"accountNumber": "556165899573"}],
                        "returnOrderDetails": None,
                        # 865.99 + 5.41 due today, 67.09 + 17.00 a month, taxes included
                        "orderPrice": {"total": 955.49},
                        "pointOfNoReturnDate": "2026-01-15T12:00:15.250Z",
                        "orderErrorInfoList": [],
                    },
                ],
                "pageInfo": {"totalCount": 3, "pageSize": 20, "pageNumber": 1},
            }
        }

    def test_the_openapi_example_runs_as_sent(self, client, placed):
        document = client.get("/openapi.json").json()
        body = document["paths"][QUERY]["post"]["requestBody"]["content"]["application/json"]["examples"]["byod"]
        response = client.post(QUERY, json=body["value"])
        # The carrier's order 25-754322252600371 is not one of ours: an empty page.
        assert response.json() == {
            "data": {"getOrders": {"orders": [], "pageInfo": {"totalCount": 0, "pageSize": 10, "pageNumber": 1}}}
        }

    def test_answers_omnicarts_own_fields_too(self, client, placed):
        found = data(client, f'{{ getOrders(filter: {{orderId: "26-00000000000004"}}) {{ {EVERY_FIELD} }} }}')
        assert found["getOrders"]["orders"] == [
            {
                "id": placed["byod"]["id"],
                "orderId": "26-00000000000004",
                "revision": "1",
                "parentOrderId": None,
                "orderDate": "2026-01-17T12:00:00.250Z",
                "canceledDate": None,
                "orderStatus": {"status": "Submitted"},
                "customer": {"id": JORDAN, "firstName": "Jordan"},
                "fulfillments": [],
                "products": [
                    {
                        "productStatus": {"status": "Submitted"},
                        "lines": [{"lineType": "WIRELESS", "name": "4690002221"}],
                        "items": [
                            {
                                "productOrderItemId": ROOT,
                                "action": "noChange",
                                "productOfferingId": "0b690f7e-3f41-49bf-a6cf-6f65caa650ca",
                                "productOfferingType": "Mobile_Offer",
                                "name": "Unlimited Starter SL",
                                "deviceDetails": None,
                            },
                            {
                                "productOrderItemId": "old-phone",
                                "action": "terminate",
                                "productOfferingId": None,
                                "productOfferingType": "Mobile_Device",
                                "name": None,
                                "deviceDetails": {"model": None, "IMEI": None},
                            },
                            {
                                "productOrderItemId": "byod",
                                "action": "swap;add",
                                "productOfferingId": IPHONE,
                                "productOfferingType": "Mobile_Device",
                                "name": "iPhone 16 128GB",
                                "deviceDetails": {"model": "iPhone 16 128GB", "IMEI": "358073464620280"},
                            },
                            {
                                "productOrderItemId": "old-sim",
                                "action": "terminate",
                                "productOfferingId": None,
                                "productOfferingType": "SIM",
                                "name": None,
                                "deviceDetails": None,
                            },
                        ],
                    }
                ],
                "accounts": [{"accountNumber": "556165899573"}],
                "returnOrderDetails": None,
                "orderPrice": {"total": 0.0, "dueToday": 0.0, "monthlyRecurring": 0.0, "unit": "USD"},
                "pointOfNoReturnDate": "2026-01-17T12:00:15.250Z",
                "orderErrorInfoList": [],
                "lineOfBusiness": "WIRELESS",
            }
        ]

    def test_a_new_line_ships_directly_and_prices_its_first_bill(self, client, placed):
        found = data(
            client,
            '{ getOrders(filter: {orderId: "26-00000000000001"}) { orders { fulfillments { fulfillmentSequence'
            " fulfillmentType fulfillmentStatus { status } } orderPrice { total dueToday monthlyRecurring unit }"
            " lineOfBusiness } } }",
        )
        assert found["getOrders"]["orders"] == [
            {
                "fulfillments": [
                    {"fulfillmentSequence": "1", "fulfillmentType": "DF", "fulfillmentStatus": {"status": "Submitted"}}
                ],
                "orderPrice": {"total": 955.49, "dueToday": 871.4, "monthlyRecurring": 84.09, "unit": "USD"},
                "lineOfBusiness": "WIRELESS",
            }
        ]

    def test_the_carriers_headers_are_accepted(self, client, placed):
        headers = {
            **AUTH,
            "idp-trace-id": "trace-1",
            "idpctx-session-id": "session-1",
            "serviceType": "WIRELESS",
            "topics": "orders",
            "appname": "bestbuyMST",
        }
        assert numbers_of(data(client, f"{{ getOrders {NUMBERS} }}", headers=headers)) == [
            "26-00000000000004",
            "26-00000000000002",
            "26-00000000000001",
        ]


class TestTheOrderAsItChanges:
    def test_a_failed_order_says_why_and_when_it_became_final(self, client, clock):
        order = submit(client, new_line(), scenario="fulfilment_fails")
        advance(client, clock, 5)
        advance(client, clock, 5)
        advance(client, clock, 5)
        found = data(
            client,
            "{ getOrders { orders { id revision orderStatus { status } pointOfNoReturnDate"
            " orderErrorInfoList { errorInfo state date } fulfillments { fulfillmentStatus { status } } } } }",
        )
        assert found["getOrders"]["orders"] == [
            {
                "id": order["id"],
                "revision": "4",  # Submitted, Acknowledged, InProgress, Failed
                "orderStatus": {"status": "Failed"},
                "pointOfNoReturnDate": "2026-01-15T12:00:15.250Z",
                "orderErrorInfoList": [
                    {
                        "errorInfo": "mock-scenario fulfilment_fails",
                        "state": "Failed",
                        "date": "2026-01-15T12:00:15.250Z",
                    }
                ],
                "fulfillments": [{"fulfillmentStatus": {"status": "Failed"}}],
            }
        ]

    def test_a_cancelled_order_shows_when(self, client, clock):
        order = submit(client, FIBER)
        clock.advance(2)
        cancelled = client.post(f"{ORDERS}/{order['id']}/cancel", json={"cancellationReason": "moving"})
        assert cancelled.json()["state"] == "PendingCancel"
        advance(client, clock, 5)
        found = data(
            client, "{ getOrders { orders { revision orderStatus { status } canceledDate pointOfNoReturnDate } } }"
        )
        assert found["getOrders"]["orders"] == [
            {
                "revision": "3",
                "orderStatus": {"status": "Cancelled"},
                "canceledDate": "2026-01-15T12:00:07.250Z",
                "pointOfNoReturnDate": "2026-01-15T12:00:07.250Z",
            }
        ]


class TestFilters:
    @pytest.mark.parametrize(
        ("condition", "expected"),
        [
            ('orderId: "26-00000000000002"', ["26-00000000000002"]),
            ('orderId: "26-00000000000003"', []),  # partner-b's
            ('orderId: "26-99999999999999"', []),
            ('accountNumber: "556165899573"', ["26-00000000000004", "26-00000000000001"]),
            ('accountNumber: "556165899574"', ["26-00000000000002"]),
            ('accountNumber: "000000000000"', []),
            ('orderDate: "2026-01-16"', ["26-00000000000002"]),
            ('orderDate: "2026-01-15/2026-01-16"', ["26-00000000000002", "26-00000000000001"]),
            ('orderDate: "2026-01-16/.."', ["26-00000000000004", "26-00000000000002"]),
            ('orderDate: "../2026-01-15"', ["26-00000000000001"]),
            ('orderDate: "2026-01-18"', []),
            ('lineOfBusiness: "FIBER"', ["26-00000000000002"]),
            ('lineOfBusiness: "wireless"', ["26-00000000000004", "26-00000000000001"]),
            ('accountNumber: "556165899573", orderDate: "2026-01-15"', ["26-00000000000001"]),
            ('lineOfBusiness: "WIRELESS", orderDate: "2026-01-16/2026-01-17"', ["26-00000000000004"]),
            ('orderId: "26-00000000000001", lineOfBusiness: "FIBER"', []),
            ("orderId: null, accountNumber: null", ["26-00000000000004", "26-00000000000002", "26-00000000000001"]),
        ],
    )
    def test_each_condition_alone_and_together(self, client, placed, condition, expected):
        assert numbers_of(data(client, f"{{ getOrders(filter: {{{condition}}}) {NUMBERS} }}")) == expected

    def test_an_order_is_found_by_its_id_too(self, client, placed):
        query = "query($id: String) { getOrders(filter: {orderId: $id}) { orders { orderId } } }"
        assert numbers_of(data(client, query, {"id": placed["fiber"]["id"]})) == ["26-00000000000002"]
        assert numbers_of(data(client, query, {"id": placed["theirs"]["id"]})) == []

    @pytest.mark.parametrize(
        ("limit", "offset", "expected", "page"),
        [
            (2, 0, ["26-00000000000004", "26-00000000000002"], {"totalCount": 3, "pageSize": 2, "pageNumber": 1}),
            (2, 2, ["26-00000000000001"], {"totalCount": 3, "pageSize": 2, "pageNumber": 2}),
            (2, 4, [], {"totalCount": 3, "pageSize": 2, "pageNumber": 3}),
            (1, 1, ["26-00000000000002"], {"totalCount": 3, "pageSize": 1, "pageNumber": 2}),
            (100, 0, ["26-00000000000004", "26-00000000000002", "26-00000000000001"], None),
        ],
    )
    def test_pages_match_their_page_info(self, client, placed, limit, offset, expected, page):
        found = data(
            client,
            f"query($limit: Int, $offset: Int) {{ getOrders(filter: {{limit: $limit, offset: $offset}}) {NUMBERS} }}",
            {"limit": limit, "offset": offset},
        )
        assert numbers_of(found) == expected
        assert found["getOrders"]["pageInfo"] == (page or {"totalCount": 3, "pageSize": 100, "pageNumber": 1})

    def test_the_count_of_a_filtered_page_is_that_of_the_filter(self, client, placed):
        found = data(client, f'{{ getOrders(filter: {{lineOfBusiness: "WIRELESS", limit: 1}}) {NUMBERS} }}')
        assert found["getOrders"] == {
            "orders": [{"orderId": "26-00000000000004"}],
            "pageInfo": {"totalCount": 2, "pageSize": 1, "pageNumber": 1},
        }

    @pytest.mark.parametrize(
        ("condition", "field", "message"),
        [
            ("limit: 0", "filter.limit", "filter.limit must be an integer from 1 to 100"),
            ("limit: 101", "filter.limit", "filter.limit must be an integer from 1 to 100"),
            ("offset: -1", "filter.offset", "filter.offset must be an integer from 0 to 1000000"),
            ('lineOfBusiness: "DTV"', "filter.lineOfBusiness", "filter.lineOfBusiness must be one of WIRELESS, FIBER"),
            (
                'orderDate: "16/01/2026"',
                "filter.orderDate",
                "filter.orderDate must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)",
            ),
            (
                'orderDate: "2026-02-30"',
                "filter.orderDate",
                "filter.orderDate must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)",
            ),
            (
                'orderDate: "2026-01-17/2026-01-15"',
                "filter.orderDate",
                "filter.orderDate ends (2026-01-15) before it starts (2026-01-17)",
            ),
            ('orderDate: "../.."', "filter.orderDate", "filter.orderDate must have at least one end"),
            ('orderId: ""', "filter.orderId", "filter.orderId must be 1 to 64 characters long"),
            (
                f'accountNumber: "{"9" * 65}"',
                "filter.accountNumber",
                "filter.accountNumber must be 1 to 64 characters long",
            ),
        ],
    )
    def test_a_value_that_means_nothing_is_an_error_of_get_orders(self, client, placed, condition, field, message):
        response = gql(client, f"{{ getOrders(filter: {{{condition}}}) {NUMBERS} }}")
        assert response.status_code == 200, "the request ran: a field error"
        assert response.json() == {
            "errors": [
                {
                    "message": message,
                    "locations": [{"line": 1, "column": 3}],
                    "path": ["getOrders"],
                    "extensions": {"code": "BAD_USER_INPUT", "field": field},
                }
            ],
            "data": {"getOrders": None},
        }


class TestPartners:
    def test_a_partner_sees_only_its_orders(self, client, placed):
        theirs = data(client, f"{{ getOrders {NUMBERS} }}", headers=OTHER_AUTH)
        assert theirs["getOrders"] == {
            "orders": [{"orderId": "26-00000000000003"}],
            "pageInfo": {"totalCount": 1, "pageSize": 20, "pageNumber": 1},
        }

    @pytest.mark.parametrize(
        "condition",
        [
            'orderId: "26-00000000000001"',
            'accountNumber: "556165899573"',
            'orderDate: "2026-01-15"',
            'lineOfBusiness: "FIBER"',
            "offset: 1",
        ],
    )
    def test_no_filter_finds_another_partners_order(self, client, placed, condition):
        found = data(client, f"{{ getOrders(filter: {{{condition}}}) {NUMBERS} }}", headers=OTHER_AUTH)
        assert found["getOrders"]["orders"] == []
        assert found["getOrders"]["pageInfo"]["totalCount"] in (0, 1)

    def test_the_customers_name_needs_the_customers_read_scope(self, client, keys, placed):
        reader = {"Authorization": f"Bearer {keys.create(scopes=['carts:read'])}"}
        response = gql(
            client,
            '{ getOrders(filter: {orderId: "26-00000000000002"}) { orders { customer { id firstName } } } }',
            headers=reader,
        )
        assert response.status_code == 200
        assert response.json() == {
            "errors": [
                {
                    "message": "customer.firstName is personal data: it needs the scope customers:read",
                    "locations": [{"line": 1, "column": 78}],
                    "path": ["getOrders", "orders", 0, "customer", "firstName"],
                    "extensions": {"code": "FORBIDDEN"},
                }
            ],
            "data": {"getOrders": {"orders": [{"customer": {"id": JORDAN, "firstName": None}}]}},
        }

    def test_the_query_needs_the_carts_read_scope(self, client, keys):
        writer = {"Authorization": f"Bearer {keys.create(scopes=['carts:write', 'orders:submit'])}"}
        assert_error(gql(client, f"{{ getOrders {NUMBERS} }}", headers=writer), 403, "OMNICART-AUTH-0403")


class TestCustomers:
    def test_a_customer_the_directory_does_not_know_has_no_name(self, client):
        seed = {**SEED_REQUEST, "relatedParty": [{**SEED_REQUEST["relatedParty"][2], "id": "not-in-the-world"}]}
        created = client.post(CARTS, json={**seed, "items": line()}).json()
        complete_configuration(client, created["id"])
        assert client.post(submit_url(created["id"])).status_code == 200
        found = data(client, "{ getOrders { orders { customer { id firstName } } } }")
        assert found["getOrders"]["orders"] == [{"customer": {"id": "not-in-the-world", "firstName": None}}]

    def test_an_order_without_a_customer_party_has_no_customer(self, client):
        seed = {**SEED_REQUEST, "relatedParty": SEED_REQUEST["relatedParty"][:2]}
        created = client.post(CARTS, json={**seed, "items": line()}).json()
        complete_configuration(client, created["id"])
        assert client.post(submit_url(created["id"])).status_code == 200
        assert data(client, "{ getOrders { orders { customer { firstName } } } }")["getOrders"]["orders"] == [
            {"customer": None}
        ]

    def test_a_failing_directory_is_an_error_of_each_name_not_of_the_query(self, client, placed):
        class Failing:
            async def get(self, customer_id):
                raise DownstreamFailure("customer directory", "timed out")

        client.app.state.services.order_query.providers = Providers("failing", customers=Failing())
        response = gql(
            client, '{ getOrders(filter: {lineOfBusiness: "FIBER"}) { orders { orderId customer { firstName } } } }'
        )
        assert response.status_code == 200
        assert response.json() == {
            "errors": [
                {
                    "message": "the customer directory service failed: timed out",
                    "locations": [{"line": 1, "column": 78}],
                    "path": ["getOrders", "orders", 0, "customer", "firstName"],
                    "extensions": {"code": "DOWNSTREAM_FAILURE"},
                }
            ],
            "data": {"getOrders": {"orders": [{"orderId": "26-00000000000002", "customer": {"firstName": None}}]}},
        }

    def test_the_directory_is_asked_once_per_customer_per_query(self, client, placed):
        directory = client.app.state.services.order_query.providers.customers
        asked = []

        class Counting:
            async def get(self, customer_id):
                asked.append(customer_id)
                return await directory.get(customer_id)

        client.app.state.services.order_query.providers = Providers("counting", customers=Counting())
        found = data(
            client,
            "{ a: getOrders { orders { customer { firstName } } } b: getOrders { orders { customer { firstName } } } }",
        )
        assert [o["customer"]["firstName"] for o in found["a"]["orders"] + found["b"]["orders"]] == ["Jordan"] * 6
        assert asked == [JORDAN]
