"""The store's side of the orders query (issue 19, GraphQL getOrders), on every database: an
order placed is found by its id, by its line of business and by each billing account its
items name, with the other filters, paged and counted; and migration 0010 files the orders
stored before it the same way."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from datetime import timedelta

import asyncpg
import pytest

from omnicart.domain.order import place_order
from omnicart.store import OrderFilter, OrderPlacement, documents, open_store
from omnicart.store.migrate import upgrade
from omnicart.wire.cart import Validation
from omnicart.wire.items import BillingAccount, ProductOrderItem
from omnicart.wire.orders import Submission
from tests.conftest import PG_SERVER, admin
from tests.contract.conftest import add, make_cart
from tests.contract.test_order_store import AT

A, B = "partner-a", "partner-b"
FIBER_300 = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a50"  # the sample catalog's AT&T Fiber 300


def item(item_id: str, account: str | None = None, kind: str | None = None, offering: str | None = None):
    return ProductOrderItem(
        productOrderItemId=item_id,
        billingAccount=BillingAccount(id=account) if account else None,
        productOfferingType=kind,
        productOfferingId=offering,
    )


async def place(store, owner: str, items: list, *, minutes: int = 0, number: str, line: str | None = None):
    """An order of `items`, submitted `minutes` after AT, with customerOrderId `number`."""
    cart = make_cart(owner=owner)
    cart.productOrderItem = items
    await add(store, cart)

    def placing(cart, before):
        cart.validation = Validation(readyToSubmit=True)
        order = place_order(
            owner,
            cart,
            at=AT + timedelta(minutes=minutes),
            customer_order_id=number,
            submission=Submission(),
            plan=[],
            line=line,
        )
        return OrderPlacement(order, True)

    return (await store.place_order(owner, cart.id, placing)).order


@pytest.fixture
async def orders(store):
    """A's orders, newest last: a new line on two accounts, a fiber order, a BYOD swap on
    the first account, an accessory with no account; B has one on A's first account."""
    return {
        "two accounts": await place(
            store, A, [item("line", "ban-1", "Mobile_Offer"), item("sim", "ban-2", "SIM")], number="26-00000000000001"
        ),
        "fiber": await place(
            store, A, [item("fiber", "ban-3", "Broadband_Offer")], minutes=1, number="26-00000000000002"
        ),
        "swap": await place(
            store,
            A,
            [item("root", "ban-1", "Mobile_Offer"), item("phone")],
            minutes=60 * 24,
            number="26-00000000000003",
        ),
        "accessory": await place(
            store, A, [item("case", kind="Accessory")], minutes=60 * 48, number="26-00000000000004"
        ),
        "theirs": await place(store, B, [item("line", "ban-1", "Mobile_Offer")], minutes=2, number="26-00000000000005"),
    }


async def found(store, owner: str = A, limit: int = 10, offset: int = 0, **wanted) -> tuple[list[str], int | None]:
    page, total = await store.find_orders(owner, OrderFilter(**wanted), limit, offset)
    return [order.customerOrderId[-1] for order in page], total


