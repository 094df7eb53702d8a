"""Orders: their statements and units of work (`OrderRepository`).

An order is placed under its cart's write lock (`place_order`), so concurrent submits of
one cart place exactly one order, with the technician appointment it books (if any) in
the same transaction (store/appointments.py); the fulfilment simulator's claims skip the
orders another worker holds (`claim_due_order`).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from omnicart.domain.order import Order
from omnicart.domain.order_keys import billing_accounts
from omnicart.store import documents
from omnicart.store.appointments import AppointmentQueries, Appointments
from omnicart.store.carts import CartQueries, Carts
from omnicart.store.core import Connection, Dialect, page_and_total
from omnicart.store.interface import OrderChange, PlaceOrder
from omnicart.store.values import OrderFilter, OrderPlacement


class OrderQueries(CartQueries, AppointmentQueries):
    """Every statement about orders, in one dialect; placing one writes its cart (and books
    its appointment) too."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q, lock, skip = dialect.sql, dialect.for_update, dialect.skip_locked
        self.cart_for_update = q(f"SELECT version, doc FROM carts WHERE owner = $1 AND id = $2{lock}")
        self.order_of_cart = q("SELECT doc FROM orders WHERE owner = $1 AND cart_id = $2")
        self.insert_order = q(
            "INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at, updated_at,"
            " next_step_at, doc, line_of_business) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        )
        self.insert_order_account = q(
            "INSERT INTO order_accounts (owner, account_number, order_id) VALUES ($1, $2, $3)"
        )
        self.order_doc = q("SELECT doc FROM orders WHERE owner = $1 AND id = $2")
        self.order_for_update = q(f"SELECT doc FROM orders WHERE owner = $1 AND id = $2{lock}")
        # The API's finding (GET /orders, and the orders query): optional state,
        # customerOrderId, cartId, submission range (from inclusive, to exclusive), id, line
        # of business, a billing account its items name, and TMF630's other bounds of the
        # submission (after: exclusive, through: inclusive); the page, and the bounded count.
        order_filter = (
            "owner = $1 AND (CAST($2 AS TEXT) IS NULL OR state = $2)"
            " AND (CAST($3 AS TEXT) IS NULL OR customer_order_id = $3)"
            " AND (CAST($4 AS TEXT) IS NULL OR cart_id = $4)"
            " AND (CAST($5 AS TIMESTAMPTZ) IS NULL OR created_at >= $5)"
            " AND (CAST($6 AS TIMESTAMPTZ) IS NULL OR created_at < $6)"
            " AND (CAST($7 AS TEXT) IS NULL OR id = $7)"
            " AND (CAST($8 AS TEXT) IS NULL OR line_of_business = $8)"
            " AND (CAST($9 AS TEXT) IS NULL OR id IN"
            " (SELECT order_id FROM order_accounts WHERE owner = $1 AND account_number = $9))"
            " AND (CAST($10 AS TIMESTAMPTZ) IS NULL OR created_at > $10)"
            " AND (CAST($11 AS TIMESTAMPTZ) IS NULL OR created_at <= $11)"
        )
        self.find_orders = q(
            f"SELECT doc FROM orders WHERE {order_filter} ORDER BY created_at DESC, id DESC LIMIT $12 OFFSET $13"
        )
        self.count_orders = q(f"SELECT count(*) FROM (SELECT 1 FROM orders WHERE {order_filter} LIMIT $12) AS found")
        self.update_order = q(
            "UPDATE orders SET state = $2, updated_at = $3, next_step_at = $4, doc = $5 WHERE id = $1"
        )
        self.due_order = q(f"SELECT doc FROM orders WHERE next_step_at <= $1 ORDER BY next_step_at LIMIT 1{skip}")
        self.any_due_order = q("SELECT 1 FROM orders WHERE next_step_at <= $1 LIMIT 1")


class Orders(Carts, Appointments):
    """`OrderRepository`: orders, the cart an order is placed from and the appointment it
    books."""

    sql: ClassVar[OrderQueries]

    async def place_order(self, owner: str, cart_id: str, place: PlaceOrder) -> OrderPlacement | None:
        t = self._time

        async def unit(db: Connection) -> OrderPlacement | None:
            found = await db.fetchone(self.sql.cart_for_update, (owner, cart_id))
            if found is None:
                return None
            # After the lock: a submit that held it before us has committed its order.
            before = await db.fetchval(self.sql.order_of_cart, (owner, cart_id))
            cart = documents.load(found[1])
            placement = place(cart, documents.load_order(before) if before is not None else None)
            if not placement.new:
                return placement
            order = placement.order
            if placement.booking is not None:
                await self._book(db, placement.booking, owner, order)
            await db.execute(
                self.sql.save_cart, self._saved(owner, cart_id, found[0], cart, documents.dump(cart).decode())
            )
            await self._apply(
                db,
                self.sql.insert_order,
                (
                    order.id,
                    owner,
                    cart_id,
                    order.customerOrderId,
                    order.state.value,
                    t(order.submissionDate),
                    t(order.lastUpdate),
                    t(order.next_step_at),
                    documents.dump_order(order).decode(),
                    order.lineOfBusiness,
                ),
                placement.effects,
            )
            accounts = billing_accounts(cart)
            if accounts:
                await db.executemany(self.sql.insert_order_account, [(owner, number, order.id) for number in accounts])
            return placement

        return await self._transaction(unit)

    async def get_order(self, owner: str, order_id: str) -> Order | None:
        doc = await self._fetchval(self.sql.order_doc, (owner, order_id))
        return None if doc is None else documents.load_order(doc)

    async def find_orders(
        self, owner: str, found: OrderFilter, limit: int, offset: int
    ) -> tuple[list[Order], int | None]:
        t = self._time
        args = (
            owner,
            found.state,
            found.customer_order_id,
            found.cart_id,
            t(found.submitted_from),
            t(found.submitted_to),
            found.order_id,
            found.line_of_business,
            found.account_number,
            t(found.submitted_after),
            t(found.submitted_through),
        )

        async def unit(db: Connection) -> tuple[list[Order], int | None]:
            rows, total = await page_and_total(db, self.sql.find_orders, self.sql.count_orders, args, limit, offset)
            return [documents.load_order(row[0]) for row in rows], total

        return await self._run(unit)

    async def _change_order(self, db: Connection, order: Order, change: OrderChange) -> Order:
        effects = change(order)
        t = self._time
        await self._apply(
            db,
            self.sql.update_order,
            (
                order.id,
                order.state.value,
                t(order.lastUpdate),
                t(order.next_step_at),
                documents.dump_order(order).decode(),
            ),
            effects,
        )
        return order

    async def update_order(self, owner: str, order_id: str, change: OrderChange) -> Order | None:
        async def unit(db: Connection) -> Order | None:
            doc = await db.fetchval(self.sql.order_for_update, (owner, order_id))
            return None if doc is None else await self._change_order(db, documents.load_order(doc), change)

        return await self._transaction(unit)

    async def claim_due_order(self, now: datetime, change: OrderChange) -> Order | None:
        at = self._time(now)

        async def unit(db: Connection) -> Order | None:
            # Under the write lock: another worker may have taken the order the probe saw.
            doc = await db.fetchval(self.sql.due_order, (at,))
            return None if doc is None else await self._change_order(db, documents.load_order(doc), change)

        return await self._transaction_if(self.sql.any_due_order, (at,), unit, None)
