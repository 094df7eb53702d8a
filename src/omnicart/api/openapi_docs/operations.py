"""The tag (resource) and the description of every operation, by operation id: where the
operation sits in a partner's flow and what to call next. The summary (api/operations/)
says what it does; this says when and why."""

from __future__ import annotations

TMF622_TAG = "TMF622 product ordering"
TMF622 = "TM Forum TMF622 v4's operation (a standard of its own, not the carrier's API). "
OWN = "omnicart's own operation (x-omnicart-extension): the carrier's API has none like it. "

# Tag name -> what the resource is; the order is the order of a partner's flow.
TAGS: dict[str, str] = {
    "carts": "A cart is the carrier's ProductOrder in state Draft: created, read and abandoned here",
    "items": "The items of a cart: added, changed and removed; every change re-prices and re-validates the cart",
    "catalog": "The product offerings items name (productOfferingId)",
    "customers": "The carrier's customers: search and authentication (fiber change order)",
    "fiber": "Fiber move / change order: service qualification and credit application",
    "checkout": "From a draft cart to an order: checkout configuration, payment methods and express submit",
    "direct fulfilment": "The carrier's direct-fulfilment add-a-line flow: offers, delivery, terms and billing",
    "orders": "Orders made by express submit: read, listed and cancelled (omnicart's own reads)",
    "orders query": "The carrier's orders query (BYOD solution): GraphQL over HTTP",
    "hubs": "omnicart's own: listeners that receive the events of a partner's carts and orders",
    "auth": "Access tokens for an API key (OAuth2 client credentials)",
    "service": "omnicart's own: the index, probes, metrics and this documentation",
    "TMF663 shopping cart": "TM Forum's TMF663 Shopping Cart v4 over the same carts: a ShoppingCart is the cart of "
    "the same id",
    TMF622_TAG: "TM Forum's TMF622 Product Ordering v4 over the same orders (not the carrier's "
    "API): productOrder and its cancelProductOrder task, in TMF630's conventions",
}

