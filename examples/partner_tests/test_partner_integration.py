"""A partner's integration tests, as a partner writes them: `pip install omnicart`, then
use the fixtures. Nothing else is set up (no conftest.py, no server started by hand).
Typed as a partner's checked code is: `mypy --strict` passes over it (the package ships
py.typed; the dict shapes are omnicart.client's TypedDicts)."""

import pytest

from omnicart.client import ChannelDict, ItemDict, OmnicartError, PaymentMethodsDict, RelatedPartyDict
from omnicart.testing import Events, OmnicartServer

CHANNEL: ChannelDict = {"id": "IND", "name": "IND", "extensions": [{"name": "subChannel", "value": "bestbuy"}]}
PARTIES: list[RelatedPartyDict] = [
    {"referredType": "individual", "role": "owner", "id": "2f3ca666-744d-4aa3-9351-e259185a065b"},
    {"referredType": "customer", "role": "customer", "id": "3f7f9189-974e-4639-8343-4a1819a98c7e"},
]
LINE: list[ItemDict] = [  # a new line from the sandbox's sample catalog: plan, phone, SIM, protection
    {"productOrderItemId": "line-1", "productOfferingType": "Mobile_Offer",
     "productOfferingId": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"},
    {"productOrderItemId": "line-1-phone", "productOfferingType": "Mobile_Device",
     "productOfferingId": "Mobile_Device_pkey72544_sku2675503", "rootBundleProductOrderItemId": "line-1"},
    {"productOrderItemId": "line-1-sim", "productOfferingType": "SIM",
     "productOfferingId": "SIM_pkey80001_sku6001001", "rootBundleProductOrderItemId": "line-1"},
    {"productOrderItemId": "line-1-protect", "productOfferingType": "Device_Protection",
     "productOfferingId": "4b9f1e2a-7c3d-4e8f-9a10-2b3c4d5e6f70", "rootBundleProductOrderItemId": "line-1"},
]


def payment(cart_id: str) -> PaymentMethodsDict:
    """A payment method with the customer's consent to the terms: the last steps before submit."""
    return {"paymentMethods": [{"id": "pm-1", "cartId": cart_id, "storeTermsConditionConsent": True}]}


def test_a_cart_becomes_an_order_and_we_hear_about_it(omnicart_server: OmnicartServer, omnicart_events: Events) -> None:
    api = omnicart_server.client
    cart = api.create_cart(CHANNEL, PARTIES)
    cart = api.add_items(cart.id, LINE, if_match=cart.version)
    assert not cart.validation.errors, cart.validation
    # Payment and the customer's consent to the terms complete the cart's configuration.
    api.payment_methods(payment(cart.id))
    assert api.get_cart(cart.id).validation.readyToSubmit
    order = api.express_submit(cart.id)
    assert order.state == "Submitted"
    omnicart_events.wait("ShoppingCartCreateEvent", cart_id=cart.id)
    created = omnicart_events.wait("ProductOrderCreateEvent", cart_id=cart.id)
    assert created[0]["event"]["productOrder"]["id"] == order.id
    # The sandbox fulfils the order on its own; the plugin makes its steps quick.
    omnicart_events.wait("ProductOrderStateChangeEvent", cart_id=cart.id, count=3, timeout=30)
    assert api.get_order(order.id).state == "Completed"


@pytest.mark.omnicart(scenario="submit_rejected")
def test_we_handle_a_rejected_order(omnicart_server: OmnicartServer) -> None:
    api = omnicart_server.client
    cart = api.create_cart(CHANNEL, PARTIES, LINE)
    api.payment_methods(payment(cart.id))
    with pytest.raises(OmnicartError) as rejected:
        api.express_submit(cart.id)
    assert rejected.value.status == 422
    assert rejected.value.code == "EXTSALESOPS-CART_CREATE-OAV-0013"
    assert api.get_cart(cart.id).state.value == "Draft"


@pytest.mark.omnicart(profile="carrier")
def test_against_the_carrier_profile(omnicart_server: OmnicartServer) -> None:
    assert omnicart_server.profile == "carrier"
    cart = omnicart_server.client.create_cart(CHANNEL, PARTIES)
    assert cart.id in {found.id for found in omnicart_server.client.carts()}
