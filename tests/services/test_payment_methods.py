"""Configuration tells the truth (issue 10, point 5), as use cases: what
`validation.configuration` marks required blocks readyToSubmit and express submit until
complete; registering payment methods (the carrier's §4.3) completes payment and, with
terms consent, the terms; express submit's body may complete them too. The carrier's
request and answer over HTTP: tests/api/test_payment_methods.py."""

from __future__ import annotations

import pytest

from omnicart.domain.errors import CartNotModifiable, CartNotReady
from omnicart.wire.cart import PaymentRef
from tests.carts import COMPLETE, PROTECT, SIM, VALUE_PLUS, line
from tests.credentials import PARTNER
from tests.services.conftest import document, items, outbox, pay, placed, read, seed, submission

NOT_READY = "OMNICART-CART-0001"


def steps(cart: dict) -> list[tuple[str, str, bool]]:
    return [(c["type"], c["status"], c["required"]) for c in cart["validation"]["configuration"]]


@pytest.fixture
async def line_cart(carts) -> dict:
    """A valid new line whose payment and terms are still pending."""
    cart = document(await carts.create_cart(PARTNER, seed(items=line())))
    assert cart["validation"]["status"] == "valid" and not cart["validation"]["readyToSubmit"]
    assert steps(cart) == [("terms", "pending", True), ("payment", "pending", True)]
    return cart


class TestPaymentMethods:
    async def test_the_carriers_request_completes_payment_and_terms_as_a_cart_change(self, carts, store, line_cart):
        refs = [PaymentRef(id="PM-1", name="paymentmethod_1", paymentProfileId="PP-1")]
        cart = document(await pay(carts, line_cart["id"], refs=refs))
        assert cart["version"] == line_cart["version"] + 1
        assert await read(carts, line_cart["id"]) == cart
        assert steps(cart) == [("terms", "complete", True), ("payment", "complete", True)]
        assert cart["validation"]["readyToSubmit"] is True
        assert [a["id"] for a in cart["agreement"]] == ["WCA", "DP-TC"]
        assert cart["payment"] == [{"id": "PM-1", "name": "paymentmethod_1", "paymentProfileId": "PP-1"}]
        assert "<encrypted_payment_method>" not in str(cart) and "123454" not in str(cart)  # no card data kept
        kinds = [kind for kind, _ in await outbox(store, "shoppingCart")]
        assert kinds == ["ShoppingCartCreateEvent", "ShoppingCartAttributeValueChangeEvent"]

    async def test_without_consent_only_payment_is_complete(self, carts, line_cart):
        cart = document(await pay(carts, line_cart["id"], consent=False, savePaymentProfile=False))
        assert steps(cart) == [("terms", "pending", True), ("payment", "complete", True)]
        assert cart["validation"]["readyToSubmit"] is False

    async def test_terms_needed_by_a_later_change_are_pending_again(self, carts):
        cart = await carts.create_cart(
            PARTNER,
            seed(
                items=[
                    {"productOrderItemId": "l", "productOfferingId": VALUE_PLUS},
                    {"productOfferingId": SIM, "rootBundleProductOrderItemId": "l"},
                ]
            ),
        )
        assert document(await pay(carts, cart.id))["validation"]["readyToSubmit"] is True
        changed = document(
            await carts.add_items(
                PARTNER,
                cart.id,
                items(
                    {
                        "productOfferingId": PROTECT,
                        "rootBundleProductOrderItemId": "l",
                        "characteristic": [{"name": "IMEI", "value": "358073464620280"}],
                    }
                ),
            )
        )
        assert steps(changed)[0] == ("terms", "pending", True) and not changed["validation"]["readyToSubmit"]

    async def test_a_submitted_cart_takes_no_payment(self, carts, orders, ready_cart):
        await orders.submit(PARTNER, ready_cart["id"], submission())
        with pytest.raises(CartNotModifiable) as refused:
            await pay(carts, ready_cart["id"])
        assert refused.value.code == "OMNICART-CART-0409"


class TestExpressSubmitHonoursTheConfiguration:
    async def test_a_valid_cart_with_required_steps_pending_is_not_submitted(self, carts, orders, line_cart):
        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, line_cart["id"], submission())
        assert refused.value.code == NOT_READY
        assert [(s["type"], s["status"]) for s in refused.value.details["configuration"]] == [
            ("terms", "pending"),
            ("payment", "pending"),
        ]
        assert "terms is required and still pending" in refused.value.message
        assert await read(carts, line_cart["id"]) == line_cart
        assert await placed(orders) == []

    async def test_its_body_may_complete_them_as_the_carrier_allows(self, orders, line_cart):
        order, _ = await orders.submit(PARTNER, line_cart["id"], submission(COMPLETE))
        assert document(await orders.get_order(PARTNER, order.id))["submission"] == COMPLETE

    async def test_a_body_completing_only_part_is_refused(self, carts, orders, line_cart):
        partial = {"paymentMethods": [{"id": "pm"}], "terms": {"WCA": True}}  # DP-TC missing
        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, line_cart["id"], submission(partial))
        assert [s["type"] for s in refused.value.details["configuration"]] == ["terms"]
        assert await read(carts, line_cart["id"]) == line_cart
