"""The partner's events, newest first, with what each listener answered."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.console.rendering import PAGE_SIZE, page_number, render
from omnicart.console.session import needs, principal_of
from omnicart.domain.credentials import CARTS_READ
from omnicart.runtime import services_of
from omnicart.store import EventRecord


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
    page = page_number(request)
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
