"""Domain events: what happened to a cart or an order, in a TMF-style envelope.

Events are written to the outbox in the same transaction as the change they describe,
so an event exists if and only if its change was committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class Event(msgspec.Struct, kw_only=True):
    eventId: str
    eventType: str  # e.g. "ShoppingCartCreateEvent", "ProductOrderStateChangeEvent"
    eventTime: datetime
    owner: str  # the partner whose resource changed; only its listeners receive it
    event: dict[str, Any]  # {"<resource>": snapshot}


def new_event(event_type: str, owner: str, resource: str, snapshot: dict[str, Any], at: datetime) -> Event:
    """An event about one resource (`resource` is its TMF name: "shoppingCart", "productOrder")."""
    import uuid

    return Event(eventId=str(uuid.uuid4()), eventType=event_type, eventTime=at, owner=owner,
                 event={resource: snapshot})
