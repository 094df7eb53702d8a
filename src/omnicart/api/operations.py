"""Every operation of the API, declared once.

The routes (api/routing.py), the scope each requires, the paths that answer without
credentials and the whole OpenAPI document (api/openapi.py) are derived from `OPERATIONS`,
so none of them can drift from another. Handlers stay in their resource modules.

An error status an operation can answer is declared where it comes from: the handler's own
in `errors`, with a description about that operation; those a request header can cause
with the header (`If-Match` → 412); 401/403/429 follow from `scope`; the 400 for a bad
query string from `query`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field
from importlib.resources import files
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from omnicart import console
from omnicart.api import (
    carts,
    docs,
    health,
    hub,
    metrics,
    oauth,
    orders,
    product_offerings,
    queries,
)
from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE, ORDERS_SUBMIT
from omnicart.domain.errors import CartNotReady
from omnicart.store import TOTAL_COUNTED
from omnicart.wire.cart import CartCreate, ItemsAdd, ProductOrderView
from omnicart.wire.catalog import ProductOfferingView
from omnicart.wire.errors import Error
from omnicart.wire.hubs import HubCreate, HubView
from omnicart.wire.orders import CancelRequest, CheckoutRequest, CheckoutView, OrderView, Submission, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsRequest, PaymentMethodsResult
from omnicart.wire.tokens import AccessToken, TokenError, TokenRequest

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Header:
    name: str
    description: str
    answers: Mapping[int, str] = field(default_factory=dict)  # statuses the header can cause
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class Body:
    type: Any  # a msgspec type: its JSON schema documents the body
    required: bool = True
    media_types: tuple[str, ...] = ("application/json",)
    examples: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # OpenAPI Example Objects


def example(name: str) -> Any:
    """A request example shipped with the package (omnicart/data/examples/NAME.json)."""
    return json.loads((files("omnicart") / "data" / "examples" / f"{name}.json").read_text())


@dataclass(frozen=True)
class Answer:
    """The success answer."""

    status: int
    description: str
    type: Any = None  # a msgspec type, None: no body
    media_type: str = "application/json"
    headers: tuple[Header, ...] = ()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: Handler
    id: str
    summary: str
    _: KW_ONLY
    scope: str | None  # None: public, answers without credentials
    answer: Answer
    errors: Mapping[int, str] = field(default_factory=dict)
    body: Body | None = None
    query: type[queries.Query] = queries.Query
    headers: tuple[Header, ...] = ()
    extension: bool = False  # not in the carrier's API: x-omnicart-extension
    error_type: type = Error
    # Business-rule rejections, by the carrier's code: 422 in omnicart's profile, 500 in
    # the carrier's (api/profiles.py).
    rejections: Mapping[str, str] = field(default_factory=dict)


# -- headers ---------------------------------------------------------------------------

ETAG = Header("ETag", "The cart's version in quotes; send it back in If-Match")
LOCATION = Header("Location", "The URL of what was created")
RESULT_COUNT = Header("X-Result-Count", "How many entries this answer holds", schema={"type": "integer"})
TOTAL_COUNT = Header(
    "X-Total-Count",
    f"How many entries match the filters in all (every page); counted up to {TOTAL_COUNTED:,}, and"
    " absent when more match (follow Link rel=next instead)",
    schema={"type": "integer", "maximum": TOTAL_COUNTED},
)
LINK = Header(
    "Link",
    'RFC 8288 links to the next and the previous page with the same filters (rel="next", '
    'rel="prev"), each only when there is such a page',
)

IF_MATCH = Header(
    "If-Match",
    "ETag of the version the change is based on; a stale one answers 412",
    {412: "If-Match names a version that is no longer current (details.currentETag)"},
)
IF_NONE_MATCH = Header(
    "If-None-Match",
    "ETags the client holds; the current one answers 304",
    {304: "Not modified: If-None-Match names the current ETag"},
)
IDEMPOTENCY_KEY = Header(
    "Idempotency-Key",
    "A retry with the same key and body replays the first answer instead of acting twice",
    {
        400: "Idempotency-Key is not 1 to 255 printable ASCII characters",
        409: "A request with this Idempotency-Key is still being processed; retry after Retry-After seconds",
        413: "The body is larger than the configured limit",
        422: "This Idempotency-Key was already used for a different request",
    },
)
MOCK_SCENARIO = Header(
    "mock-scenario",
    "Sandbox mode only (ignored otherwise): a canned unhappy path, e.g. `submit_rejected`, "
    "`fulfilment_fails;after=5`, `transient_503`, or one of the carrier's own values such as "
    "`ATTR_Cart_Initialization`; an unknown value answers 400 listing the accepted ones.",
    {
        400: "Sandbox mode: a mock-scenario omnicart does not know (details.scenarios lists them)",
        503: "Sandbox mode: mock-scenario transient_503",
    },
)
APPNAME = Header("appname", "The calling application (the carrier's header); accepted, not acted on")

# -- descriptions several operations share, because the same code answers them ------------

NOT_JSON = "Content-Type is not application/json"
TOO_LARGE = "The body is larger than the configured limit"
BAD_BODY = "Malformed JSON, wrong types or missing required fields (details.errors)"
OVER_LIMIT = "A configured limit is exceeded (details.errors names the field and the limit)"
UNAVAILABLE = "The store is temporarily unavailable; retry after Retry-After seconds"
NO_CART = "No such cart for this partner"
NO_ITEM = "No such cart for this partner, or no such item in it"
NO_ORDER = "No such order for this partner"
NO_LISTENER = "No such listener for this partner"
NOT_DRAFT = "The cart is no longer a draft"
BODY_ERRORS = {400: BAD_BODY, 413: TOO_LARGE, 415: NOT_JSON, 422: OVER_LIMIT}

CART = Answer(200, "The cart (a ProductOrder)", ProductOrderView, headers=(ETAG,))
CHANGE = (APPNAME, IF_MATCH, IDEMPOTENCY_KEY, MOCK_SCENARIO)  # the carrier's cart changes (POST)
EXTENDED_CHANGE = (IF_MATCH, MOCK_SCENARIO)  # omnicart's, which are not POSTs


OPERATIONS: tuple[Operation, ...] = (
    # -- carts -------------------------------------------------------------------------
    Operation(
        "POST",
        "/omni-svcs/v1/carts",
        carts.create_cart,
        "createCart",
        "Create Cart (carrier v1.0.3): a draft order, empty or with initial items",
        scope=CARTS_WRITE,
        body=Body(
            CartCreate,
            examples={
                "seed": {
                    "summary": "The carrier's own Create Cart example (v1.0.3): an empty cart",
                    "value": example("create-cart"),
                }
            },
        ),
        answer=Answer(201, "Cart created", ProductOrderView, headers=(LOCATION, ETAG)),
        errors={**BODY_ERRORS, 503: UNAVAILABLE},
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/carts",
        carts.list_carts,
        "listCarts",
        "List the calling partner's carts, most recently changed first",
        scope=CARTS_READ,
        query=queries.CartsQuery,
        answer=Answer(200, "Carts", list[ProductOrderView], headers=(RESULT_COUNT, TOTAL_COUNT, LINK)),
        errors={503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/carts/{cartId}",
        carts.get_cart,
        "getCart",
        "Read a cart",
        scope=CARTS_READ,
        answer=CART,
        errors={404: NO_CART, 503: UNAVAILABLE},
        headers=(IF_NONE_MATCH, MOCK_SCENARIO),
        extension=True,
    ),
    Operation(
        "DELETE",
        "/omni-svcs/v1/carts/{cartId}",
        carts.abandon_cart,
        "abandonCart",
        "Abandon a draft cart",
        scope=CARTS_WRITE,
        answer=Answer(204, "Abandoned"),
        errors={404: NO_CART, 409: NOT_DRAFT, 503: UNAVAILABLE},
        headers=EXTENDED_CHANGE,
        extension=True,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/carts/{cartId}/items",
        carts.add_items,
        "addItemsToCart",
        "Add Items to Cart (carrier v1.0.3): re-prices and re-validates the cart",
        scope=CARTS_WRITE,
        body=Body(ItemsAdd),
        answer=CART,
        errors={
            **BODY_ERRORS,
            404: NO_CART,
            409: "The cart is no longer a draft, or an item id is already used in it",
            503: UNAVAILABLE,
        },
        headers=CHANGE,
    ),
    Operation(
        "PATCH",
        "/omni-svcs/v1/carts/{cartId}/items/{itemId}",
        carts.patch_item,
        "patchCartItem",
        "Change an item (JSON merge patch of the item)",
        scope=CARTS_WRITE,
        answer=CART,
        body=Body(dict[str, Any], media_types=("application/merge-patch+json", "application/json")),
        errors={
            **BODY_ERRORS,
            400: BAD_BODY + ", or the patch changes productOrderItemId",
            404: NO_ITEM,
            409: NOT_DRAFT,
            503: UNAVAILABLE,
        },
        headers=EXTENDED_CHANGE,
        extension=True,
    ),
    Operation(
        "DELETE",
        "/omni-svcs/v1/carts/{cartId}/items/{itemId}",
        carts.remove_item,
        "removeCartItem",
        "Remove an item; removing a bundle root removes its bundle",
        scope=CARTS_WRITE,
        answer=CART,
        errors={404: NO_ITEM, 409: NOT_DRAFT, 503: UNAVAILABLE},
        headers=EXTENDED_CHANGE,
        extension=True,
    ),
    # -- catalog ------------------------------------------------------------------------
    Operation(
        "GET",
        "/omni-svcs/v1/productOfferings",
        product_offerings.list_offerings,
        "listProductOfferings",
        "The product catalog, optionally of one productOfferingType",
        scope=CARTS_READ,
        query=queries.OfferingsQuery,
        answer=Answer(200, "Offerings", list[ProductOfferingView]),
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/productOfferings/{offeringId}",
        product_offerings.get_offering,
        "getProductOffering",
        "One offering",
        scope=CARTS_READ,
        answer=Answer(200, "The offering", ProductOfferingView),
        errors={404: "No such product offering in the catalog"},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    # -- checkout and orders ---------------------------------------------------------
    Operation(
        "POST",
        "/omni-svcs/v1/checkout",
        orders.checkout,
        "checkout",
        "Checkout (carrier v1.0.1): validation, totals, terms and fulfilment options of a draft cart, "
        "as of now; the cart is not changed",
        scope=ORDERS_SUBMIT,
        body=Body(CheckoutRequest),
        answer=Answer(200, "Checkout configuration", CheckoutView),
        errors={**BODY_ERRORS, 404: "No such cart (cartId) for this partner", 409: NOT_DRAFT, 503: UNAVAILABLE},
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/carts/{cartId}/express-submit",
        orders.express_submit,
        "expressSubmit",
        "Express Order Submit (carrier v1.0.2): the draft cart becomes an order; submitting a submitted "
        "cart answers its order again",
        scope=ORDERS_SUBMIT,
        body=Body(Submission, required=False),
        answer=Answer(200, "The order (the carrier's five fields)", SubmittedOrder),
        errors={
            **BODY_ERRORS,
            404: NO_CART,
            409: "The cart is no longer a draft and was not submitted as an order",
            503: UNAVAILABLE,
        },
        rejections={
            CartNotReady.code: "The cart is not ready to submit: details.validationMessage (its errors) and "
            "details.configuration (required steps still pending)",
            "EXTSALESOPS-CART_CREATE-OAV-00NN": "The order system rejected the order (details.reason); in the "
            "sandbox, mock-scenario submit_rejected (NN: 03 to 15)",
        },
        headers=CHANGE,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/payment-methods",
        orders.payment_methods,
        "payment",
        "Payment methods (carrier v1.0.1): register payment methods for a draft cart, with the customer's "
        "consent to its terms (storeTermsConditionConsent); completes the cart's payment and terms "
        "configuration (a cart change: version + 1, new ETag)",
        scope=ORDERS_SUBMIT,
        body=Body(PaymentMethodsRequest),
        answer=Answer(200, "Registered", PaymentMethodsResult, headers=(ETAG,)),
        errors={
            **BODY_ERRORS,
            400: BAD_BODY + ", or the payment methods name different carts",
            404: "No such cart (paymentMethods[].cartId) for this partner",
            409: NOT_DRAFT,
            503: UNAVAILABLE,
        },
        headers=CHANGE,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/orders",
        orders.list_orders,
        "listOrders",
        "List the calling partner's orders, newest first",
        scope=CARTS_READ,
        query=queries.OrdersQuery,
        answer=Answer(200, "Orders", list[OrderView], headers=(RESULT_COUNT, TOTAL_COUNT, LINK)),
        errors={503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/orders/{orderId}",
        orders.get_order,
        "getOrder",
        "Read an order",
        scope=CARTS_READ,
        answer=Answer(200, "The order", OrderView),
        errors={404: NO_ORDER, 503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/orders/{orderId}/cancel",
        orders.cancel_order,
        "cancelOrder",
        "Cancel an order: PendingCancel, then Cancelled",
        scope=ORDERS_SUBMIT,
        body=Body(CancelRequest, required=False),
        answer=Answer(200, "The order", OrderView),
        errors={
            **BODY_ERRORS,
            404: NO_ORDER,
            409: "The order is final (Completed, Partial, Failed) and cannot be cancelled",
            503: UNAVAILABLE,
        },
        headers=(IDEMPOTENCY_KEY, MOCK_SCENARIO),
        extension=True,
    ),
    # -- event listeners (docs/events.md) -------------------------------------------------
    Operation(
        "POST",
        "/omni-svcs/v1/hub",
        hub.register,
        "registerListener",
        "Register a listener: events of the partner's carts and orders are POSTed to `callback`, signed "
        "with the `secret` returned here once",
        scope=CARTS_WRITE,
        body=Body(HubCreate),
        answer=Answer(201, "Registered", HubView, headers=(LOCATION,)),
        errors={**BODY_ERRORS, 400: BAD_BODY + ", or a callback this server may not call", 503: UNAVAILABLE},
        headers=(IDEMPOTENCY_KEY, MOCK_SCENARIO),
        extension=True,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/hub",
        hub.list_hubs,
        "listListeners",
        "The partner's listeners",
        scope=CARTS_READ,
        answer=Answer(200, "Listeners", list[HubView]),
        errors={503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/hub/{id}",
        hub.get_hub,
        "getListener",
        "One listener",
        scope=CARTS_READ,
        answer=Answer(200, "The listener", HubView),
        errors={404: NO_LISTENER, 503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    Operation(
        "DELETE",
        "/omni-svcs/v1/hub/{id}",
        hub.delete_hub,
        "unregisterListener",
        "Unregister a listener; nothing more is delivered to it",
        scope=CARTS_WRITE,
        answer=Answer(204, "Unregistered"),
        errors={404: NO_LISTENER, 503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    # -- access, probes, documentation: public ----------------------------------------------
    Operation(
        "POST",
        "/oauth/token",
        oauth.token,
        "issueAccessToken",
        "OAuth2 client credentials: an API key in, a short-lived access token out",
        scope=None,
        body=Body(TokenRequest, media_types=("application/x-www-form-urlencoded",)),
        answer=Answer(200, "Access token", AccessToken),
        errors={
            400: "RFC 6749 §5.2 error (invalid_request, unsupported_grant_type, invalid_scope)",
            401: "invalid_client: unknown client or wrong secret",
        },
        error_type=TokenError,
        extension=True,
    ),
    Operation(
        "GET",
        "/health",
        health.health,
        "health",
        "Liveness",
        scope=None,
        answer=Answer(200, "Alive", health.Probe),
        extension=True,
    ),
    Operation(
        "GET",
        "/ready",
        health.ready,
        "ready",
        "Readiness: the store answers",
        scope=None,
        answer=Answer(200, "Ready", health.Probe),
        errors={503: UNAVAILABLE},
        extension=True,
    ),
    Operation(
        "GET",
        "/metrics",
        metrics.scrape,
        "metrics",
        "Prometheus metrics (the list is in the project's metrics documentation); with "
        "OMNICART_METRICS_TOKEN set, that bearer token is required",
        scope=None,
        answer=Answer(200, "The metrics, in Prometheus' text format", str, "text/plain"),
        errors={401: "OMNICART_METRICS_TOKEN is set and this request does not carry it"},
        extension=True,
    ),
    Operation(
        "GET",
        "/openapi.json",
        docs.openapi,
        "openapi",
        "This document",
        scope=None,
        answer=Answer(200, "The OpenAPI 3.1 document", dict[str, Any]),
        extension=True,
    ),
    Operation(
        "GET",
        "/docs",
        docs.page,
        "docs",
        "Interactive documentation of this API",
        scope=None,
        answer=Answer(200, "The page", str, "text/html"),
        extension=True,
    ),
    Operation(
        "GET",
        "/docs/init.js",
        docs.init_script,
        "docsScript",
        "The documentation page's script",
        scope=None,
        answer=Answer(200, "The script", str, "text/javascript"),
        extension=True,
    ),
)

PUBLIC_PATHS = frozenset(op.path for op in OPERATIONS if op.scope is None)
if any("{" in path for path in PUBLIC_PATHS):
    # The authentication middleware runs before routing and compares raw paths.
    raise ValueError("a public operation cannot have path parameters")


def is_public(path: str) -> bool:
    """Whether a request path answers without credentials. The console (omnicart.console)
    is no operation of the API: it authenticates its visitors itself, with a session."""
    return path in PUBLIC_PATHS or path.startswith(docs.ASSETS + "/") or console.is_console(path)
