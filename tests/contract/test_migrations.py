"""Schema migrations: replicas starting together on a fresh database all come up; rows
written before a migration read back after it."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta, timezone

import asyncpg

from omnicart.domain.credentials import ALL_SCOPES, format_scopes, issue_key
from omnicart.domain.events import Hub, new_event
from omnicart.domain.ids import time_uuid
from omnicart.domain.order import PlannedStep, place_order
from omnicart.domain.representation import wire_document
from omnicart.store import Claim, Effects, documents, open_store
from omnicart.store.events import HUB_COLUMNS
from omnicart.store.migrate import downgrade, upgrade
from omnicart.store.sqlite import DIALECT as SQLITE
from omnicart.wire.cart import State, Validation
from omnicart.wire.orders import Submission
from tests.conftest import PG_SERVER, admin
from tests.contract.conftest import add, cart_page, make_cart, order_page

REPLICAS = 4


def test_replicas_migrating_a_fresh_postgres_database_at_once_all_succeed():
    name = f"omnicart_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        env = {**os.environ, "OMNICART_DATABASE_URL": PG_SERVER.rsplit("/", 1)[0] + "/" + name}
        # Separate processes, as replicas are: Alembic's context is process-global.
        replicas = [
            subprocess.Popen(
                [sys.executable, "-m", "omnicart.cli", "migrate"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(REPLICAS)
        ]
        outcomes = [(replica.wait(timeout=120), replica.stdout.read().decode()) for replica in replicas]
        assert [code for code, _ in outcomes] == [0] * REPLICAS, [out for code, out in outcomes if code]
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# -- 0003: one timestamp encoding on SQLite, documents as text on PostgreSQL -----------------

AT = datetime(2026, 11, 28, 12, 0, 0, 123456, tzinfo=UTC)
WHOLE = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)  # `isoformat()` writes it without a fraction
US = timedelta(microseconds=1)
# The two ways timestamps were written to SQLite before 0003: the store's own format
# (microseconds, UTC) and `datetime.isoformat()` (no fraction when it is zero, any offset).
OLD_FORMATS = [
    lambda moment: moment.astimezone(UTC).isoformat(timespec="microseconds"),
    lambda moment: moment.isoformat(),
    lambda moment: moment.astimezone(timezone(timedelta(hours=2))).isoformat(),
    lambda moment: moment.astimezone(timezone(timedelta(hours=-5))).isoformat(),
]
TIMESTAMP_COLUMNS = {
    "carts": ("created_at", "updated_at"),
    "idempotency_keys": ("created_at", "expires_at"),
    "api_keys": ("created_at", "revoked_at"),
    "orders": ("created_at", "updated_at", "next_step_at"),
    "outbox": ("created_at",),
    "hubs": ("created_at",),
    "deliveries": ("next_attempt_at", "delivered_at", "gave_up_at"),
}


class OldRows:
    """A database at revision 0002 holding one of everything, written as the stores of
    that revision wrote it; `check` reads it all back through today's store."""

    def __init__(self) -> None:
        # Carts changed 1 µs apart, in the reverse order of how their texts sort.
        self.carts = [make_cart() for _ in OLD_FORMATS]
        self.updated = {cart.id: AT + n * US for n, cart in enumerate(self.carts)}
        submitted = make_cart()
        submitted.validation = Validation(readyToSubmit=True)
        self.order = place_order(
            "partner-a",
            submitted,
            at=AT,
            customer_order_id="26-00000000000042",
            submission=Submission(),
            plan=[PlannedStep(State.ACKNOWLEDGED, AT + US)],
        )
        self.key, _ = issue_key("partner-a", ALL_SCOPES, WHOLE)
        self.hub = Hub(
            id=time_uuid(),
            owner="partner-a",
            callback="https://example.com/h",
            query=None,
            secret="s",
            created_at=AT - US,
        )
        self.event = new_event("ShoppingCartCreateEvent", "partner-a", "shoppingCart", b"{}", AT)

    def rows(self, time, jsonb: str = "") -> list[tuple[str, tuple]]:
        """(INSERT statement with `$n` placeholders, row) for everything: `time(moment, n)`
        writes a timestamp the n-th old way; documents are cast with `jsonb`."""
        statements = []
        for n, cart in enumerate(self.carts):
            statements.append(
                (
                    "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc)"
                    f" VALUES ($1, $2, $3, $4, $5, $6, $7{jsonb})",
                    (
                        cart.id,
                        "partner-a",
                        1,
                        "Draft",
                        time(AT, n),
                        time(self.updated[cart.id], n),
                        documents.dump(cart).decode(),
                    ),
                )
            )
        order = self.order
        statements += [
            (
                "INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at, updated_at,"
                f" next_step_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9{jsonb})",
                (
                    order.id,
                    "partner-a",
                    order.cartId,
                    order.customerOrderId,
                    "Submitted",
                    time(AT, 1),
                    time(AT, 2),
                    time(AT + US, 3),
                    documents.dump_order(order).decode(),
                ),
            ),
            (
                "INSERT INTO idempotency_keys (owner, key, fingerprint, state, status, headers, body, created_at,"
                " expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                ("partner-a", "k", "fp", "done", 201, "[]", b"{}", time(WHOLE, 1), time(WHOLE + timedelta(days=1), 2)),
            ),
            (
                "INSERT INTO api_keys (id, partner, secret_hash, scopes, created_at, revoked_at)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                (
                    self.key.id,
                    "partner-a",
                    self.key.secret_hash,
                    format_scopes(ALL_SCOPES),
                    time(WHOLE, 1),
                    time(AT + US, 2),
                ),
            ),
            (
                f"INSERT INTO hubs ({HUB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)",
                (self.hub.id, "partner-a", self.hub.callback, None, "s", time(self.hub.created_at, 3)),
            ),
            (
                "INSERT INTO outbox (event_id, owner, event_type, created_at, payload, fanned_out)"
                " VALUES ($1, $2, $3, $4, $5, TRUE)",
                (self.event.eventId, "partner-a", self.event.eventType, time(AT, 0), self.event.envelope.decode()),
            ),
            (
                "INSERT INTO deliveries (event_id, hub_id, attempts, next_attempt_at) VALUES ($1, $2, 0, $3)",
                (self.event.eventId, self.hub.id, time(AT, 3)),
            ),
        ]
        return statements

    async def check(self, url: str, *, last: bool = True) -> None:
        store = await open_store(url)
        try:
            listed = await cart_page(store, "partner-a", 10, 0)
            assert [(d.id, d.last_update) for d in listed] == sorted(
                self.updated.items(), key=lambda kv: kv[1], reverse=True
            )
            assert [await store.get("partner-a", cart.id) for cart in self.carts] == self.carts
            assert await store.get_order("partner-a", self.order.id) == self.order
            assert [o.id for o in await order_page(store, "partner-a", "Submitted", 10, 0)] == [self.order.id]
            state = await store.claim_key("partner-a", "k", "fp", AT + US, AT, AT)
            assert state.claim is Claim.DONE
            assert (state.response.created_at, state.response.expires_at) == (WHOLE, WHOLE + timedelta(days=1))
            key = await store.get_key(self.key.id)
            assert (key.created_at, key.revoked_at) == (WHOLE, AT + US)
            assert await store.list_hubs("partner-a") == [self.hub]
            if last:  # changes what the next check would see
                assert await store.claim_due_order(AT, lambda order: Effects()) is None
                assert (await store.claim_due_order(AT + US, lambda order: Effects())).id == self.order.id
                assert await store.claim_deliveries(AT - US, AT, 10) == []
                assert [d.event_id for d in await store.claim_deliveries(AT, AT + US, 10)] == [self.event.eventId]
                assert await store.purge_carts(AT, 10, lambda owner, cart: Effects()) == 1  # the one changed at AT
        finally:
            await store.close()


