"""TMF622 Product Ordering v4 (docs/tmf.md): productOrder and its cancelProductOrder task."""

from __future__ import annotations

from omnicart.api.operation import (
    BODY_ERRORS,
    ETAG,
    IDEMPOTENCY_KEY,
    IF_MATCH,
    LOCATION,
    NO_ORDER,
    UNAVAILABLE,
    Answer,
    Body,
    Operation,
)
from omnicart.api.operations.tmf import collection, hub_operations
from omnicart.api.tmf import hub, ordering_queries
from omnicart.api.tmf import product_order as handlers
from omnicart.api.tmf.query import ReadQuery, TmfQuery
from omnicart.domain.credentials import CARTS_READ, ORDERS_SUBMIT
from omnicart.wire.tmf.common import TmfError
from omnicart.wire.tmf.product_order import (
    CANCEL_PRODUCT_ORDERS_PATH,
    ORDERING_HUB_PATH,
    PRODUCT_ORDERS_PATH,
    CancelProductOrder,
    CancelProductOrderCreate,
    ProductOrderCreate,
    ProductOrderUpdate,
    TmfProductOrder,
)

TMF_ORDERING: tuple[Operation, ...] = (
    Operation(
        "POST",
        PRODUCT_ORDERS_PATH,
        handlers.create_product_order,
        "createProductOrder",
        "TMF622: place a product order. Its cart is made from productOrderItem and placed at once, as ordered "
        "(state acknowledged); the order is an omnicart order like any express-submitted one",
        scope=ORDERS_SUBMIT,
        body=Body(ProductOrderCreate),
        answer=Answer(201, "The productOrder", TmfProductOrder, headers=(LOCATION, ETAG)),
        errors={
            **BODY_ERRORS,
            409: "Two productOrderItem share an id",
            503: UNAVAILABLE,
        },
        headers=(IDEMPOTENCY_KEY,),
        error_type=TmfError,
    ),
    Operation(
        "GET",
        PRODUCT_ORDERS_PATH,
        handlers.list_product_orders,
        "listProductOrder",
        "TMF622: the partner's product orders, newest first; every omnicart order is one",
        scope=CARTS_READ,
        query=ordering_queries.ProductOrderQuery,
        answer=collection(TmfProductOrder),
        errors={503: UNAVAILABLE},
        error_type=TmfError,
    ),
    Operation(
        "GET",
        PRODUCT_ORDERS_PATH + "/{id}",
        handlers.retrieve_product_order,
        "retrieveProductOrder",
        "TMF622: one product order (an omnicart order id, however it was placed)",
        scope=CARTS_READ,
        query=ReadQuery,
        answer=Answer(200, "The productOrder", TmfProductOrder, headers=(ETAG,)),
        errors={404: NO_ORDER, 503: UNAVAILABLE},
        error_type=TmfError,
    ),
    Operation(
        "PATCH",
        PRODUCT_ORDERS_PATH + "/{id}",
        handlers.patch_product_order,
        "patchProductOrder",
        "TMF622: change a product order's descriptive attributes (JSON merge patch: description, category, "
        "priority, externalId, note, notificationContact, requested dates); items, parties and channel are the "
        "order as placed",
        scope=ORDERS_SUBMIT,
        body=Body(ProductOrderUpdate, media_types=("application/merge-patch+json", "application/json")),
        answer=Answer(200, "The productOrder", TmfProductOrder, headers=(ETAG,)),
        errors={**BODY_ERRORS, 404: NO_ORDER, 503: UNAVAILABLE},
        headers=(IF_MATCH,),
        error_type=TmfError,
    ),
    Operation(
        "DELETE",
        PRODUCT_ORDERS_PATH + "/{id}",
        handlers.delete_product_order,
        "deleteProductOrder",
        "TMF622: delete a product order. omnicart keeps every order placed: it answers 409 and points to "
        "cancelProductOrder (omnicart's choice)",
        scope=ORDERS_SUBMIT,
        answer=Answer(204, "Never: an order is kept once placed"),
        errors={
            404: NO_ORDER,
            409: "Always, for an order of this partner: placed orders are cancelled (cancelProductOrder), not deleted",
            503: UNAVAILABLE,
        },
        error_type=TmfError,
    ),
    Operation(
        "POST",
        CANCEL_PRODUCT_ORDERS_PATH,
        handlers.create_cancel_product_order,
        "createCancelProductOrder",
        "TMF622: cancel a product order (pendingCancellation, then cancelled). One task per order, named by "
        "the order's id: asking again answers the same task",
        scope=ORDERS_SUBMIT,
        body=Body(CancelProductOrderCreate),
        answer=Answer(201, "The cancelProductOrder task", CancelProductOrder, headers=(LOCATION,)),
        errors={
            **BODY_ERRORS,
            404: "No such productOrder (productOrder.id) for this partner",
            409: "The order is final (completed, partial, failed) and cannot be cancelled",
            503: UNAVAILABLE,
        },
        headers=(IDEMPOTENCY_KEY,),
        error_type=TmfError,
    ),
    Operation(
        "GET",
        CANCEL_PRODUCT_ORDERS_PATH,
        handlers.list_cancel_product_orders,
        "listCancelProductOrder",
        "TMF622: the partner's cancellation tasks, newest order first",
        scope=CARTS_READ,
        query=TmfQuery,
        answer=collection(CancelProductOrder),
        errors={503: UNAVAILABLE},
        error_type=TmfError,
    ),
    Operation(
        "GET",
        CANCEL_PRODUCT_ORDERS_PATH + "/{id}",
        handlers.retrieve_cancel_product_order,
        "retrieveCancelProductOrder",
        "TMF622: one cancellation task",
        scope=CARTS_READ,
        query=ReadQuery,
        answer=Answer(200, "The cancelProductOrder task", CancelProductOrder),
        errors={404: "No such cancellation task for this partner", 503: UNAVAILABLE},
        error_type=TmfError,
    ),
    *hub_operations(
        ORDERING_HUB_PATH,
        hub.register_product_order_listener,
        ("registerProductOrderListener", hub.ORDER_LISTENER),
        "TMF622",
        "ProductOrder",
    ),
)
