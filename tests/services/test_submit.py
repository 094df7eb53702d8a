"""Checkout and express submit as use cases: from a draft cart to exactly one order, on the
business rules of Checkout v1.0.1 and Order Submission v1.0.2 (docs/orders.md). Their
requests and answers over HTTP: tests/api/test_submit.py."""

from __future__ import annotations

import asyncio
import json

import msgspec
import pytest

from omnicart.domain.errors import CartNotFound, CartNotModifiable, CartNotReady
from tests.carts import COMPLETE, IMEI, IPHONE, PROTECT, RETIRED, SIM, VALUE_PLUS, line
from tests.credentials import OTHER_PARTNER, PARTNER
from tests.services.conftest import document, items, outbox, pay, placed, read, seed, submission

NOT_READY = "OMNICART-CART-0001"


def error_codes(refused: CartNotReady) -> list[str]:
    return [
        next(p["value"] for p in m["parameter"] if p["name"] == "code") for m in refused.details["validationMessage"]
    ]


class TestExpressSubmit:
    async def test_the_order_and_its_create_event_are_committed_together(self, orders, store, ready_cart):
        order, _ = await orders.submit(PARTNER, ready_cart["id"], submission())
        ((kind, envelope),) = await outbox(store, "productOrder")
        assert kind == envelope["eventType"] == "ProductOrderCreateEvent"
        assert envelope["event"]["productOrder"]["id"] == order.id
        assert envelope["event"]["productOrder"]["state"] == "Submitted"

    async def test_the_submission_is_kept_with_the_order_as_sent(self, orders, ready_cart):
        body = {
            "paymentMethods": [{"id": "paymentmethod_1", "amount": 871.4, "encPaymentMethod": "<encrypted>"}],
            "enrollment": {"autoPay": "enrolled", "paperLess": "enrolled", "paymentProfileId": ""},
            "oneTimePayment": {"paymentMethodId": "paymentmethod_1"},
            "terms": {"WCA": True, "DP-TC": True},
            "fulfillmentOption": {"id": "standard-shipping"},  # not modelled: kept too
        }
        order, _ = await orders.submit(PARTNER, ready_cart["id"], submission(body))
        assert document(await orders.get_order(PARTNER, order.id))["submission"] == body

    async def test_the_submitted_cart_is_frozen(self, carts, orders, ready_cart):
        cart_id = ready_cart["id"]
        await orders.submit(PARTNER, cart_id, submission())

        submitted = await read(carts, cart_id)
        assert (submitted["state"], submitted["version"]) == ("Submitted", ready_cart["version"] + 1)
        for change in (
            lambda: carts.add_items(PARTNER, cart_id, items({"productOfferingId": SIM})),
            lambda: carts.update_item(PARTNER, cart_id, "line-1-sim", lambda i: msgspec.structs.replace(i, quantity=2)),
            lambda: carts.remove_item(PARTNER, cart_id, "line-1-sim"),
            lambda: carts.abandon_cart(PARTNER, cart_id),
        ):
            with pytest.raises(CartNotModifiable) as refused:
                await change()
            assert refused.value.code == "OMNICART-CART-0409"
            assert "Submitted" in refused.value.message
        assert await read(carts, cart_id) == submitted

    async def test_an_invalid_cart_is_refused_with_its_validation_messages(self, carts, orders, cart):
        await carts.add_items(
            PARTNER,
            cart["id"],
            items(
                {"productOrderItemId": "p", "productOfferingType": "Device_Protection", "productOfferingId": PROTECT},
                {"productOrderItemId": "x", "productOfferingId": "no-such-offering"},
            ),
        )
        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, cart["id"], submission())
        assert refused.value.code == NOT_READY
        assert error_codes(refused.value) == ["PROTECTION_WITHOUT_DEVICE", "OFFERING_NOT_FOUND"]
        assert (await read(carts, cart["id"]))["state"] == "Draft"
        assert await placed(orders) == []

    async def test_an_empty_cart_is_refused_saying_so(self, orders, cart):
        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, cart["id"], submission())
        assert refused.value.code == NOT_READY
        assert error_codes(refused.value) == ["CART_EMPTY"]

    async def test_validation_is_checked_again_at_submit_time(self, carts, orders, clock):
        # The iPhone 15 was on sale until 2025-09-19: ready when the cart was made, not a day later.
        clock.now = clock.now.replace(year=2025, month=9, day=18)
        created = await carts.create_cart(
            PARTNER,
            seed(
                items=[
                    {
                        "productOrderItemId": "line",
                        "productOfferingType": "Mobile_Offer",
                        "productOfferingId": VALUE_PLUS,
                    },
                    {
                        "productOrderItemId": "phone",
                        "productOfferingId": RETIRED,
                        "rootBundleProductOrderItemId": "line",
                    },
                ]
            ),
        )
        cart = document(await pay(carts, created.id))
        assert cart["validation"]["readyToSubmit"]
        clock.advance(2 * 86400)

        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, cart["id"], submission())
        assert error_codes(refused.value) == ["OFFERING_NOT_SELLABLE"]
        assert (await read(carts, cart["id"]))["version"] == cart["version"]

    async def test_another_partners_cart_is_not_found(self, carts, orders):
        theirs = await carts.create_cart(OTHER_PARTNER, seed(items=line()))
        with pytest.raises(CartNotFound) as refused:
            await orders.submit(PARTNER, theirs.id, submission(COMPLETE))
        assert refused.value.code == "OMNICART-CART-0404"
        assert await placed(orders, OTHER_PARTNER) == []


