"""The partner's carts: a searchable list with how many match, and one cart with its items
as bundles, their validation messages, its totals, its version history (what each
version changed) and its TMF663 view."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.console.events import event_view
from omnicart.console.fiber import fiber_lines
from omnicart.console.rendering import PAGE_SIZE, page_number, render
from omnicart.console.session import needs, principal_of
from omnicart.console.versions import diff_versions
from omnicart.domain.credentials import CARTS_READ
from omnicart.domain.events import CART_CREATED
from omnicart.domain.scenarios import CARRIER_SCENARIOS, SCENARIOS
from omnicart.domain.shopping_cart import shopping_cart
from omnicart.runtime import base_url_of, services_of
from omnicart.store import EventRecord, OrderFilter
from omnicart.wire.cart import State
from omnicart.wire.tmf.shopping_cart import SHOPPING_CARTS_PATH


def _messages_by_item(cart: dict[str, Any]) -> dict[str | None, list[dict[str, Any]]]:
    """The cart's validation messages by the productOrderItemId they name (None: the cart),
    each with its parameters (`code`, …) lifted beside `text` and `type`."""
    found: dict[str | None, list[dict[str, Any]]] = {}
    for message in cart.get("validation", {}).get("validationMessage", []):
        names = {p["name"]: p["value"] for p in message.get("parameter", [])}
        found.setdefault(names.get("productOrderItemId"), []).append({**message, **names})
    return found


def item_tree(cart: dict[str, Any]) -> list[dict[str, Any]]:
    """The cart's items as bundles: the roots, each with the members that name it under it,
    and each item with the validation messages that name it. Every item is shown once,
    whatever the shape: one whose root is not in the cart, or is not itself a root (a chain
    or a cycle, which the API refuses but an older cart may hold), is shown at the top."""
    messages = _messages_by_item(cart)
    items = cart.get("productOrderItem", [])
    nodes = [
        {"item": item, "children": [], "messages": messages.get(item.get("productOrderItemId"), [])} for item in items
    ]

    def root_of(item: dict[str, Any]) -> Any:
        root = item.get("rootBundleProductOrderItemId")
        return root if root and root != item.get("productOrderItemId") else None

    roots: dict[Any, dict[str, Any]] = {}  # the first item of each id that names no root
    for node in nodes:
        if root_of(node["item"]) is None:
            roots.setdefault(node["item"].get("productOrderItemId"), node)
    top = []
    for node in nodes:
        root = root_of(node["item"])
        parent = roots.get(root) if root is not None else None
        if parent is None:
            top.append(node)
        else:
            parent["children"].append(node)
    return top


def cart_messages(cart: dict[str, Any]) -> list[dict[str, Any]]:
    """Validation messages about the cart as a whole (naming no item)."""
    return _messages_by_item(cart).get(None, [])


def version_views(history: list[EventRecord]) -> list[dict[str, Any]]:
    """The cart's stored versions, newest first, each with what it changed of the one
    stored before it (`diff`; None for the oldest kept, when the cart's creation is no
    longer kept; `since`: the version it is compared with, when not the one before)."""
    views = [event_view(event) for event in history]
    snapshots = [msgspec.json.decode(event.payload).get("event", {}).get("shoppingCart", {}) for event in history]
    for n, view in enumerate(views):
        older = snapshots[n + 1] if n + 1 < len(snapshots) else None
        created = view["record"].event_type == CART_CREATED
        view["diff"] = diff_versions(older, snapshots[n]) if older is not None or created else None
        since = older.get("version") if older else None
        view["since"] = since if isinstance(since, int) and since != (view["version"] or 0) - 1 else None
    return views


def scenario_choices() -> list[tuple[str, str]]:
    """The mock-scenario list of the submit form: each documented scenario with what it
    does and its parameters (written after it: `fulfilment_fails;after=5`)."""
    choices = []
    for name, spec in SCENARIOS.items():
        parameters = ", ".join(f"{key}=…" for key in spec.parameters)
        choices.append((name, f"{name}: {spec.summary}" + (f" (parameters: {parameters})" if parameters else "")))
    return choices + [(name, f"{name}: {summary}") for name, summary in CARRIER_SCENARIOS.items()]


def customer_of(cart: dict[str, Any]) -> str:
    party = next((p for p in cart.get("relatedParty", []) if p.get("role") == "customer"), None)
    return (party.get("name") or party.get("id", "")) if party else ""


async def carts(request: Request) -> Response:
    principal = principal_of(request)
    needs(principal, CARTS_READ)
    state = request.query_params.get("state") or None
    state = state if state in {s.value for s in State} else None
    query = request.query_params.get("q", "").strip()[:200]
    page = page_number(request)
    found, total = await services_of(request.scope).carts.search_carts(
        principal.partner, state=state, text=query or None, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    rows = [msgspec.json.decode(cart.wire) for cart in found[:PAGE_SIZE]]
    return render(
        request,
        "carts.html",
        principal=principal,
        carts=rows,
        states=[s.value for s in State],
        state=state,
        q=query,
        total=total,
        page=page,
        more=len(found) > PAGE_SIZE,
        customer_of=customer_of,
    )


async def cart(request: Request) -> Response:
    principal = principal_of(request)
    needs(principal, CARTS_READ)
    services = services_of(request.scope)
    cart_id = request.path_params["cartId"]
    document = msgspec.json.decode((await services.carts.read_cart(principal.partner, cart_id)).wire)
    history = version_views(await services.carts.version_history(principal.partner, cart_id))
    order = None
    if document["state"] != State.DRAFT.value:
        placed, _ = await services.orders.find_orders(
            principal.partner, OrderFilter(cart_id=cart_id), limit=1, offset=0
        )
        order = placed[0] if placed else None
    return render(
        request,
        "cart.html",
        principal=principal,
        cart=document,
        tree=item_tree(document),
        cart_messages=cart_messages(document),
        history=history,
        order=order,
        customer=customer_of(document),
        scenarios=scenario_choices(),
        fiber=await fiber_lines(document, services.carts.catalog, services.providers),
        shopping_cart=shopping_cart_view(request, document),
        tmf663_path=SHOPPING_CARTS_PATH,
    )


def shopping_cart_view(request: Request, document: dict[str, Any]) -> str:
    """The cart as TMF663's ShoppingCart (domain/shopping_cart.py), as the API answers it,
    indented for reading."""
    href = f"{base_url_of(request.scope)}{SHOPPING_CARTS_PATH}/{document['id']}"
    return json.dumps(shopping_cart(document, href), indent=2, ensure_ascii=False)
