"""TMF622 Product Ordering's use cases over omnicart's orders: one store, two shapes.

A productOrder created through TMF622 is an omnicart order like any other: its cart is
made from the productOrderItem (services.carts, with its Create event) and placed at once
as ordered (services.orders, `direct`), so the lifecycle, the simulator, the console and
the events know it; an express-submitted order is a productOrder under the same id.
The shapes themselves are domain/tmf_orders.py's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from omnicart.domain.errors import OrderNotFound
from omnicart.domain.events import ORDER_ATTRIBUTE_CHANGED, order_event
from omnicart.domain.ids import is_time_uuid
from omnicart.domain.order import Order
from omnicart.domain.representation import order_document
from omnicart.domain.scenarios import NO_SCENARIOS, MockScenarios
from omnicart.domain.tmf_orders import CANCEL_STATES, cart_parts
from omnicart.services.answers import Rendered
from omnicart.services.idempotency import Reply
from omnicart.services.orders import OrderService
from omnicart.store import NO_EFFECTS, Effects, OrderFilter
from omnicart.wire.cart import CartCreate, State
from omnicart.wire.orders import Submission
from omnicart.wire.tmf.product_order import ProductOrderCreate, details_of


class ProductOrders:
    def __init__(self, orders: OrderService) -> None:
        self.orders = orders

    async def create(
        self,
        owner: str,
        request: ProductOrderCreate,
        render: Callable[[Order], Rendered],
        *,
        scenarios: MockScenarios = NO_SCENARIOS,
        reply: Reply | None = None,
    ) -> Order:
        """A new order from TMF622's ProductOrder_Create: its cart made, then placed as
        ordered. `render` makes the answer kept for an Idempotency-Key."""
        channel, parties, items = cart_parts(request)
        cart = await self.orders.carts.create_cart(
            owner, CartCreate(channel=channel, relatedParty=parties, items=items)
        )
        order, _ = await self.orders.submit(
            owner,
            cart.id,
            Submission(),
            scenarios=scenarios,
            reply=reply,
            direct=details_of(request),
            render=render,
        )
        return order

    async def describe(self, owner: str, order_id: str, changes: Mapping[str, Any], if_match: str | None) -> Order:
        """TMF622's PATCH: the descriptive attributes merged in, with a
        ProductOrderAttributeValueChangeEvent when anything changed."""

        def change(order: Order) -> Effects:
            order.check_version(if_match)
            now = self.orders.clock()
            if not order.describe(changes, now):
                return NO_EFFECTS
            return Effects(events=[order_event(ORDER_ATTRIBUTE_CHANGED, owner, order_document(order, None), now)])

        changed = await self.orders.store.update_order(owner, order_id, change) if is_time_uuid(order_id) else None
        if changed is None:
            raise OrderNotFound(order_id)
        return changed

    async def cancel(self, owner: str, order_id: str, reason: str | None) -> Order:
        """TMF622's CancelProductOrder: the order's cancellation (services.orders)."""
        return await self.orders.cancel(owner, order_id, reason)

    async def cancellation(self, owner: str, order_id: str) -> Order:
        """The order whose cancellation was asked for, or OrderNotFound."""
        order = await self.orders.get_order(owner, order_id)
        if not any(step.state in CANCEL_STATES for step in order.stateHistory):
            raise OrderNotFound(order_id)
        return order

    async def find(
        self, owner: str, wanted: OrderFilter, states: tuple[State, ...] | None, *, limit: int, offset: int
    ) -> tuple[list[Order], int | None]:
        """A page of the orders matching `wanted` in any of `states` (None: any state), newest
        first, and how many match (None: more than the store counts). Several states are
        found one by one and merged: each page of the merge is within the first
        offset + limit of each."""
        if states is None:
            return await self.orders.find_orders(owner, wanted, limit=limit, offset=offset)
        if len(states) == 1:
            return await self.orders.find_orders(
                owner, dataclasses.replace(wanted, state=states[0].value), limit=limit, offset=offset
            )
        found: list[Order] = []
        totals: list[int | None] = []
        for state in states:
            page, total = await self.orders.find_orders(
                owner, dataclasses.replace(wanted, state=state.value), limit=offset + limit, offset=0
            )
            found += page
            totals.append(total)
        found.sort(key=lambda order: (order.submissionDate, order.id), reverse=True)
        counted = None if any(total is None for total in totals) else sum(total or 0 for total in totals)
        return found[offset : offset + limit], counted

    async def cancellations(
        self, owner: str, wanted: OrderFilter, *, limit: int, offset: int
    ) -> tuple[list[Order], int | None]:
        """The orders matching `wanted` whose cancellation was asked for (their
        CancelProductOrder tasks)."""
        return await self.find(owner, wanted, tuple(CANCEL_STATES), limit=limit, offset=offset)