def test_0003_converts_sqlite_timestamps_written_in_either_old_format(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0002")
    old = OldRows()
    with sqlite3.connect(tmp_path / "old.db") as db:
        for sql, row in old.rows(lambda moment, n: OLD_FORMATS[n % len(OLD_FORMATS)](moment)):
            db.execute(SQLITE.sql(sql), row)
    upgrade(url)
    with sqlite3.connect(tmp_path / "old.db") as db:
        for table, columns in TIMESTAMP_COLUMNS.items():
            for column in columns:
                kinds = {kind for (kind,) in db.execute(f"SELECT typeof({column}) FROM {table}")}
                assert kinds <= {"integer", "null"}, (table, column, kinds)
    asyncio.run(old.check(url, last=False))

    # And back: 0002's microsecond text, then 0003 again, losing nothing.
    downgrade(url, "0002")
    with sqlite3.connect(tmp_path / "old.db") as db:
        assert {kind for (kind,) in db.execute("SELECT typeof(updated_at) FROM carts")} == {"text"}
    upgrade(url)
    asyncio.run(old.check(url))


def test_0003_turns_postgres_documents_into_text_and_keeps_them_readable():
    name = f"omnicart_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url, "0002")
        old = OldRows()

        async def fill() -> None:
            connection = await asyncpg.connect(url)
            try:
                for sql, row in old.rows(lambda moment, n: moment, jsonb="::jsonb"):
                    await connection.execute(sql, *row)
            finally:
                await connection.close()

        asyncio.run(fill())
        upgrade(url)

        async def types() -> dict[str, str]:
            connection = await asyncpg.connect(url)
            try:
                return {
                    row[0]: row[1]
                    for row in await connection.fetch(
                        "SELECT table_name, data_type FROM information_schema.columns"
                        " WHERE column_name = 'doc' AND table_name IN ('carts', 'orders')"
                    )
                }
            finally:
                await connection.close()

        assert asyncio.run(types()) == {"carts": "text", "orders": "text"}
        asyncio.run(old.check(url))
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# A cart and its order as the code of revision 0003 wrote them: the partner's objects as
# sent, the owner inside, unknown fields under "extra", msgspec's timestamp text.
OLD_CART = {
    "id": "dea79fb0-21c4-11f1-8527-67c36c11d002",
    "owner": "partner-a",
    "version": 3,
    "state": "Submitted",
    "creationDate": "2026-11-28T12:00:00.123000Z",
    "lastUpdate": "2026-11-28T12:05:00Z",
    "channel": {"id": "IND", "name": "IND", "storeNumber": "BBY-0042"},
    "relatedParty": [{"id": "G5MGG", "role": "partner", "referredType": "dealerLocation", "floor": 3}],
    "productOrderItem": [
        {
            "productOrderItemId": "line",
            "productOfferingId": "plan-1",
            "product": {"place": [{"id": "000011VYAA", "role": "PPU", "floor": 3}]},
            "itemPrice": [
                {
                    "name": "Monthly",
                    "priceType": "RC",
                    "recurringChargePeriod": "month",
                    "price": {"dutyFreeAmount": {"unit": "USD", "value": 60.99}},
                }
            ],
            "extra": {"promoCode": "X1"},
        }
    ],
    "orderTotalPrice": [],
    "validation": {"status": "valid", "readyToSubmit": True},
    "extra": {"salesChannelNote": {"free": ["form", 1]}},
}
# What the partner reads for it after the migration: the same JSON as it was sent.
WIRE_CART = {
    "id": "dea79fb0-21c4-11f1-8527-67c36c11d002",
    "version": 3,
    "state": "Submitted",
    "creationDate": "2026-11-28T12:00:00.123Z",
    "lastUpdate": "2026-11-28T12:05:00.000Z",
    "channel": {"id": "IND", "name": "IND", "storeNumber": "BBY-0042"},
    "relatedParty": [{"id": "G5MGG", "role": "partner", "referredType": "dealerLocation", "floor": 3}],
    "productOrderItem": [
        {
            "productOrderItemId": "line",
            "action": "add",
            "quantity": 1,
            "productOfferingId": "plan-1",
            "product": {"place": [{"id": "000011VYAA", "role": "PPU", "floor": 3}]},
            "characteristic": [],
            "itemPrice": [
                {
                    "name": "Monthly",
                    "priceType": "RC",
                    "recurringChargePeriod": "month",
                    "recurringChargePeriodLength": 1,
                    "price": {"dutyFreeAmount": {"unit": "USD", "value": 60.99}},
                    "finalPrice": {"dutyFreeAmount": {"unit": "USD", "value": 60.99}},
                    "taxIncluded": "Excluded",
                }
            ],
            "promoCode": "X1",
        }
    ],
    "orderTotalPrice": [],
    "validation": {"status": "valid", "readyToSubmit": True, "validationMessage": [], "configuration": []},
    "agreement": [],
    "payment": [],
    "salesChannelNote": {"free": ["form", 1]},
}
OLD_ORDER = {
    "id": "177a1210-f019-11f0-a4f6-dd46c526bb51",
    "owner": "partner-a",
    "customerOrderId": "26-00000000000042",
    "orderSummaryAccessToken": "e2456215530fa8f6ddd1254a75482d08976559191",
    "cartId": OLD_CART["id"],
    "state": "Submitted",
    "submissionDate": "2026-11-28T12:05:00Z",
    "lastUpdate": "2026-11-28T12:05:00Z",
    "cart": OLD_CART,
    "submission": {"terms": {"WCA": True}, "fulfillmentOption": {"id": "standard"}},
    "stateHistory": [{"state": "Submitted", "date": "2026-11-28T12:05:00Z"}],
}


async def _write_old_documents(url: str) -> None:
    cart, order = json.dumps(OLD_CART), json.dumps(OLD_ORDER)
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.execute(
                "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc)"
                " VALUES (?, 'partner-a', 3, 'Submitted', 0, 1, ?)",
                (OLD_CART["id"], cart),
            )
            db.execute(
                "INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at, updated_at,"
                " doc) VALUES (?, 'partner-a', ?, '26-00000000000042', 'Submitted', 1, 1, ?)",
                (OLD_ORDER["id"], OLD_CART["id"], order),
            )
        return
    connection = await asyncpg.connect(url)
    try:
        at = datetime(2026, 11, 28, 12, 5, tzinfo=UTC)
        await connection.execute(
            "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc)"
            " VALUES ($1, 'partner-a', 3, 'Submitted', $2, $2, $3)",
            OLD_CART["id"],
            at,
            cart,
        )
        await connection.execute(
            "INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at,"
            " updated_at, doc) VALUES ($1, 'partner-a', $2, '26-00000000000042', 'Submitted',"
            " $3, $3, $4)",
            OLD_ORDER["id"],
            OLD_CART["id"],
            at,
            order,
        )
    finally:
        await connection.close()


async def _read_back(url: str) -> tuple[dict, object, object]:
    store = await open_store(url)
    try:
        stored = await store.read("partner-a", OLD_CART["id"])
        return (
            json.loads(wire_document(stored.doc)),
            await store.get("partner-a", OLD_CART["id"]),
            await store.get_order("partner-a", OLD_ORDER["id"]),
        )
    finally:
        await store.close()


def _check_0004(url: str) -> None:
    upgrade(url, "0003")
    asyncio.run(_write_old_documents(url))
    upgrade(url)
    wire, cart, order = asyncio.run(_read_back(url))
    assert wire == WIRE_CART
    assert cart.channel.extra == {"storeNumber": "BBY-0042"}
    assert cart.productOrderItem[0].product.place[0].extra == {"floor": 3}
    assert order.cart == cart
    assert order.submission.terms == {"WCA": True}
    assert order.submission.extra == {"fulfillmentOption": {"id": "standard"}}


def test_0004_rewrites_old_sqlite_documents_into_the_typed_shape(tmp_path):
    _check_0004(f"sqlite:///{tmp_path}/old.db")


def test_0004_rewrites_old_postgres_documents_into_the_typed_shape():
    name = f"omnicart_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        _check_0004(PG_SERVER.rsplit("/", 1)[0] + "/" + name)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _typed_cart(cart_id: str, parties: list[dict]) -> str:
    return json.dumps({**WIRE_CART, "id": cart_id, "relatedParty": parties})


async def _write_carts_before_0006(url: str, carts: list[tuple[str, str]]) -> None:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.executemany(
                "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc)"
                " VALUES (?, 'partner-a', 1, 'Draft', 1, 1, ?)",
                carts,
            )
        return
    connection = await asyncpg.connect(url)
    try:
        at = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
        await connection.executemany(
            "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc)"
            " VALUES ($1, 'partner-a', 1, 'Draft', $3, $3, $2)",
            [(cart_id, doc, at) for cart_id, doc in carts],
        )
    finally:
        await connection.close()


def _check_0006(url: str) -> None:
    from omnicart.store import CartFilter

    upgrade(url, "0005")
    dealer = {"id": "G5MGG", "role": "partner", "referredType": "dealerLocation"}
    asyncio.run(
        _write_carts_before_0006(
            url,
            [
                ("cart-1", _typed_cart("cart-1", [dealer, {"id": "cust-1", "role": "customer", "referredType": "x"}])),
                ("cart-2", _typed_cart("cart-2", [{"id": "cust-1", "role": "Customer", "referredType": "x"}])),
                ("cart-3", _typed_cart("cart-3", [dealer])),
            ],
        )
    )
    upgrade(url)

    async def find(customer: str) -> tuple[list[str], int]:
        store = await open_store(url)
        try:
            found, total = await store.find_carts("partner-a", CartFilter(customer_id=customer), 10, 0)
            return sorted(cart.id for cart in found), total
        finally:
            await store.close()

    assert asyncio.run(find("cust-1")) == (["cart-1", "cart-2"], 2)
    assert asyncio.run(find("G5MGG")) == ([], 0)  # a partner party is not the customer
    downgrade(url, "0005")
    upgrade(url)
    assert asyncio.run(find("cust-1")) == (["cart-1", "cart-2"], 2)


def test_0006_backfills_the_customer_of_sqlite_carts(tmp_path):
    _check_0006(f"sqlite:///{tmp_path}/old.db")


def test_0006_backfills_the_customer_of_postgres_carts():
    name = f"omnicart_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        _check_0006(PG_SERVER.rsplit("/", 1)[0] + "/" + name)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _check_0013(url: str) -> None:
    from omnicart.domain.representation import order_document
    from omnicart.store import OrderPlacement

    upgrade(url)

    async def place_two() -> list:
        store = await open_store(url)
        try:
            orders = []
            for number in (1, 2):
                cart = make_cart()
                await add(store, cart)

                def place(cart, before, number=number):
                    cart.validation = Validation(readyToSubmit=True)
                    at = datetime(2026, 11, 28, 12, number, tzinfo=UTC)
                    order = place_order(
                        "partner-a",
                        cart,
                        at=at,
                        customer_order_id=f"26-0000000000000{number}",
                        submission=Submission(),
                        plan=[],
                    )
                    return OrderPlacement(order, True)

                orders.append((await store.place_order("partner-a", cart.id, place)).order)
            return orders
        finally:
            await store.close()

    async def views() -> list[str | None]:
        """The column itself: the store would render an order whose view is missing."""
        sql = "SELECT view FROM orders ORDER BY created_at DESC"
        if url.startswith("sqlite"):
            with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
                return [row[0] for row in db.execute(sql)]
        connection = await asyncpg.connect(url)
        try:
            return [row[0] for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    first, second = asyncio.run(place_two())
    downgrade(url, "0012")  # the orders as they were stored before 0013: no view
    upgrade(url)
    filled = asyncio.run(views())
    assert filled == [order_document(second, None).decode(), order_document(first, None).decode()]
    assert [json.loads(view)["customerOrderId"] for view in filled] == ["26-00000000000002", "26-00000000000001"]


def test_0013_fills_in_the_view_of_sqlite_orders(tmp_path):
    _check_0013(f"sqlite:///{tmp_path}/old.db")


def test_0013_fills_in_the_view_of_postgres_orders():
    name = f"omnicart_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        _check_0013(PG_SERVER.rsplit("/", 1)[0] + "/" + name)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _check_0014(url: str) -> None:
    upgrade(url)
    cart = make_cart()  # unknown fields of its own

    async def write() -> None:
        store = await open_store(url)
        try:
            await add(store, cart)
        finally:
            await store.close()

    async def plain() -> bool | None:
        store = await open_store(url)
        try:
            return (await store.read("partner-a", cart.id)).plain
        finally:
            await store.close()

    asyncio.run(write())
    assert asyncio.run(plain()) is False
    downgrade(url, "0013")  # the carts as they were stored before 0014
    upgrade(url)
    assert asyncio.run(plain()) is None  # not known: a read looks through the document


def test_0014_leaves_the_sqlite_carts_stored_before_unknown(tmp_path):
    _check_0014(f"sqlite:///{tmp_path}/old.db")


def test_0014_leaves_the_postgres_carts_stored_before_unknown():
    name = f"omnicart_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        _check_0014(PG_SERVER.rsplit("/", 1)[0] + "/" + name)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
