"""TMF622 Product Ordering over omnicart's orders (docs/tmf.md): one store, two shapes,
the lifecycle in TMF622's states, cancelProductOrder, PATCH, and TMF630's conventions as
they apply to product orders. The CTK itself: test_tmf622_ctk.py; the mapping's every
field: tests/unit/test_tmf_orders.py."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.api.conftest import CARTS, ORDERS, advance, submit_url
from tests.carts import VALUE_PLUS
from tests.credentials import API_KEYS, AUTH, JWT_SECRET, OTHER_AUTH
from tests.outbox import outbox
from tests.tmf.answers import tmf_error
from tests.tmf.tmf622 import (
    CANCEL_PRODUCT_ORDER,
    CANCEL_PRODUCT_ORDERS,
    CANCELLATIONS,
    PRODUCT_ORDER,
    PRODUCT_ORDERS,
    conforms,
)
from tests.tmf.tmf622 import ORDERS as PRODUCT_ORDERS_PATH

PLACED = "2026-01-15T12:00:00.250Z"  # the fake clock's now
# The carrier's input codes, as every body decoding answers them (docs/tmf.md, "Errors").
MISSING = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001"
INVALID = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"
STEP = 5  # seconds between two simulated fulfilment steps (the default)
A_PLAN = {
    "productOrderItem": [{"id": "line-1", "action": "add", "productOffering": {"id": VALUE_PLUS}}],
    "relatedParty": [{"id": "cust-1", "role": "customer", "@referredType": "Individual"}],
    "description": "Spring promotion",
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Sandbox mode, the simulator's loop never firing: orders move when a test advances."""
    return Settings(
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        database_url=database_url,
        pool_size=4,
        sandbox=True,
        fulfilment_poll_seconds=3600,
    )


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every test here runs on the fake clock."""


@pytest.fixture
def placed(client) -> dict:
    """A productOrder created through TMF622, as its 201 answered."""
    response = client.post(PRODUCT_ORDERS_PATH, json=A_PLAN)
    assert response.status_code == 201, response.text
    return response.json()


def href(order_id: str) -> str:
    return f"http://testserver{PRODUCT_ORDERS_PATH}/{order_id}"


class TestOneStoreTwoShapes:
    def test_a_created_product_order_answers_201_with_its_location_and_etag(self, client, placed):
        conforms(placed, PRODUCT_ORDER)
        assert placed["href"] == href(placed["id"])
        assert (placed["state"], placed["orderDate"], placed["description"]) == (
            "acknowledged",
            PLACED,
            "Spring promotion",
        )
        assert [(item["id"], item["productOffering"]["id"]) for item in placed["productOrderItem"]] == [
            ("line-1", VALUE_PLUS)
        ]
        again = client.get(f"{PRODUCT_ORDERS_PATH}/{placed['id']}")
        assert again.headers["etag"] == '"1"'
        assert again.json() == placed

    def test_a_product_order_created_through_tmf622_is_an_omnicart_order(self, client, placed, database_url):
        order = client.get(f"{ORDERS}/{placed['id']}").json()
        assert (order["state"], order["submissionDate"]) == ("Submitted", PLACED)
        assert [item["productOrderItemId"] for item in order["productOrderItem"]] == ["line-1"]
        assert order["relatedParty"] == [{"id": "cust-1", "role": "customer", "referredType": "Individual"}]
        cart = client.get(f"{CARTS}/{order['cartId']}").json()
        assert (cart["state"], cart["productOrder"][0]["id"]) == ("Submitted", placed["id"])
        assert [kind for kind, _ in outbox(database_url)] == [
            "ShoppingCartCreateEvent",
            "ShoppingCartStateChangeEvent",
            "ProductOrderCreateEvent",
        ]

    def test_an_express_submitted_order_is_a_product_order_under_the_same_id(self, client, ready_cart):
        submitted = client.post(submit_url(ready_cart["id"])).json()
        response = client.get(f"{PRODUCT_ORDERS_PATH}/{submitted['id']}")
        assert response.status_code == 200, response.text
        order = response.json()
        conforms(order, PRODUCT_ORDER)
        assert (order["id"], order["state"], order["orderDate"]) == (submitted["id"], "acknowledged", PLACED)
        assert [item["id"] for item in order["productOrderItem"]] == [
            item["productOrderItemId"] for item in ready_cart["productOrderItem"]
        ]
        assert [party["id"] for party in order["relatedParty"]] == [party["id"] for party in ready_cart["relatedParty"]]
        listed = client.get(PRODUCT_ORDERS_PATH).json()
        assert [entry["id"] for entry in listed] == [submitted["id"]]

    def test_the_lifecycle_reads_in_tmf622_states(self, client, clock, placed):
        seen = []
        for _ in range(3):
            advance(client, clock, STEP)
            seen.append(client.get(f"{PRODUCT_ORDERS_PATH}/{placed['id']}").json()["state"])
        assert seen == ["acknowledged", "inProgress", "completed"]
        order = client.get(f"{PRODUCT_ORDERS_PATH}/{placed['id']}")
        assert order.headers["etag"] == '"4"'
        assert order.json()["completionDate"] == "2026-01-15T12:00:15.250Z"

    def test_another_partners_order_answers_404_like_an_unknown_one(self, client, placed):
        response = client.get(f"{PRODUCT_ORDERS_PATH}/{placed['id']}", headers=OTHER_AUTH)
        tmf_error(response, 404, "OMNICART-ORDER-0404")
        assert client.get(PRODUCT_ORDERS_PATH, headers=OTHER_AUTH).json() == []


class TestCreating:
    def test_the_carrier_profile_answers_the_create_200_and_errors_alike(self, settings):
        carrier = dataclasses.replace(settings, profile="carrier")
        with TestClient(create_app(carrier), headers=AUTH) as client:
            created = client.post(PRODUCT_ORDERS_PATH, json=A_PLAN)
            assert (created.status_code, created.json()["state"]) == (200, "acknowledged")
            assert created.headers["location"] == href(created.json()["id"])
            not_json = client.post(PRODUCT_ORDERS_PATH, json=A_PLAN, headers={"content-type": "text/plain"})
            tmf_error(not_json, 400, "OMNICART-REQUEST-0002")

    def test_an_idempotency_key_replays_the_first_answer(self, client):
        first = client.post(PRODUCT_ORDERS_PATH, json=A_PLAN, headers={"Idempotency-Key": "po-1"})
        again = client.post(PRODUCT_ORDERS_PATH, json=A_PLAN, headers={"Idempotency-Key": "po-1"})
        assert (again.status_code, again.headers["idempotent-replayed"]) == (201, "true")
        assert again.json() == first.json()
        assert again.headers["location"] == first.headers["location"]
        assert len(client.get(PRODUCT_ORDERS_PATH).json()) == 1

    @pytest.mark.parametrize(
        ("body", "code", "field"),
        [
            ({"relatedParty": []}, MISSING, "productOrderItem"),
            ({"productOrderItem": [{"action": "add"}]}, MISSING, "productOrderItem[0].id"),
            ({"productOrderItem": []}, INVALID, "productOrderItem"),
            ({"productOrderItem": [{"id": "1", "action": "replace"}]}, INVALID, "productOrderItem[0].action"),
            (
                {"productOrderItem": [{"id": "1", "action": "add", "quantity": 0}]},
                INVALID,
                "productOrderItem[0].quantity",
            ),
        ],
    )
    def test_a_bad_body_is_refused_in_tmf_error_and_makes_nothing(self, client, body, code, field):
        response = client.post(PRODUCT_ORDERS_PATH, json=body)
        error = tmf_error(response, 400, code)
        assert [entry["field"] for entry in error["details"]["errors"]] == [field]
        assert client.get(PRODUCT_ORDERS_PATH).json() == []
        assert client.get(CARTS).json() == []

    def test_two_items_of_one_id_are_refused(self, client):
        twice = {"productOrderItem": [{"id": "1", "action": "add"}, {"id": "1", "action": "add"}]}
        tmf_error(client.post(PRODUCT_ORDERS_PATH, json=twice), 409, "OMNICART-ITEM-0409")
        assert client.get(PRODUCT_ORDERS_PATH).json() == []


class TestChanging:
    MERGE = {"content-type": "application/merge-patch+json"}

    def test_a_merge_patch_sets_and_removes_descriptive_attributes(self, client, placed, database_url):
        url = f"{PRODUCT_ORDERS_PATH}/{placed['id']}"
        patch = {"description": None, "priority": "1", "note": [{"text": "call first"}]}
        response = client.patch(url, json=patch, headers={**self.MERGE, "If-Match": '"1"'})
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == '"2"'
        changed = response.json()
        conforms(changed, PRODUCT_ORDER)
        assert ("description" in changed, changed["priority"], changed["note"]) == (
            False,
            "1",
            [{"text": "call first"}],
        )
        assert client.get(url).json() == changed
        assert [kind for kind, _ in outbox(database_url, "productOrder")][-1] == "ProductOrderAttributeValueChangeEvent"

    def test_a_patch_that_changes_nothing_keeps_the_version(self, client, placed, database_url):
        url = f"{PRODUCT_ORDERS_PATH}/{placed['id']}"
        response = client.patch(url, json={"description": "Spring promotion"}, headers=self.MERGE)
        assert (response.status_code, response.headers["etag"]) == (200, '"1"')
        assert "ProductOrderAttributeValueChangeEvent" not in [kind for kind, _ in outbox(database_url)]

    def test_a_stale_if_match_is_refused_and_changes_nothing(self, client, placed):
        url = f"{PRODUCT_ORDERS_PATH}/{placed['id']}"
        response = client.patch(url, json={"priority": "2"}, headers={**self.MERGE, "If-Match": '"7"'})
        tmf_error(response, 412, "OMNICART-CART-0412")
        assert client.get(url).json() == placed

    @pytest.mark.parametrize("field", ["productOrderItem", "relatedParty", "state", "id"])
    def test_what_the_order_placed_keeps_is_ignored_with_a_warning(self, client, placed, field):
        url = f"{PRODUCT_ORDERS_PATH}/{placed['id']}"
        response = client.patch(url, json={field: "changed"}, headers=self.MERGE)
        assert (response.status_code, response.headers["etag"]) == (200, '"1"')
        assert response.headers["warning"] == f'299 - "`{field}` is the service\'s and was ignored"'
        assert client.get(url).json() == placed


class TestCancelling:
    def test_a_cancellation_is_a_task_that_completes_with_the_order(self, client, clock, placed):
        body = {"productOrder": {"id": placed["id"]}, "cancellationReason": "moved abroad"}
        response = client.post(CANCELLATIONS, json=body)
        assert response.status_code == 201, response.text
        task = response.json()
        conforms(task, CANCEL_PRODUCT_ORDER)
        task_href = f"http://testserver{CANCELLATIONS}/{placed['id']}"
        assert (response.headers["location"], task["href"], task["state"]) == (task_href, task_href, "inProgress")
        assert task["productOrder"] == {"id": placed["id"], "href": placed["href"], "@referredType": "ProductOrder"}
        assert client.get(f"{PRODUCT_ORDERS_PATH}/{placed['id']}").json()["state"] == "pendingCancellation"

        advance(client, clock, STEP)
        done = client.get(f"{CANCELLATIONS}/{placed['id']}").json()
        assert (done["state"], done["effectiveCancellationDate"]) == ("done", "2026-01-15T12:00:05.250Z")
        order = client.get(f"{PRODUCT_ORDERS_PATH}/{placed['id']}").json()
        assert (order["state"], order["cancellationReason"]) == ("cancelled", "moved abroad")
        listed = client.get(CANCELLATIONS)
        conforms(listed.json(), CANCEL_PRODUCT_ORDERS)
        assert [entry["id"] for entry in listed.json()] == [placed["id"]]

    def test_asking_again_answers_the_same_task(self, client, placed):
        body = {"productOrder": {"id": placed["id"]}}
        first = client.post(CANCELLATIONS, json=body).json()
        assert client.post(CANCELLATIONS, json=body).json() == first

    def test_a_completed_order_cannot_be_cancelled(self, client, clock, placed):
        for _ in range(3):
            advance(client, clock, STEP)
        response = client.post(CANCELLATIONS, json={"productOrder": {"id": placed["id"]}})
        tmf_error(response, 409, "OMNICART-ORDER-0409")
        assert client.get(f"{PRODUCT_ORDERS_PATH}/{placed['id']}").json()["state"] == "completed"
        assert client.get(CANCELLATIONS).json() == []

    def test_an_unknown_order_or_task_answers_404(self, client, placed):
        unknown = "f42b01d2-dba6-4442-a0fa-34e59639fd15"
        response = client.post(CANCELLATIONS, json={"productOrder": {"id": unknown}})
        tmf_error(response, 404, "OMNICART-ORDER-0404")
        tmf_error(client.get(f"{CANCELLATIONS}/{placed['id']}"), 404, "OMNICART-ORDER-0404")


class TestDeleting:
    def test_a_placed_order_is_kept_and_deleting_it_points_to_cancelling(self, client, placed):
        response = client.delete(f"{PRODUCT_ORDERS_PATH}/{placed['id']}")
        error = tmf_error(response, 409, "OMNICART-ORDER-0409")
        assert CANCELLATIONS in error["message"]
        assert client.get(f"{PRODUCT_ORDERS_PATH}/{placed['id']}").json() == placed

    def test_an_unknown_order_answers_404(self, client):
        response = client.delete(f"{PRODUCT_ORDERS_PATH}/f42b01d2-dba6-4442-a0fa-34e59639fd15")
        tmf_error(response, 404, "OMNICART-ORDER-0404")


class TestFinding:
    @pytest.fixture
    def three(self, client, clock) -> list[str]:
        """Three orders three seconds apart, newest first, as the simulator left them at
        12:00:10.250: Submitted (placed 12:00:06.250), Acknowledged (12:00:03.250), InProgress
        (12:00:00.250)."""
        ids = [client.post(PRODUCT_ORDERS_PATH, json=A_PLAN).json()["id"]]
        for _ in range(2):
            clock.advance(3)
            ids.append(client.post(PRODUCT_ORDERS_PATH, json=A_PLAN).json()["id"])
        advance(client, clock, 4)
        return ids[::-1]

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({}, [0, 1, 2]),
            ({"state": "inProgress"}, [2]),
            ({"state": "acknowledged"}, [0, 1]),
            ({"state": "rejected"}, []),
            ({"orderDate": "2026-01-15T12:00:03.250Z"}, [1]),
            ({"orderDate.gt": "2026-01-15T12:00:00.250Z"}, [0, 1]),
            ({"orderDate.lt": "2026-01-15T12:00:03.250Z"}, [2]),
        ],
    )
    def test_the_filters_find_what_they_name(self, client, three, query, expected):
        response = client.get(PRODUCT_ORDERS_PATH, params=query)
        assert response.status_code == 200, response.text
        conforms(response.json(), PRODUCT_ORDERS)
        assert [entry["id"] for entry in response.json()] == [three[index] for index in expected]

    def test_a_partial_page_answers_206_with_the_counts(self, client, three):
        response = client.get(PRODUCT_ORDERS_PATH, params={"state": "acknowledged", "limit": 1, "offset": 1})
        assert response.status_code == 206
        assert (response.headers["x-result-count"], response.headers["x-total-count"]) == ("1", "2")
        assert [entry["id"] for entry in response.json()] == [three[1]]

    def test_fields_keeps_only_what_it_names(self, client, three):
        response = client.get(PRODUCT_ORDERS_PATH, params={"fields": "state", "limit": 1})
        assert response.json() == [
            {"id": three[0], "href": href(three[0]), "state": "acknowledged", "@type": "ProductOrder"}
        ]

    def test_an_unknown_state_is_refused(self, client):
        response = client.get(PRODUCT_ORDERS_PATH, params={"state": "Submitted"})
        tmf_error(response, 400, INVALID)