class TestFiling:
    async def test_an_order_is_found_by_each_billing_account_its_items_name(self, store, orders):
        assert await found(store, account_number="ban-1") == (["3", "1"], 2)
        assert await found(store, account_number="ban-2") == (["1"], 1)
        assert await found(store, account_number="ban-3") == (["2"], 1)
        assert await found(store, account_number="ban-9") == ([], 0)

    async def test_an_account_finds_only_the_owners_orders(self, store, orders):
        assert await found(store, B, account_number="ban-1") == (["5"], 1)
        assert await found(store, B, account_number="ban-2") == ([], 0)

    async def test_an_order_with_a_broadband_offer_is_fiber_every_other_wireless(self, store, orders):
        assert await found(store, line_of_business="FIBER") == (["2"], 1)
        assert await found(store, line_of_business="WIRELESS") == (["4", "3", "1"], 3)

    async def test_the_line_of_business_the_caller_settled_is_kept(self, store):
        # The use case settles it with the catalog: an offering's type need not be stated.
        await place(store, A, [item("fiber", offering=FIBER_300)], number="26-00000000000006", line="FIBER")
        await place(store, A, [item("fiber", offering=FIBER_300)], number="26-00000000000007")
        assert await found(store, line_of_business="FIBER") == (["6"], 1)

    async def test_an_order_is_found_by_its_id(self, store, orders):
        assert await found(store, order_id=orders["fiber"].id) == (["2"], 1)
        assert await found(store, order_id=orders["theirs"].id) == ([], 0)
        assert await found(store, B, order_id=orders["theirs"].id) == (["5"], 1)

    async def test_the_new_filters_combine_with_the_others_and_page(self, store, orders):
        day = {"submitted_from": AT, "submitted_to": AT + timedelta(days=1)}
        assert await found(store, account_number="ban-1", **day) == (["1"], 1)
        assert await found(store, line_of_business="WIRELESS", **day) == (["1"], 1)
        assert await found(store, line_of_business="WIRELESS", account_number="ban-1") == (["3", "1"], 2)
        assert await found(store, line_of_business="FIBER", account_number="ban-1") == ([], 0)
        assert await found(store, order_id=orders["swap"].id, customer_order_id="26-00000000000003") == (["3"], 1)
        assert await found(store, order_id=orders["swap"].id, customer_order_id="26-00000000000001") == ([], 0)
        assert await found(store, line_of_business="WIRELESS", limit=2) == (["4", "3"], 3)
        assert await found(store, line_of_business="WIRELESS", limit=2, offset=2) == (["1"], 3)


# -- migration 0010 -------------------------------------------------------------------------

OLD_ORDERS = [  # (owner, items, customerOrderId) as stored before 0010
    (A, [item("line", "ban-1", "Mobile_Offer"), item("sim", "ban-2", "SIM")], "26-00000000000011"),
    (A, [item("fiber", "ban-3", offering=FIBER_300)], "26-00000000000012"),  # the catalog says fiber
    (B, [item("case", kind="Accessory")], "26-00000000000013"),
]


def old_rows() -> list[tuple]:
    rows = []
    for n, (owner, items, number) in enumerate(OLD_ORDERS):
        cart = make_cart(owner=owner)
        cart.productOrderItem = items
        cart.validation = Validation(readyToSubmit=True)
        order = place_order(
            owner, cart, at=AT + timedelta(minutes=n), customer_order_id=number, submission=Submission(), plan=[]
        )
        order.lineOfBusiness = None  # not kept before 0010
        rows.append(
            (order.id, owner, cart.id, number, "Submitted", order.submissionDate, documents.dump_order(order).decode())
        )
    return rows


INSERT = (
    "INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at, updated_at, doc)"
    " VALUES ($1, $2, $3, $4, $5, $6, $6, $7)"
)


async def check_filed(url: str) -> None:
    store = await open_store(url)
    try:
        assert await found(store, account_number="ban-1") == (["1"], 1)
        assert await found(store, account_number="ban-2") == (["1"], 1)
        assert await found(store, account_number="ban-3") == (["2"], 1)
        assert await found(store, line_of_business="FIBER") == (["2"], 1)
        assert await found(store, line_of_business="WIRELESS") == (["1"], 1)
        assert await found(store, B, line_of_business="WIRELESS") == (["3"], 1)
    finally:
        await store.close()


def test_0010_files_the_orders_stored_before_it_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0008")
    with sqlite3.connect(tmp_path / "old.db") as db:
        for row in old_rows():
            db.execute(INSERT.replace("$", "?"), (*row[:5], documents.column_time(row[5]), row[6]))
    upgrade(url)
    asyncio.run(check_filed(url))


def test_0010_files_the_orders_stored_before_it_on_postgres():
    name = f"omnicart_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url, "0008")

        async def fill() -> None:
            connection = await asyncpg.connect(url)
            try:
                await connection.executemany(INSERT, old_rows())
            finally:
                await connection.close()

        asyncio.run(fill())
        upgrade(url)
        asyncio.run(check_filed(url))
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
