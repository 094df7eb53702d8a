"""Checkout, payment methods, express submit, and the orders they make: read, cancelled, queried (GraphQL)."""

from __future__ import annotations

from omnicart.api import (
    orders,
    orders_query,
    queries,
)
from omnicart.api.operation import (
    APPNAME,
    BAD_BODY,
    BODY_ERRORS,
    CALL,
    CHANGE,
    ETAG,
    IDEMPOTENCY_KEY,
    IDP_SESSION_ID,
    IDP_TRACE_ID,
    LINK,
    MOCK_SCENARIO,
    NO_CART,
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
from omnicart.domain.credentials import CARTS_READ, ORDERS_SUBMIT
from omnicart.domain.errors import CartNotReady
from omnicart.wire.errors import FULFILLMENT_OPTIONS_MISSING, INVALID_CART_REQUEST, Error
from omnicart.wire.order_query import GraphQLRequest, GraphQLResponse
from omnicart.wire.orders import CancelRequest, CheckoutRequest, CheckoutView, OrderView, Submission, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsRequest, PaymentMethodsResult

# The orders query's: a body that is no GraphQL request (omnicart's own code, the carrier's
# page names none).
GRAPHQL_INPUT = InputCodes("OMNICART-GRAPHQL-0400", "OMNICART-GRAPHQL-0400")


ORDERS: tuple[Operation, ...] = (
    Operation(
        "POST",
        "/omni-svcs/v1/checkout",
        orders.checkout,
        "getCheckoutConfigurableOptions",
        "Checkout Configuration (carrier v1.0.1): validation, totals, terms and fulfilment options of a "
        "draft cart, as of now, and for a fiber cart the technician slots (appointmentDates, shaped by "
        "omnicart after TMF646) at its service address or at fulfillmentAddressId; the cart is not changed",
        scope=ORDERS_SUBMIT,
        body=Body(
            CheckoutRequest,
            examples={
                "carrier": {
                    "summary": "The carrier's Checkout Configuration example (v1.0.1)",
                    "value": example("checkout"),
                },
                "move": {
                    "summary": "A move: the technician slots at another address (a sandbox address id)",
                    "value": example("checkout-move"),
                },
            },
        ),
        answer=Answer(200, "Checkout configuration", CheckoutView),
        errors={
            **BODY_ERRORS,
            400: BAD_BODY + ", or (a fiber cart) an address the technician cannot go to: unknown to the address "
            "provider or not fiber-eligible (details.errors names fulfillmentAddressId or the item's place)",
            404: "No such cart (cartId) for this partner",
            409: NOT_DRAFT,
            503: UNAVAILABLE,
        },
        headers=CALL,
        input_codes=InputCodes(FULFILLMENT_OPTIONS_MISSING, INVALID_CART_REQUEST),
        provider="scheduling",
        downstream="EXTSALESOPS-ORDER_CREATE-PURCHASE_ORDER-0002",
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
            409: "The cart is no longer a draft and was not submitted as an order, or (OMNICART-APPOINTMENT-0409, "
            "omnicart's own) the appointment named cannot be booked: full, unknown, past, not offered (sandbox: "
            "mock-scenario no_appointment_slots), or the cart orders no fiber (details.reason); nothing is written",
            503: UNAVAILABLE,
        },
        provider="scheduling",
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
        "registerPaymentMethods",
        "Register Payment Methods (carrier v1.0.1; the carrier names the operation `payment`): how the customer "
        "of a draft cart pays, with their consent to its terms (storeTermsConditionConsent); completes the "
        "cart's payment and terms configuration steps (a cart change: version + 1, new ETag)",
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
)
