"""PostgreSQL query plans: once the tables hold a few thousand rows of several owners (and
ANALYZE has run), every listing and lookup the store runs for an owner, and every claim
and purge of the background jobs, reads an index — never a whole table; and an owner's
listings and findings read only that owner's range of an index (on SQLite too).

The statements are the store's own (`PostgresStore.sql`, and a change with its effects
as `postgres.with_effects` makes it one statement). Each is explained for the arguments
given; those that look rows up by owner or id also as the generic plan a prepared
statement may switch to after five executions (it guesses an average owner). The jobs'
time-range queries are explained as they run in a steady state: a claim or purge finds
the few rows that came due since the last one, not a large part of the table — for
which reading the table would be right."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from omnicart.store.findings import Finding
from omnicart.store.migrate import upgrade
from omnicart.store.postgres import QUERIES as SQL
from omnicart.store.postgres import with_effects
from omnicart.store.sqlite import QUERIES as SQLITE
from omnicart.store.stats import PENDING
from tests.conftest import PG_SERVER, admin

WATCHED = {
    "carts",
    "orders",
    "order_accounts",
    "outbox",
    "deliveries",
    "hubs",
    "api_keys",
    "idempotency_keys",
    "appointment_bookings",
}
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CART_23 = ('%"shoppingCart":{"id":"cart-23"%', '%"cartId":"cart-23"%')  # a cart's events, its order's
OWNERS = 20

FILL = [
    # 6000 carts of 20 owners, one in ten submitted, changed a minute apart; a customer
    # has three carts.
    """INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc, customer_id)
       SELECT 'cart-' || i, 'partner-' || (i % 20), 1, CASE WHEN i % 10 = 0 THEN 'Submitted' ELSE 'Draft' END,
              $1::timestamptz - i * interval '1 minute', $1::timestamptz - i * interval '1 minute', '{}',
              'customer-' || (i / 3)
       FROM generate_series(1, 6000) AS i""",
    # 4000 orders in six states, one in four a fiber order; one in forty has a fulfilment
    # step planned.
    """INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at, updated_at, next_step_at, doc,
                           line_of_business)
       SELECT 'order-' || i, 'partner-' || (i % 20), 'cart-' || i, 'co-' || i,
              (ARRAY['Submitted', 'Acknowledged', 'InProgress', 'Completed', 'Cancelled', 'Held'])[i % 6 + 1],
              $1::timestamptz - i * interval '1 minute', $1::timestamptz - i * interval '1 minute',
              CASE WHEN i % 40 = 0 THEN $1::timestamptz + (i - 2000) * interval '1 second' END, '{}',
              CASE WHEN i % 4 = 0 THEN 'FIBER' ELSE 'WIRELESS' END
       FROM generate_series(1, 4000) AS i""",
    # The billing accounts the orders name: an account has two orders of its owner.
    """INSERT INTO order_accounts (owner, account_number, order_id)
       SELECT 'partner-' || (i % 20), 'ban-' || (i % 20) || '-' || (i / 40), 'order-' || i
       FROM generate_series(1, 4000) AS i""",
    """INSERT INTO outbox (event_id, owner, event_type, created_at, payload, fanned_out)
       SELECT 'event-' || i, 'partner-' || (i % 20), 'ShoppingCartCreateEvent',
              $1::timestamptz - i * interval '10 seconds', '{}', i > 50
       FROM generate_series(1, 40000) AS i""",
    """INSERT INTO hubs (id, owner, callback, query, secret, created_at)
       SELECT 'hub-' || i, 'partner-' || (i % 20), 'https://example.com/' || i, NULL, 's',
              $1::timestamptz - i * interval '1 hour'
       FROM generate_series(1, 4000) AS i""",
    # Events and their deliveries, ten seconds apart: most delivered, one in a hundred
    # given up, one in two thousand still pending.
    """INSERT INTO deliveries (event_id, hub_id, attempts, next_attempt_at, delivered_at, gave_up_at)
       SELECT 'event-' || i, 'hub-' || (i % 4000 + 1), 1, $1::timestamptz - i * interval '10 seconds',
              CASE WHEN i % 100 > 1 THEN $1::timestamptz - i * interval '10 seconds' END,
              CASE WHEN i % 100 = 1 THEN $1::timestamptz - i * interval '10 seconds' END
       FROM generate_series(1, 40000) AS i WHERE i % 1000 > 0 OR i % 2000 = 0""",
    """INSERT INTO api_keys (id, partner, secret_hash, scopes, created_at, revoked_at)
       SELECT 'ock_' || i, 'partner-' || (i % 20), md5(i::text), 'carts:read', $1::timestamptz - i * interval '1 hour',
              NULL
       FROM generate_series(1, 4000) AS i""",
    # 4000 appointments booked with the orders: 100 addresses, 14 days, three windows of
    # up to two seats.
    """INSERT INTO appointment_bookings (slot_id, seat, address_id, day, owner, order_id, cart_id, created_at)
       SELECT 'address-' || (i % 100) || '-' || to_char(date '2026-11-29' + (i / 100) % 14, 'YYYYMMDD') || '-'
              || (ARRAY['AM', 'PM', 'EVE'])[(i / 1400) % 3 + 1], i / 4200 + 1, 'address-' || (i % 100),
              to_char(date '2026-11-29' + (i / 100) % 14, 'YYYY-MM-DD'), 'partner-' || (i % 20), 'order-' || i,
              'cart-' || i, $1::timestamptz - i * interval '1 minute'
       FROM generate_series(1, 4000) AS i""",
    """INSERT INTO idempotency_keys (owner, key, fingerprint, state, created_at, expires_at)
       SELECT 'partner-' || (i % 20), 'key-' || i, 'f', 'done', $1::timestamptz - i * interval '1 minute',
              $1::timestamptz + interval '1 day' - i * interval '1 minute'
       FROM generate_series(1, 6000) AS i""",
]

EVENT = ("event-new", "partner-3", "ShoppingCartAttributeValueChangeEvent", NOW, "{}")
RESPONSE = ("partner-3", "key-new", "f", 200, "[]", b"{}", NOW, NOW + timedelta(days=1))
CART = ("partner-3", "cart-23", 1, 2, "Draft", NOW, "{}", "customer-3", True)  # save_cart's arguments
# What a periodic purge finds (it runs every minute): the carts and the events that aged
# out since the last run — here the oldest hour of carts, the oldest ten minutes of events.
OLDEST = NOW - timedelta(minutes=6000) + timedelta(hours=1)
OLDEST_EVENTS = NOW - timedelta(seconds=400_000) + timedelta(minutes=10)


def carts(
    state=None, customer=None, updated_from=None, updated_to=None, cart_id=None, drafts_changed_after=None
) -> tuple[Any, ...]:
    """A cart finding's conditions, in `cart_finding`'s order (None: not given)."""
    return (state, customer, updated_from, updated_to, cart_id, drafts_changed_after)


def orders(
    state=None,
    customer_order_id=None,
    cart_id=None,
    submitted_from=None,
    submitted_to=None,
    order_id=None,
    line_of_business=None,
    account=None,
    after=None,
    through=None,
) -> tuple[Any, ...]:
    """An order finding's conditions, in `order_finding`'s order (None: not given)."""
    return (
        state,
        customer_order_id,
        cart_id,
        submitted_from,
        submitted_to,
        order_id,
        line_of_business,
        account,
        after,
        through,
    )


def page(finding: Finding, given: tuple[Any, ...], offset: int = 0) -> tuple[str, tuple[Any, ...]]:
    """A finding's page of 20 of partner-3's rows (its total counted up to 1,001), as run."""
    found = finding("partner-3", given)
    return found.page, (*found.args, 20, offset)


def count(finding: Finding, given: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """A finding's count alone (a page past the last match), up to 1,001."""
    found = finding("partner-3", given)
    return found.count, found.args


