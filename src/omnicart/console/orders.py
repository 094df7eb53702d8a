"""The partner's orders: a list by state with how many match, and one order with its items
and totals as submitted and its fulfilment timeline: the states it went through and the
steps still planned (and the timeline alone, which the order page polls until the order
is final); and the order as TMF622 shows it."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.console.carts import item_tree
from omnicart.console.rendering import PAGE_SIZE, page_number, render
from omnicart.console.session import needs, principal_of
from omnicart.domain.credentials import CARTS_READ
from omnicart.domain.order import FINAL_STATES, Order
from omnicart.domain.representation import encode_cart
from omnicart.domain.tmf_orders import product_order
from omnicart.runtime import base_url_of, services_of
from omnicart.store import OrderFilter
from omnicart.wire.cart import State
from omnicart.wire.tmf.product_order import PRODUCT_ORDERS_PATH


async def orders(request: Request) -> Response:
    principal = principal_of(request)
    needs(principal, CARTS_READ)
    state = request.query_params.get("state") or None
    chosen = State(state) if state in {s.value for s in State} else None
    page = page_number(request)
    found, total = await services_of(request.scope).orders.find_orders(
        principal.partner,
        OrderFilter(state=chosen.value if chosen else None),
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    return render(
        request,
        "orders.html",
        principal=principal,
        orders=found[:PAGE_SIZE],
        states=[s.value for s in State if s is not State.DRAFT],
        state=state,
        total=total,
        page=page,
        more=len(found) > PAGE_SIZE,
    )


def _order_context(order: Order) -> dict[str, Any]:
    return {"order": order, "final": order.state in FINAL_STATES}


def _submitted_cart(order: Order) -> dict[str, Any]:
    """The cart as submitted, as the cart page shows one: its items as bundles (with the
    messages they had) and its totals."""
    cart: dict[str, Any] = msgspec.json.decode(encode_cart(order.cart)[1])
    return {"submitted": cart, "tree": item_tree(cart)}


async def order(request: Request) -> Response:
    principal = principal_of(request)
    needs(principal, CARTS_READ)
    found = await services_of(request.scope).orders.get_order(principal.partner, request.path_params["orderId"])
    return render(
        request,
        "order.html",
        principal=principal,
        **_order_context(found),
        **_submitted_cart(found),
        product_order=product_order_view(request, found),
        tmf622_path=PRODUCT_ORDERS_PATH,
    )


def product_order_view(request: Request, order: Order) -> str:
    """The order as TMF622's ProductOrder (domain/tmf_orders.py), as the API answers it,
    indented for reading."""
    href = f"{base_url_of(request.scope)}{PRODUCT_ORDERS_PATH}/{order.id}"
    return json.dumps(msgspec.to_builtins(product_order(order, href)), indent=2, ensure_ascii=False)


async def order_timeline(request: Request) -> Response:
    """The order's state and timeline alone: what the order page polls for."""
    principal = principal_of(request)
    needs(principal, CARTS_READ)
    found = await services_of(request.scope).orders.get_order(principal.partner, request.path_params["orderId"])
    return render(request, "_timeline.html", principal=principal, **_order_context(found))
