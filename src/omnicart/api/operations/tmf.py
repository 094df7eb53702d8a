"""TM Forum's Open APIs (docs/tmf.md): TMF663 Shopping Cart v4, over the carrier's carts.
Each operation needs the scope of its carrier twin, and answers every error in TMF's Error
body (api/tmf/errors.py)."""

from __future__ import annotations

from omnicart.api.operation import (
    BAD_BODY,
    BODY_ERRORS,
    ETAG,
    IDEMPOTENCY_KEY,
    IF_MATCH,
    LINK,
    LOCATION,
    NO_LISTENER,
    NOT_A_TREE,
    NOT_DRAFT,
    RESULT_COUNT,
    TOTAL_COUNT,
    UNAVAILABLE,
    Answer,
    Body,
    Handler,
    Operation,
)
from omnicart.api.tmf import hub, shopping_cart
from omnicart.api.tmf.query import PARTIAL_PAGE, ReadQuery, TmfQuery
from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE
from omnicart.wire.hubs import HubCreate, HubView
from omnicart.wire.tmf.common import TmfError
from omnicart.wire.tmf.shopping_cart import (
    HUB_PATH,
    SHOPPING_CARTS_PATH,
    ShoppingCart,
    ShoppingCartCreate,
    ShoppingCartUpdate,
)

SHOPPING_CARTS = SHOPPING_CARTS_PATH
NO_SHOPPING_CART = "No such ShoppingCart (omnicart cart) for this partner"
TMF_BODY_ERRORS: dict[int, str] = {
    **BODY_ERRORS,
    400: "Malformed JSON, wrong types or missing required fields (details.errors names each, in the "
    "ShoppingCart's words)" + NOT_A_TREE,
}
ONE_CART = Answer(200, "The ShoppingCart", ShoppingCart, headers=(ETAG,))


def collection(resource: type) -> Answer:
    """A TMF list's answer (TMF630): the page, counted in headers; 206 when it is not
    the whole collection."""
    return Answer(
        200,
        "The whole collection",
        list[resource],  # type: ignore[valid-type]  # a type made at run time
        headers=(RESULT_COUNT, TOTAL_COUNT, LINK),
        partial=PARTIAL_PAGE,
    )


SHOPPING_CART: tuple[Operation, ...] = (
    Operation(
        "POST",
        SHOPPING_CARTS,
        shopping_cart.create_shopping_cart,
        "createShoppingCart",
        "Create a ShoppingCart (TMF663 v4): an omnicart cart, empty (`{}`) or with cartItems",
        scope=CARTS_WRITE,
        body=Body(
            ShoppingCartCreate,
            examples={"empty": {"summary": "An empty cart, as TM Forum's CTK makes it", "value": {}}},
        ),
        answer=Answer(201, "Created", ShoppingCart, headers=(LOCATION, ETAG)),
        errors={**TMF_BODY_ERRORS, 503: UNAVAILABLE},
        headers=(IDEMPOTENCY_KEY,),
        error_type=TmfError,
    ),
    Operation(
        "GET",
        SHOPPING_CARTS,
        shopping_cart.list_shopping_carts,
        "listShoppingCart",
        "List or find ShoppingCarts (TMF663 v4): the partner's carts, most recently changed first",
        scope=CARTS_READ,
        query=TmfQuery,
        answer=collection(ShoppingCart),
        errors={503: UNAVAILABLE},
        error_type=TmfError,
    ),
    Operation(
        "GET",
        SHOPPING_CARTS + "/{id}",
        shopping_cart.retrieve_shopping_cart,
        "retrieveShoppingCart",
        "Retrieve a ShoppingCart by id (TMF663 v4)",
        scope=CARTS_READ,
        query=ReadQuery,
        answer=ONE_CART,
        errors={404: NO_SHOPPING_CART, 503: UNAVAILABLE},
        error_type=TmfError,
    ),
    Operation(
        "PATCH",
        SHOPPING_CARTS + "/{id}",
        shopping_cart.patch_shopping_cart,
        "patchShoppingCart",
        "Update a ShoppingCart partially (TMF663 v4, JSON merge patch): re-prices and re-validates the cart",
        scope=CARTS_WRITE,
        body=Body(ShoppingCartUpdate, media_types=("application/merge-patch+json", "application/json")),
        answer=ONE_CART,
        errors={
            **TMF_BODY_ERRORS,
            400: TMF_BODY_ERRORS[400] + ", or the patch changes id",
            404: NO_SHOPPING_CART,
            409: "The cart is no longer a draft, or two cartItems have one id",
            503: UNAVAILABLE,
        },
        headers=(IF_MATCH,),
        error_type=TmfError,
    ),
    Operation(
        "DELETE",
        SHOPPING_CARTS + "/{id}",
        shopping_cart.delete_shopping_cart,
        "deleteShoppingCart",
        "Delete a ShoppingCart (TMF663 v4): abandons the draft cart",
        scope=CARTS_WRITE,
        answer=Answer(204, "Deleted"),
        errors={404: NO_SHOPPING_CART, 409: NOT_DRAFT, 503: UNAVAILABLE},
        headers=(IF_MATCH,),
        error_type=TmfError,
    ),
)


def hub_operations(
    path: str, register: Handler, names: tuple[str, str], api: str, resource: str
) -> tuple[Operation, ...]:
    """A TMF API's listener registration (TMF630 hub) at `path`: `register` and the
    unregistering, named `names`; `api` and `resource` say whose events it hears."""
    register_id, unregister_id = names
    return (
        Operation(
            "POST",
            path,
            register,
            register_id,
            f"Register a listener of {api}'s events (TMF630 hub): the partner's {resource} events are POSTed to "
            "`callback`, signed with the `secret` returned here once",
            scope=CARTS_WRITE,
            body=Body(
                HubCreate,
                examples={
                    "every": {
                        "summary": f"Every {resource} event (the query left out)",
                        "value": {"callback": f"https://partner.example.com/{api.lower()}-events"},
                    }
                },
            ),
            answer=Answer(201, "Registered", HubView, headers=(LOCATION,)),
            errors={**BODY_ERRORS, 400: BAD_BODY + ", or a callback this server may not call", 503: UNAVAILABLE},
            headers=(IDEMPOTENCY_KEY,),
            error_type=TmfError,
        ),
        Operation(
            "DELETE",
            path + "/{id}",
            hub.unregister_shopping_cart_listener,
            unregister_id,
            "Unregister a listener (TMF630 hub); nothing more is delivered to it",
            scope=CARTS_WRITE,
            answer=Answer(204, "Unregistered"),
            errors={404: NO_LISTENER, 503: UNAVAILABLE},
            error_type=TmfError,
        ),
    )


SHOPPING_CART_HUB = hub_operations(
    HUB_PATH,
    hub.register_shopping_cart_listener,
    ("registerShoppingCartListener", hub.LISTENER),
    "TMF663",
    "ShoppingCart",
)

TMF: tuple[Operation, ...] = (*SHOPPING_CART, *SHOPPING_CART_HUB)