OPERATIONS: dict[str, tuple[str, str]] = {
    "createCart": (
        "carts",
        "The first call of every flow. The answer is the whole cart: its id (a time-based UUID v1) names it in "
        "every later call, its ETag guards changes (If-Match), and `validation` lists what is still needed "
        "before it can be submitted. Send an Idempotency-Key to retry safely.",
    ),
    "listCarts": (
        "carts",
        OWN + "Pages with `limit` and the Link header; the filters (state, customer, last change) narrow the list.",
    ),
    "getCart": (
        "carts",
        OWN + "The cart as it is now, with its ETag; If-None-Match with the current ETag answers 304.",
    ),
    "abandonCart": (
        "carts",
        OWN + "The draft cart is deleted: later calls with its id answer 404, and listeners receive a "
        "ShoppingCartDeleteEvent with the cart as it was.",
    ),
    "addItemsToCart": (
        "items",
        "Adds items to a draft cart, then prices and validates it again: the answer is the whole cart with "
        "its version increased by one. Item ids are the client's (productOrderItemId) or made up by omnicart.",
    ),
    "patchCartItem": (
        "items",
        OWN + "A JSON merge patch (RFC 7396) of one item: fields given replace the item's, null removes one; "
        "the merged item is validated as a whole and the cart re-priced. productOrderItemId cannot change.",
    ),
    "removeCartItem": (
        "items",
        OWN + "Removes one item from a draft cart (with its bundle when it is a bundle root) and re-prices it.",
    ),
    "createOrder": (
        "carts",
        "The BYOD solution's name for Create Cart (reference §4.1): the same draft cart, answered by its "
        "customer order id only.",
    ),
    "addOrderItems": (
        "items",
        "The BYOD solution's name for Add Items to Cart (reference §4.1), e.g. swapping an existing line to "
        "the customer's own phone.",
    ),
    "listProductOfferings": (
        "catalog",
        OWN + "The catalog items are priced from; its ids are the productOfferingId of an item.",
    ),
    "getProductOffering": ("catalog", OWN + "One offering of the catalog, with its prices and eligibility."),
    "searchCustomers": (
        "customers",
        "Finds the customer a fiber change order is for, with the accounts, addresses and lines a cart's "
        "items can act on.",
    ),
    "authenticateCustomer": (
        "customers",
        "Proves the customer's identity before their account is changed; nothing is stored.",
    ),
    "checkServiceQualification": (
        "fiber",
        "Before a fiber cart: is the address known, is fiber available there, and which offers can be sold.",
    ),
    "creditApplication": (
        "fiber",
        "A credit check of the cart's customer before submission; its decision is kept on the cart.",
    ),
    "getCheckoutConfigurableOptions": (
        "checkout",
        "What is still needed before submission: the validation, totals, terms to accept and fulfilment "
        "options. Read-only: call it as often as needed.",
    ),
    "expressSubmit": (
        "checkout",
        "The last call of a flow: the draft cart becomes an order (state Submitted) once its validation says "
        "readyToSubmit; the body may carry the payment methods and terms at the same time. The answer is the "
        "carrier's five fields; the order is then read with getOrder.",
    ),
    "registerPaymentMethods": (
        "checkout",
        "Registers how the customer pays before express submit, with the customer's consent to the terms of "
        "storing the method; the cart's payment and terms steps become complete.",
    ),
    "listOrders": ("orders", OWN + "Pages with `limit` and the Link header."),
    "getOrder": (
        "orders",
        OWN + "The order as submitted, its state and history; for a fiber order, the address and appointment.",
    ),
    "queryOrders": (
        "orders query",
        "The carrier's orders query (BYOD solution) for a partner that reads orders in GraphQL.",
    ),
    "ordersQuerySchema": ("orders query", OWN + "The GraphQL schema the orders query runs, to generate a client."),
    "cancelOrder": (
        "orders",
        OWN + "Asks to cancel a submitted order; the reason given is kept as cancellationReason and the state "
        "history shows each step.",
    ),
    "getProductOfferings": (
        "direct fulfilment",
        "The first call of the direct-fulfilment add-a-line flow: which offerings can be sold, in the "
        "carrier's price model.",
    ),
    "retrieveFulfillmentOptions": (
        "direct fulfilment",
        "How each physical item of the order can be delivered, to choose with patchFulfillment.",
    ),
    "patchFulfillment": ("direct fulfilment", "Chooses the delivery of each physical item of the order."),
    "retrieveTerms": ("direct fulfilment", "The agreements the customer must accept, to accept with patchTerms."),
    "patchTerms": ("direct fulfilment", "Records the customer's acceptance of the order's agreements."),
    "updateBilling": ("direct fulfilment", "Enrolls the order's account in AutoPay and paperless bills."),
    "registerListener": (
        "hubs",
        OWN + "From then on every event of the partner's carts and orders is POSTed to the callback, signed "
        "with the secret answered here (and only here); failed deliveries are retried.",
    ),
    "listListeners": ("hubs", OWN + "Every listener of the calling partner (their secrets are not answered)."),
    "getListener": ("hubs", OWN + "One listener (its secret is not answered)."),
    "unregisterListener": ("hubs", OWN + "Stops deliveries to the listener."),
    # TM Forum's TMF663 (docs/tmf.md)
    "createShoppingCart": (
        "TMF663 shopping cart",
        "An omnicart cart made through TMF663: `{}` is an empty cart; cartItems are priced and validated as "
        "items added on the carrier's path. Readable and changeable there too (the same id).",
    ),
    "listShoppingCart": (
        "TMF663 shopping cart",
        "TMF630 paging (offset, limit; 206 when the page is not the whole collection), `fields` and the "
        "`id`/`href` filters.",
    ),
    "retrieveShoppingCart": ("TMF663 shopping cart", "The cart as TMF663 shows it, with its ETag; `fields` projects."),
    "patchShoppingCart": (
        "TMF663 shopping cart",
        "A JSON merge patch of the ShoppingCart: an array sent replaces the one there (send every cartItem to "
        "keep). If-Match guards the version, as on the carrier's path.",
    ),
    "deleteShoppingCart": ("TMF663 shopping cart", "Abandons the draft cart, as DELETE on the carrier's path does."),
    "registerShoppingCartListener": (
        "TMF663 shopping cart",
        "The same listeners as registerListener, on the same signed, retried delivery; without a `query`, the "
        "ShoppingCart events only (ShoppingCartCreateEvent, ShoppingCartAttributeValueChangeEvent, "
        "ShoppingCartStateChangeEvent, ShoppingCartDeleteEvent). Their snapshot is the carrier's cart document.",
    ),
    "unregisterShoppingCartListener": ("TMF663 shopping cart", "Stops deliveries to the listener."),
    "createProductOrder": (
        TMF622_TAG,
        TMF622 + "For a partner that orders in TM Forum's words: the order is placed at once, as ordered, and is an "
        "omnicart order from then on (its cart, events, lifecycle). Send an Idempotency-Key to retry safely.",
    ),
    "listProductOrder": (
        TMF622_TAG,
        TMF622 + "Every order of the partner, express-submitted or not; 206 when the page is not all of them.",
    ),
    "retrieveProductOrder": (
        TMF622_TAG,
        TMF622 + "The order in TMF622's shape, its state in TMF622's words, with its ETag for a PATCH.",
    ),
    "patchProductOrder": (
        TMF622_TAG,
        TMF622 + "Sets or removes the order's descriptive attributes; what was ordered is not changed here.",
    ),
    "deleteProductOrder": (
        TMF622_TAG,
        TMF622 + "omnicart keeps placed orders: this answers 409 and names cancelProductOrder instead.",
    ),
    "createCancelProductOrder": (
        TMF622_TAG,
        TMF622 + "Cancels the order as cancelOrder does; follow the task (or the order) to `done` / `cancelled`.",
    ),
    "listCancelProductOrder": (TMF622_TAG, TMF622 + "Every cancellation of the partner's orders, newest order first."),
    "retrieveCancelProductOrder": (TMF622_TAG, TMF622 + "One cancellation, named by its order's id."),
    "registerProductOrderListener": (
        TMF622_TAG,
        "The same listeners as registerListener, on the same signed, retried delivery; without a `query`, the "
        "ProductOrder events only (ProductOrderCreateEvent, ProductOrderStateChangeEvent, "
        "ProductOrderAttributeValueChangeEvent, CancelProductOrderCreateEvent). A productOrder's snapshot is "
        "omnicart's order document (getOrder's), a cancelProductOrder's TMF622's task.",
    ),
    "unregisterProductOrderListener": (TMF622_TAG, "Stops deliveries to the listener."),
    "index": ("service", OWN + "Answers without credentials."),
    "issueAccessToken": (
        "auth",
        OWN + "Trades an API key for a short-lived JWT, to send as a bearer token instead of the key; the form's "
        "optional `scope` (scopes separated by spaces) narrows what the token may do.",
    ),
    "health": ("service", OWN + "Answers 200 while the process runs; for a load balancer's liveness check."),
    "ready": ("service", OWN + "Answers 200 when the store answers, 503 otherwise; for a readiness check."),
    "metrics": ("service", OWN + "In the Prometheus text format, for a scraper."),
    "openapi": ("service", OWN + "The OpenAPI 3.1 document of the service (this document)."),
    "docs": ("service", OWN + "Swagger UI over this document, to try the operations in a browser."),
    "docsScript": ("service", OWN + "Served for the documentation page (its content security policy)."),
}

