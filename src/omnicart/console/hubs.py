"""The partner's listeners (hubs): each with its circuit, its last error and what waits
behind it (console/deliveries.py), a ping, and the replay of one event."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.clock import utc_now
from omnicart.console.deliveries import health
from omnicart.console.rendering import render
from omnicart.console.session import needs, principal_of, read_form
from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE
from omnicart.runtime import services_of


async def hubs(request: Request, notice: str | None = None, status: int = 200) -> Response:
    principal = principal_of(request)
    needs(principal, CARTS_READ)
    services = services_of(request.scope)
    registered = await services.hubs.list(principal.partner)
    now = utc_now()
    backlogs = {hub.id: await services.hubs.backlog(principal.partner, hub.id) for hub in registered}
    return render(
        request,
        "hubs.html",
        status,
        principal=principal,
        hubs=registered,
        backlogs=backlogs,
        health={hub_id: health(backlog, now) for hub_id, backlog in backlogs.items()},
        notice=notice,
    )


async def ping(request: Request) -> Response:
    principal = principal_of(request)
    needs(principal, CARTS_WRITE)
    await read_form(request)
    services = services_of(request.scope)
    hub = await services.hubs.get(principal.partner, request.path_params["hubId"])
    error = await services.dispatcher.ping(hub)
    return await hubs(request, f"Ping to {hub.callback}: " + (error or "answered 2xx"))


async def replay(request: Request) -> Response:
    principal = principal_of(request)
    needs(principal, CARTS_WRITE)
    form = await read_form(request)
    hub_id, event_id = request.path_params["hubId"], form.get("event", "").strip()
    done = await services_of(request.scope).hubs.replay(principal.partner, hub_id, event_id)
    notice = (
        f"Event {event_id} will be delivered again on the next round."
        if done
        else f"Event {event_id} was never due to this listener."
    )
    return await hubs(request, notice, 200 if done else 404)
