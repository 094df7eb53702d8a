"""The sandbox console (issue 13): server-rendered pages where a partner looks at its
carts, orders, events and listeners. The routes are here; each page family has a module
of its own (`carts`, `orders`, `events`, `hubs`, `sandbox`, `sign_in`), on top of the
session and CSRF (`session`), the templates' rendering (`rendering`) and the refusals
shown as pages (`errors`). The templates and the static CSS/JS are in this package (no
CDN, no build step).

- It calls the same services as the API (`services_of(scope)`) with the partner of the
  session, so it shows exactly what the API would show that partner: another partner's
  cart id is not found, as on the API.
- Content-Security-Policy: scripts and styles from this origin only, nothing inline.
- The console is mounted at /console outside the operation table (api/operations/), so
  it is not in the partner API's OpenAPI document; the API's authentication (at the
  edge) lets /console through and the console authenticates by itself.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from omnicart.console import carts, events, hubs, orders, sandbox, sign_in
from omnicart.console.errors import guarded
from omnicart.console.rendering import HERE, redirect
from omnicart.console.session import PREFIX, with_session


async def home(request: Request) -> Response:
    return redirect("/carts")


def mount() -> Mount:
    """Every console route, under /console."""
    pages = [
        ("/", home, ["GET"]),
        ("/sign-in", sign_in.sign_in_page, ["GET"]),
        ("/sign-in", sign_in.sign_in, ["POST"]),
        ("/sign-out", sign_in.sign_out, ["POST"]),
        ("/carts", carts.carts, ["GET"]),
        ("/carts/{cartId}", carts.cart, ["GET"]),
        ("/carts/{cartId}/submit", sandbox.submit, ["POST"]),
        ("/orders", orders.orders, ["GET"]),
        ("/orders/{orderId}", orders.order, ["GET"]),
        ("/orders/{orderId}/timeline", orders.order_timeline, ["GET"]),
        ("/events", events.events, ["GET"]),
        ("/hubs", hubs.hubs, ["GET"]),
        ("/hubs/{hubId}/ping", hubs.ping, ["POST"]),
        ("/hubs/{hubId}/replay", hubs.replay, ["POST"]),
    ]
    routes: list[Route | Mount] = [
        Route(path, guarded(with_session(handler)), methods=methods) for path, handler, methods in pages
    ]
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="console-static"))
    return Mount(PREFIX, routes=routes, name="console")


def is_console(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")
