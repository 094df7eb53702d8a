"""Every operation the client makes, as data: method, path, body, and the struct its answer
decodes into. The sync and async clients execute the same `Call`s, so they cannot drift
apart; the answer types are the server's own wire structs, imported, never copied.

The arguments' shapes are checked here, before anything is sent: a request body where one
of its lists belongs (`{"items": [...]}` as `items`) is a TypeError naming the argument,
not the server's `items[0]: Expected object, got str`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import msgspec

from omnicart.client.shapes import (
    AgreementConsentDict,
    ChannelDict,
    CreditApplicationDict,
    CustomerAuthDict,
    EnrollmentDict,
    ItemDict,
    OffersSearchDict,
    PaymentMethodsDict,
    RelatedPartyDict,
    SelectedOptionDict,
    ServiceQualificationDict,
    SubmissionDict,
)
from omnicart.wire.billing import BillingResult
from omnicart.wire.byod import OrderCreated
from omnicart.wire.cart import Channel, Enrollment, ProductOrderView, RelatedParty
from omnicart.wire.catalog import CarrierOffering, ProductOfferingView
from omnicart.wire.credit import CreditApplicationRequest, CreditApplicationResult
from omnicart.wire.customers import CustomerAuthRequest, CustomerAuthResult, CustomerSearchResult
from omnicart.wire.fulfilment import FulfillmentOptionsView, FulfillmentSelectionResult, SelectedOption
from omnicart.wire.hubs import HubView
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.offers import OffersSearch
from omnicart.wire.open import flatten
from omnicart.wire.order_query import GraphQLResponse
from omnicart.wire.orders import CheckoutView, OrderView, Submission, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsRequest, PaymentMethodsResult
from omnicart.wire.qualification import ServiceQualificationRequest, ServiceQualificationResult
from omnicart.wire.terms import AgreementConsent, TermsConsentResult, TermsView

T = TypeVar("T")

CARTS = "/omni-svcs/v1/carts"
ORDER = "/omni-svcs/v1/order"  # the older "order" flavour (BYOD)
ORDERS = "/omni-svcs/v1/orders"
HUB = "/omni-svcs/v1/hub"
ORDER = "/omni-svcs/v1/order"  # the direct-fulfilment calls on one order (by its customer order id)
OFFERINGS = "/omni-svcs/v1/productOfferings"
CUSTOMERS_SEARCH = "/omni-svcs/v1/customers/search"
CUSTOMER_AUTH = "/omni-svcs/v1/customer/auth"
SERVICE_QUALIFICATION = "/omni-svcs/v1/service-qualification"
PAGE_SIZE = 100  # the API's largest page (api/queries.py)


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    answer: type[T] | None  # None: no body expected (204)
    body: bytes | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    if_match: str | None = None
    content_type: str = "application/json"
    # Error statuses whose body is an answer too (a GraphQL query that failed: its errors).
    answered_errors: frozenset[int] = frozenset()
    # A POST that changes nothing (the orders query): sent without an Idempotency-Key, so
    # the server keeps none of its answers, and retried like a GET.
    reads_only: bool = False


def _segment(value: str) -> str:
    # Ids go into the path: escape anything that would change which path it is.
    return quote(str(value), safe="")


def wire(value: Any) -> Any:
    """A struct, a dict in the carrier's JSON shape, or a list of them, as JSON builtins:
    a struct's `extra` (its unknown fields) is merged back in, as the partner sent it."""
    return flatten(msgspec.to_builtins(value))


def _json(value: Any) -> bytes:
    return msgspec.json.encode(wire(value))


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "a dict with keys " + ", ".join(repr(key) for key in list(value)[:5]) if value else "an empty dict"
    return f"a {type(value).__name__}"


def objects(argument: str, value: object, key: str) -> list[Any]:
    """`value` as the list of objects (dicts or wire structs) the body's `key` holds; else a
    TypeError naming the argument, with the fix when `value` is the whole body."""
    if isinstance(value, Mapping) and key in value:
        raise TypeError(f"{argument}: expected a list of {key}, got a dict with key {key!r} — pass body[{key!r}]")
    if isinstance(value, Mapping | msgspec.Struct):
        raise TypeError(f"{argument}: expected a list of {key}, got {_kind(value)} — pass [it] for one")
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise TypeError(f"{argument}: expected a list of {key}, got {_kind(value)}")
    entries = list(value)
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping | msgspec.Struct):
            raise TypeError(f"{argument}[{index}]: expected an object (a dict or a wire struct), got {_kind(entry)}")
    return entries


def one_object(argument: str, value: object, *, key: str | None = None, inside: str | None = None) -> Any:
    """`value` as one object (a dict or a wire struct), else a TypeError naming the argument.
    `key`: the body's field it is sent as (a dict holding `key` alone is the whole body,
    passed by mistake); `inside`: the body's list that a list passed by mistake belongs in."""
    if key is not None and isinstance(value, Mapping) and list(value) == [key]:
        raise TypeError(f"{argument}: expected the {key} object, got a dict with key {key!r} — pass body[{key!r}]")
    if not isinstance(value, Mapping | msgspec.Struct):
        hint = f" — pass {{{inside!r}: [...]}}" if inside is not None and isinstance(value, list | tuple) else ""
        raise TypeError(f"{argument}: expected an object (a dict or a wire struct), got {_kind(value)}{hint}")
    return value


