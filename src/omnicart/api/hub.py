"""Event listeners over HTTP (TMF630 hub; docs/events.md). Translation only.

- `POST /omni-svcs/v1/hub` {callback, query}: register; 201 with the hub and, this once,
  the `secret` its deliveries are signed with.
- `GET /omni-svcs/v1/hub`, `GET /omni-svcs/v1/hub/{id}`: the partner's hubs (no secret).
- `DELETE /omni-svcs/v1/hub/{id}`: unregister (204); nothing more is delivered to it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import partner_of, url_of
from omnicart.api.requests import decode_body
from omnicart.api.responses import JSONResponse
from omnicart.domain.events import Hub
from omnicart.runtime import services_of, settings_of
from omnicart.webhooks import HubService
from omnicart.wire.hubs import HubCreate, HubView
from omnicart.wire.values import timestamp


def hubs_of(request: Request) -> HubService:
    return services_of(request.scope).hubs


def view(request: Request, hub: Hub, *, with_secret: bool = False, at: str = "getListener") -> HubView:
    """The listener as answered; `at`: the operation whose path names it (its `href`)."""
    href = url_of(request, at, id=hub.id)
    return HubView(
        id=hub.id,
        href=href,
        callback=hub.callback,
        query=hub.query,
        createdAt=timestamp(hub.created_at),
        secret=hub.secret if with_secret else None,
    )


async def register(request: Request) -> Response:
    hubs = hubs_of(request)
    body = await decode_body(request, HubCreate, settings_of(request.scope).limits)
    hub = await hubs.register(partner_of(request), body.callback, body.query)
    created = view(request, hub, with_secret=True)
    return JSONResponse(created, status_code=201, headers={"Location": created.href})


async def list_hubs(request: Request) -> Response:
    return JSONResponse([view(request, hub) for hub in await hubs_of(request).list(partner_of(request))])


async def get_hub(request: Request) -> Response:
    return JSONResponse(view(request, await hubs_of(request).get(partner_of(request), request.path_params["id"])))


async def delete_hub(request: Request) -> Response:
    await hubs_of(request).delete(partner_of(request), request.path_params["id"])
    return Response(status_code=204)
