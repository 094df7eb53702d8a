"""The OpenAPI 3.1 document, generated from the wire structs so it cannot drift from
the code, and a self-hosted interactive docs page (no CDN: the service may run offline)."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from omnicart import __version__
from omnicart.api import hub, orders, wire
from omnicart.api.product_offerings import ProductOfferingView
from omnicart.domain.catalog import PRODUCT_OFFERING_TYPES
from omnicart.domain.open import EXTRA

REF = "#/components/schemas/{name}"

SCHEMAS: list[Any] = [wire.CartCreate, wire.ItemsAdd, wire.ProductOrderItem, wire.ProductOrderView,
                      ProductOfferingView, wire.Error]
ORDER_SCHEMAS: list[Any] = [orders.CheckoutRequest, orders.CheckoutView, orders.Submission,
                            orders.SubmittedOrder, orders.CancelRequest, orders.OrderView,
                            hub.HubCreate, hub.HubView]


def _ref(struct: type) -> dict[str, str]:
    return {"$ref": REF.format(name=struct.__name__)}


def _json(struct: type | dict[str, Any]) -> dict[str, Any]:
    schema = struct if isinstance(struct, dict) else _ref(struct)
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    text = {
        304: "Not modified (If-None-Match matched the current ETag)",
        400: "Malformed JSON, wrong types or missing required fields",
        404: "No such cart for this partner",
        409: "The cart is no longer a draft, or an item id is already used",
        412: "If-Match names a version that is no longer current",
        413: "Body larger than the configured limit",
        415: "Content-Type is not application/json",
        422: "A configured limit is exceeded",
        503: "The store is temporarily unavailable; retry after Retry-After seconds",
    }
    return {
        str(s): ({"description": text[s]} if s == 304 else {"description": text[s], **_json(wire.Error)})
        for s in statuses
    }


CART_ID = {"name": "cartId", "in": "path", "required": True, "schema": {"type": "string"}}
ITEM_ID = {"name": "itemId", "in": "path", "required": True, "schema": {"type": "string"}}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "ETag of the version the change is based on; a stale one answers 412"}
EXTENSION = {"x-omnicart-extension": True}
MUTATION_ERRORS = (400, 404, 409, 412, 413, 415, 422, 503)


def open_objects(components: dict[str, Any]) -> None:
    """Objects that keep unknown fields say so (`additionalProperties`), and their
    internal room for them (domain/open.py) is not part of the contract."""
    for schema in components.values():
        properties = schema.get("properties", {})
        if EXTRA in properties:
            del properties[EXTRA]
            schema["additionalProperties"] = True


def build_document() -> dict[str, Any]:
    _, components = msgspec.json.schema_components(SCHEMAS + ORDER_SCHEMAS, ref_template=REF)
    open_objects(components)
    cart = {"description": "The cart (a ProductOrder)", **_json(wire.ProductOrderView),
            "headers": {"ETag": {"schema": {"type": "string"}}}}
    paths: dict[str, Any] = {
        "/omni-svcs/v1/carts": {
            "post": {
                "operationId": "createCart",
                "summary": "Create Cart (carrier v1.0.3): a draft order, empty or with initial items",
                "requestBody": {"required": True, **_json(wire.CartCreate)},
                "responses": {"201": {**cart, "description": "Cart created",
                                      "headers": {"Location": {"schema": {"type": "string"}},
                                                  "ETag": {"schema": {"type": "string"}}}},
                              **_errors(400, 413, 415, 422, 503)},
            },
            "get": {
                "operationId": "listCarts", **EXTENSION,
                "summary": "List the calling partner's carts, most recently changed first",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}},
                ],
                "responses": {"200": {"description": "Carts", **_json({"type": "array", "items": _ref(wire.ProductOrderView)})},
                              **_errors(400, 503)},
            },
        },
        "/omni-svcs/v1/carts/{cartId}": {
            "parameters": [CART_ID],
            "get": {"operationId": "getCart", **EXTENSION, "summary": "Read a cart",
                    "parameters": [{"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}],
                    "responses": {"200": cart, **_errors(304, 404, 503)}},
            "delete": {"operationId": "abandonCart", **EXTENSION, "summary": "Abandon a draft cart",
                       "parameters": [IF_MATCH],
                       "responses": {"204": {"description": "Abandoned"}, **_errors(404, 409, 412, 503)}},
        },
        "/omni-svcs/v1/carts/{cartId}/items": {
            "parameters": [CART_ID],
            "post": {"operationId": "addItemsToCart",
                     "summary": "Add Items to Cart (carrier v1.0.3): re-prices and re-validates the cart",
                     "parameters": [IF_MATCH],
                     "requestBody": {"required": True, **_json(wire.ItemsAdd)},
                     "responses": {"200": cart, **_errors(*MUTATION_ERRORS)}},
        },
        "/omni-svcs/v1/carts/{cartId}/items/{itemId}": {
            "parameters": [CART_ID, ITEM_ID],
            "patch": {"operationId": "patchCartItem", **EXTENSION,
                      "summary": "Change an item (JSON merge patch of the item)",
                      "parameters": [IF_MATCH],
                      "requestBody": {"required": True, "content": {
                          "application/merge-patch+json": {"schema": {"type": "object"}},
                          "application/json": {"schema": {"type": "object"}}}},
                      "responses": {"200": cart, **_errors(*MUTATION_ERRORS)}},
            "delete": {"operationId": "removeCartItem", **EXTENSION,
                       "summary": "Remove an item; removing a bundle root removes its bundle",
                       "parameters": [IF_MATCH],
                       "responses": {"200": cart, **_errors(404, 409, 412, 503)}},
        },
        "/omni-svcs/v1/productOfferings": {
            "get": {"operationId": "listProductOfferings", **EXTENSION,
                    "summary": "The product catalog, optionally of one productOfferingType",
                    "parameters": [{"name": "type", "in": "query", "schema": {
                        "type": "string", "enum": sorted(PRODUCT_OFFERING_TYPES)}}],
                    "responses": {"200": {"description": "Offerings", **_json(
                        {"type": "array", "items": _ref(ProductOfferingView)})}, **_errors(400)}},
        },
        "/omni-svcs/v1/productOfferings/{offeringId}": {
            "parameters": [{"name": "offeringId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "getProductOffering", **EXTENSION, "summary": "One offering",
                    "responses": {"200": {"description": "Offering", **_json(ProductOfferingView)}, **_errors(404)}},
        },
        **_ordering_paths(),
        **_hub_paths(),
        "/health": {"get": {"operationId": "health", "summary": "Liveness",
                            "responses": {"200": {"description": "Alive"}}}},
        "/ready": {"get": {"operationId": "ready", "summary": "Readiness: the store answers",
                           "responses": {"200": {"description": "Ready"}, **_errors(503)}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "omnicart: omni-svcs partner cart API",
            "version": __version__,
            "description": "Paths, bodies and errors of the carrier's omni-svcs cart API. "
            "Operations marked x-omnicart-extension are omnicart's additions. In sandbox mode "
            "every /omni-svcs request honours the mock-scenario header (docs/sandbox.md).",
        },
        "paths": paths,
        "components": {"schemas": components},
    }


MOCK_SCENARIO = {
    "name": "mock-scenario", "in": "header", "required": False, "schema": {"type": "string"},
    "description": "Sandbox mode only (ignored otherwise): a canned unhappy path, e.g. "
    "`submit_rejected`, `fulfilment_fails;after=5`, `transient_503`. The list is in docs/sandbox.md.",
}


def _hub_paths() -> dict[str, Any]:
    """Event listeners (api/hub.py, docs/events.md)."""
    hub_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    not_found = {"404": {"description": "No such hub for this partner", **_json(wire.Error)}}
    return {
        hub.HUB: {
            "post": {
                "operationId": "registerListener", **EXTENSION,
                "summary": "Register a listener: events of the partner's carts and orders are POSTed to "
                           "`callback`, signed with the `secret` returned here once (docs/events.md)",
                "requestBody": {"required": True, **_json(hub.HubCreate)},
                "responses": {"201": {"description": "Registered", **_json(hub.HubView),
                                      "headers": {"Location": {"schema": {"type": "string"}}}},
                              **_errors(400, 413, 415, 503)},
            },
            "get": {"operationId": "listListeners", **EXTENSION, "summary": "The partner's listeners",
                    "responses": {"200": {"description": "Listeners", **_json(
                        {"type": "array", "items": _ref(hub.HubView)})}, **_errors(503)}},
        },
        hub.HUB + "/{id}": {
            "parameters": [hub_id],
            "get": {"operationId": "getListener", **EXTENSION, "summary": "One listener",
                    "responses": {"200": {"description": "Listener", **_json(hub.HubView)}, **not_found}},
            "delete": {"operationId": "unregisterListener", **EXTENSION,
                       "summary": "Unregister a listener; nothing more is delivered to it",
                       "responses": {"204": {"description": "Unregistered"}, **not_found}},
        },
    }


def _ordering_paths() -> dict[str, Any]:
    """Checkout, express submit and the orders they make (api/orders.py)."""

    def error(description: str) -> dict[str, Any]:
        return {"description": description, **_json(wire.Error)}

    order = {"description": "The order", **_json(orders.OrderView)}
    order_id = {"name": "orderId", "in": "path", "required": True, "schema": {"type": "string"}}
    no_order = error("No such order for this partner")
    return {
        orders.CHECKOUT: {
            "post": {
                "operationId": "checkout",
                "summary": "Checkout (carrier v1.0.1): validation, totals, terms and fulfilment options "
                           "of a draft cart, as of now; the cart is not changed",
                "parameters": [MOCK_SCENARIO],
                "requestBody": {"required": True, **_json(orders.CheckoutRequest)},
                "responses": {"200": {"description": "Checkout configuration", **_json(orders.CheckoutView)},
                              **_errors(400, 404, 413, 415, 422, 503),
                              "409": error("The cart is no longer a draft")},
            },
        },
        orders.SUBMIT: {
            "parameters": [CART_ID],
            "post": {
                "operationId": "expressSubmit",
                "summary": "Express Order Submit (carrier v1.0.2): the draft cart becomes an order; "
                           "submitting a submitted cart answers its order again",
                "parameters": [IF_MATCH, MOCK_SCENARIO],
                "requestBody": {"required": False, **_json(orders.Submission)},
                "responses": {
                    "200": {"description": "The order (the carrier's five fields)", **_json(orders.SubmittedOrder)},
                    **_errors(400, 404, 412, 413, 415, 503),
                    "409": error("The cart is no longer a draft and was not submitted as an order"),
                    "422": error("The cart is not ready to submit (details.validationMessage), the order "
                                 "was rejected, or a configured limit is exceeded"),
                },
            },
        },
        orders.ORDERS: {
            "get": {
                "operationId": "listOrders", **EXTENSION,
                "summary": "List the calling partner's orders, newest first",
                "parameters": [
                    {"name": "state", "in": "query", "schema": {"type": "string", "enum": orders.STATE_NAMES}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}},
                ],
                "responses": {"200": {"description": "Orders", **_json({"type": "array", "items": _ref(orders.OrderView)})},
                              **_errors(400, 503)},
            },
        },
        orders.ORDERS + "/{orderId}": {
            "parameters": [order_id],
            "get": {"operationId": "getOrder", **EXTENSION, "summary": "Read an order",
                    "responses": {"200": order, "404": no_order, **_errors(503)}},
        },
        orders.ORDERS + "/{orderId}/cancel": {
            "parameters": [order_id],
            "post": {
                "operationId": "cancelOrder", **EXTENSION,
                "summary": "Cancel an order: PendingCancel, then Cancelled (docs/orders.md)",
                "requestBody": {"required": False, **_json(orders.CancelRequest)},
                "responses": {"200": order, "404": no_order,
                              "409": error("The order is final (Completed, Partial, Failed) and cannot be cancelled"),
                              **_errors(400, 413, 415, 422, 503)},
            },
        },
    }


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>omnicart API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>"""

DOCS_INIT = "window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});"
DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"


def routes() -> list[Route | Mount]:
    from omnicart.api.openapi_security import describe_security

    document = msgspec.json.encode(describe_security(build_document()))

    async def openapi(request: Request) -> Response:
        return Response(document, media_type="application/json")

    async def docs(request: Request) -> Response:
        return HTMLResponse(DOCS_PAGE, headers={"content-security-policy": DOCS_CSP})

    async def docs_init(request: Request) -> Response:
        return Response(DOCS_INIT, media_type="text/javascript",
                        headers={"content-security-policy": DOCS_CSP})

    from swagger_ui_bundle import swagger_ui_path

    return [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        Route("/docs/init.js", docs_init, methods=["GET"]),
        Mount("/docs/static", StaticFiles(directory=swagger_ui_path), name="docs-static"),
    ]