class TestSubmittingTwice:
    async def test_a_second_submit_answers_the_same_order(self, orders, ready_cart, clock):
        _, first = await orders.submit(PARTNER, ready_cart["id"], submission())
        clock.advance(60)
        _, again = await orders.submit(PARTNER, ready_cart["id"], submission({"terms": {"WCA": True}}))
        assert again == first
        assert len(await placed(orders)) == 1

    async def test_it_answers_as_submitted_whatever_the_order_became(self, orders, ready_cart):
        order, first = await orders.submit(PARTNER, ready_cart["id"], submission())
        assert (await orders.cancel(PARTNER, order.id)).state == "Cancelled"
        _, again = await orders.submit(PARTNER, ready_cart["id"], submission())
        assert again == first and json.loads(again)["state"] == "Submitted"

    async def test_concurrent_submits_make_exactly_one_order(self, orders, ready_cart):
        submits = [orders.submit(PARTNER, ready_cart["id"], submission()) for _ in range(16)]
        assert len({order.id for order, _ in await asyncio.gather(*submits)}) == 1
        assert len(await placed(orders)) == 1

    async def test_a_taken_customer_order_id_is_drawn_again(self, carts, orders, ready_cart):
        first, _ = await orders.submit(PARTNER, ready_cart["id"], submission())
        other = await carts.create_cart(PARTNER, seed(items=line()))
        drawn = iter([first.customerOrderId, "26-00000000000002"])
        orders.customer_order_ids = lambda at: next(drawn)
        second, _ = await orders.submit(PARTNER, other.id, submission(COMPLETE))
        assert second.customerOrderId == "26-00000000000002"


class TestCheckout:
    async def test_it_answers_validation_totals_terms_and_options_and_changes_nothing(self, carts, orders, ready_cart):
        checkout = await orders.checkout(PARTNER, ready_cart["id"])

        cart = document(checkout.cart)
        assert (cart["id"], cart["version"], cart["state"]) == (ready_cart["id"], ready_cart["version"], "Draft")
        assert cart["validation"] == ready_cart["validation"]
        assert cart["orderTotalPrice"] == ready_cart["orderTotalPrice"]
        assert [t.id for t in checkout.terms] == ["WCA", "DP-TC"]
        assert all(t.name and t.text and t.version and t.required for t in checkout.terms)
        assert [(o.id, o.fulfillmentMethod) for o in checkout.fulfillmentOptions] == [
            ("standard-shipping", "DF"),
            ("express-shipping", "DF"),
            ("store-pickup", "ISPU"),
        ]
        assert msgspec.to_builtins(checkout.fulfillmentOptions[0].dates) == {
            "shipmentDates": {"dateFrom": "2026-01-16", "dateTo": "2026-01-16"},
            "deliveryDates": {"dateFrom": "2026-01-18", "dateTo": "2026-01-20"},
        }
        assert msgspec.to_builtins(checkout.fulfillmentOptions[1].finalPrice) == {
            "dutyFreeAmount": {"unit": "USD", "value": 14.99}
        }
        assert await read(carts, ready_cart["id"]) == ready_cart

    async def test_terms_and_options_follow_what_is_ordered(self, carts, orders, cart):
        await carts.add_items(
            PARTNER,
            cart["id"],
            items(
                {"productOrderItemId": "line", "productOfferingType": "Mobile_Offer", "productOfferingId": VALUE_PLUS},
                {
                    "productOrderItemId": "byod",
                    "productOfferingId": IPHONE,
                    "rootBundleProductOrderItemId": "line",
                    "characteristic": [{"name": "isBYOD", "value": "true"}, {"name": "IMEI", "value": IMEI}],
                },
            ),
        )
        checkout = await orders.checkout(PARTNER, cart["id"])
        # The customer's own phone: nothing to ship, nothing paid in installments.
        assert [t.id for t in checkout.terms] == ["WCA"]
        assert checkout.fulfillmentOptions == []

        await carts.add_items(
            PARTNER,
            cart["id"],
            items({"productOrderItemId": "phone", "productOfferingId": IPHONE, "rootBundleProductOrderItemId": "line"}),
        )
        checkout = await orders.checkout(PARTNER, cart["id"])
        assert [t.id for t in checkout.terms] == ["WCA", "IA"]
        assert len(checkout.fulfillmentOptions) == 3

    async def test_an_empty_cart_has_nothing_to_accept(self, orders, cart):
        checkout = await orders.checkout(PARTNER, cart["id"])
        assert (checkout.terms, checkout.fulfillmentOptions) == ([], [])
        assert checkout.cart.validation.readyToSubmit is False

    async def test_it_validates_as_of_now_without_storing_it(self, carts, orders, clock):
        clock.now = clock.now.replace(year=2025, month=9, day=18)
        created = document(
            await carts.create_cart(
                PARTNER, seed(items=[{"productOrderItemId": "phone", "productOfferingId": RETIRED}])
            )
        )
        clock.advance(2 * 86400)
        checkout = await orders.checkout(PARTNER, created["id"])
        assert checkout.cart.validation.readyToSubmit is False
        assert await read(carts, created["id"]) == created

    async def test_a_submitted_cart_has_no_checkout(self, orders, ready_cart):
        await orders.submit(PARTNER, ready_cart["id"], submission())
        with pytest.raises(CartNotModifiable) as refused:
            await orders.checkout(PARTNER, ready_cart["id"])
        assert refused.value.code == "OMNICART-CART-0409"
