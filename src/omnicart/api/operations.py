"""Every operation of the API, declared once (what a declaration holds: api/operation.py).

The routes (api/routing.py), the scope each requires, the paths that answer without
credentials and the whole OpenAPI document (api/openapi.py) are derived from `OPERATIONS`,
so none of them can drift from another. Handlers stay in their resource modules.
"""

from __future__ import annotations

from typing import Any

from omnicart import console
from omnicart.api import (
    carts,
    docs,
    health,
    hub,
    metrics,
    oauth,
    orders,
    orders_query,
    product_offerings,
    queries,
)
from omnicart.api.operation import (
    APPNAME,
    BAD_BODY,
    BODY_ERRORS,
    CART,
    CHANGE,
    ETAG,
    EXTENDED_CHANGE,
    IDEMPOTENCY_KEY,
    IDP_SESSION_ID,
    IDP_TRACE_ID,
    IF_NONE_MATCH,
    LINK,
    LOCATION,
    MOCK_SCENARIO,
    NO_CART,
    NO_ITEM,
    NO_LISTENER,
    NO_ORDER,
    NOT_DRAFT,
    RESULT_COUNT,
    SERVICE_TYPE,
    TOPICS,
    TOTAL_COUNT,
    UNAVAILABLE,
    Answer,
    Body,
    InputCodes,
    Operation,
    example,
)
from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE, ORDERS_SUBMIT
from omnicart.domain.errors import CartNotReady
from omnicart.wire.cart import CartCreate, ItemsAdd, ProductOrderView
from omnicart.wire.catalog import ProductOfferingView
from omnicart.wire.errors import Error
from omnicart.wire.hubs import HubCreate, HubView
from omnicart.wire.order_query import GraphQLRequest, GraphQLResponse
from omnicart.wire.orders import CancelRequest, CheckoutRequest, CheckoutView, OrderView, Submission, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsRequest, PaymentMethodsResult
from omnicart.wire.tokens import AccessToken, TokenError, TokenRequest

# The orders query's: a body that is no GraphQL request (omnicart's own code, the carrier's
# page names none).
GRAPHQL_INPUT = InputCodes("OMNICART-GRAPHQL-0400", "OMNICART-GRAPHQL-0400")

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
    # -- fiber: customers and service qualification (reference §4.3) --------------------
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
    # -- fiber: credit (reference §4.3) ----------------------------------------------------
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
        "/omni-svcs/v1/orders/query",
        orders_query.query_orders,
        "queryOrders",
        "Orders query (carrier v1.0.0, BYOD solution): GraphQL over HTTP, getOrders(filter: {orderId, "
        "accountNumber, orderDate, lineOfBusiness, limit, offset}) on the calling partner's orders. A query "
        "that fails to parse, validate or run answers 400 with GraphQL `errors` and no `data`; a field that "
        "fails is null in `data` with its error in `errors` (200). The schema: GET "
        "/omni-svcs/v1/orders/query/schema",
        scope=CARTS_READ,
        body=Body(
            GraphQLRequest,
            examples={
                "byod": {
                    "summary": "The carrier's own query (BYOD solution v1.0.0)",
                    "value": example("orders-query"),
                }
            },
        ),
        answer=Answer(200, "The GraphQL response: data, and errors of the fields that failed", GraphQLResponse),
        errors={
            **BODY_ERRORS,
            400: "Not a GraphQL request (not JSON, no query string: OMNICART-GRAPHQL-0400, omnicart's error "
            "format); or a query that does not parse, validate or run, or exceeds the limits (GraphQL errors, "
            "extensions.code)",
            503: UNAVAILABLE,
        },
        error_bodies={400: (Error, GraphQLResponse)},
        headers=(APPNAME, IDP_TRACE_ID, IDP_SESSION_ID, SERVICE_TYPE, TOPICS, IDEMPOTENCY_KEY, MOCK_SCENARIO),
        input_codes=GRAPHQL_INPUT,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/orders/query/schema",
        orders_query.schema,
        "ordersQuerySchema",
        "The orders query's GraphQL schema (SDL), as POST /omni-svcs/v1/orders/query runs it",
        scope=CARTS_READ,
        answer=Answer(200, "The schema, in the GraphQL schema definition language", str, "text/plain"),
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