EVERY_CART_CONDITION = carts("Draft", "customer-21", NOW - timedelta(days=9), NOW, "cart-21", NOW - timedelta(days=9))
NINE_DAYS_AGO = NOW - timedelta(days=9)
EVERY_ORDER_CONDITION = orders(
    "Held", "co-23", "cart-23", NINE_DAYS_AGO, NOW, "order-23", "WIRELESS", "ban-3-0", NINE_DAYS_AGO, NOW
)
BY_KEY = {  # looked up by owner or id: explained for the given and the generic arguments
    "cart by id": (SQL.cart_doc, ("partner-3", "cart-23")),
    "cart document by id": (SQL.cart_document, ("partner-3", "cart-23")),
    "cart by id for update": (SQL.cart_for_update, ("partner-3", "cart-23")),
    "cart version (and document if moved on) for update": (SQL.cart_version_for_update, ("partner-3", "cart-23", 1)),
    "cart add": (SQL.insert_cart, ("cart-new", "partner-3", 1, "Draft", NOW, NOW, "{}", "customer-3", None, True)),
    "cart by name": (SQL.cart_named, ("partner-3", "26-46236265737394")),
    "cart save": (SQL.save_cart, CART),
    "cart save with its event and response": (with_effects(SQL.save_cart, 10, 1, True), CART + EVENT + RESPONSE),
    "cart save with several events": (
        with_effects(SQL.save_cart, 10, 2, False),
        CART + tuple([value] * 2 for value in EVENT),
    ),
    "cart remove": (SQL.remove_cart, ("partner-3", "cart-23", 1)),
    "order by id": (SQL.order_doc, ("partner-3", "order-23")),
    "order by id for update": (SQL.order_for_update, ("partner-3", "order-23")),
    "order of a cart": (SQL.order_of_cart, ("partner-3", "cart-23")),
    "order change": (SQL.update_order, ("order-23", "Acknowledged", NOW, None, "{}", "{}")),
    # The API's finding: each filter alone, all together, and none (page and count).
    "cart find, no filter": page(SQL.cart_finding, carts(), offset=100),
    "cart find by state": page(SQL.cart_finding, carts(state="Submitted")),
    "cart find by customer": page(SQL.cart_finding, carts(customer="customer-21")),
    "cart find by lastUpdate": page(
        SQL.cart_finding, carts(updated_from=NOW - timedelta(hours=2), updated_to=NOW - timedelta(hours=1))
    ),
    "cart find by everything": page(SQL.cart_finding, EVERY_CART_CONDITION),
    "cart count, no filter": count(SQL.cart_finding, carts()),
    # As the API lists (OMNICART_CART_TTL_SECONDS, 30 days by default): drafts within it.
    "cart find, drafts within their time": page(SQL.cart_finding, carts(drafts_changed_after=NOW - timedelta(days=3))),
    "cart count, drafts within their time": count(
        SQL.cart_finding, carts(drafts_changed_after=NOW - timedelta(days=3))
    ),
    "cart count by state": count(SQL.cart_finding, carts(state="Submitted")),
    # TMF663's `?id=`: the primary key's one row at most, whose owner is then compared.
    "a cart found by its id (TMF663)": page(SQL.cart_finding, carts(cart_id="cart-23")),
    "a cart counted by its id (TMF663)": count(SQL.cart_finding, carts(cart_id="cart-23")),
    "cart count by customer": count(SQL.cart_finding, carts(customer="customer-21")),
    # Orders: state, customerOrderId, cart, submission range, id, line of business, account.
    "order find, no filter": page(SQL.order_finding, orders(), offset=40),
    "order views find, no filter": page(SQL.order_views, orders(), offset=40),
    "order views find by state": page(SQL.order_views, orders(state="Held")),
    "order find by state": page(SQL.order_finding, orders(state="Held")),
    "order find by customerOrderId": page(SQL.order_finding, orders(customer_order_id="co-23")),
    "order find by cart": page(SQL.order_finding, orders(cart_id="cart-23")),
    "order find by submission": page(
        SQL.order_finding, orders(submitted_from=NOW - timedelta(hours=2), submitted_to=NOW - timedelta(hours=1))
    ),
    "order find by TMF630's submission bounds (after, through)": page(
        SQL.order_finding, orders(after=NOW - timedelta(hours=2), through=NOW - timedelta(hours=1))
    ),
    "order find by id": page(SQL.order_finding, orders(order_id="order-23")),
    "order find by line of business": page(SQL.order_finding, orders(line_of_business="FIBER")),
    "order find by account": page(SQL.order_finding, orders(account="ban-3-1")),
    "order find by everything": page(SQL.order_finding, EVERY_ORDER_CONDITION),
    "order count, no filter": count(SQL.order_finding, orders()),
    "order count by state": count(SQL.order_finding, orders(state="Held")),
    "order count by customerOrderId": count(SQL.order_finding, orders(customer_order_id="co-23")),
    "order count by cart": count(SQL.order_finding, orders(cart_id="cart-23")),
    "order count by id": count(SQL.order_finding, orders(order_id="order-23")),
    "order count by line of business": count(SQL.order_finding, orders(line_of_business="FIBER")),
    "order count by account": count(SQL.order_finding, orders(account="ban-3-1")),
    "idempotency key for update": (SQL.key_for_update, ("partner-3", "key-23")),
    "appointments booked at an address over the days offered": (
        SQL.booked_at_address,
        ("address-23", "2026-11-29", "2026-12-12"),
    ),
    "seats taken of a slot": (SQL.seats_of_slot, ("address-23-20261129-AM",)),
    "hub list": (SQL.list_hubs, ("partner-3",)),
    "hub by id": (SQL.hub, ("partner-3", "hub-23")),
    "hub removal": (SQL.delete_hub, ("partner-3", "hub-23")),
    "pending deliveries of a removed hub": (SQL.drop_pending_deliveries, ("hub-23",)),
    "delivered": (SQL.delivered, ("event-23", "hub-24", NOW)),
    "delivery handed back unattempted": (SQL.release_delivery, ("event-23", "hub-24", NOW)),
    "key by id": (SQL.key, ("ock_23",)),
    "key list by partner": (SQL.list_partner_keys, ("partner-3",)),
    "console cart search": page(SQL.cart_search, ("Draft", ("G5MGG", "%G5MGG%"), NOW - timedelta(days=30))),
    "console carts counted": count(SQL.cart_search, ("Draft", ("G5MGG", "%G5MGG%"), NOW - timedelta(days=30))),
    "console events of a partner": (SQL.owner_events, ("partner-3", None, None, None, 50, 0)),
    "console events of a cart": (SQL.owner_events, ("partner-3", *CART_23, None, 50, 0)),
    "console events of a type": (SQL.owner_events, ("partner-3", None, None, "ShoppingCartCreateEvent", 50, 0)),
    "console events counted": (SQL.count_events, ("partner-3", *CART_23, "ShoppingCartCreateEvent")),
    "console deliveries of a page of events": (SQL.deliveries_of_events, ("partner-3", None, None, None, 50, 0)),
    "console hub backlog: waiting": (SQL.hub_waiting, ("partner-3", "hub-23")),
    "console hub backlog: head": (SQL.hub_head, ("partner-3", "hub-23")),
    "console hub backlog: last failure": (SQL.hub_last_failure, ("partner-3", "hub-23")),
    "console replay": (SQL.replay_delivery, ("partner-3", "event-23", "hub-24", NOW)),
    # quotas per partner: bounded counts, and the hub insert that counts
    "draft carts of a partner, counted up to the quota": (SQL.count_drafts, ("partner-3", 10_000)),
    "live idempotency keys of a partner, counted up to the quota": (SQL.count_live_keys, ("partner-3", NOW, 100_001)),
    "hub added within the quota": (
        SQL.insert_hub_within,
        ("hub-new", "partner-3", "https://example.com/new", None, "s", NOW, 20),
    ),
    "the hub quota's lock of a partner": (SQL.hub_quota_lock, ("partner-3",)),
}
BY_TIME = {  # the background jobs' claims and purges
    "due order": (SQL.due_order, (NOW - timedelta(seconds=1000),)),
    "due deliveries": (SQL.claim_deliveries, (NOW, NOW + timedelta(seconds=35), 50)),
    "pending events": (SQL.pending_events, (50,)),
    "hubs of the pending events' owners": (SQL.hubs_of_owners, (["partner-3", "partner-4"],)),
    "expired-draft purge": (SQL.expired_drafts, (OLDEST, 100)),
    "idempotency key purge": (SQL.purge_keys, (OLDEST - timedelta(days=1),)),
    "delivery purge": (SQL.purge_deliveries, (OLDEST_EVENTS,)),
    "event purge": (SQL.purge_events, (OLDEST_EVENTS,)),
    # the metrics' refresh in every worker: the pending events, from their partial indexes
    "pending events counted": (PENDING, ()),
}


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    name = f"omnicart_plans_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url)

        async def fill() -> None:
            connection = await asyncpg.connect(url)
            try:
                for statement in FILL:
                    await connection.execute(statement, *([NOW] if "$1" in statement else []))
                await connection.execute("ANALYZE")
            finally:
                await connection.close()

        asyncio.run(fill())
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def literal(value: Any) -> str:
    """`value` as an SQL literal, for EXECUTE."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int):
        return str(value)
    if isinstance(value, bytes):
        return f"'\\x{value.hex()}'"
    if isinstance(value, list):
        kind = "timestamptz" if isinstance(value[0], datetime) else "text"
        return f"ARRAY[{', '.join(literal(v) for v in value)}]::{kind}[]"
    return "'" + str(value.isoformat() if isinstance(value, datetime) else value).replace("'", "''") + "'"


def table_scans(plan: dict[str, Any]) -> list[str]:
    """The watched tables a plan reads whole."""
    found = [plan["Relation Name"]] if plan["Node Type"] == "Seq Scan" and plan.get("Relation Name") in WATCHED else []
    return found + [table for child in plan.get("Plans", []) for table in table_scans(child)]


async def explain(url: str, sql: str, args: tuple[Any, ...], generic: bool, *settings: str) -> dict[str, Any]:
    connection = await asyncpg.connect(url)
    try:
        for setting in settings:
            await connection.execute(f"SET {setting}")
        if not generic:
            return json.loads(await connection.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *args))[0]["Plan"]
        await connection.execute("SET plan_cache_mode = force_generic_plan")
        await connection.execute(f"PREPARE statement AS {sql}")
        arguments = f"({', '.join(literal(a) for a in args)})" if args else ""
        return json.loads(await connection.fetchval(f"EXPLAIN (FORMAT JSON) EXECUTE statement{arguments}"))[0]["Plan"]
    finally:
        await connection.close()


PLANS = [pytest.param(name, False, id=f"{name}") for name in {**BY_KEY, **BY_TIME}] + [
    pytest.param(name, True, id=f"{name}, generic plan") for name in BY_KEY
]


@pytest.mark.parametrize(("query", "generic"), PLANS)
def test_no_query_reads_a_whole_table(database, query, generic):
    sql, args = {**BY_KEY, **BY_TIME}[query]
    plan = asyncio.run(explain(database, sql, args, generic))
    assert table_scans(plan) == [], json.dumps(plan, indent=1)


def nodes(plan: dict[str, Any]) -> list[str]:
    return [plan["Node Type"]] + [node for child in plan.get("Plans", []) for node in nodes(child)]


def index_reads(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(index, its Index Cond) of every index the plan reads ("" for a whole index read)."""
    found = [(plan["Index Name"], plan.get("Index Cond", ""))] if "Index Name" in plan else []
    return found + [read for child in plan.get("Plans", []) for read in index_reads(child)]


