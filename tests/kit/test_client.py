"""omnicart.client against a live `omnicart serve`, on each store."""

from __future__ import annotations

import asyncio
import re

import pytest
from msgspec import UNSET

from omnicart.client import AsyncClient, Client, OmnicartError, calls
from omnicart.wire.cart import Channel, ProductOrderView
from omnicart.wire.catalog import CarrierOffering
from omnicart.wire.fulfilment import FulfillmentOptionsView
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.orders import OrderView, SubmittedOrder
from tests.carts import IPHONE_11, SIM, add_a_line, byod_items, line
from tests.conftest import SEED_REQUEST
from tests.credentials import KEY, OTHER_KEY, PARTNER


def new_cart(api: Client, items=()) -> ProductOrderView:
    return api.create_cart(SEED_REQUEST["channel"], SEED_REQUEST["relatedParty"], items)


def test_create_and_read_back_as_the_servers_structs(api):
    channel = {**SEED_REQUEST["channel"], "partnerRef": "x-1"}  # a field omnicart does not model
    cart = api.create_cart(channel, SEED_REQUEST["relatedParty"])
    assert isinstance(cart, ProductOrderView) and cart.state.value == "Draft" and cart.version == 1
    assert cart.channel.extra == {"partnerRef": "x-1"}
    assert api.get_cart(cart.id) == cart


def test_items_as_structs_or_dicts_with_if_match(api):
    cart = new_cart(api)
    items = [ProductOrderItem(**item) if i % 2 else item for i, item in enumerate(line())]
    items[0] = {**items[0], "partnerLineRef": "L1"}  # unknown: the answer takes the long decoding
    cart = api.add_items(cart.id, items, if_match=cart.version)
    sent = [item["productOrderItemId"] for item in line()]
    assert [item.productOrderItemId for item in cart.productOrderItem] == sent
    assert cart.productOrderItem[0].extra == {"partnerLineRef": "L1"}
    assert all(item.itemPrice for item in cart.productOrderItem), "prices the service computed are read back"
    with pytest.raises(OmnicartError) as stale:
        api.remove_item(cart.id, "line-1-sim", if_match=1)
    assert (stale.value.status, stale.value.details["currentETag"]) == (412, f'"{cart.version}"')
    changed = api.update_item(cart.id, "line-1-phone", {"quantity": 2}, if_match=f'"{cart.version}"')
    assert changed.productOrderItem[1].quantity == 2
    assert len(api.remove_item(cart.id, "line-1-sim").productOrderItem) == 3


def test_errors_carry_code_status_details(api):
    with pytest.raises(OmnicartError) as missing:
        api.get_cart("00000000-0000-1000-8000-000000000000")
    assert missing.value.status == 404 and missing.value.code
    with pytest.raises(OmnicartError) as bad:
        api.create_cart(Channel(id="IND"), [{"id": "p", "role": "owner"}])
    assert bad.value.status == 400 and bad.value.details["errors"][0]["field"] == "relatedParty[0].referredType"


def test_submit_orders_and_cancel(api):
    cart = new_cart(api, line())
    assert not api.checkout(cart.id).validation.readyToSubmit, "payment and terms are still to complete"
    paid = api.payment_methods(
        {"paymentMethods": [{"id": "pm-1", "cartId": cart.id, "storeTermsConditionConsent": True}]}
    )
    assert paid.status == "success" and paid.paymentMethodId
    assert api.checkout(cart.id).validation.readyToSubmit
    order = api.express_submit(cart.id)
    assert isinstance(order, SubmittedOrder) and order.state == "Submitted"
    assert api.express_submit(cart.id) == order, "submitting again answers the same order"
    read = api.get_order(order.id)
    assert isinstance(read, OrderView) and read.cartId == cart.id
    assert order.id in {found.id for found in api.orders(state="Submitted")}
    assert api.cancel_order(order.id, "changed my mind").state in {"PendingCancel", "Cancelled"}


