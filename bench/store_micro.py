"""In-process micro-benchmark of the store's hot path: add, get, save (or the older
update) of carts, each with its one event as the cart service commits it.

    PYTHONPATH=src python bench/store_micro.py [--n 3000] [--rounds 3] [sqlite|postgres ...]

Prints the best of `rounds` per operation: wall-clock µs/op and, in brackets, the
process's CPU µs/op (steadier on a shared machine). PostgreSQL gets a throw-away database
on OMNICART_TEST_PG (default postgresql://127.0.0.1:5432/test); SQLite a temporary file.
Works against the store interface before and after issue 9 (add(cart, …) or
add(owner, cart, doc, …); update(…) or save(…)), to compare the two.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from omnicart.domain.cart import Cart
from omnicart.domain.events import new_event
from omnicart.domain.ids import time_uuid
from omnicart.store import Effects, documents, open_store
from omnicart.store.migrate import upgrade
from omnicart.wire.cart import State
from omnicart.wire.items import ProductOrderItem

PG_SERVER = os.environ.get("OMNICART_TEST_PG", "postgresql://127.0.0.1:5432/test")
OWNER = "bench"
AT = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)


def make_cart() -> Cart:
    fields = {f: None for f in Cart.__struct_fields__}
    cart = dict(id=time_uuid(), version=1, state=State.DRAFT, creationDate=AT, lastUpdate=AT,
                channel={"id": "IND", "name": "IND", "extensions": [{"name": "subChannel", "value": "bestbuy"}]},
                relatedParty=[{"id": "G5MGG", "role": "partner", "referredType": "dealerLocation"}],
                productOrderItem=[ProductOrderItem(productOrderItemId=f"item-{i}", productOfferingId="SIM_pkey80001",
                                                   characteristic=[{"name": "color", "value": "black"}])
                                  for i in range(3)])
    if "owner" in fields:
        cart["owner"] = OWNER
    return Cart(**cart)


def event(cart: Cart) -> Effects:
    return Effects(events=[new_event("ShoppingCartCreateEvent", OWNER, "shoppingCart", b'{"id":"%s"}' % cart.id.encode(), AT)])


async def bench(url: str, n: int, rounds: int) -> dict[str, float]:
    store = await open_store(url, pool_size=4)
    new_interface = "doc" in inspect.signature(store.add).parameters
    best: dict[str, tuple[float, float]] = {}
    clock = lambda: (time.perf_counter(), time.process_time())  # noqa: E731

    def record(name: str, started: tuple[float, float]) -> None:
        wall, cpu = ((now - then) / n * 1e6 for now, then in zip(clock(), started))
        old_wall, old_cpu = best.get(name, (float("inf"), float("inf")))
        best[name] = (min(wall, old_wall), min(cpu, old_cpu))

    try:
        for _ in range(rounds):
            carts = [make_cart() for _ in range(n)]
            started = clock()
            for cart in carts:
                if new_interface:
                    await store.add(OWNER, cart, documents.dump(cart), event(cart))
                else:
                    await store.add(cart, event(cart))
            record("add", started)

            started = clock()
            for cart in carts:
                await store.get(OWNER, cart.id)
            record("get", started)

            started = clock()
            for cart in carts:
                cart.touch(cart.lastUpdate + timedelta(seconds=1))
                if new_interface:
                    await store.save(OWNER, cart, documents.dump(cart), cart.version - 1, event(cart))
                else:
                    await store.update(OWNER, cart.id, lambda c: (c.touch(c.lastUpdate), event(c))[1])
            record("save" if new_interface else "update", started)

            if new_interface:
                started = clock()
                for cart in carts:
                    await store.update(OWNER, cart.id, lambda c: (c.touch(c.lastUpdate), event(c))[1])
                record("update", started)
    finally:
        await store.close()
    return best


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_SERVER)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stores", nargs="*", default=["sqlite", "postgres"])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    for kind in options.stores:
        if kind == "sqlite":
            with tempfile.TemporaryDirectory() as directory:
                url = f"sqlite:///{directory}/bench.db"
                upgrade(url)
                result = asyncio.run(bench(url, options.n, options.rounds))
        else:
            name = f"omnicart_micro_{uuid.uuid4().hex[:8]}"
            asyncio.run(admin(f'CREATE DATABASE "{name}"'))
            try:
                url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
                upgrade(url)
                result = asyncio.run(bench(url, options.n, options.rounds))
            finally:
                asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        print(kind.ljust(9), "  ".join(f"{op} {wall:6.1f} µs ({cpu:5.1f})" for op, (wall, cpu) in result.items()))


if __name__ == "__main__":
    main()
