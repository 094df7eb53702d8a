"""What goes into the store and comes out of it, besides the domain's own carts, orders,
hubs and keys: the effects that commit with a change, stored documents and responses,
filters, and the figures the metrics read (`interface.py` says which method takes or
answers which)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

import msgspec

from omnicart.domain.events import Event
from omnicart.domain.order import Order


@dataclass(frozen=True)
class StoredResponse:
    """The first response to an Idempotency-Key, kept to be replayed."""

    owner: str
    key: str
    fingerprint: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    created_at: datetime
    expires_at: datetime


class Claim(Enum):
    """What the store knows of an Idempotency-Key when a request arrives with it."""

    NEW = "new"  # first use (or the old record expired): the caller now holds the key
    RUNNING = "running"  # a request with this key is still being processed
    MISMATCH = "mismatch"  # the key was used for a different request
    DONE = "done"  # answered before: replay `response`
    FULL = "full"  # new, but the owner holds its quota of live keys: nothing taken


@dataclass(frozen=True)
class KeyState:
    claim: Claim
    response: StoredResponse | None = None


@dataclass(frozen=True)
class Effects:
    """What else a change commits, in the same transaction as the change itself."""

    events: list[Event] = field(default_factory=list)
    response: StoredResponse | None = None


NO_EFFECTS = Effects()


@dataclass(frozen=True)
class CartWrite:
    """What a change made under the cart's lock writes (`CartRepository.change_locked`):
    the changed cart as its document `doc`, or (`doc` None) the cart's removal, and the
    effects that commit with it; `plain` as `CartRepository.save` takes it."""

    doc: bytes | None
    effects: Effects = NO_EFFECTS
    plain: bool | None = None


class CartDocument(msgspec.Struct, frozen=True):
    """A stored cart as bytes, for reads that need not decode it: `doc` is exactly what
    was given to `add`/`save`. `plain`: whether it holds no unknown fields, so that it is
    the wire document as it is (None: not known, a row written before migration 0014).
    A Struct, like OrderDocument, for what it costs to make: a page makes twenty
    (~0.07 µs each against a frozen dataclass's ~1.1)."""

    id: str
    version: int
    state: str
    last_update: datetime
    doc: bytes
    plain: bool | None = None


class OrderDocument(msgspec.Struct, frozen=True):
    """A stored order as the API answers it, without `href`: `wire` is
    `domain.representation.order_document(order, None)`, kept with the order by every
    change of it, so a page of orders is sent as stored."""

    id: str
    wire: bytes


# How far the finding queries count their matches: a page's total is exact up to this
# many and None beyond (docs/decisions.md, "Totals of long lists"). Counting is an index
# scan of every match, and of the table's pages for rows not yet vacuumed: for a partner
# with a million carts it cost 100 times the page, and 10 000 recent ones still 2-30 ms.
TOTAL_COUNTED = 1_000


@dataclass(frozen=True)
class CartFilter:
    """What `find_carts` keeps: every condition given (None: any). The range is on the
    cart's lastUpdate, `updated_from` inclusive, `updated_to` exclusive. A draft last
    changed at or before `drafts_changed_after` is past its time to live: not found, as a
    GET of it answers 404 (the purge deletes it within a minute)."""

    cart_id: str | None = None  # TMF630's `?id=` (and `?href=`, read as the id it names)
    state: str | None = None
    customer_id: str | None = None  # the `relatedParty` whose role is "customer"
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    drafts_changed_after: datetime | None = None


@dataclass(frozen=True)
class CartSearch:
    """What the console's `search_carts` keeps: carts in `state` (None: any), whose id is
    `text` or whose document contains it (None: any), and not drafts last changed at or
    before `drafts_changed_after` (past their time to live, as in `CartFilter`)."""

    state: str | None = None
    text: str | None = None
    drafts_changed_after: datetime | None = None


@dataclass(frozen=True)
class EventFilter:
    """What the console's `list_events` keeps: every condition given (None: any).
    `cart_id`: the cart's own snapshots and those of the order it became."""

    cart_id: str | None = None
    event_type: str | None = None


@dataclass(frozen=True)
class OrderFilter:
    """What `find_orders` keeps: every condition given (None: any). The range is on the
    submission date, `submitted_from` inclusive, `submitted_to` exclusive, and for TMF630's
    `.gt` and `.lte` (TMF622's `orderDate`) `submitted_after` exclusive, `submitted_through`
    inclusive. An order's line of business and the billing accounts it names are
    domain/order_keys.py's."""

    state: str | None = None
    customer_order_id: str | None = None
    cart_id: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    order_id: str | None = None
    line_of_business: str | None = None
    account_number: str | None = None
    submitted_after: datetime | None = None
    submitted_through: datetime | None = None


@dataclass(frozen=True)
class Booking:
    """A technician appointment a new order takes (`OrderPlacement.booking`): one of the
    `capacity` seats of the slot `slot_id`, at the address `address_id` on `day`."""

    slot_id: str
    address_id: str
    day: date
    capacity: int


@dataclass(frozen=True)
class OrderPlacement:
    """What express submit decided: a new order, to be written with the submitted cart, the
    effects and the appointment it books (if any), or (`new` False) the order the cart
    became before, and nothing is written."""

    order: Order
    new: bool
    effects: Effects = NO_EFFECTS
    booking: Booking | None = None


class DuplicateCustomerOrderId(Exception):
    """The random customerOrderId of a new order is taken already; nothing was written."""


@dataclass(frozen=True)
class Delivery:
    """One event on its way to one hub: `body` is the event envelope as it is POSTed,
    `attempt` counts this try (1 for the first), `owner` is the hub's partner."""

    event_id: str
    hub_id: str
    attempt: int
    callback: str
    secret: str
    body: bytes
    owner: str


@dataclass(frozen=True)
class DeliveryStatus:
    """Where one event stands with one hub (the sandbox console's view)."""

    hub_id: str
    callback: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    gave_up_at: datetime | None
    last_error: str | None

    @property
    def status(self) -> str:
        if self.delivered_at is not None:
            return "delivered"
        if self.gave_up_at is not None:
            return "given up"
        return "retrying" if self.attempts else "pending"


@dataclass(frozen=True)
class EventRecord:
    """An outbox event as the console shows it: the envelope and its deliveries."""

    event_id: str
    event_type: str
    created_at: datetime
    payload: bytes
    deliveries: list[DeliveryStatus]


@dataclass(frozen=True)
class Backlog:
    """What a hub has still to receive (`ConsoleQueries.hub_backlog`): how many deliveries
    wait, the oldest of them (the head of the hub's queue, which holds the others behind
    it), and the newest delivery that failed (waiting again, or given up)."""

    waiting: int
    head: EventDelivery | None
    last_failure: EventDelivery | None


@dataclass(frozen=True)
class EventDelivery:
    """One event's delivery to one hub, with the event it carries."""

    event_id: str
    event_type: str
    created_at: datetime
    delivery: DeliveryStatus


@dataclass(frozen=True)
class Snapshot:
    """The whole database's counts the metrics show (`StoreStatistics.stats`): carts and
    orders by state, and the outbox's events not yet delivered everywhere."""

    carts: dict[str, int]
    orders: dict[str, int]
    pending_events: int
    oldest_pending: datetime | None


@dataclass(frozen=True)
class Pool:
    """How busy this worker's connections to the database are (`StoreStatistics.pool_status`)."""

    size: int
    in_use: int
    waiting: int
