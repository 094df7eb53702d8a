"""The carrier's carts (Create Cart, Add Items, v1.0.3) with omnicart's own reads and
changes of them, the older "order" flavour of the BYOD solution (reference §4.1), and
the catalog.
"""

from __future__ import annotations

from typing import Any

from omnicart.api import (
    byod,
    carts,
    product_offerings,
    queries,
)
from omnicart.api.operation import (
    BAD_BODY,
    BODY_ERRORS,
    CALL,
    CART,
    CART_REJECTIONS,
    CHANGE,
    ETAG,
    EXTENDED_CHANGE,
    IDEMPOTENCY_KEY,
    IF_NONE_MATCH,
    ITEM_BODY_ERRORS,
    LINK,
    LOCATION,
    MOCK_SCENARIO,
    NO_CART,
    NO_ITEM,
    NOT_A_TREE,
    NOT_DRAFT,
    RESULT_COUNT,
    TOTAL_COUNT,
    UNAVAILABLE,
    Answer,
    Body,
    Operation,
    example,
)
from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE
from omnicart.wire.byod import OrderCreated
from omnicart.wire.cart import CartCreate, ItemsAdd, ProductOrderView
from omnicart.wire.catalog import ProductOfferingView

CARTS: tuple[Operation, ...] = (
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
        errors={**ITEM_BODY_ERRORS, 503: UNAVAILABLE},
        headers=CALL,
        rejections=CART_REJECTIONS,
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
            **ITEM_BODY_ERRORS,
            404: NO_CART,
            409: "The cart is no longer a draft, or an item id is already used in it",
            503: UNAVAILABLE,
        },
        headers=CHANGE,
        rejections=CART_REJECTIONS,
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
            400: BAD_BODY + ", or the patch changes productOrderItemId" + NOT_A_TREE,
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
        errors={**ITEM_BODY_ERRORS, 503: UNAVAILABLE},
        headers=(IDEMPOTENCY_KEY, MOCK_SCENARIO),  # the carrier's page shows no headers
        rejections=CART_REJECTIONS,
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
            **ITEM_BODY_ERRORS,
            404: "No such order (cart) for this partner",
            409: "The order is no longer a draft, or an item id is already used in it",
            503: UNAVAILABLE,
        },
        headers=CHANGE,
        rejections=CART_REJECTIONS,
    ),
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
)
