"""The partner's events, newest first, of a type or of a cart (and its order), with what
each listener answered and why a delivery waits."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.clock import utc_now
from omnicart.console.deliveries import waiting_reason
from omnicart.console.rendering import PAGE_SIZE, page_number, render
from omnicart.console.session import needs, principal_of
from omnicart.domain.credentials import CARTS_READ
from omnicart.domain.events import EVENT_TYPES
from omnicart.runtime import services_of
from omnicart.store import EventFilter, EventRecord


def event_view(event: EventRecord) -> dict[str, Any]:
    """An outbox event as the pages show it: its envelope pretty-printed, and the resource
    it is about (the first and only key of `event`) with that resource's id, version and state."""
    envelope = msgspec.json.decode(event.payload)
    subject: tuple[str, dict[str, Any]] = next(iter(envelope.get("event", {}).items()), ("", {}))
    return {
        "record": event,
        "pretty": json.dumps(envelope, indent=2),
        "resource": subject[0],
        "subject": subject[1].get("id", ""),
        "version": subject[1].get("version"),
        "state": subject[1].get("state"),
    }


async def events(request: Request) -> Response:
    principal = principal_of(request)
    needs(principal, CARTS_READ)
    event_type = request.query_params.get("type") or None
    event_type = event_type if event_type in EVENT_TYPES else None
    cart_id = request.query_params.get("cart", "").strip()[:200] or None
    page = page_number(request)
    services = services_of(request.scope)
    found, total = await services.hubs.events(
        principal.partner,
        EventFilter(cart_id=cart_id, event_type=event_type),
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    shown = found[:PAGE_SIZE]
    hub_ids = {delivery.hub_id for event in shown for delivery in event.deliveries}
    heads = {hub_id: (await services.hubs.backlog(principal.partner, hub_id)).head for hub_id in sorted(hub_ids)}
    now = utc_now()
    return render(
        request,
        "events.html",
        principal=principal,
        events=[event_view(e) for e in shown],
        why=lambda event, delivery: waiting_reason(delivery, heads.get(delivery.hub_id), event.event_id, now),
        types=EVENT_TYPES,
        type=event_type,
        cart=cart_id or "",
        total=total,
        page=page,
        more=len(found) > PAGE_SIZE,
    )
