"""The sandbox console (issue 13): server-rendered pages where a partner looks at its
carts, orders, events and listeners. Every route is here; the templates and the static
CSS/JS are in this package (no CDN, no build step).

- It calls the same services as the API (`services_of(scope)`) with the partner of the
  session, so it shows exactly what the API would show that partner: another partner's
  cart id is not found, as on the API.
- Sign-in: an API key (checked by the access service, as a bearer credential would be) is
  exchanged for a session cookie: HttpOnly, SameSite=Strict, signed with the app's
  OMNICART_JWT_SECRET, valid OMNICART_TOKEN_LIFETIME seconds. The key itself is never
  kept. In sandbox mode a visitor without a session is the sandbox partner.
- CSRF: every form carries a token, the HMAC of a random cookie (signed double submit);
  a POST without the matching token answers 403.
- Content-Security-Policy: scripts and styles from this origin only, nothing inline.
- The console is mounted at /console outside the operation table (api/operations.py), so
  it is not in the partner API's OpenAPI document; the API's authentication middleware
  lets /console through and the console authenticates by itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from omnicart.domain.credentials import (
    ALL_SCOPES,
    CARTS_READ,
    CARTS_WRITE,
    ORDERS_SUBMIT,
    CredentialsRejected,
    Principal,
)
from omnicart.domain.errors import CartNotFound, DomainError, HubNotFound, OrderNotFound
from omnicart.domain.order import FINAL_STATES, Order
from omnicart.domain.payment import register
from omnicart.domain.scenarios import SCENARIOS, ScenarioError, parse
from omnicart.runtime import services_of, settings_of
from omnicart.store import EventRecord, OrderFilter
from omnicart.wire.cart import State
from omnicart.wire.orders import Submission
from omnicart.wire.payments import PaymentMethod

PREFIX = "/console"
SESSION_COOKIE = "omnicart_console"
CSRF_COOKIE = "omnicart_console_csrf"
PAGE_SIZE = 20
MAX_FORM_BYTES = 16 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

HERE = Path(__file__).parent
templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    pass


# -- session and CSRF --------------------------------------------------------------------


def _secret(request: Request) -> bytes:
    secret = settings_of(request.scope).jwt_secret
    assert secret is not None  # create_app always sets one
    return secret.encode()


def _sign(request: Request, purpose: str, payload: str) -> str:
    mac = hmac.new(_secret(request), f"{purpose}|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def session_cookie(request: Request, principal: Principal) -> str:
    lifetime = settings_of(request.scope).token_lifetime
    payload = base64.urlsafe_b64encode(
        json.dumps({"p": principal.partner, "s": sorted(principal.scopes), "e": int(time.time()) + lifetime}).encode()
    ).decode()
    return f"{payload}.{_sign(request, 'session', payload)}"


def principal_of(request: Request) -> Principal:
    """The partner the console acts for: the session's, or in sandbox mode the sandbox partner."""
    payload, _, mac = request.cookies.get(SESSION_COOKIE, "").partition(".")
    if payload and hmac.compare_digest(mac, _sign(request, "session", payload)):
        session = json.loads(base64.urlsafe_b64decode(payload))
        if session["e"] > time.time():
            return Principal(session["p"], frozenset(session["s"]), "console")
    settings = settings_of(request.scope)
    if settings.sandbox:
        return Principal(settings.sandbox_partner, ALL_SCOPES, "sandbox")
    raise NotSignedIn()


def _needs(principal: Principal, scope: str) -> None:
    if scope not in principal.scopes:
        raise Forbidden(f"this needs the scope {scope}")


def _csrf_nonce(request: Request) -> str:
    nonce = request.cookies.get(CSRF_COOKIE) or request.scope.get("console.csrf")
    if not nonce:
        nonce = request.scope["console.csrf"] = secrets.token_urlsafe(24)
    return nonce