# The owner's condition as a plan's Index Cond shows it, for given and generic arguments:
# `(owner = 'partner-3'::text)`, `(owner = $1)` (API keys: `partner`).
OWNER_CONDITION = re.compile(r"\((owner|partner) = ('partner-3'::text|\$1)\)")
# Found by a key unique among all owners' rows (a cart id, a customer order id): the one
# row read, whatever its owner, and its owner checked after.
UNIQUE_KEYS = {"orders_cart_id_key", "orders_customer_order_id_key", "orders_pkey"}
# The API's findings (page and count), the console's cart search and the draft quota's count.
FINDINGS = [
    *(name for name in BY_KEY if name.startswith(("cart find", "cart count", "order find", "order count"))),
    "console cart search",
    "draft carts of a partner, counted up to the quota",
]


def reads_only_the_owners_range(plan: dict[str, Any]) -> bool:
    """Whether every index the plan reads is read for the owner's rows only: the owner in
    its index condition, not a filter applied to every owner's rows after the scan."""
    reads = index_reads(plan)
    return bool(reads) and all(index in UNIQUE_KEYS or OWNER_CONDITION.search(cond) for index, cond in reads)


@pytest.mark.parametrize(
    "query",
    [
        "cart find, no filter",
        "order find, no filter",
        "hub list",
        "cart find by state",
        "cart find by customer",
        "cart find by lastUpdate",
        "order find by state",
        "order find by submission",
        "order find by line of business",
        "key list by partner",
    ],
)
def test_an_index_serves_each_listing_in_its_order(database, query):
    # For an owner's few hundred rows the planner may well prefer to sort them; with
    # sorting ruled out, a plan without a Sort shows an index holds the listing's order
    # (what paging deep into a large owner's list needs) — within the owner's range of
    # it: an index in that order without the owner would serve every owner's rows, the
    # owner filtered after.
    sql, args = BY_KEY[query]
    plan = asyncio.run(explain(database, sql, args, False, "enable_sort = off"))
    assert "Sort" not in nodes(plan), json.dumps(plan, indent=1)
    assert reads_only_the_owners_range(plan), json.dumps(plan, indent=1)


