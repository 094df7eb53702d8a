"""The product order: what express submit makes of a cart, and the states it goes through.

Pure data and rules, like the cart. An order keeps the cart exactly as it was submitted
(items, prices, parties, channel), the express-submit body as the partner sent it, its
state with the history of every change, and the fulfilment steps still planned for it.

States are the carrier's (`State`, shared with the cart). The state machine is the table
`TRANSITIONS` below; every change goes through `Order.move_to`, which refuses anything the
table does not list:

| from          | to                                                          |
| ------------- | ----------------------------------------------------------- |
| Submitted     | Acknowledged, Held, Failed, PendingCancel                   |
| Acknowledged  | InProgress, Held, Failed, PendingCancel                     |
| InProgress    | Completed, Partial, Fallout, Held, Failed, PendingCancel    |
| Held          | Acknowledged, InProgress, Failed, PendingCancel (released)  |
| PendingCancel | Cancelled                                                   |
| Fallout       | InProgress (recovered), Failed, Cancelled                   |
| Completed, Partial, Failed, Cancelled | nothing: final                      |

`Draft` is the cart's state, never an order's. `Amended` and `PendingAmend` are carrier
states for changing a placed order; omnicart offers no amend operation (the carrier
documents none for partners), so no transition leads to or from them.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from omnicart.domain.cart import Cart
from omnicart.domain.errors import CartNotReady, IllegalTransition, PreconditionFailed, SubmissionRejected
from omnicart.domain.ids import time_uuid
from omnicart.domain.order_keys import line_of_business
from omnicart.wire.appointments import Appointment, ServiceAddressView
from omnicart.wire.cart import OrderRef, State
from omnicart.wire.orders import Submission

S = State

TRANSITIONS: Mapping[State, frozenset[State]] = {
    S.SUBMITTED: frozenset({S.ACKNOWLEDGED, S.HELD, S.FAILED, S.PENDING_CANCEL}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.HELD, S.FAILED, S.PENDING_CANCEL}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.PARTIAL, S.FALLOUT, S.HELD, S.FAILED, S.PENDING_CANCEL}),
    S.HELD: frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS, S.FAILED, S.PENDING_CANCEL}),
    S.PENDING_CANCEL: frozenset({S.CANCELLED}),
    S.FALLOUT: frozenset({S.IN_PROGRESS, S.FAILED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.PARTIAL: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
}

ORDER_STATES = frozenset(TRANSITIONS)
FINAL_STATES = frozenset(state for state, targets in TRANSITIONS.items() if not targets)
CANCEL_REQUESTED = "cancellation requested"
# The dates TMF622 keeps for the end of an order.
_COMPLETED = frozenset({S.COMPLETED, S.PARTIAL})


def can_move(current: State, target: State) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class StateChange(msgspec.Struct, frozen=True, omit_defaults=True):
    """One entry of the order's state history."""

    state: State
    date: datetime
    reason: str | None = None


class PlannedStep(msgspec.Struct, frozen=True, omit_defaults=True):
    """A state change the fulfilment simulator will make at `at` (domain/fulfilment.py)."""

    state: State
    at: datetime
    reason: str | None = None


