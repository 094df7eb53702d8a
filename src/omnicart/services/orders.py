"""Use cases of ordering: checkout, express submit, reading and cancelling orders, and the
step of the simulated fulfilment. Like services.carts: each use case is one store
transaction, and inputs arrive validated and in domain terms.

Every state change of an order is committed together with its event
(`ProductOrderCreateEvent` at submission, `ProductOrderStateChangeEvent` for each change
after it, TMF622 names), whose snapshot is the order as that change left it. A fiber
order books its technician appointment in the transaction that places it, with its
`AppointmentCreateEvent` (TMF646): a submit that is refused books nothing.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from omnicart.domain import payment
from omnicart.domain.appointments import confirm_appointment
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog
from omnicart.domain.checkout import fulfillment_options, terms_for
from omnicart.domain.errors import (
    AppointmentRefused,
    CartNotFound,
    DomainError,
    DownstreamFailure,
    IllegalTransition,
    OrderNotFound,
    ProviderMissing,
)
from omnicart.domain.events import (
    CART_STATE_CHANGED,
    ORDER_CREATED,
    ORDER_STATE_CHANGED,
    Event,
    appointment_event,
    cancellation_event,
    cart_event,
    order_event,
)
from omnicart.domain.fulfilment import (
    FulfilmentPolicy,
    cancellation_completes,
    plan_fulfilment,
)
from omnicart.domain.ids import is_time_uuid
from omnicart.domain.order import Order, new_customer_order_id, place_order
from omnicart.domain.order_keys import line_of_business
from omnicart.domain.representation import encode_cart, order_document, submitted_order
from omnicart.domain.scenarios import NO_SCENARIOS, MockScenarios
from omnicart.domain.tmf_orders import cancel_task
from omnicart.services.answers import Rendered, document
from omnicart.services.appointments import AppointmentService, ChosenSlot
from omnicart.services.carts import CartService
from omnicart.services.holdings import with_holdings
from omnicart.services.idempotency import Reply
from omnicart.store import (
    NO_EFFECTS,
    DuplicateCustomerOrderId,
    Effects,
    OrderDocument,
    OrderFilter,
    OrderPlacement,
    OrderRepository,
    PlaceOrder,
    StoredResponse,
)
from omnicart.wire.appointments import AppointmentDates
from omnicart.wire.cart import State
from omnicart.wire.orders import FulfillmentOption, Submission, Terms

_encode = msgspec.json.Encoder().encode
log = logging.getLogger("omnicart.orders")

DEFAULT_POLICY = FulfilmentPolicy()

# customerOrderIds are random: on the rare clash with an existing one, submit draws again.
CUSTOMER_ORDER_ID_ATTEMPTS = 5


def _submitted(order: Order) -> Rendered:
    return document(_encode(submitted_order(order)))


def _configure_from(submission: Submission, cart: Cart, catalog: Catalog) -> None:
    """Express submit's body completes payment and terms, as the carrier allows."""
    payments = payment.payments_in_submission(submission.paymentMethods)
    accepted = payment.agreements(terms_for(cart, catalog), payment.accepted_in_submission(submission.terms))
    if (payments or accepted) and cart.state is State.DRAFT:
        cart.configure(payments, accepted)


@dataclass(frozen=True)
class Checkout:
    """What a partner needs before submitting. `cart` is re-priced and re-validated as of
    now, and not stored: checkout changes nothing."""

    cart: Cart
    terms: list[Terms]
    fulfillmentOptions: list[FulfillmentOption]
    appointmentDates: AppointmentDates | None = None  # a fiber cart's technician slots