@pytest.mark.parametrize("generic", [False, True], ids=["given arguments", "generic plan"])
@pytest.mark.parametrize("query", FINDINGS)
def test_each_finding_reads_only_its_owners_range_of_an_index(database, query, generic):
    sql, args = BY_KEY[query]
    plan = asyncio.run(explain(database, sql, args, generic))
    assert reads_only_the_owners_range(plan), json.dumps(plan, indent=1)


def test_every_query_the_store_runs_on_postgres_with_a_where_clause_is_explained():
    explained = {sql for sql, _ in {**BY_KEY, **BY_TIME}.values()}
    # Not explained: primary-key writes and lookups made by the statements above
    # (INSERT … ON CONFLICT on the key; a delivery's or an event's primary key; a
    # partner's rows of quota_usage), the
    # operator's list of every key, and what only SQLite runs (its probes before taking
    # the write lock, its two-step delivery claim; the PostgreSQL adapter has no probe).
    not_explained = {
        SQL.ping,
        SQL.insert_event,
        SQL.store_response,
        SQL.claim_new_key,
        SQL.reclaim_key,
        SQL.release_key,
        SQL.insert_hub,
        SQL.insert_delivery,
        SQL.fanned_out,
        SQL.delivery_failed,
        SQL.insert_key,
        SQL.revoke_key,
        SQL.list_keys,
        SQL.delete_cart,
        SQL.insert_order,
        SQL.insert_booking,
        SQL.insert_order_account,
        SQL.any_expired_draft,
        SQL.any_due_order,
        SQL.any_pending_event,
        SQL.any_due_delivery,
        SQL.due_deliveries,
        SQL.lease_delivery,
        SQL.take_place,
        SQL.insert_cart_within,
        SQL.ensure_usage,
        SQL.usage_for_update,
        SQL.share_out,
    }
    assert {sql for sql in vars(SQL).values() if isinstance(sql, str) and sql} - explained - not_explained == set()
    # The findings' statements are built from the conditions given; each finding is
    # explained above with none, each alone and all of them.
    assert {name for name, value in vars(SQL).items() if isinstance(value, Finding)} == {
        "cart_finding",
        "cart_search",
        "order_finding",
        "order_views",
    }


