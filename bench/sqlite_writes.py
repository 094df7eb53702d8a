"""What SQLite itself costs to write a large cart: the floor under a 200-item change on the
embedded store (issue 23, item 4), with no omnicart code in the way.

    taskset -c 0 python bench/sqlite_writes.py [--kb 130] [--n 1500]

One connection as the store opens it (WAL, synchronous=NORMAL), omnicart's `carts` and
`outbox` columns and indexes, one cart of `--kb` KB of JSON. Each transaction is what a
change of that cart writes, `BEGIN IMMEDIATE` … `COMMIT`:
  cart only         the cart's row rewritten (its document one item longer or shorter)
  cart + event      and its event's snapshot (the same document) added to the outbox
  cart + event, no autocheckpoint
                    the same with `wal_autocheckpoint = 0`: what the checkpoints cost
                    (the WAL then grows without bound: a measurement, not a setting)
  cart + event, checkpoints beside
                    the same as the store runs it (store/wal.py): checkpoints in a
                    thread of their own, asked for after each commit, the writer
                    catching up when the log passes its bound (CPU: both threads)
and a 1 KB cart + event for scale (20 times `--n` transactions). Prints wall-clock and CPU
µs per transaction, the best of three rounds. Run it pinned to one core (`taskset -c 0`)
to see what the store pays on the bench's one server core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "src"))
from omnicart.store.wal import LOG_LIMIT_FRAMES, Checkpoints, keep_log_short

CARTS = (
    "CREATE TABLE carts (id TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, version INTEGER NOT NULL,"
    " state TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, doc JSON NOT NULL,"
    " customer_id TEXT, customer_order_id TEXT, plain BOOLEAN)"
)
OUTBOX = (
    "CREATE TABLE outbox (id INTEGER NOT NULL PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL,"
    " event_type TEXT NOT NULL, created_at INTEGER NOT NULL, payload JSON NOT NULL,"
    " fanned_out BOOLEAN DEFAULT 0 NOT NULL)"
)
INDEXES = (
    "CREATE INDEX carts_state_updated ON carts (state, updated_at)",
    "CREATE INDEX carts_owner_recent ON carts (owner, updated_at DESC)",
    "CREATE INDEX carts_owner_customer_updated ON carts (owner, customer_id, updated_at)",
    "CREATE INDEX carts_owner_state_updated ON carts (owner, state, updated_at)",
    "CREATE INDEX carts_owner_state ON carts (owner, state)",
    "CREATE UNIQUE INDEX carts_customer_order_id ON carts (customer_order_id)",
    "CREATE INDEX outbox_pending ON outbox (id) WHERE NOT fanned_out",
    "CREATE INDEX outbox_created ON outbox (created_at)",
    "CREATE INDEX outbox_owner_id ON outbox (owner, id)",
)
SAVE = "UPDATE carts SET version = ?, updated_at = ?, doc = ?, plain = 1 WHERE id = 'cart' AND version = ?"
EVENT = "INSERT INTO outbox (event_id, owner, event_type, created_at, payload) VALUES (?, 'bench', 'Changed', ?, ?)"


def documents(kb: int) -> list[str]:
    """Two documents of ~`kb` KB, one item apart, as adding and removing an item makes them."""
    item = {"productOrderItemId": "fill-000", "action": "add", "productOfferingType": "Mobile_Device",
            "productOfferingId": "Mobile_Device_pkey73001_sku2680262", "quantity": 1,
            "characteristic": [{"name": "eSIM_Enabled", "value": "true"}],
            "itemPrice": [{"priceType": "oneTime", "price": {"taxIncludedAmount": {"unit": "USD", "value": 999.99}}}]}
    size = len(json.dumps(item))
    items = [{**item, "productOrderItemId": f"fill-{n:03d}"} for n in range(max(1, kb * 1024 // size))]
    return [json.dumps({"id": "cart", "productOrderItem": items[: len(items) - drop]}) for drop in (0, 1)]


def run(path: str, docs: list[str], n: int, event: bool, checkpoints: str) -> tuple[float, float]:
    """`checkpoints`: "auto" (SQLite's, in the commit), "none", or "beside" (store/wal.py)."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    if checkpoints == "none":
        db.execute("PRAGMA wal_autocheckpoint = 0")
    beside = loop = None
    if checkpoints == "beside":
        keep_log_short(db, LOG_LIMIT_FRAMES)
        beside, loop = Checkpoints(path), asyncio.new_event_loop()
    for statement in (CARTS, OUTBOX, *INDEXES):
        db.execute(statement)
    db.execute("INSERT INTO carts VALUES ('cart', 'bench', 0, 'Draft', 0, 0, ?, NULL, NULL, 1)", (docs[0],))
    wall, cpu = time.perf_counter(), time.process_time()
    for version in range(n):
        doc = docs[version % 2]
        if beside is not None and beside.behind:  # as SQLiteStore._submit does
            beside.catch_up(db)
        db.execute("BEGIN IMMEDIATE")
        db.execute(SAVE, (version + 1, version, doc, version))
        if event:
            db.execute(EVENT, (f"event-{version}", version, doc))
        db.execute("COMMIT")
        if beside is not None and loop is not None:  # as SQLiteStore._wrote does, then the loop's turn
            beside.written(loop)
            loop.call_soon(loop.stop)  # one turn: callbacks the checkpoint thread handed over
            loop.run_forever()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if beside is not None and loop is not None:
        beside.close()
        loop.close()
    db.close()
    return wall / n * 1e6, cpu / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", type=int, default=130, help="the large cart's document, KB")
    parser.add_argument("--n", type=int, default=1500, help="transactions per round")
    args = parser.parse_args()
    large, small = documents(args.kb), documents(1)
    cases = [
        (f"{args.kb} KB cart only", large, False, "auto"),
        (f"{args.kb} KB cart + event", large, True, "auto"),
        (f"{args.kb} KB cart + event, no autocheckpoint", large, True, "none"),
        (f"{args.kb} KB cart + event, checkpoints beside", large, True, "beside"),
        ("1 KB cart + event", small, True, "auto"),
        ("1 KB cart + event, checkpoints beside", small, True, "beside"),
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "writes.db")
        print(f"SQLite {sqlite3.sqlite_version}, {args.n} transactions per round, best of 3")
        for label, docs, event, checkpoints in cases:
            n = args.n if docs is large else args.n * 20  # a second or more each, so background checkpoints run
            rounds = [run(path, docs, n, event, checkpoints) for _ in range(3)]
            wall, cpu = min(rounds)
            print(f"  {label:<45} {wall:7.0f} µs wall  {cpu:7.0f} µs CPU per transaction")


if __name__ == "__main__":
    main()