# Path parameter -> what it names; by the path's start where one name means two things.
PATH_PARAMETERS: dict[str, str] = {
    "cartId": "The cart's id (a time-based UUID v1), or the customer order id (`NN-…`) createOrder answered",
    "itemId": "The item's productOrderItemId",
    "offeringId": "The offering's id (an item's productOfferingId)",
    "id": "omnicart's own: the listener's id, as registerListener answered it",
    "tmf663 id": "TMF663: the ShoppingCart's id (the omnicart cart's id)",
    "tmf663 hub id": "The listener's id, as registerShoppingCartListener answered it",
    "orderId": "The order (cart): the customer order id (`NN-…`) createOrder answered, or the cart's UUID",
}
ORDERS_PATH = "/omni-svcs/v1/orders/"
# `{id}` of TM Forum's paths, by the path's start.
TMF_IDS: dict[str, str] = {
    "/tmf-api/productOrderingManagement/v4/productOrder/": "The product order's id (omnicart's order id)",
    "/tmf-api/productOrderingManagement/v4/cancelProductOrder/": "The cancellation task's id: its order's id",
    "/tmf-api/productOrderingManagement/v4/hub/": "The listener's id, as registerProductOrderListener answered it",
}
ORDER_ID = "omnicart's own: the order's id, as expressSubmit answered it (`id`)"