async def _form(request: Request) -> dict[str, str]:
    """The POSTed form, once its CSRF token is checked."""
    body = b""
    async for chunk in request.stream():  # url-encoded, as every console form posts
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise Forbidden("the form is too large")
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not nonce or not hmac.compare_digest(form.get("csrf", ""), _sign(request, "csrf", nonce)):
        raise Forbidden("the form's CSRF token is missing or wrong; reload the page and try again")
    return form


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


# -- rendering ---------------------------------------------------------------------------


def render(
    request: Request, template: str, status: int = 200, principal: Principal | None = None, **context: Any
) -> HTMLResponse:
    nonce = _csrf_nonce(request)
    html = templates.get_template(template).render(
        request=request,
        partner=principal.partner if principal else None,
        sandbox=settings_of(request.scope).sandbox,
        csrf=_sign(request, "csrf", nonce),
        **context,
    )
    response = HTMLResponse(html, status_code=status, headers={"content-security-policy": CSP})
    if CSRF_COOKIE not in request.cookies:
        _cookie(response, request, CSRF_COOKIE, nonce, None)
    return response


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(PREFIX + path, status_code=303)


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return max(1, min(int(raw), 10_000)) if raw.isdigit() else 1


def _json(raw: bytes) -> Any:
    return msgspec.json.decode(raw)


def _messages_by_item(cart: dict[str, Any]) -> dict[str | None, list[dict[str, Any]]]:
    """The cart's validation messages by the productOrderItemId they name (None: the cart),
    each with its parameters (`code`, …) lifted beside `text` and `type`."""
    found: dict[str | None, list[dict[str, Any]]] = {}
    for message in cart.get("validation", {}).get("validationMessage", []):
        names = {p["name"]: p["value"] for p in message.get("parameter", [])}
        found.setdefault(names.get("productOrderItemId"), []).append({**message, **names})
    return found


def item_tree(cart: dict[str, Any]) -> list[dict[str, Any]]:
    """The cart's items as bundles: roots (no root named, or one that is not in the cart)
    with their members under them, each with the validation messages that name it."""
    messages = _messages_by_item(cart)
    items = cart.get("productOrderItem", [])
    nodes = {
        item.get("productOrderItemId"): {
            "item": item,
            "children": [],
            "messages": messages.get(item.get("productOrderItemId"), []),
        }
        for item in items
    }
    roots = []
    for item in items:
        own, root = item.get("productOrderItemId"), item.get("rootBundleProductOrderItemId")
        if root in nodes and root != own:
            nodes[root]["children"].append(nodes[own])
        else:
            roots.append(nodes[own])
    return roots


def cart_messages(cart: dict[str, Any]) -> list[dict[str, Any]]:
    """Validation messages about the cart as a whole (naming no item)."""
    return _messages_by_item(cart).get(None, [])


def customer_of(cart: dict[str, Any]) -> str:
    party = next((p for p in cart.get("relatedParty", []) if p.get("role") == "customer"), None)
    return (party.get("name") or party.get("id", "")) if party else ""


def event_view(event: EventRecord) -> dict[str, Any]:
    envelope = _json(event.payload)
    subject: tuple[str, dict[str, Any]] = next(iter(envelope.get("event", {}).items()), ("", {}))
    return {
        "record": event,
        "pretty": json.dumps(envelope, indent=2),
        "resource": subject[0],
        "subject": subject[1].get("id", ""),
        "version": subject[1].get("version"),
        "state": subject[1].get("state"),
    }


# -- pages -------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    return _redirect("/carts")


async def sign_in_page(request: Request) -> Response:
    return render(request, "sign_in.html")


async def sign_in(request: Request) -> Response:
    form = await _form(request)
    try:
        principal = await services_of(request.scope).access.authenticate(form.get("key", "").strip())
    except CredentialsRejected:
        return render(request, "sign_in.html", 401, error="That API key is not valid (unknown, revoked or mistyped).")
    response = _redirect("/carts")
    _cookie(
        response, request, SESSION_COOKIE, session_cookie(request, principal), settings_of(request.scope).token_lifetime
    )
    return response


