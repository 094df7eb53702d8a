"""What the client takes: an argument of the wrong shape is refused before anything is
sent, with a message naming the argument; the TypedDicts of plain-dict inputs list
exactly the fields of the wire structs the server decodes."""

from __future__ import annotations

import asyncio
from typing import Any, get_type_hints

import httpx
import msgspec
import pytest

from omnicart.client import AsyncClient, Client, shapes
from omnicart.wire.cart import Channel, RelatedParty
from omnicart.wire.credit import CreditApplicationRequest
from omnicart.wire.customers import CustomerAuthRequest
from omnicart.wire.fulfilment import SelectedOption
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.offers import OffersSearch
from omnicart.wire.orders import Submission
from omnicart.wire.payments import PaymentMethod
from omnicart.wire.qualification import ServiceQualificationRequest
from omnicart.wire.terms import AgreementConsent

PLAN = {"productOrderItemId": "line-1", "productOfferingType": "Mobile_Offer", "productOfferingId": "p"}
CHANNEL = {"id": "IND"}
PARTY = {"id": "c1", "role": "customer", "referredType": "customer"}

WRONG = [
    (
        lambda api: api.add_items("c", {"items": [PLAN]}),
        "items: expected a list of items, got a dict with key 'items' — pass body['items']",
    ),
    (
        lambda api: api.add_items("c", PLAN),
        "items: expected a list of items, got a dict with keys 'productOrderItemId', 'productOfferingType',"
        " 'productOfferingId' — pass [it] for one",
    ),
    (lambda api: api.add_items("c", ["line-1"]), "items[0]: expected an object (a dict or a wire struct), got a str"),
    (lambda api: api.add_order_items("26-1", "line-1"), "items: expected a list of items, got a str"),
    (
        lambda api: api.create_cart(CHANNEL, [PARTY], {"items": [PLAN]}),
        "items: expected a list of items, got a dict with key 'items' — pass body['items']",
    ),
    (
        lambda api: api.create_cart(CHANNEL, {"relatedParty": [PARTY]}),
        "related_party: expected a list of relatedParty, got a dict with key 'relatedParty'"
        " — pass body['relatedParty']",
    ),
    (
        lambda api: api.create_cart({"channel": CHANNEL}, [PARTY]),
        "channel: expected the channel object, got a dict with key 'channel' — pass body['channel']",
    ),
    (lambda api: api.create_cart("IND", [PARTY]), "channel: expected an object (a dict or a wire struct), got a str"),
    (
        lambda api: api.payment_methods([{"cartId": "c"}]),
        "request: expected an object (a dict or a wire struct), got a list — pass {'paymentMethods': [...]}",
    ),
    (
        lambda api: api.select_fulfillment("26-1", {"selectedOptions": []}),
        "selected: expected a list of selectedOptions, got a dict with key 'selectedOptions'"
        " — pass body['selectedOptions']",
    ),
    (
        lambda api: api.accept_terms("26-1", {"agreements": []}),
        "agreements: expected a list of agreements, got a dict with key 'agreements' — pass body['agreements']",
    ),
    (
        lambda api: api.update_billing("26-1", {"enrollment": {"autoPay": "enrolled"}}),
        "enrollment: expected the enrollment object, got a dict with key 'enrollment' — pass body['enrollment']",
    ),
    (lambda api: api.update_item("c", "i", [("quantity", 2)]), "patch: expected an object"),
    (lambda api: api.express_submit("c", ["pm-1"]), "submission: expected an object"),
]


def recording() -> tuple[list[httpx.Request], httpx.MockTransport]:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    return sent, httpx.MockTransport(answer)


@pytest.mark.parametrize(("call", "message"), WRONG)
def test_a_wrong_shape_is_refused_before_the_request(call: Any, message: str) -> None:
    sent, transport = recording()
    with Client("http://omnicart.test", transport=transport) as api, pytest.raises(TypeError) as refused:
        call(api)
    assert str(refused.value).startswith(message)
    assert sent == []


def test_the_async_client_refuses_them_the_same_way() -> None:
    sent, transport = recording()

    async def run() -> None:
        async with AsyncClient("http://omnicart.test", transport=transport) as api:
            with pytest.raises(TypeError, match=r"^items: expected a list of items, got a dict with key 'items'"):
                await api.add_items("c", {"items": [PLAN]})

    asyncio.run(run())
    assert sent == []


def test_structs_dicts_tuples_and_generators_of_the_right_shape_are_sent() -> None:
    bodies: list[Any] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(msgspec.json.decode(request.content))
        return httpx.Response(500)

    with Client("http://omnicart.test", transport=httpx.MockTransport(answer)) as api:
        for items in ([PLAN], (PLAN,), (item for item in [PLAN]), [ProductOrderItem(productOrderItemId="s")]):
            with pytest.raises(Exception, match="500"):
                api.add_items("c", items)
    assert [body["items"][0]["productOrderItemId"] for body in bodies] == ["line-1", "line-1", "line-1", "s"]


# Each TypedDict of omnicart.client.shapes and the wire struct the server decodes it into.
SHAPES = [
    (shapes.ChannelDict, Channel),
    (shapes.RelatedPartyDict, RelatedParty),
    (shapes.ItemDict, ProductOrderItem),
    (shapes.PaymentMethodDict, PaymentMethod),
    (shapes.SubmissionDict, Submission),
    (shapes.SelectedOptionDict, SelectedOption),
    (shapes.AgreementConsentDict, AgreementConsent),
    (shapes.OffersSearchDict, OffersSearch),
    (shapes.CreditApplicationDict, CreditApplicationRequest),
    (shapes.CustomerAuthDict, CustomerAuthRequest),
    (shapes.ServiceQualificationDict, ServiceQualificationRequest),
]
SERVICE_OWNED = {"itemPrice", "__extra__"}  # the server's (an item's price), and where unknown fields are kept


@pytest.mark.parametrize(("typed", "struct"), SHAPES, ids=lambda shape: shape.__name__)
def test_each_typed_dict_lists_its_structs_wire_fields(typed: Any, struct: Any) -> None:
    fields = {field.encode_name for field in msgspec.structs.fields(struct)} - SERVICE_OWNED
    assert set(get_type_hints(typed)) == fields
    required = {field.encode_name for field in msgspec.structs.fields(struct) if field.required}
    assert typed.__required_keys__ == required