def etag(if_match: str | int | None) -> str | None:
    """A cart's version (3) or its ETag ('"3"') as If-Match."""
    if if_match is None or isinstance(if_match, str):
        return if_match
    return f'"{if_match}"'


Items = Sequence[ProductOrderItem | ItemDict]


def create_cart(
    channel: Channel | ChannelDict,
    related_party: Sequence[RelatedParty | RelatedPartyDict],
    items: Items,
    extra: Mapping[str, Any],
) -> Call[ProductOrderView]:
    body = {
        "channel": one_object("channel", channel, key="channel"),
        "relatedParty": objects("related_party", related_party, "relatedParty"),
        **({"items": objects("items", items, "items")} if items else {}),
        **extra,
    }
    return Call("POST", CARTS, ProductOrderView, _json(body))


def create_order(
    channel: Channel | ChannelDict, related_party: Sequence[RelatedParty | RelatedPartyDict], extra: Mapping[str, Any]
) -> Call[OrderCreated]:
    body = {
        "channel": one_object("channel", channel, key="channel"),
        "relatedParty": objects("related_party", related_party, "relatedParty"),
        **extra,
    }
    return Call("POST", f"{ORDER}/create", OrderCreated, _json(body))


def add_order_items(order_id: str, items: Items, if_match: str | int | None) -> Call[ProductOrderView]:
    return Call(
        "POST",
        f"{ORDER}/{_segment(order_id)}/items",
        ProductOrderView,
        _json({"items": objects("items", items, "items")}),
        if_match=etag(if_match),
    )


def get_cart(cart_id: str) -> Call[ProductOrderView]:
    return Call("GET", f"{CARTS}/{_segment(cart_id)}", ProductOrderView)


def list_carts(offset: int, limit: int) -> Call[list[ProductOrderView]]:
    return Call("GET", CARTS, list[ProductOrderView], params={"offset": offset, "limit": limit})


def add_items(cart_id: str, items: Items, if_match: str | int | None) -> Call[ProductOrderView]:
    return Call(
        "POST",
        f"{CARTS}/{_segment(cart_id)}/items",
        ProductOrderView,
        _json({"items": objects("items", items, "items")}),
        if_match=etag(if_match),
    )


def update_item(cart_id: str, item_id: str, patch: ItemDict, if_match: str | int | None) -> Call[ProductOrderView]:
    return Call(
        "PATCH",
        f"{CARTS}/{_segment(cart_id)}/items/{_segment(item_id)}",
        ProductOrderView,
        _json(one_object("patch", patch)),
        if_match=etag(if_match),
        content_type="application/merge-patch+json",
    )


def remove_item(cart_id: str, item_id: str, if_match: str | int | None) -> Call[ProductOrderView]:
    return Call(
        "DELETE", f"{CARTS}/{_segment(cart_id)}/items/{_segment(item_id)}", ProductOrderView, if_match=etag(if_match)
    )


def abandon_cart(cart_id: str, if_match: str | int | None) -> Call[None]:
    return Call("DELETE", f"{CARTS}/{_segment(cart_id)}", None, if_match=etag(if_match))


def checkout(cart_id: str, fulfillment_address_id: str | None) -> Call[CheckoutView]:
    body: dict[str, Any] = {"cartId": cart_id}
    if fulfillment_address_id is not None:
        body["fulfillmentAddressId"] = fulfillment_address_id
    return Call("POST", "/omni-svcs/v1/checkout", CheckoutView, _json(body))


def payment_methods(request: PaymentMethodsRequest | PaymentMethodsDict) -> Call[PaymentMethodsResult]:
    body = one_object("request", request, inside="paymentMethods")
    return Call("POST", "/omni-svcs/v1/payment-methods", PaymentMethodsResult, _json(body))


def offers_search(request: OffersSearch | OffersSearchDict) -> Call[list[CarrierOffering]]:
    body = one_object("request", request)
    return Call("POST", "/omni-svcs/v1/offers/search", list[CarrierOffering], _json(body))


def fulfillment_options(order_id: str, placeid: str | None) -> Call[FulfillmentOptionsView]:
    body: dict[str, Any] = {"orderId": order_id, **({"placeid": placeid} if placeid is not None else {})}
    return Call("POST", "/omni-svcs/v1/fulfillment-options", FulfillmentOptionsView, _json(body))


def select_fulfillment(
    order_id: str,
    selected: Sequence[SelectedOption | SelectedOptionDict],
    placeid: str | None,
    if_match: str | int | None,
) -> Call[FulfillmentSelectionResult]:
    body: dict[str, Any] = {
        "selectedOptions": objects("selected", selected, "selectedOptions"),
        **({"placeid": placeid} if placeid is not None else {}),
    }
    return Call(
        "POST",
        f"{ORDER}/{_segment(order_id)}/fulfillment",
        FulfillmentSelectionResult,
        _json(body),
        if_match=etag(if_match),
    )