# -- SQLite ------------------------------------------------------------------------------
# The store never runs ANALYZE on SQLite: its plans are those of a database without
# statistics, as here. Each finding reads its owner's range of an index that holds the
# conditions given (or the one row of a unique key given), in the listing's order, its
# tie-breaker id included: nothing is sorted (migration 0015). An order finding by account
# also lists the owner's orders of that account once, from the key of order_accounts.
SQLITE_FINDINGS = {
    "cart find, no filter": page(SQLITE.cart_finding, carts(), offset=100),
    "cart find by state": page(SQLITE.cart_finding, carts(state="Submitted")),
    "cart find by customer": page(SQLITE.cart_finding, carts(customer="customer-21")),
    "cart find by lastUpdate": page(SQLITE.cart_finding, carts(updated_from=1_000, updated_to=2_000)),
    "cart find by everything": page(SQLITE.cart_finding, carts("Draft", "customer-21", 1_000, 2_000, "cart-21", 500)),
    "cart find, drafts within their time": page(SQLITE.cart_finding, carts(drafts_changed_after=1_000)),
    "order find, no filter": page(SQLITE.order_finding, orders(), offset=40),
    "order views find, no filter": page(SQLITE.order_views, orders(), offset=40),
    "order find by state": page(SQLITE.order_finding, orders(state="Held")),
    "order find by customerOrderId": page(SQLITE.order_finding, orders(customer_order_id="co-23")),
    "order find by cart": page(SQLITE.order_finding, orders(cart_id="cart-23")),
    "order find by submission": page(SQLITE.order_finding, orders(submitted_from=1_000, submitted_to=2_000)),
    "order find by id": page(SQLITE.order_finding, orders(order_id="order-23")),
    "order find by line of business": page(SQLITE.order_finding, orders(line_of_business="FIBER")),
    "order find by account": page(SQLITE.order_finding, orders(account="ban-3-1")),
    "order find by everything": page(
        SQLITE.order_finding,
        orders("Held", "co-23", "cart-23", 1_000, 2_000, "order-23", "WIRELESS", "ban-3-0", 1_000, 2_000),
    ),
}
ACCOUNT_SUBQUERY = [
    "LIST SUBQUERY n",
    "SEARCH order_accounts USING COVERING INDEX sqlite_autoindex_order_accounts_1 (owner=? AND account_number=?)",
]
# A row found by a key unique among all owners' rows, its owner compared after.
SQLITE_UNIQUE = re.compile(
    r"SEARCH (carts|orders) USING INDEX sqlite_autoindex_\w+ \((id|customer_order_id|cart_id)=\?\)"
)
SQLITE_OWNERS_RANGE = re.compile(r"SEARCH (carts|orders) USING (COVERING )?INDEX \w+ \(owner=\?( AND [^)]*)?\)")
# The bounded total (store/core.py `counted_page`) is read from an index alone: the
# owner's range of one holding every condition given.
CARTS, ORDERS = SQLITE.cart_finding, SQLITE.order_finding
SQLITE_COUNTS = {  # (finding, conditions given, the covering index read and its range)
    "cart count, no filter": (CARTS, carts(), "carts_owner_state (owner=?)"),
    "cart count, drafts within their time (as the API lists)": (
        CARTS,
        carts(drafts_changed_after=1_000),
        "carts_owner_state_updated (owner=?)",
    ),
    "cart count by state": (CARTS, carts(state="Submitted"), "carts_owner_state (owner=? AND state=?)"),
    "cart count by customer": (
        CARTS,
        carts(customer="customer-21"),
        "carts_owner_customer_updated (owner=? AND customer_id=?)",
    ),
    "order count, no filter": (ORDERS, orders(), "orders_owner_recent (owner=?)"),
    "order count by state": (ORDERS, orders(state="Held"), "orders_owner_state_recent (owner=? AND state=?)"),
    "order count by line of business": (
        ORDERS,
        orders(line_of_business="FIBER"),
        "orders_owner_line_recent (owner=? AND line_of_business=?)",
    ),
}


