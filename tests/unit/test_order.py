"""Placing an order from a cart, the order's identifiers, and how it is shown."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from omnicart.domain.context import CartLimits
from omnicart.domain.errors import CartNotModifiable, CartNotReady, SubmissionRejected
from omnicart.domain.order import PlannedStep, new_access_token, new_customer_order_id, place_order
from omnicart.domain.pricing import load_default_tax_table, price_cart
from omnicart.domain.representation import order_document, submitted_order
from omnicart.domain.rules import validate_cart
from omnicart.wire.cart import State
from omnicart.wire.orders import Submission
from tests.conftest import SEED_REQUEST
from tests.unit.conftest import configure_all

AT = datetime(2026, 11, 28, 13, 39, 39, 480000, tzinfo=UTC)
PLAN = [PlannedStep(State.ACKNOWLEDGED, AT + timedelta(seconds=5))]


@pytest.fixture
def ready_cart(cart_with, item, catalog, now):
    cart = cart_with(item("Value Plus VL", id="line"), item("Google Pixel 9 128GB", root="line"))
    configure_all(cart, catalog)
    price_cart(cart, catalog, load_default_tax_table())
    cart.validation = validate_cart(cart, catalog, now, CartLimits())
    assert cart.validation.readyToSubmit
    return cart


def place(cart, **overrides):
    arguments = {
        "at": AT,
        "customer_order_id": "26-00000000000042",
        "submission": Submission(terms={"WCA": True}),
        "plan": PLAN,
    }
    return place_order("partner-bestbuy", cart, **{**arguments, **overrides})


class TestPlacing:
    def test_a_ready_cart_becomes_a_submitted_order_and_is_frozen(self, ready_cart):
        order = place(ready_cart, scenario="fallout")
        assert (order.state, order.submissionDate, order.lastUpdate) == (State.SUBMITTED, AT, AT)
        assert (order.cartId, order.owner, order.customerOrderId) == (
            ready_cart.id,
            "partner-bestbuy",
            "26-00000000000042",
        )
        assert order.submission == Submission(terms={"WCA": True}) and order.mockScenario == "fallout"
        assert order.plan == PLAN and order.next_step_at == PLAN[0].at
        assert [(c.state, c.date) for c in order.stateHistory] == [(State.SUBMITTED, AT)]
        assert (ready_cart.state, ready_cart.version, ready_cart.lastUpdate) == (
            State.SUBMITTED,
            2,
            "2026-11-28T13:39:39.480Z",
        )
        assert order.cart is ready_cart
        with pytest.raises(CartNotModifiable):
            ready_cart.ensure_modifiable()

    def test_a_cart_with_errors_is_refused_with_its_error_messages(self, cart_with, item, catalog, now):
        cart = cart_with(item("Value Plus VL", id="line"), item("no-such-offering", id="ghost"))
        cart.validation = validate_cart(cart, catalog, now, CartLimits())
        with pytest.raises(CartNotReady) as refused:
            place(cart)
        (message,) = refused.value.details["validationMessage"]
        assert message["type"] == "error" and {"name": "code", "value": "OFFERING_NOT_FOUND"} in message["parameter"]
        assert cart.state is State.DRAFT and cart.version == 1

    def test_an_empty_cart_is_refused_saying_it_is_empty(self, cart_with, catalog, now):
        cart = cart_with()
        cart.validation = validate_cart(cart, catalog, now, CartLimits())
        with pytest.raises(CartNotReady, match="no items") as refused:
            place(cart)
        assert refused.value.details["validationMessage"][0]["parameter"] == [{"name": "code", "value": "CART_EMPTY"}]

    def test_a_submitted_cart_cannot_be_submitted_again(self, ready_cart):
        place(ready_cart)
        with pytest.raises(CartNotModifiable):
            place(ready_cart)

    def test_the_order_systems_rejection_comes_after_validation(self, ready_cart, cart_with):
        with pytest.raises(SubmissionRejected) as rejected:
            place(ready_cart, rejection=("EXTSALESOPS-CART_CREATE-OAV-0013", "a pending order"))
        assert rejected.value.code == "EXTSALESOPS-CART_CREATE-OAV-0013"
        assert ready_cart.state is State.DRAFT
        with pytest.raises(CartNotReady):
            place(cart_with(), rejection=("EXTSALESOPS-CART_CREATE-OAV-0013", "a pending order"))


class TestIdentifiers:
    def test_the_customer_order_id_is_the_year_and_14_random_digits(self):
        ids = {new_customer_order_id(AT) for _ in range(200)}
        assert all(re.fullmatch(r"26-\d{14}", i) for i in ids) and len(ids) == 200

    def test_the_access_token_is_41_lowercase_hex_characters(self):
        tokens = {new_access_token() for _ in range(200)}
        assert all(re.fullmatch(r"[0-9a-f]{41}", t) for t in tokens) and len(tokens) == 200

    def test_the_order_id_is_a_time_uuid(self, ready_cart):
        assert uuid.UUID(place(ready_cart).id).version == 1


class TestRepresentation:
    def test_express_submit_answers_exactly_the_carriers_five_fields(self, ready_cart):
        order = place(ready_cart)
        order.move_to(State.ACKNOWLEDGED, AT + timedelta(seconds=5))
        assert msgspec.to_builtins(submitted_order(order)) == {
            "id": order.id,
            "customerOrderId": "26-00000000000042",
            "state": "Submitted",  # as submitted, also when asked again later
            "submissionDate": "2026-11-28T13:39:39.480Z",
            "orderSummaryAccessToken": order.orderSummaryAccessToken,
        }

    def test_the_order_shows_the_cart_as_submitted_and_its_history(self, ready_cart):
        order = place(ready_cart)
        order.move_to(State.PENDING_CANCEL, AT + timedelta(seconds=1), "customer asked")
        order.cancellationReason = "customer asked"
        order.move_to(State.CANCELLED, AT + timedelta(seconds=2))
        document = json.loads(order_document(order, "http://x/omni-svcs/v1/orders/" + order.id))
        assert document["href"].endswith(order.id)
        assert (document["state"], document["cancellationDate"], document["cancellationReason"]) == (
            "Cancelled",
            "2026-11-28T13:39:41.480Z",
            "customer asked",
        )
        assert document["productOrderItem"][0]["productOrderItemId"] == "line"
        assert document["orderTotalPrice"] == msgspec.to_builtins(ready_cart.orderTotalPrice)
        assert document["channel"] == SEED_REQUEST["channel"]
        assert document["relatedParty"] == SEED_REQUEST["relatedParty"]
        assert document["submission"] == {"terms": {"WCA": True}}
        assert document["stateHistory"] == [
            {"state": "Submitted", "date": "2026-11-28T13:39:39.480Z", "reason": "express-submit"},
            {"state": "PendingCancel", "date": "2026-11-28T13:39:40.480Z", "reason": "customer asked"},
            {"state": "Cancelled", "date": "2026-11-28T13:39:41.480Z"},
        ]
        assert "completionDate" not in document and "mockScenario" not in document

    def test_unknown_fields_of_the_cart_and_the_submission_are_shown_where_they_were_sent(self, ready_cart):
        ready_cart.channel.extra = {"storeName": "Union Square"}
        ready_cart.relatedParty[0].extra = {"loyaltyTier": "gold"}
        ready_cart.productOrderItem[1].extra = {"promoCode": "X1"}
        order = place(ready_cart, submission=Submission(terms={"WCA": True}, extra={"note": "gift"}))
        document = json.loads(order_document(order, None))
        assert document["channel"] == {**SEED_REQUEST["channel"], "storeName": "Union Square"}
        assert document["relatedParty"][0] == {**SEED_REQUEST["relatedParty"][0], "loyaltyTier": "gold"}
        assert document["productOrderItem"][1]["promoCode"] == "X1"
        assert "promoCode" not in document["productOrderItem"][0]
        assert document["submission"] == {"terms": {"WCA": True}, "note": "gift"}
        assert "__extra__" not in json.dumps(document)

    def test_an_event_snapshot_has_no_href(self, ready_cart):
        assert "href" not in json.loads(order_document(place(ready_cart), None))