def test_direct_fulfilment_calls(api):
    """The add-a-line calls, on a cart named by its id (an order of the older flavour is
    named by its customer order id the same way)."""
    example = {
        "productOfferingTypeGroup": "mobileDevice",
        "customerType": "CONSUMER",
        "BYOD": {"edModels": "iPh11PMA2161"},
        "deviceType": ["Phone"],
    }
    offers = api.offers_search(example)
    assert [o.id for o in offers] == [IPHONE_11] and isinstance(offers[0], CarrierOffering)
    cart = new_cart(api, add_a_line())
    options = api.fulfillment_options(cart.id, placeid="P-1")
    assert isinstance(options, FulfillmentOptionsView)
    assert [o.productOrderItemId for o in options.selectedOptions[0].options] == ["line-1-phone", "line-1-sim"]
    phone = {"productOrderItemId": "line-1-phone", "productOffering": {"id": "express-shipping"}}
    chosen = api.select_fulfillment(cart.id, [phone], placeid="P-1", if_match=cart.version)
    assert [(s.productOffering.name, s.status) for s in chosen.selectedOptions] == [("Express Shipping", "success")]
    agreements = api.terms(cart.id).agreements
    assert [a.name for a in agreements] == ["Wireless Customer Agreement", "Installment Agreement"]
    assert api.accept_terms(cart.id, agreements).error is UNSET
    assert api.update_billing(cart.id, {"paperLess": "enrolled"}).status == "success"
    read = api.get_cart(cart.id)
    assert read.fulfillment[0].productOffering.id == "express-shipping" and read.enrollment.paperLess == "enrolled"
    with pytest.raises(OmnicartError) as stale:
        api.update_billing(cart.id, {"autoPay": "enrolled"}, if_match=cart.version)
    assert stale.value.status == 412


def test_iterators_walk_every_page(api, monkeypatch):
    monkeypatch.setattr(calls, "PAGE_SIZE", 2)
    made = {new_cart(api).id for _ in range(5)}
    assert made <= {cart.id for cart in api.carts()}


def test_abandon_and_catalog_and_hubs(api):
    cart = new_cart(api)
    assert api.abandon_cart(cart.id, if_match=1) is None
    with pytest.raises(OmnicartError) as gone:
        api.get_cart(cart.id)
    assert gone.value.status == 404
    offerings = api.product_offerings("SIM")
    assert offerings and {o.productOfferingType for o in offerings} == {"SIM"}


def test_oauth_client_credentials(server):
    with Client(server.url, client_id=PARTNER, client_secret=KEY) as api:
        cart = new_cart(api)
        assert api.credentials.current() is not None, "the token is kept"
        assert api.get_cart(cart.id).id == cart.id
    with Client(server.url, client_id=PARTNER, client_secret="wrong-secret-0123456789") as api:
        with pytest.raises(OmnicartError) as refused:
            new_cart(api)
        assert refused.value.status == 401


def test_partners_are_isolated(server, api):
    cart = new_cart(api)
    with Client(server.url, api_key=OTHER_KEY) as other, pytest.raises(OmnicartError) as hidden:
        other.get_cart(cart.id)
    assert hidden.value.status == 404


def test_async_client(server):
    async def run() -> None:
        async with AsyncClient(server.url, api_key=KEY) as api:
            cart = await api.create_cart(SEED_REQUEST["channel"], SEED_REQUEST["relatedParty"], line())
            await api.payment_methods({"paymentMethods": [{"cartId": cart.id, "storeTermsConditionConsent": True}]})
            assert (await api.terms(cart.id)).agreements[0].name == "Wireless Customer Agreement"
            assert (await api.offers_search({"productOfferingTypeGroup": "BBOffers"}))[0].name == "AT&T Fiber 300"
            order = await api.express_submit(cart.id)
            assert (await api.get_order(order.id)).cartId == cart.id
            assert cart.id in {found.id async for found in api.carts()}
            assert order.id in {found.id async for found in api.orders()}

    asyncio.run(run())


BYOD_CHANNEL = {"id": "IND", "name": "IND", "extensions": [{"name": "Application", "value": "bestbuyMST"}]}
ORDER_NAME = re.compile(r"\d{2}-\d{14}")


def test_a_byod_order_by_its_name(api):
    name = api.create_order(BYOD_CHANNEL, SEED_REQUEST["relatedParty"])
    assert isinstance(name, str) and ORDER_NAME.fullmatch(name)
    cart = api.add_order_items(name, byod_items(), if_match=1)
    assert isinstance(cart, ProductOrderView) and (cart.customerOrderId, cart.version) == (name, 2)
    assert [item.action for item in cart.productOrderItem] == ["noChange", "terminate", "swap;add", "terminate"]
    assert cart.validation.validationMessage == [] and api.get_cart(name) == cart
    with pytest.raises(OmnicartError) as stale:
        api.add_order_items(name, byod_items()[:1], if_match=1)
    assert (stale.value.status, stale.value.details["currentETag"]) == (412, '"2"')
    with Client(str(api.http.base_url), api_key=OTHER_KEY) as other, pytest.raises(OmnicartError) as hidden:
        other.add_order_items(name, byod_items())
    assert hidden.value.status == 404
    api.payment_methods({"paymentMethods": [{"cartId": name, "storeTermsConditionConsent": True}]})
    order = api.express_submit(name)
    assert order.customerOrderId == name and api.get_order(order.id).cartId == cart.id