def sqlite_plan(path, sql: str, args: tuple[Any, ...]) -> list[str]:
    """EXPLAIN QUERY PLAN's lines (their `detail`), in order."""
    connection = sqlite3.connect(path)
    try:
        return [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", args)]
    finally:
        connection.close()


def numbered(plan: list[str]) -> list[str]:
    return [re.sub(r"SUBQUERY \d+", "SUBQUERY n", line) for line in plan]


@pytest.mark.parametrize("query", SQLITE_FINDINGS)
def test_sqlite_reads_each_finding_from_its_owners_range_of_an_index(sqlite_template, query):
    # The page carries its total: a scalar subquery, run once, that counts as the count
    # alone does (below).
    sql, args = SQLITE_FINDINGS[query]
    plan = numbered(sqlite_plan(sqlite_template, sql, args))
    searches = [line for line in plan if line.startswith(("SEARCH carts", "SEARCH orders"))]
    assert len(searches) == 2, plan  # the page's, the total's
    assert all(SQLITE_UNIQUE.fullmatch(line) or SQLITE_OWNERS_RANGE.fullmatch(line) for line in searches), plan
    assert [line for line in plan if line.startswith("SCAN")] == ["SCAN found"], plan
    assert not [line for line in plan if "TEMP B-TREE" in line], plan
    by_account = query.startswith("order") and ("account" in query or "everything" in query)
    assert [line for line in plan if line in ACCOUNT_SUBQUERY] == (ACCOUNT_SUBQUERY * 2 if by_account else []), plan


@pytest.mark.parametrize("query", SQLITE_COUNTS)
def test_sqlite_counts_each_finding_from_an_index_alone(sqlite_template, query):
    finding, given, index = SQLITE_COUNTS[query]
    search = f"SEARCH {query.split()[0]}s USING COVERING INDEX {index}"
    assert sqlite_plan(sqlite_template, *count(finding, given)) == ["CO-ROUTINE found", search, "SCAN found"]