def terms(order_id: str) -> Call[TermsView]:
    return Call("POST", "/omni-svcs/v1/terms", TermsView, _json({"orderId": order_id}))


def accept_terms(
    order_id: str, agreements: Sequence[AgreementConsent | AgreementConsentDict], if_match: str | int | None
) -> Call[TermsConsentResult]:
    return Call(
        "POST",
        f"{ORDER}/{_segment(order_id)}/terms",
        TermsConsentResult,
        _json({"agreements": objects("agreements", agreements, "agreements")}),
        if_match=etag(if_match),
    )


def update_billing(
    order_id: str, enrollment: Enrollment | EnrollmentDict, if_match: str | int | None
) -> Call[BillingResult]:
    return Call(
        "POST",
        f"{ORDER}/{_segment(order_id)}/billing",
        BillingResult,
        _json({"enrollment": one_object("enrollment", enrollment, key="enrollment")}),
        if_match=etag(if_match),
    )


def credit_application(
    request: CreditApplicationRequest | CreditApplicationDict, if_match: str | int | None
) -> Call[CreditApplicationResult]:
    body = one_object("request", request)
    return Call(
        "POST", "/omni-svcs/v1/credit-application", CreditApplicationResult, _json(body), if_match=etag(if_match)
    )


def express_submit(
    cart_id: str,
    submission: Submission | SubmissionDict | None,
    if_match: str | int | None,
    appointment: str | None = None,
) -> Call[SubmittedOrder]:
    """`appointment`: the id of the technician slot a fiber cart books (one of checkout's
    `appointmentDates.availableTimeSlot[].id`), added to the body as `appointment.id`."""
    body = wire(one_object("submission", submission)) if submission is not None else None
    if appointment is not None:
        body = {**(body or {}), "appointment": {"id": appointment}}
    return Call(
        "POST",
        f"{CARTS}/{_segment(cart_id)}/express-submit",
        SubmittedOrder,
        msgspec.json.encode(body) if body is not None else None,
        if_match=etag(if_match),
    )


def get_order(order_id: str) -> Call[OrderView]:
    return Call("GET", f"{ORDERS}/{_segment(order_id)}", OrderView)


def list_orders(offset: int, limit: int, filters: Mapping[str, str]) -> Call[list[OrderView]]:
    return Call("GET", ORDERS, list[OrderView], params={**filters, "offset": offset, "limit": limit})


def query_orders(query: str, variables: Mapping[str, Any] | None, operation_name: str | None) -> Call[GraphQLResponse]:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = dict(one_object("variables", variables))
    if operation_name is not None:
        body["operationName"] = operation_name
    return Call(
        "POST", f"{ORDERS}/query", GraphQLResponse, _json(body), answered_errors=frozenset({400}), reads_only=True
    )


def cancel_order(order_id: str, reason: str | None) -> Call[OrderView]:
    body = _json({"cancellationReason": reason}) if reason is not None else None
    return Call("POST", f"{ORDERS}/{_segment(order_id)}/cancel", OrderView, body)


def product_offerings(offering_type: str | None) -> Call[list[ProductOfferingView]]:
    return Call("GET", OFFERINGS, list[ProductOfferingView], params={"type": offering_type} if offering_type else {})


def search_customers(
    service_type: str, page_size: int | None, page_offset: int | None, filters: Mapping[str, str]
) -> Call[CustomerSearchResult]:
    body: dict[str, Any] = {"serviceType": service_type, **filters}
    if page_size is not None:
        body["pageSize"] = page_size
    if page_offset is not None:
        body["pageOffset"] = page_offset
    return Call("POST", CUSTOMERS_SEARCH, CustomerSearchResult, _json(body))


def authenticate_customer(request: CustomerAuthRequest | CustomerAuthDict) -> Call[CustomerAuthResult]:
    return Call("POST", CUSTOMER_AUTH, CustomerAuthResult, _json(one_object("request", request)))


def qualify_service(
    request: ServiceQualificationRequest | ServiceQualificationDict,
) -> Call[ServiceQualificationResult]:
    body = one_object("request", request)
    return Call("POST", SERVICE_QUALIFICATION, ServiceQualificationResult, _json(body))


def register_hub(callback: str, query: str | None) -> Call[HubView]:
    body: dict[str, Any] = {"callback": callback, **({"query": query} if query is not None else {})}
    return Call("POST", HUB, HubView, _json(body))


def list_hubs() -> Call[list[HubView]]:
    return Call("GET", HUB, list[HubView])


def get_hub(hub_id: str) -> Call[HubView]:
    return Call("GET", f"{HUB}/{_segment(hub_id)}", HubView)


def delete_hub(hub_id: str) -> Call[None]:
    return Call("DELETE", f"{HUB}/{_segment(hub_id)}", None)
