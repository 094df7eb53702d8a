"""TMF622 Product Ordering v4 over HTTP (docs/tmf.md). Translation only: the shapes are
domain/tmf_orders.py's, the use cases services/product_orders.py's.

- `/tmf-api/productOrderingManagement/v4/productOrder`: POST (201), GET (list);
  `…/productOrder/{id}`: GET, PATCH (merge patch of the descriptive attributes).
- `/tmf-api/productOrderingManagement/v4/cancelProductOrder`: POST (201), GET (list);
  `…/cancelProductOrder/{id}`: GET.
"""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import partner_of, query_of, url_of
from omnicart.api.idempotency import reply_for
from omnicart.api.requests import decode_body
from omnicart.api.responses import given, respond
from omnicart.api.tmf.query import NOTHING, field_names, order_date_bounds, project, tmf_page, wanted_id
from omnicart.domain.errors import IllegalTransition
from omnicart.domain.order import Order
from omnicart.domain.tmf_orders import STATES, cancel_task, product_order, states_named
from omnicart.runtime import services_of, settings_of
from omnicart.services.answers import JSON, Rendered
from omnicart.services.product_orders import ProductOrders
from omnicart.store import OrderFilter
from omnicart.wire.errors import ApiError
from omnicart.wire.tmf.product_order import (
    CancelProductOrderCreate,
    ProductOrderCreate,
    ProductOrderUpdate,
    details_of,
)

_encode = msgspec.json.Encoder().encode


def product_orders_of(request: Request) -> ProductOrders:
    return services_of(request.scope).product_orders


def order_href(request: Request, order_id: str) -> str:
    return url_of(request, "retrieveProductOrder", id=order_id)


def _document(request: Request, order: Order) -> bytes:
    return _encode(product_order(order, order_href(request, order.id)))


def _answer(request: Request, order: Order) -> Response:
    return Response(_document(request, order), media_type="application/json", headers={"ETag": order.etag})


def _projected(request: Request, document: bytes, headers: dict[str, str] | None = None) -> Response:
    """A read's answer, with only the attributes `?fields=` asks for."""
    kept = field_names(query_of(request).fields)
    return Response(project(document, kept), media_type="application/json", headers=headers)


async def create_product_order(request: Request) -> Response:
    body = await decode_body(request, ProductOrderCreate, settings_of(request.scope).limits)

    def render(order: Order) -> Rendered:
        href = order_href(request, order.id)
        return 201, [JSON, ("location", href), ("etag", order.etag)], _encode(product_order(order, href))

    order = await product_orders_of(request).create(partner_of(request), body, render, reply=reply_for(request))
    return respond(render(order))  # as an Idempotency-Key's replay answers it


async def list_product_orders(request: Request) -> Response:
    query = query_of(request)
    wanted = wanted_id(query, lambda order_id: order_href(request, order_id))
    states = None if query.state is msgspec.UNSET else states_named(query.state)
    bounds: dict[str, Any] = order_date_bounds(query)  # OrderFilter's names of the bounds
    if wanted is NOTHING or states == ():
        return tmf_page(request, query, [], 0)
    found, total = await product_orders_of(request).find(
        partner_of(request),
        OrderFilter(order_id=wanted if isinstance(wanted, str) else None, **bounds),
        states,
        limit=query.limit,
        offset=query.offset,
    )
    return tmf_page(request, query, [_document(request, order) for order in found], total)


async def retrieve_product_order(request: Request) -> Response:
    order = await services_of(request.scope).orders.get_order(partner_of(request), request.path_params["id"])
    return _projected(request, _document(request, order), {"ETag": order.etag})


async def patch_product_order(request: Request) -> Response:
    """A JSON merge patch of the descriptive attributes; what the order placed keeps is
    ignored with a Warning (wire/tmf/product_order.py, `ProductOrderUpdate`)."""
    body = await decode_body(request, ProductOrderUpdate, settings_of(request.scope).limits)
    order = await product_orders_of(request).describe(
        partner_of(request), request.path_params["id"], details_of(body), request.headers.get("if-match")
    )
    return _answer(request, order)


async def delete_product_order(request: Request) -> Response:
    """omnicart keeps every order placed (the carrier's record of a sale): an order is
    cancelled (cancelProductOrder), never deleted. Refused with 409; an unknown one is 404."""
    order = await services_of(request.scope).orders.get_order(partner_of(request), request.path_params["id"])
    raise ApiError(
        409,
        IllegalTransition.code,
        f"order {order.id!r} is kept once placed: cancel it with POST {url_of(request, 'createCancelProductOrder')}",
        {"state": STATES[order.state]},
    )


# -- the CancelProductOrder task ----------------------------------------------------------------


def _task(request: Request, order: Order) -> bytes:
    href = url_of(request, "retrieveCancelProductOrder", id=order.id)
    return _encode(cancel_task(order, href, order_href(request, order.id)))


async def create_cancel_product_order(request: Request) -> Response:
    body = await decode_body(request, CancelProductOrderCreate, settings_of(request.scope).limits)
    reason = given(body.cancellationReason)
    order = await product_orders_of(request).cancel(partner_of(request), body.productOrder.id, reason)
    href = url_of(request, "retrieveCancelProductOrder", id=order.id)
    return Response(_task(request, order), status_code=201, media_type="application/json", headers={"Location": href})


async def list_cancel_product_orders(request: Request) -> Response:
    query = query_of(request)
    wanted = wanted_id(query, lambda order_id: url_of(request, "retrieveCancelProductOrder", id=order_id))
    if wanted is NOTHING:
        return tmf_page(request, query, [], 0)
    found, total = await product_orders_of(request).cancellations(
        partner_of(request),
        OrderFilter(order_id=wanted if isinstance(wanted, str) else None),
        limit=query.limit,
        offset=query.offset,
    )
    return tmf_page(request, query, [_task(request, order) for order in found], total)


async def retrieve_cancel_product_order(request: Request) -> Response:
    order = await product_orders_of(request).cancellation(partner_of(request), request.path_params["id"])
    return _projected(request, _task(request, order))