async def sign_out(request: Request) -> Response:
    await _form(request)
    response = _redirect("/sign-in")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


async def carts(request: Request) -> Response:
    principal = principal_of(request)
    _needs(principal, CARTS_READ)
    state = request.query_params.get("state") or None
    state = state if state in {s.value for s in State} else None
    query = request.query_params.get("q", "").strip()[:200]
    page = _page(request)
    found = await services_of(request.scope).carts.search_carts(
        principal.partner, state=state, text=query or None, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    rows = [_json(cart.wire) for cart in found[:PAGE_SIZE]]
    return render(
        request,
        "carts.html",
        principal=principal,
        carts=rows,
        states=[s.value for s in State],
        state=state,
        q=query,
        page=page,
        more=len(found) > PAGE_SIZE,
        customer_of=customer_of,
    )


async def cart(request: Request) -> Response:
    principal = principal_of(request)
    _needs(principal, CARTS_READ)
    services = services_of(request.scope)
    cart_id = request.path_params["cartId"]
    document = _json((await services.carts.read_cart(principal.partner, cart_id)).wire)
    history = [event_view(event) for event in await services.carts.version_history(principal.partner, cart_id)]
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
        scenarios=sorted(SCENARIOS),
    )


async def submit(request: Request) -> Response:
    """Sandbox only: express submit with a mock-scenario, then watch the order."""
    principal = principal_of(request)
    _needs(principal, ORDERS_SUBMIT)
    form = await _form(request)
    if not settings_of(request.scope).sandbox:
        raise Forbidden("mock scenarios run in sandbox mode only")
    try:
        scenarios = parse(form.get("scenario", ""))
    except ScenarioError as exc:
        raise Forbidden(str(exc)) from exc
    services, cart_id = services_of(request.scope), request.path_params["cartId"]
    # A rehearsal: the console stands in for the customer, who pays and accepts the terms.
    methods = [PaymentMethod(cartId=cart_id, id="console", storeTermsConditionConsent=True)]
    cart = await services.carts.get_cart(principal.partner, cart_id)
    if cart.state is State.DRAFT:
        await services.carts.register_payment_methods(principal.partner, cart_id, methods, register(methods))
    order, _ = await services.orders.submit(principal.partner, cart_id, Submission(), scenarios=scenarios)
    return _redirect(f"/orders/{order.id}")


async def orders(request: Request) -> Response:
    principal = principal_of(request)
    _needs(principal, CARTS_READ)
    state = request.query_params.get("state") or None
    chosen = State(state) if state in {s.value for s in State} else None
    page = _page(request)
    found, _ = await services_of(request.scope).orders.find_orders(
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
        page=page,
        more=len(found) > PAGE_SIZE,
    )


def _order_context(order: Order) -> dict[str, Any]:
    return {"order": order, "final": order.state in FINAL_STATES}


async def order(request: Request) -> Response:
    principal = principal_of(request)
    _needs(principal, CARTS_READ)
    found = await services_of(request.scope).orders.get_order(principal.partner, request.path_params["orderId"])
    return render(request, "order.html", principal=principal, **_order_context(found))


async def order_timeline(request: Request) -> Response:
    """The order's state and timeline alone: what the order page polls for."""
    principal = principal_of(request)
    _needs(principal, CARTS_READ)
    found = await services_of(request.scope).orders.get_order(principal.partner, request.path_params["orderId"])
    return render(request, "_timeline.html", principal=principal, **_order_context(found))