class OrderService:
    def __init__(
        self,
        store: OrderRepository,
        carts: CartService,
        *,
        appointments: AppointmentService,
        policy: FulfilmentPolicy = DEFAULT_POLICY,
        simulate: bool = False,
        chance: Callable[[], float] = random.random,
        customer_order_ids: Callable[[datetime], str] = new_customer_order_id,
    ) -> None:
        """`simulate`: whether the fulfilment simulator runs, so orders get a plan and a
        cancellation waits for it; without it an order stays as submitted until someone
        changes it, and a cancellation completes at once."""
        self.store = store
        self.carts = carts
        self.appointments = appointments
        self.policy = policy
        self.simulate = simulate
        self.chance = chance
        self.customer_order_ids = customer_order_ids

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.carts.clock

    # -- before submitting -------------------------------------------------------------

    async def checkout(
        self,
        owner: str,
        cart_id: str,
        scenarios: MockScenarios = NO_SCENARIOS,
        *,
        fulfillment_address_id: str | None = None,
    ) -> Checkout:
        """The cart as of now and what it needs; a fiber cart's technician slots at its
        service address, or at `fulfillment_address_id` (a move)."""
        cart = await self.carts.get_cart(owner, cart_id)
        cart.ensure_modifiable()
        holdings = await self.carts.holdings_for(cart)
        now = self.clock()
        self.carts.assess(cart, now, protection_ineligible=scenarios.protection_ineligible, holdings=holdings)
        catalog = self.carts.catalog
        dates = await self.appointments.dates(cart, now.date(), fulfillment_address_id, scenarios)
        return Checkout(cart, terms_for(cart, catalog), fulfillment_options(cart, catalog, now.date()), dates)

    # -- submitting --------------------------------------------------------------------

    async def submit(
        self,
        owner: str,
        cart_id: str,
        submission: Submission,
        *,
        scenarios: MockScenarios = NO_SCENARIOS,
        if_match: str | None = None,
        reply: Reply | None = None,
        direct: Mapping[str, Any] | None = None,
        render: Callable[[Order], Rendered] | None = None,
    ) -> tuple[Order, bytes]:
        """The order of the cart and express submit's answer, rendered once: placed now, or
        (the cart was submitted before) the one it became then. The cart is locked
        throughout, so concurrent submits of one cart place exactly one order. The
        appointment named is looked up first (its providers are not asked under the lock)
        and booked with the order. `direct`: a TMF622 productOrder's descriptive attributes,
        the cart placed as ordered (domain.order.place_order); `render`: its answer (status,
        headers, body), when it is not express submit's."""
        answer = render or _submitted

        cart_id = await self.carts.cart_id(owner, cart_id)
        chosen = await self._chosen(submission, scenarios)

        def place(cart: Cart, before: Order | None) -> OrderPlacement:
            if before is not None:
                return OrderPlacement(before, new=False)
            cart.check_version(if_match)
            if isinstance(chosen, DomainError):
                raise chosen
            now = self.clock()
            _configure_from(submission, cart, self.carts.catalog)
            holdings = self.carts.holdings.of(cart)  # may stop the placement: HoldingsNotFetched
            self.carts.assess(cart, now, protection_ineligible=scenarios.protection_ineligible, holdings=holdings)
            if chosen is not None:
                confirm_appointment(cart, self.carts.catalog, chosen.slot.id)
            outcome = scenarios.fulfilment
            plan = plan_fulfilment(now, outcome, self.policy, self.chance()) if self.simulate else []
            order = place_order(
                owner,
                cart,
                at=now,
                # A cart of the older "order" flavour is submitted under the name it has.
                customer_order_id=cart.name or self.customer_order_ids(now),
                submission=submission,
                plan=plan,
                scenario=str(outcome) if outcome else None,
                rejection=scenarios.rejection,
                appointment=chosen.appointment() if chosen else None,
                service_address=chosen.service_address if chosen else None,
                line=line_of_business(cart, self.carts.catalog),
                direct=direct is not None,
            )
            order.details = dict(direct or {})
            return self._placement(order, cart, chosen, reply.record(answer(order)) if reply else None, now)

        self.carts.writer.forget(owner, cart_id)
        placement = await self._placed(owner, cart_id, place)
        return placement.order, answer(placement.order)[2]

    async def _placed(self, owner: str, cart_id: str, place: PlaceOrder) -> OrderPlacement:
        """The cart's placement, drawn again on the rare customerOrderId clash."""
        for _ in range(CUSTOMER_ORDER_ID_ATTEMPTS):
            try:
                placement = await with_holdings(
                    self.carts.holdings, lambda: self.store.place_order(owner, cart_id, place)
                )
            except DuplicateCustomerOrderId as taken:
                log.warning("customerOrderId %s is taken; drawing another", taken)
                continue
            if placement is None:
                raise CartNotFound(cart_id)
            return placement
        raise RuntimeError(f"no free customerOrderId in {CUSTOMER_ORDER_ID_ATTEMPTS} attempts")

    def _placement(
        self, order: Order, cart: Cart, chosen: ChosenSlot | None, response: StoredResponse | None, now: datetime
    ) -> OrderPlacement:
        """What a new order writes with it: the cart became Submitted and the order was
        created, one change with two events (three with the appointment it books), the
        answer kept for an Idempotency-Key, and the booking."""
        events = [
            cart_event(CART_STATE_CHANGED, order.owner, encode_cart(cart)[1], now),
            self._event(ORDER_CREATED, order, now),
        ]
        if chosen is not None:
            events.append(appointment_event(order.owner, _encode(chosen.appointment(order.id)), now))
        booking = chosen.booking if chosen else None
        return OrderPlacement(order, True, Effects(events=events, response=response), booking)

    async def _chosen(self, submission: Submission, scenarios: MockScenarios) -> ChosenSlot | DomainError | None:
        """The slot express submit's `appointment` names, offered as of now; None without
        one. Why it cannot be booked is raised only if a new order is to be placed: a cart
        submitted before answers its order, whatever the body (the slot may be past now)."""
        if not submission.appointment:
            return None
        try:
            return await self.appointments.choose(submission.appointment.id, self.clock().date(), scenarios)
        except (AppointmentRefused, ProviderMissing, DownstreamFailure) as refused:
            return refused

    # -- orders ------------------------------------------------------------------------

    async def get_order(self, owner: str, order_id: str) -> Order:
        order = await self.store.get_order(owner, order_id) if is_time_uuid(order_id) else None
        if order is None:
            raise OrderNotFound(order_id)
        return order

    async def find_orders(
        self, owner: str, found: OrderFilter, *, limit: int, offset: int
    ) -> tuple[list[Order], int | None]:
        """A page of the partner's orders matching `found`, and how many match in all
        (None: more than the store counts, TOTAL_COUNTED)."""
        return await self.store.find_orders(owner, found, limit, offset)

    async def read_orders(
        self, owner: str, found: OrderFilter, *, limit: int, offset: int
    ) -> tuple[list[OrderDocument], int | None]:
        """`find_orders`' page as the API answers it (without `href`), read as stored."""
        return await self.store.read_orders(owner, found, limit, offset)

    async def cancel(self, owner: str, order_id: str, reason: str | None = None) -> Order:
        """PendingCancel now; Cancelled one step later by the simulator, or at once when it
        does not run. Cancelling again changes nothing; a final order answers 409."""

        def change(order: Order) -> Effects:
            now = self.clock()
            before = len(order.stateHistory)
            completes_at = cancellation_completes(now, self.policy) if self.simulate else now
            order.cancel(now, reason, completes_at)
            if len(order.stateHistory) == before:
                return NO_EFFECTS
            task = _encode(cancel_task(order, None, None))
            events = [cancellation_event(order.owner, task, now), self._event(ORDER_STATE_CHANGED, order, now)]
            return Effects(events=events + self._advance(order, now))

        changed = await self.store.update_order(owner, order_id, change) if is_time_uuid(order_id) else None
        if changed is None:
            raise OrderNotFound(order_id)
        return changed

    # -- simulated fulfilment ----------------------------------------------------------

    async def advance_due_orders(self, now: datetime | None = None, *, limit: int = 100) -> int:
        """Make every planned state change that is due at `now` (default: the clock), one
        order per transaction, and return how many orders changed. Safe to run in every
        worker at once: each order is taken by one of them (store.claim_due_order)."""
        now = now or self.clock()
        advanced = 0
        while advanced < limit:
            order = await self.store.claim_due_order(now, lambda order: Effects(events=self._advance(order, now)))
            if order is None:
                break
            advanced += 1
        return advanced

    def _advance(self, order: Order, now: datetime) -> list[Event]:
        """Apply the order's due steps in order, one event each."""
        events = []
        for step in order.due_steps(now):
            try:
                order.move_to(step.state, now, step.reason)
            except IllegalTransition:
                # A plan is legal by construction (tests/unit/test_fulfilment.py); should
                # one not be, drop it rather than retry it on every poll.
                log.exception("dropping the illegal fulfilment plan of order %s", order.id)
                order.plan = []
                break
            events.append(self._event(ORDER_STATE_CHANGED, order, now))
        return events

    @staticmethod
    def _event(event_type: str, order: Order, at: datetime) -> Event:
        return order_event(event_type, order.owner, order_document(order, None), at)
