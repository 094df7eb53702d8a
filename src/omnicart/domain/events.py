"""Domain events: what happened to a cart or an order, in a TMF-style envelope, and which
events a listener (hub) asked for.

Events are written to the outbox in the same transaction as the change they describe,
so an event exists if and only if its change was committed.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

import msgspec

from omnicart.domain.callbacks import check_callback as check_callback  # re-exported
from omnicart.domain.errors import InvalidHub
from omnicart.wire.values import timestamp

# TMF663 (shopping cart) and TMF622 (product order) event types.
CART_CREATED = "ShoppingCartCreateEvent"
CART_CHANGED = "ShoppingCartAttributeValueChangeEvent"
CART_STATE_CHANGED = "ShoppingCartStateChangeEvent"
CART_DELETED = "ShoppingCartDeleteEvent"
ORDER_CREATED = "ProductOrderCreateEvent"
ORDER_STATE_CHANGED = "ProductOrderStateChangeEvent"
ORDER_ATTRIBUTE_CHANGED = "ProductOrderAttributeValueChangeEvent"  # a TMF622 PATCH
CANCELLATION_CREATED = "CancelProductOrderCreateEvent"  # an order's cancellation asked for, either path
# TMF646 (appointment): a fiber order's technician visit, booked with the order.
APPOINTMENT_CREATED = "AppointmentCreateEvent"
# omnicart's own, in the same style: a credit application's decision, recorded on a cart.
CREDIT_DECISION_CREATED = "CreditDecisionCreateEvent"
EVENT_TYPES = (
    CART_CREATED,
    CART_CHANGED,
    CART_STATE_CHANGED,
    CART_DELETED,
    ORDER_CREATED,
    ORDER_STATE_CHANGED,
    ORDER_ATTRIBUTE_CHANGED,
    CANCELLATION_CREATED,
    APPOINTMENT_CREATED,
    CREDIT_DECISION_CREATED,
)


class Event(msgspec.Struct, kw_only=True, frozen=True):
    eventId: str
    eventType: str
    eventTime: datetime
    owner: str  # the partner whose resource changed; only its listeners receive it
    # The envelope as listeners receive it, encoded once when the change is made:
    # {"eventId", "eventType", "eventTime", "event": {"<resource>": snapshot}}. The owner is
    # omnicart's business, not the listener's, so it stays out.
    envelope: bytes


_encode = msgspec.json.Encoder().encode


def new_event(event_type: str, owner: str, resource: str, snapshot: bytes, at: datetime) -> Event:
    """An event about one resource (`resource` is its TMF name: "shoppingCart", "productOrder",
    "appointment");
    `snapshot` is the resource's JSON, already encoded (for a cart change, the very bytes
    of the answer), and is embedded as is."""
    event_id = str(uuid.uuid4())
    envelope = _encode(
        {
            "eventId": event_id,
            "eventType": event_type,
            "eventTime": timestamp(at),
            "event": {resource: msgspec.Raw(snapshot)},
        }
    )
    return Event(eventId=event_id, eventType=event_type, eventTime=at, owner=owner, envelope=envelope)


def cart_event(event_type: str, owner: str, wire: bytes, at: datetime) -> Event:
    """An event about a cart, its snapshot the cart as the change left it (its wire document)."""
    return new_event(event_type, owner, "shoppingCart", wire, at)


def order_event(event_type: str, owner: str, document: bytes, at: datetime) -> Event:
    """An event about an order, its snapshot the order as the change left it."""
    return new_event(event_type, owner, "productOrder", document, at)


def cancellation_event(owner: str, task: bytes, at: datetime) -> Event:
    """An order's cancellation asked for, its snapshot TMF622's CancelProductOrder task."""
    return new_event(CANCELLATION_CREATED, owner, "cancelProductOrder", task, at)


def appointment_event(owner: str, appointment: bytes, at: datetime) -> Event:
    """The event of an appointment booked with an order, its snapshot the appointment
    (TMF646 Appointment: the slot, the place, the order it is for)."""
    return new_event(APPOINTMENT_CREATED, owner, "appointment", appointment, at)


def credit_event(owner: str, snapshot: bytes, at: datetime) -> Event:
    """A credit decision recorded on a cart (domain/credit.py makes the snapshot)."""
    return new_event(CREDIT_DECISION_CREATED, owner, "creditDecision", snapshot, at)


@functools.lru_cache(maxsize=1024)  # every event is matched against every hub of its partner
def parse_query(query: str | None) -> frozenset[str] | None:
    """A hub's `query` (TMF630): `eventType=A,B` or `eventType=A&eventType=B`; empty means
    every event. Returns the event types asked for, None for all."""
    if query is None or not query.strip():
        return None
    wanted: set[str] = set()
    for name, value in parse_qsl(query.strip(), keep_blank_values=True, strict_parsing=False):
        if name != "eventType":
            raise InvalidHub("query", f"only eventType can be filtered on, not {name!r}")
        for event_type in filter(None, (part.strip() for part in value.split(","))):
            if event_type not in EVENT_TYPES:
                raise InvalidHub("query", f"unknown eventType {event_type!r}; known: {', '.join(EVENT_TYPES)}")
            wanted.add(event_type)
    if not wanted:
        raise InvalidHub("query", "must look like eventType=ShoppingCartCreateEvent,ProductOrderStateChangeEvent")
    return frozenset(wanted)


@dataclass(frozen=True)
class Hub:
    """A partner's listener: every event of its own resources matching `query` is POSTed
    to `callback`, signed with `secret`."""

    id: str
    owner: str
    callback: str
    query: str | None
    secret: str
    created_at: datetime

    def wants(self, event_type: str) -> bool:
        wanted = parse_query(self.query)
        return wanted is None or event_type in wanted
