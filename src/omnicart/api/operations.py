"""Every operation of the API, declared once (what a declaration holds: api/operation.py).

The routes (api/routing.py), the scope each requires, the paths that answer without
credentials and the whole OpenAPI document (api/openapi.py) are derived from `OPERATIONS`,
so none of them can drift from another. Handlers stay in their resource modules.
"""

from __future__ import annotations

from typing import Any

from omnicart import console
from omnicart.api import (
    byod,
    carts,
    credit,
    customers,
    direct_fulfilment,
    docs,
    health,
    hub,
    metrics,
    oauth,
    offers,
    orders,
    orders_query,
    product_offerings,
    qualification,
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
    OVER_LIMIT,
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
from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE, CUSTOMERS_READ, ORDERS_SUBMIT
from omnicart.domain.errors import CartNotReady
from omnicart.wire.billing import BillingRequest, BillingResult
from omnicart.wire.byod import OrderCreated
from omnicart.wire.cart import CartCreate, ItemsAdd, ProductOrderView
from omnicart.wire.catalog import CarrierOffering, ProductOfferingView
from omnicart.wire.credit import CreditApplicationRequest, CreditApplicationResult
from omnicart.wire.customers import CustomerAuthRequest, CustomerAuthResult, CustomerSearchRequest, CustomerSearchResult
from omnicart.wire.errors import FULFILLMENT_OPTIONS_MISSING, INVALID_CART_REQUEST, Error
from omnicart.wire.fulfilment import (
    FulfillmentOptionsRequest,
    FulfillmentOptionsView,
    FulfillmentSelection,
    FulfillmentSelectionResult,
)
from omnicart.wire.hubs import HubCreate, HubView
from omnicart.wire.offers import OffersSearch
from omnicart.wire.order_query import GraphQLRequest, GraphQLResponse
from omnicart.wire.orders import CancelRequest, CheckoutRequest, CheckoutView, OrderView, Submission, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsRequest, PaymentMethodsResult
from omnicart.wire.qualification import ServiceQualificationRequest, ServiceQualificationResult
from omnicart.wire.terms import TermsConsent, TermsConsentResult, TermsRequest, TermsView
from omnicart.wire.tokens import AccessToken, TokenError, TokenRequest

# The direct-fulfilment solution's input codes (reference §7.2): its offers' and its
# fulfilment options'; the rest of its calls answer Create Cart's.
OFFERS_INPUT = InputCodes("EXTSALESOPS-OFFERS-0003", "EXTSALESOPS-OFFERS-CPOPOFFER-0001")
FULFILMENT_INPUT = InputCodes("EXTSALESOPS-ORDER_CREATE-FULFILLMENT_OPTIONS-0001", INVALID_CART_REQUEST)
NO_DF_ORDER = "No such order for this partner (orderId: its customer order id, or its cart id)"
DF_NOT_DRAFT = "The order was submitted: it is no longer a draft"


def _df_example(name: str, summary: str) -> dict[str, Any]:
    return {"df": {"summary": summary, "value": example(name)}}


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
    # -- the older "order" flavour (BYOD, reference §4.1) ---------------------------------
    Operation(
        "POST",
        "/omni-svcs/v1/order/create",
        byod.create_order,
        "createOrder",
        "Create Order (carrier BYOD 1.0.0, the older Create Cart): a draft cart, named from birth; the "
        "answer is its id, a customer order id (NN-…), which every cart operation takes in place of the "
        "cart's id (Location names the cart by its UUID)",
        scope=CARTS_WRITE,
        body=Body(
            CartCreate,
            examples={
                "byod": {
                    "summary": "The carrier's own create order example (BYOD 1.0.0)",
                    "value": example("create-order"),
                }
            },
        ),
        answer=Answer(201, "Order created: its id, the carrier's whole answer", OrderCreated, headers=(LOCATION, ETAG)),
        errors={**BODY_ERRORS, 503: UNAVAILABLE},
        headers=(IDEMPOTENCY_KEY, MOCK_SCENARIO),
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/order/{orderId}/items",
        byod.add_order_items,
        "addOrderItems",
        "Add Item to Cart (carrier BYOD 1.0.0, the older Add Items to Cart): the same change; `orderId` "
        "is order/create's id (or the cart's UUID). The BYOD swap is checked against the customer's line "
        "(validationMessage codes SWAP_WITHOUT_LINE, PRODUCT_NOT_ON_LINE, ACTION_REASON_REQUIRED, …)",
        scope=CARTS_WRITE,
        body=Body(
            ItemsAdd,
            examples={
                "byod": {
                    "summary": "The carrier's own BYOD example: an existing line swaps to the customer's own phone",
                    "value": example("byod-items"),
                }
            },
        ),
        answer=Answer(
            200,
            "The cart (a ProductOrder, customerOrderId = orderId); omnicart's own: the carrier shows no answer",
            ProductOrderView,
            headers=(ETAG,),
        ),
        errors={
            **BODY_ERRORS,
            404: "No such order (cart) for this partner",
            409: "The order is no longer a draft, or an item id is already used in it",
            503: UNAVAILABLE,
        },
        headers=CHANGE,
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
    Operation(
        "POST",
        "/omni-svcs/v1/customers/search",
        customers.search_customers,
        "searchCustomers",
        "Customer search (carrier v1.0.0): a page of the customers with an account of `serviceType`, each "
        "with those accounts, their service addresses, lines and existing products; `pageOffset` is the page "
        "number, from 1. The filters besides `serviceType`, `pageSize` and `pageOffset` are omnicart's own",
        scope=CUSTOMERS_READ,
        body=Body(
            CustomerSearchRequest,
            examples={
                "carrier": {
                    "summary": "The carrier's example (v1.0.0): the first five fiber customers",
                    "value": example("customers-search"),
                },
                "billing-account": {
                    "summary": "omnicart's own filter: the customer of a billing account (a sandbox customer's)",
                    "value": {"serviceType": "FIBER", "billingAccountNumber": "556165899574"},
                },
            },
        ),
        answer=Answer(200, "The page: totalCount, pageInfo, individuals (none: nobody matches)", CustomerSearchResult),
        errors={**BODY_ERRORS, 503: UNAVAILABLE},
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
        input_codes=customers.CUSTOMER_INPUT,
        provider="customer directory",
        downstream=customers.DIRECTORY_FAILED,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/customer/auth",
        customers.authenticate_customer,
        "authenticateCustomer",
        "Customer authentication (carrier v1.0.2): the customer named by partnerCustomerUUID, "
        "billingAccountNumber or subscriberNumber proves who they are with a passcode, an OTP or the last 4 "
        "digits of their SSN. `status` SUCCESS, or FAILURE (omnicart's word) when a credential is wrong; "
        "nothing is stored",
        scope=CUSTOMERS_READ,
        body=Body(
            CustomerAuthRequest,
            examples={
                "carrier": {
                    "summary": "Every field of the carrier's request, for a sandbox customer",
                    "value": example("customer-auth"),
                },
                "billing-account": {
                    "summary": "A billing account and the last 4 of the SSN (sandbox: 0000 fails)",
                    "value": {"billingAccountNumber": "556165899574", "last4SSN": "1234"},
                },
            },
        ),
        answer=Answer(200, 'Authenticated ({"status": "SUCCESS"}) or not ({"status": "FAILURE"})', CustomerAuthResult),
        errors={
            **BODY_ERRORS,
            404: "No customer matches the identifiers given (sandbox: mock-scenario customer_not_found)",
            503: UNAVAILABLE,
        },
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
        input_codes=customers.CUSTOMER_INPUT,
        provider="customer directory",
        downstream=customers.DIRECTORY_FAILED,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/service-qualification",
        qualification.qualify_service,
        "checkServiceQualification",
        "Service qualification (carrier v1.0.2): validates the address and answers whether fiber can be had "
        "there and the offers sold there (catalog offerings, ready to add to a cart). An address not found "
        'answers 200 with validationResult "fails"; one without fiber, serviceQualification "unqualified"',
        scope=CUSTOMERS_READ,
        body=Body(
            ServiceQualificationRequest,
            examples={
                "carrier": {
                    "summary": "The carrier's request (v1.0.2) for the address of its example answer (00000NG3XH)",
                    "value": example("service-qualification"),
                }
            },
        ),
        answer=Answer(200, "The address validation, the qualification and the offers", ServiceQualificationResult),
        errors={**BODY_ERRORS, 503: UNAVAILABLE},
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
        input_codes=qualification.OFFERS_INPUT,
        provider="address validation",
        downstream=qualification.OFFERS_FAILED,
    ),
    # -- checkout and orders ---------------------------------------------------------
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
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
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
    # -- direct fulfilment, add a line (reference §4.2) --
    Operation(
        "POST",
        "/omni-svcs/v1/offers/search",
        offers.search,
        "getProductOfferings",
        "Offers search (carrier DF 1.0.0): the catalog's offerings in the carrier's price model (before tax), "
        "by productOfferingTypeGroup, customerType, deviceType and the customer's own device (BYOD.edModels); "
        "an array, empty when nothing is found",
        scope=CARTS_READ,
        body=Body(OffersSearch, examples=_df_example("offers-search", "The carrier's own example (DF 1.0.0)")),
        answer=Answer(200, "The offerings found", list[CarrierOffering]),
        errors={**BODY_ERRORS, 503: UNAVAILABLE},
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
        input_codes=OFFERS_INPUT,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/fulfillment-options",
        direct_fulfilment.fulfillment_options,
        "retrieveFulfillmentOptions",
        "Fulfillment options (carrier DF 1.0.0): the delivery options of each physical item of the order "
        "(selectedOptions[].options[]) and its validation, as of now; the order is not changed",
        scope=CARTS_READ,
        body=Body(
            FulfillmentOptionsRequest,
            examples=_df_example("fulfillment-options", "The carrier's own example (DF 1.0.0)"),
        ),
        answer=Answer(200, "The options", FulfillmentOptionsView),
        errors={**BODY_ERRORS, 404: NO_DF_ORDER, 409: DF_NOT_DRAFT, 503: UNAVAILABLE},
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
        input_codes=FULFILMENT_INPUT,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/order/{orderId}/fulfillment",
        direct_fulfilment.select_fulfillment,
        "patchFulfillment",
        "Fulfillment selection (carrier DF 1.0.0): a delivery method (and store) per physical item, echoed "
        "with status success; its price joins the order's totals (a cart change: version + 1, new ETag)",
        scope=CARTS_WRITE,
        body=Body(
            FulfillmentSelection,
            examples=_df_example(
                "order-fulfillment",
                "The carrier's example (DF 1.0.0), with omnicart's delivery method id and an item id of the "
                "README's walk-through",
            ),
        ),
        answer=Answer(200, "The choices as recorded", FulfillmentSelectionResult, headers=(ETAG,)),
        errors={
            **BODY_ERRORS,
            404: NO_DF_ORDER,
            409: DF_NOT_DRAFT,
            422: OVER_LIMIT + "; or (`OMNICART-FULFILLMENT-0422`) a choice the order cannot have: an item not in "
            "it or with nothing to deliver, an unknown delivery method, a pick-up without a store",
            503: UNAVAILABLE,
        },
        headers=CHANGE,
        input_codes=FULFILMENT_INPUT,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/terms",
        direct_fulfilment.terms,
        "retrieveTerms",
        "Terms (carrier DF 1.0.0): the agreements the order needs now, to accept with "
        "POST /order/{orderId}/terms; the order is not changed",
        scope=CARTS_READ,
        body=Body(TermsRequest, examples=_df_example("terms", "The carrier's own example (DF 1.0.0)")),
        answer=Answer(200, "The agreements", TermsView),
        errors={**BODY_ERRORS, 404: NO_DF_ORDER, 409: DF_NOT_DRAFT, 503: UNAVAILABLE},
        headers=(APPNAME, IDEMPOTENCY_KEY, MOCK_SCENARIO),
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/order/{orderId}/terms",
        direct_fulfilment.accept_terms,
        "patchTerms",
        "Terms consent (carrier DF 1.0.0): records the agreements accepted (a cart change: version + 1, new "
        "ETag) and answers the order's validation; an agreement not offered (nothing is recorded) or one "
        "still missing is answered in the body's `error` block, with 200",
        scope=CARTS_WRITE,
        body=Body(
            TermsConsent,
            examples=_df_example("order-terms", "Accepting the Wireless Customer Agreement as /terms offers it"),
        ),
        answer=Answer(
            200, "The order's validation, and `error` when something is wrong", TermsConsentResult, headers=(ETAG,)
        ),
        errors={**BODY_ERRORS, 404: NO_DF_ORDER, 409: DF_NOT_DRAFT, 503: UNAVAILABLE},
        headers=CHANGE,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/order/{orderId}/billing",
        direct_fulfilment.update_billing,
        "updateBilling",
        "Billing (carrier billing spec 1.0.0, tag sales-operations): AutoPay and paperless enrollment of the "
        "order (a cart change: version + 1, new ETag); the answer is omnicart's own",
        scope=CARTS_WRITE,
        body=Body(BillingRequest, examples=_df_example("order-billing", "The carrier's own example (billing 1.0.0)")),
        answer=Answer(200, "The enrollment recorded and the order's validation", BillingResult, headers=(ETAG,)),
        errors={
            **BODY_ERRORS,
            400: BAD_BODY + ", or an enrollment naming neither autoPay nor paperLess",
            404: NO_DF_ORDER,
            409: DF_NOT_DRAFT,
            503: UNAVAILABLE,
        },
        headers=CHANGE,
    ),
    # -- fiber: credit (reference §4.3) ----------------------------------------------------
    Operation(
        "POST",
        "/omni-svcs/v1/credit-application",
        credit.credit_application,
        "creditApplication",
        "Credit application (carrier v1.0.2, fiber change order): a real-time credit check of the cart's "
        "customer (its relatedParty with role customer). The decision is recorded on the draft cart as "
        "`creditDecision` (omnicart's own field; a cart change: version + 1, new ETag) and replaces any "
        "earlier one; Fraud Risk, Abusive Risk and Analyst Review keep the cart from being submitted. "
        "`riskAssessment` is omnicart's own shape. Sandbox: the risk class is the sandbox customer's, or "
        "mock-scenario credit_risk;class=…",
        scope=CARTS_WRITE,
        body=Body(
            CreditApplicationRequest,
            examples={
                "reference": {
                    "summary": "The carrier's credit-application body (change order v1.0.2): a re-submission "
                    "naming its application's ids; a first application sends cartId and userInfo only",
                    "value": example("credit-application"),
                }
            },
        ),
        answer=Answer(200, "The credit decision, recorded on the cart", CreditApplicationResult, headers=(ETAG,)),
        errors={
            **BODY_ERRORS,
            400: BAD_BODY + ", or a birthdate that is not in the past",
            404: "No such cart (cartId) for this partner",
            409: NOT_DRAFT,
            422: OVER_LIMIT + "; or the cart has no customer party (`OMNICART-CREDIT-0001`), or its customer "
            "is not known to the customer directory (`OMNICART-CREDIT-0002`)",
            503: UNAVAILABLE,
        },
        headers=CHANGE,
        input_codes=InputCodes(missing="EXTSALESOPS-REVIEW-0002", invalid="EXTSALESOPS-REVIEW-0001"),
        provider="credit bureau",
        downstream="EXTSALESOPS-REVIEW-0003",
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
