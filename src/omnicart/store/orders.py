"""Orders: their statements and units of work (`OrderRepository`).

An order is placed under its cart's write lock (`place_order`), so concurrent submits of
one cart place exactly one order, with the technician appointment it books (if any) in
the same transaction (store/appointments.py); the fulfilment simulator's claims skip the
orders another worker holds (`claim_due_order`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from omnicart.domain.order import Order
from omnicart.domain.order_keys import billing_accounts
from omnicart.domain.representation import order_document
from omnicart.store import documents
from omnicart.store.appointments import AppointmentQueries, Appointments
from omnicart.store.carts import CartQueries, Carts
from omnicart.store.core import Connection, Dialect, page_and_total
from omnicart.store.findings import Finding
from omnicart.store.hooks import OrderChange, PlaceOrder
from omnicart.store.values import OrderDocument, OrderFilter, OrderPlacement


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
            " next_step_at, doc, line_of_business, view) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        )
        self.insert_order_account = q(
            "INSERT INTO order_accounts (owner, account_number, order_id) VALUES ($1, $2, $3)"
        )
        self.order_doc = q("SELECT doc FROM orders WHERE owner = $1 AND id = $2")
        self.order_for_update = q(f"SELECT doc FROM orders WHERE owner = $1 AND id = $2{lock}")
        # The API's finding (GET /orders, and the orders query), newest first: state,
        # customerOrderId, cart, submission range (from inclusive, to exclusive), id, line of
        # business, a billing account its items name, and TMF630's other bounds of the
        # submission (after: exclusive, through: inclusive). `order_finding` reads the
        # documents; `order_views` the page as the API answers it: the views, and the
        # document only of an order whose view was never written (migration 0013).
        conditions = (
            "state = {}",
            "customer_order_id = {}",
            "cart_id = {}",
            "created_at >= {}",
            "created_at < {}",
            "id = {}",
            "line_of_business = {}",
            "id IN (SELECT order_id FROM order_accounts WHERE owner = $1 AND account_number = {})",
            "created_at > {}",
            "created_at <= {}",
        )
        newest = "created_at DESC, id DESC"
        self.order_finding = Finding(dialect.sql, "doc", "orders", newest, conditions)
        views = "id, view, CASE WHEN view IS NULL THEN doc END"
        self.order_views = Finding(dialect.sql, views, "orders", newest, conditions)
        self.update_order = q(
            "UPDATE orders SET state = $2, updated_at = $3, next_step_at = $4, doc = $5, view = $6 WHERE id = $1"
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
                self.sql.save_cart, self._saved(owner, cart_id, found[0], cart, documents.dump(cart), None)
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
                    _view(order),
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
        finding = self.sql.order_finding(owner, self._order_filter(found))

        async def unit(db: Connection) -> tuple[list[Order], int | None]:
            rows, total = await page_and_total(db, finding.page, finding.count, finding.args, limit, offset)
            return [documents.load_order(row[0]) for row in rows], total

        return await self._run(unit)

    async def read_orders(
        self, owner: str, found: OrderFilter, limit: int, offset: int
    ) -> tuple[list[OrderDocument], int | None]:
        finding = self.sql.order_views(owner, self._order_filter(found))

        async def unit(db: Connection) -> tuple[list[OrderDocument], int | None]:
            rows, total = await page_and_total(db, finding.page, finding.count, finding.args, limit, offset)
            return [
                OrderDocument(
                    row[0], row[1].encode() if row[1] is not None else _view(documents.load_order(row[2])).encode()
                )
                for row in rows  # id, view, the document when there is no view; the total
            ], total

        return await self._run(unit)

    def _order_filter(self, found: OrderFilter) -> tuple[Any, ...]:
        """`found`'s values, in the order of the findings' conditions."""
        t = self._time
        return (
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
                _view(order),
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


def _view(order: Order) -> str:
    """What the orders' `view` column holds: the order as the API answers it, less `href`."""
    return order_document(order, None).decode()