class Order(msgspec.Struct, kw_only=True):
    """A submitted cart. `owner` is the partner that submitted it and never leaves the service."""

    id: str
    owner: str
    customerOrderId: str
    orderSummaryAccessToken: str
    cartId: str
    state: State
    submissionDate: datetime
    lastUpdate: datetime
    completionDate: datetime | None = None
    cancellationDate: datetime | None = None
    cancellationReason: str | None = None
    cart: Cart  # as submitted: frozen from then on
    submission: Submission = msgspec.field(default_factory=Submission)  # the express-submit body as sent
    mockScenario: str | None = None  # the sandbox scenario that shaped its fulfilment
    # WIRELESS or FIBER (domain/order_keys.py), as placed; None on orders placed before it
    # was kept (migration 0010 filled in the store's column, not the document).
    lineOfBusiness: str | None = None
    stateHistory: list[StateChange] = []
    plan: list[PlannedStep] = []  # steps still to come, soonest first
    # A fiber order's: where the technician goes and when (orders stored before have none).
    serviceAddress: ServiceAddressView | None = None
    appointment: Appointment | None = None
    # Counts every change (its ETag); orders stored before it was kept start at 1.
    version: int = 1
    # TMF622's descriptive attributes (description, priority, note…; wire/tmf/product_order.py
    # `Details`) as the partner last set them: shown, acted on by nothing.
    details: dict[str, Any] = {}

    @property
    def next_step_at(self) -> datetime | None:
        """When the fulfilment simulator next has something to do with this order."""
        return self.plan[0].at if self.plan else None

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def check_version(self, if_match: str | None) -> None:
        """Refuse a change made against a version the client no longer holds."""
        if if_match is None or if_match.strip() == "*":
            return
        if self.etag not in {tag.strip().removeprefix("W/") for tag in if_match.split(",")}:
            raise PreconditionFailed(current_etag=self.etag)

    def describe(self, changes: Mapping[str, Any], at: datetime) -> bool:
        """Merge `changes` into the descriptive attributes (None removes one); whether
        anything changed."""
        details = {**self.details, **{k: v for k, v in changes.items() if v is not None}}
        for name in [name for name, value in changes.items() if value is None]:
            details.pop(name, None)
        if details == self.details:
            return False
        self.details = details
        self.version += 1
        self.lastUpdate = at
        return True

    def move_to(self, target: State, at: datetime, reason: str | None = None) -> None:
        if not can_move(self.state, target):
            allowed = sorted(s.value for s in TRANSITIONS.get(self.state, ()))
            raise IllegalTransition(self.id, self.state.value, target.value, allowed)
        self.state = target
        self.lastUpdate = at
        self.version += 1
        self.stateHistory = [*self.stateHistory, StateChange(target, at, reason)]
        if target in _COMPLETED:
            self.completionDate = at
        elif target is S.CANCELLED:
            self.cancellationDate = at
        if target in FINAL_STATES:
            self.plan = []

    def due_steps(self, now: datetime) -> list[PlannedStep]:
        """Take the planned steps whose time has come, in order."""
        due = [step for step in self.plan if step.at <= now]
        self.plan = self.plan[len(due) :]
        return due

    def cancel(self, at: datetime, reason: str | None, completes_at: datetime) -> None:
        """Ask for cancellation: PendingCancel now, with Cancelled planned at `completes_at`
        instead of the rest of the fulfilment. A Fallout order has nothing left to stop and
        is Cancelled at once. An order already cancelled or being cancelled is left as it
        is: asking twice is asking once. A final order refuses (IllegalTransition)."""
        if self.state in (S.PENDING_CANCEL, S.CANCELLED):
            return
        at_once = not can_move(self.state, S.PENDING_CANCEL) and can_move(self.state, S.CANCELLED)
        self.move_to(S.CANCELLED if at_once else S.PENDING_CANCEL, at, reason or CANCEL_REQUESTED)
        if reason is not None:
            self.cancellationReason = reason
        if not at_once:
            self.plan = [PlannedStep(S.CANCELLED, completes_at, "cancellation completed")]


def new_customer_order_id(at: datetime) -> str:
    """The carrier's `25-76826709685300`: two digits (here the year) and 14 random digits."""
    return f"{at:%y}-{secrets.randbelow(10**14):014d}"


def new_access_token() -> str:
    """The carrier's orderSummaryAccessToken: 41 lowercase hex characters."""
    return secrets.token_hex(21)[:41]


def blocking_messages(cart: Cart) -> list[dict[str, Any]]:
    """Why the cart cannot be submitted: its errors, or (an empty cart has none) every
    message it has."""
    validation = cart.validation
    if validation.errors:
        messages = validation.errors
    elif any(step.required and step.status != "complete" for step in validation.configuration):
        messages = []  # nothing is wrong; something is missing (pending_steps)
    else:
        messages = validation.validationMessage
    return [msgspec.to_builtins(message) for message in messages]


def pending_steps(cart: Cart) -> list[dict[str, Any]]:
    """The required configuration steps not complete yet."""
    return [
        msgspec.to_builtins(step)
        for step in cart.validation.configuration
        if step.required and step.status != "complete"
    ]


def place_order(
    owner: str,
    cart: Cart,
    *,
    at: datetime,
    customer_order_id: str,
    submission: Submission,
    plan: list[PlannedStep],
    scenario: str | None = None,
    rejection: tuple[str, str] | None = None,
    appointment: Appointment | None = None,
    service_address: ServiceAddressView | None = None,
    line: str | None = None,
    direct: bool = False,
) -> Order:
    """Turn a validated draft cart into a Submitted order; the cart is Submitted (frozen)
    from then on. The caller has just re-validated the cart against today's catalog.
    `rejection` is the order system's (code, reason) when it refuses a valid cart; a fiber
    order has the `appointment` booked for it at its `service_address`. `line`: its line of
    business as the catalog says (`order_keys.line_of_business`); without it, as its items
    state their types. `direct`: a productOrder created through TMF622, taken as ordered
    (its validation kept, not required: docs/decisions.md, "TMF622 orders")."""
    cart.ensure_modifiable()
    if not direct and not cart.validation.readyToSubmit:
        raise CartNotReady(cart.id, blocking_messages(cart), pending_steps(cart))
    if rejection is not None:
        raise SubmissionRejected(*rejection)
    cart.state = S.SUBMITTED
    cart.touch(at)
    order_id = time_uuid()
    cart.customerOrderId = customer_order_id
    cart.productOrder = [OrderRef(id=order_id, customerOrderId=customer_order_id)]
    return Order(
        id=order_id,
        owner=owner,
        customerOrderId=customer_order_id,
        orderSummaryAccessToken=new_access_token(),
        cartId=cart.id,
        state=S.SUBMITTED,
        submissionDate=at,
        lastUpdate=at,
        cart=cart,
        submission=submission,
        mockScenario=scenario,
        stateHistory=[StateChange(S.SUBMITTED, at, "productOrder" if direct else "express-submit")],
        plan=plan,
        serviceAddress=service_address,
        appointment=appointment,
        lineOfBusiness=line or line_of_business(cart),
    )