async def events(request: Request) -> Response:
    principal = principal_of(request)
    _needs(principal, CARTS_READ)
    page = _page(request)
    found = await services_of(request.scope).hubs.events(
        principal.partner, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    return render(
        request,
        "events.html",
        principal=principal,
        events=[event_view(e) for e in found[:PAGE_SIZE]],
        page=page,
        more=len(found) > PAGE_SIZE,
    )


async def hubs(request: Request, notice: str | None = None, status: int = 200) -> Response:
    principal = principal_of(request)
    _needs(principal, CARTS_READ)
    services = services_of(request.scope)
    registered = await services.hubs.list(principal.partner)
    last: dict[str, Any] = {}  # hub id -> its latest delivery among the recent events
    for event in await services.hubs.events(principal.partner, limit=100, offset=0):
        for delivery in event.deliveries:
            last.setdefault(delivery.hub_id, {"event": event, "delivery": delivery})
    return render(request, "hubs.html", status, principal=principal, hubs=registered, last=last, notice=notice)


async def ping(request: Request) -> Response:
    principal = principal_of(request)
    _needs(principal, CARTS_WRITE)
    await _form(request)
    services = services_of(request.scope)
    hub = await services.hubs.get(principal.partner, request.path_params["hubId"])
    error = await services.dispatcher.ping(hub)
    return await hubs(request, f"Ping to {hub.callback}: " + (error or "answered 2xx"))


async def replay(request: Request) -> Response:
    principal = principal_of(request)
    _needs(principal, CARTS_WRITE)
    form = await _form(request)
    hub_id, event_id = request.path_params["hubId"], form.get("event", "").strip()
    done = await services_of(request.scope).hubs.replay(principal.partner, hub_id, event_id)
    notice = (
        f"Event {event_id} will be delivered again on the next round."
        if done
        else f"Event {event_id} was never due to this listener."
    )
    return await hubs(request, notice, 200 if done else 404)


# -- errors ------------------------------------------------------------------------------


async def not_signed_in(request: Request, exc: Exception) -> Response:
    if request.method == "GET":
        return _redirect("/sign-in")
    return render(request, "error.html", 401, title="Not signed in", message="Sign in again.")


async def refused(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", 403, principal=None, title="Not allowed", message=str(exc))


async def domain_error(request: Request, exc: Exception) -> Response:
    missing = isinstance(exc, CartNotFound | OrderNotFound | HubNotFound)
    title = "Not found" if missing else "Refused"
    return render(
        request,
        "error.html",
        404 if missing else 409,
        title=title,
        message=str(exc) or title,
        code=getattr(exc, "code", None),
    )


def _guarded(handler: Any) -> Any:
    """The endpoint, with the console's refusals rendered as pages (not as API errors)."""

    async def endpoint(request: Request) -> Response:
        try:
            response: Response = await handler(request)
        except NotSignedIn as exc:
            return await not_signed_in(request, exc)
        except Forbidden as exc:
            return await refused(request, exc)
        except DomainError as exc:
            return await domain_error(request, exc)
        return response

    return endpoint


def mount() -> Mount:
    """Every console route, under /console."""
    pages = [
        ("/", home, ["GET"]),
        ("/sign-in", sign_in_page, ["GET"]),
        ("/sign-in", sign_in, ["POST"]),
        ("/sign-out", sign_out, ["POST"]),
        ("/carts", carts, ["GET"]),
        ("/carts/{cartId}", cart, ["GET"]),
        ("/carts/{cartId}/submit", submit, ["POST"]),
        ("/orders", orders, ["GET"]),
        ("/orders/{orderId}", order, ["GET"]),
        ("/orders/{orderId}/timeline", order_timeline, ["GET"]),
        ("/events", events, ["GET"]),
        ("/hubs", hubs, ["GET"]),
        ("/hubs/{hubId}/ping", ping, ["POST"]),
        ("/hubs/{hubId}/replay", replay, ["POST"]),
    ]
    routes: list[Route | Mount] = [Route(path, _guarded(handler), methods=methods) for path, handler, methods in pages]
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="console-static"))
    return Mount(PREFIX, routes=routes, name="console")


def is_console(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")