def test_a_byod_order_with_the_async_client(server):
    async def run() -> None:
        async with AsyncClient(server.url, api_key=KEY) as api:
            name = await api.create_order(BYOD_CHANNEL, SEED_REQUEST["relatedParty"], extra={"partnerRef": "x-1"})
            assert ORDER_NAME.fullmatch(name)
            cart = await api.add_order_items(name, byod_items())
            assert cart.customerOrderId == name and cart.extra == {"partnerRef": "x-1"}
            assert (await api.get_cart(cart.id)).customerOrderId == name

    asyncio.run(run())


def test_orders_query(api, server):
    cart = new_cart(api, line())
    api.payment_methods({"paymentMethods": [{"id": "pm-1", "cartId": cart.id, "storeTermsConditionConsent": True}]})
    order = api.express_submit(cart.id)
    query = "query($id: String) { getOrders(filter: {orderId: $id}) { orders { id orderId } pageInfo { totalCount } } }"
    found = api.query_orders(query, {"id": order.customerOrderId})
    assert found.data == {
        "getOrders": {"orders": [{"id": order.id, "orderId": order.customerOrderId}], "pageInfo": {"totalCount": 1}}
    }
    refused = api.query_orders("{ getOrders { orders { nope } } }")
    assert [error.extensions["code"] for error in refused.errors] == ["GRAPHQL_VALIDATION_FAILED"]
    with Client(server.url, api_key=OTHER_KEY) as other:
        assert other.query_orders(query, {"id": order.customerOrderId}).data["getOrders"]["orders"] == []


def test_the_tmf_namespace_speaks_tmf663_over_the_same_carts(api, server):
    carrier = new_cart(api)
    shown = api.tmf.get_shopping_cart(carrier.id)
    assert (shown.id, shown.href) == (carrier.id, f"{server.url}/tmf-api/shoppingCart/v4/shoppingCart/{carrier.id}")
    patched = api.tmf.patch_shopping_cart(carrier.id, {"cartItem": [{"id": "sim", "productOffering": {"id": SIM}}]})
    assert [item.id for item in patched.cartItem] == ["sim"]
    assert [item.productOrderItemId for item in api.get_cart(carrier.id).productOrderItem] == ["sim"]
    with pytest.raises(OmnicartError) as stale:  # TMF's Error body, read as every error is
        api.tmf.delete_shopping_cart(carrier.id, if_match=1)
    assert (stale.value.status, stale.value.code) == (412, "OMNICART-CART-0412")
    projected = api.tmf.shopping_carts(cart_id=carrier.id, fields="id")
    assert [(found.id, found.cartItem) for found in projected] == [(carrier.id, UNSET)]


def test_the_async_tmf_namespace(server):
    async def run() -> None:
        async with AsyncClient(server.url, api_key=KEY) as api:
            made = await api.tmf.create_shopping_cart()
            assert (await api.tmf.get_shopping_cart(made.id)).cartItem == []
            hub = await api.tmf.register_listener(
                "https://partner.example.com/events", "eventType=ShoppingCartDeleteEvent"
            )
            await api.tmf.delete_shopping_cart(made.id)
            await api.tmf.delete_listener(hub.id)
            assert [found.id for found in await api.tmf.shopping_carts(cart_id=made.id)] == []

    asyncio.run(run())


def test_the_tmf_namespace_speaks_tmf622_over_the_same_orders(api, server):
    placed = api.tmf.create_product_order(
        {"productOrderItem": [{"id": "line-1", "action": "add"}], "description": "through the client"}
    )
    assert (placed.state, placed.description) == ("acknowledged", "through the client")
    assert api.get_order(placed.id).cartId  # an omnicart order, its cart made for it
    assert [found.id for found in api.tmf.product_orders(order_id=placed.id)] == [placed.id]
    assert api.tmf.patch_product_order(placed.id, {"description": None}, if_match=1).description is UNSET
    task = api.tmf.cancel_product_order(placed.id, "changed plans")
    assert (task.id, task.cancellationReason) == (placed.id, "changed plans")
    assert api.tmf.get_cancellation(placed.id).productOrder.id == placed.id
    with pytest.raises(OmnicartError) as refused:
        api.tmf.patch_product_order(placed.id, {"priority": 1})
    assert refused.value.status == 400


def test_the_async_tmf_namespace_places_product_orders(server):
    async def run() -> None:
        async with AsyncClient(server.url, api_key=KEY) as api:
            placed = await api.tmf.create_product_order({"productOrderItem": [{"id": "1", "action": "add"}]})
            assert (await api.tmf.get_product_order(placed.id)).id == placed.id
            assert (await api.tmf.cancel_product_order(placed.id)).productOrder.id == placed.id

    asyncio.run(run())
