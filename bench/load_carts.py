"""Fill a PostgreSQL database with N carts of production shape, for the size family.

    bench/load_carts.py --database postgresql://127.0.0.1:5432/omnicart_size --carts 1000000

The database is created if missing and migrated with `omnicart migrate` (the project's
Alembic migrations), then carts, orders and outbox are emptied and refilled:

* partners: one (`--big-partner`, the one bench/run.py authenticates as) holds 10 % of
  the carts, 100 others share the rest evenly;
* carts: 85 % Draft (30 % still empty, 50 % one line, 20 % two lines: a line is a plan,
  a phone, a SIM and protection), 15 % Submitted (each with its order row). Drafts were
  last touched within the past 29 days (omnicart purges drafts idle for 30), submitted
  carts were created any time in the past 90 days;
* orders: Submitted 25 %, Acknowledged 5 %, InProgress 10 %, Completed 50 %, Cancelled
  7 %, Failed 3 %, each with the state history that leads there;
* outbox: the events the past 7 days of that activity left (omnicart keeps events 7 days):
  create, items changed, submitted, order created — each a full snapshot, as omnicart
  writes them; already fanned out.

Documents are real ones: bench/size_template.json holds carts, orders and events that a
running omnicart wrote (bench/run.py size captures a fresh one from this tree), with ids,
partner and timestamps turned into slots that are filled per row. Rows go in with one
`COPY … FREEZE` per table (truncated in the same transaction, so no vacuum is needed
afterwards) with the table's indexes dropped, then rebuilt, then VACUUM ANALYZE.

The columns written are listed once, in COLUMNS below: when a migration adds or changes
one, adjust it there (and the row builders that fill it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_TEMPLATE = BENCH / "size_template.json"

# -- what is written ---------------------------------------------------------------------

# The columns of each table the loader fills, as src/omnicart/store/migrations/versions/
# define them; a column left out gets its default (outbox.id its sequence). At start the
# loader compares this with the database and stops if a NOT NULL column without default
# is missing here.
COLUMNS: dict[str, tuple[str, ...]] = {
    "carts": ("id", "owner", "version", "state", "created_at", "updated_at", "doc"),
    "orders": ("id", "owner", "cart_id", "customer_order_id", "state", "created_at", "updated_at",
               "next_step_at", "doc"),
    "outbox": ("event_id", "owner", "event_type", "created_at", "payload", "fanned_out"),
}

# The shape of the data (fractions).
BIG_PARTNER_SHARE = 0.10
OTHER_PARTNERS = 100
DRAFT_SHARE = 0.85
DRAFT_KINDS = {"empty": 0.30, "one_line": 0.50, "two_lines": 0.20}
SUBMITTED_KINDS = {"one_line": 0.70, "two_lines": 0.30}
ORDER_STATES = {"Submitted": 0.25, "Acknowledged": 0.05, "InProgress": 0.10, "Completed": 0.50,
                "Cancelled": 0.07, "Failed": 0.03}
# The states an order went through to get to each state (omnicart's fulfilment plans).
ORDER_PATHS = {
    "Submitted": ["Submitted"],
    "Acknowledged": ["Submitted", "Acknowledged"],
    "InProgress": ["Submitted", "Acknowledged", "InProgress"],
    "Completed": ["Submitted", "Acknowledged", "InProgress", "Completed"],
    "Cancelled": ["Submitted", "PendingCancel", "Cancelled"],
    "Failed": ["Submitted", "Acknowledged", "Failed"],
}
STEP_REASONS = {"Submitted": "express-submit", "PendingCancel": "cancellation requested",
                "Cancelled": "cancellation completed"}  # the others: about as long
DRAFT_AGE = timedelta(days=29)  # omnicart purges drafts untouched for 30 days
SUBMITTED_AGE = timedelta(days=90)
EVENT_RETENTION = timedelta(days=7)  # OMNICART_EVENT_RETENTION_SECONDS' default
BATCH = 2000  # carts per COPY chunk
SAMPLE_SIZE = 10_000  # ids written by --sample-ids

# -- templates ---------------------------------------------------------------------------

# A slot in a template document: "@@name@@" inside a JSON string is replaced by text (the
# quotes stay), "\"@@=name@@\"" (a whole JSON value) by raw JSON.
SLOT = re.compile(r'"@@=(\w+)@@"|@@(\w+)@@')
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def copy_escape(text: str) -> str:
    """Text as COPY's text format wants it inside a column."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@dataclass
class Template:
    """A document split at its slots: literal, slot, literal, slot, …, literal."""

    parts: list[str]  # literals, already escaped for COPY
    slots: list[str]

    @classmethod
    def of(cls, text: str) -> Template:
        pieces = SLOT.split(text)
        # re.split with two groups yields: literal, raw-name|None, text-name|None, literal, …
        parts, slots = [copy_escape(pieces[0])], []
        for index in range(1, len(pieces), 3):
            slots.append(pieces[index] or pieces[index + 1])
            parts.append(copy_escape(pieces[index + 2]))
        return cls(parts, slots)

    def fill(self, values: dict[str, str]) -> str:
        out = [self.parts[0]]
        for slot, literal in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(literal)
        return "".join(out)


def templatize(doc: Any, known: dict[str, str], times: dict[datetime, str]) -> Any:
    """`doc` with every string that is a known value (id, partner, …) or a timestamp turned
    into a slot. `known` maps value → slot name; `times` maps instant → "created"/"updated"
    (a timestamp's precision picks the slot: `created_us`, `updated_ms`, …)."""
    if isinstance(doc, dict):
        return {key: templatize(value, known, times) for key, value in doc.items()}
    if isinstance(doc, list):
        return [templatize(value, known, times) for value in doc]
    if isinstance(doc, str):
        if doc in known:
            return f"@@{known[doc]}@@"
        match = TIMESTAMP.match(doc)
        if match:
            moment = datetime.fromisoformat(doc.replace("Z", "+00:00"))
            precision = {None: "s", 4: "ms", 7: "us"}.get(len(match.group(1) or "") or None, "us")
            which = times.get(moment, "updated")
            return f"@@{which}_{precision}@@"
    return doc


def compact(doc: Any) -> str:
    # What omnicart writes (msgspec: no spaces); a jsonb column returns its own spacing.
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


async def capture_template(url: str, partner: str) -> dict[str, Any]:
    """Templates from a database that omnicart filled for `partner` (bench/run.py size):
    carts named by what they hold, orders by their cart's kind, and every event."""
    connection = await asyncpg.connect(url)
    try:
        carts = await connection.fetch(
            "SELECT id, version, state, created_at, updated_at, doc::text AS doc FROM carts WHERE owner = $1", partner)
        orders = await connection.fetch(
            "SELECT id, cart_id, customer_order_id, created_at, doc::text AS doc FROM orders WHERE owner = $1",
            partner)
        events = await connection.fetch(
            "SELECT event_type, created_at, payload::text AS payload FROM outbox WHERE owner = $1 ORDER BY id",
            partner)
    finally:
        await connection.close()
    order_of = {order["cart_id"]: order for order in orders}
    out: dict[str, Any] = {"captured": datetime.now(UTC).isoformat(timespec="seconds"),
                           "carts": {}, "orders": {}, "events": {}}
    for cart in carts:
        doc = json.loads(cart["doc"])
        lines = len(doc.get("productOrderItem", [])) // 4
        kind = {0: "empty", 1: "one_line", 2: "two_lines"}[lines]
        known = {cart["id"]: "cart_id", partner: "owner"}
        times = {cart["created_at"]: "created", cart["updated_at"]: "updated"}
        order = order_of.get(cart["id"])
        if order is not None:
            doc_order = json.loads(order["doc"])
            order_known = {**known, order["id"]: "order_id", order["customer_order_id"]: "customer_order_id",
                           doc_order["orderSummaryAccessToken"]: "token"}
            history = doc_order["stateHistory"][0]
            # The order's state, history and end dates depend on how far it got: raw slots.
            doc_order.update(state="@@order_state@@", stateHistory="@@=history@@",
                             completionDate="@@=completion_date@@", cancellationDate="@@=cancellation_date@@")
            out["orders"][kind] = {
                "doc": compact(templatize(doc_order, order_known, times)),
                "history_entry": compact(templatize({**history, "state": "@@state@@", "date": "@@at@@",
                                                     "reason": "@@reason@@"}, {}, {})),
            }
            kind = f"submitted_{kind}"
        out["carts"][kind] = {"version": cart["version"], "state": cart["state"],
                              "doc": compact(templatize(doc, known, times))}
        for event in events:
            envelope = json.loads(event["payload"])
            snapshot = next(iter(envelope["event"].values()))
            if snapshot.get("id") != cart["id"] and snapshot.get("cartId") != cart["id"]:
                continue
            event_known = {**(order_known if order is not None else known), envelope["eventId"]: "event_id"}
            out["events"].setdefault(kind, []).append({
                "event_type": event["event_type"],
                "at": times.get(event["created_at"], "updated"),
                "payload": compact(templatize(envelope, event_known, times)),
            })
    missing = {"empty", "one_line", "two_lines", "submitted_one_line", "submitted_two_lines"} - set(out["carts"])
    if missing:
        raise SystemExit(f"the capture database lacks carts of kind {', '.join(sorted(missing))}")
    return out


# -- rows ----------------------------------------------------------------------------------

UUID_EPOCH = datetime(1582, 10, 15, tzinfo=UTC)


def time_uuid(moment: datetime, rng: random.Random) -> str:
    """A version-1 UUID for `moment`, random clock sequence and node, like omnicart's ids."""
    ticks = (moment - UUID_EPOCH) // timedelta(microseconds=1) * 10 + rng.getrandbits(4)
    low, mid, high = ticks & 0xFFFFFFFF, (ticks >> 32) & 0xFFFF, (ticks >> 48) & 0x0FFF
    clock = 0x8000 | rng.getrandbits(14)
    node = rng.getrandbits(48) | 0x010000000000
    return f"{low:08x}-{mid:04x}-{0x1000 | high:04x}-{clock:04x}-{node:012x}"


def random_uuid4(rng: random.Random) -> str:
    bits = rng.getrandbits(128)
    bits = (bits & ~(0xF << 76) | (4 << 76)) & ~(0x3 << 62) | (0x2 << 62)
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def stamps(name: str, moment: datetime) -> dict[str, str]:
    """The slot values of one instant in every precision templates use."""
    return {f"{name}_us": moment.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            f"{name}_ms": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            f"{name}_s": moment.isoformat(timespec="seconds").replace("+00:00", "Z")}


NULL = "\\N"  # in COPY's text format


def column_time(moment: datetime | None) -> str:
    return NULL if moment is None else moment.isoformat()


def copy_line(table: str, row: dict[str, Any]) -> str:
    """One line of COPY text: the row's values in COLUMNS order (values are COPY-safe text:
    ids, names and documents escaped by Template)."""
    return "\t".join([str(row[column]) for column in COLUMNS[table]]) + "\n"


def pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


class Generator:
    """Makes the rows of carts, orders and outbox, a batch of carts at a time."""

    def __init__(self, template: dict[str, Any], big_partner: str, now: datetime, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.partners = [f"partner-{n:03d}" for n in range(1, OTHER_PARTNERS + 1)]
        self.big_partner = big_partner
        self.carts = {kind: (t["version"], t["state"], Template.of(t["doc"])) for kind, t in template["carts"].items()}
        self.orders = {kind: Template.of(t["doc"]) for kind, t in template["orders"].items()}
        self.history = {kind: Template.of(t["history_entry"]) for kind, t in template["orders"].items()}
        self.events = {kind: [(e["event_type"], e["at"], Template.of(e["payload"])) for e in found]
                       for kind, found in template["events"].items()}
        self.customer_order = 10_000_000_000_000  # customerOrderId suffix, unique per order
        self.counts = {"carts": 0, "orders": 0, "outbox": 0}
        # A uniform sample (reservoir) of the big partner's one-line drafts: the carts that
        # bench/run.py size reads by id, spread over the whole table.
        self.sample: list[str] = []
        self.sample_seen = 0

    def remember(self, cart_id: str) -> None:
        self.sample_seen += 1
        if len(self.sample) < SAMPLE_SIZE:
            self.sample.append(cart_id)
        elif (slot := self.rng.randrange(self.sample_seen)) < SAMPLE_SIZE:
            self.sample[slot] = cart_id

    def owner(self) -> str:
        rng = self.rng
        return self.big_partner if rng.random() < BIG_PARTNER_SHARE else rng.choice(self.partners)

    def times(self) -> tuple[str, datetime, datetime]:
        """(kind, created, updated) of one cart."""
        rng, now = self.rng, self.now
        if rng.random() < DRAFT_SHARE:
            kind = pick(rng, DRAFT_KINDS)
            created = now - DRAFT_AGE * rng.random()
            # Carts are filled in one sitting mostly: minutes, now and then days later.
            worked = timedelta(minutes=rng.expovariate(1 / 20)) if kind != "empty" else timedelta(0)
            return kind, created, min(created + worked, now)
        created = now - SUBMITTED_AGE * rng.random()
        kind = "submitted_" + pick(rng, SUBMITTED_KINDS)
        return kind, created, min(created + timedelta(minutes=rng.expovariate(1 / 15)), now)

    def batch(self, size: int) -> tuple[bytes, bytes, bytes]:
        """COPY text of `size` carts, their orders and their events."""
        carts, orders, events = [], [], []
        rng = self.rng
        for _ in range(size):
            kind, created, updated = self.times()
            owner = self.owner()
            cart_id = time_uuid(created, rng)
            values = {"cart_id": cart_id, "owner": owner, **stamps("created", created), **stamps("updated", updated)}
            version, state, template = self.carts[kind]
            carts.append(copy_line("carts", {
                "id": cart_id, "owner": owner, "version": version, "state": state, "created_at": column_time(created),
                "updated_at": column_time(updated), "doc": template.fill(values)}))
            if kind == "one_line" and owner == self.big_partner:
                self.remember(cart_id)
            if kind.startswith("submitted_"):
                orders.append(self.order(kind.removeprefix("submitted_"), values, updated))  # adds its ids to values
            if self.now - updated <= EVENT_RETENTION:
                for event_type, at, payload in self.events.get(kind, []):
                    moment = created if at == "created" else updated
                    if self.now - moment > EVENT_RETENTION:
                        continue
                    event_id = random_uuid4(rng)
                    events.append(copy_line("outbox", {
                        "event_id": event_id, "owner": owner, "event_type": event_type,
                        "created_at": column_time(moment), "payload": payload.fill({**values, "event_id": event_id}),
                        "fanned_out": "t"}))
        self.counts["carts"] += len(carts)
        self.counts["orders"] += len(orders)
        self.counts["outbox"] += len(events)
        return "".join(carts).encode(), "".join(orders).encode(), "".join(events).encode()

    def order(self, kind: str, values: dict[str, str], submitted: datetime) -> str:
        rng = self.rng
        state = pick(rng, ORDER_STATES)
        # Each fulfilment step some hours after the previous one, never in the future.
        moments, at = [], submitted
        for _ in ORDER_PATHS[state]:
            moments.append(at)
            at = min(at + timedelta(hours=rng.expovariate(1 / 6)), self.now)
        history = ",".join(self.history[kind].fill({"state": step, "at": stamps("at", moment)["at_us"],
                                                    "reason": STEP_REASONS.get(step, "fulfilment update")})
                           for step, moment in zip(ORDER_PATHS[state], moments, strict=True))
        last = moments[-1]
        last_text = f'"{stamps("at", last)["at_us"]}"'
        self.customer_order += 1
        order_id = time_uuid(submitted, rng)
        # The order's ids go into `values` too: its events carry them.
        values.update(order_id=order_id, customer_order_id=f"26-{self.customer_order}",
                      token=f"{rng.getrandbits(164):041x}")
        filled = self.orders[kind].fill({
            **values, "order_state": state, "history": f"[{history}]",
            "completion_date": last_text if state == "Completed" else "null",
            "cancellation_date": last_text if state == "Cancelled" else "null",
        })
        return copy_line("orders", {
            "id": order_id, "owner": values["owner"], "cart_id": values["cart_id"],
            "customer_order_id": f"26-{self.customer_order}", "state": state, "created_at": column_time(submitted),
            "updated_at": column_time(last), "next_step_at": NULL, "doc": filled})


# -- the load ------------------------------------------------------------------------------


async def check_columns(connection: asyncpg.Connection) -> None:
    """Stop early, with the reason, when the schema and COLUMNS disagree."""
    for table, columns in COLUMNS.items():
        rows = await connection.fetch(
            "SELECT column_name, is_nullable, column_default FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = $1", table)
        present = {row["column_name"]: row for row in rows}
        unknown = set(columns) - set(present)
        if unknown:
            raise SystemExit(f"{table} has no column {', '.join(sorted(unknown))}: update COLUMNS in {__file__}")
        required = {name for name, row in present.items() if row["is_nullable"] == "NO" and row["column_default"] is None}
        if required - set(columns):
            raise SystemExit(f"{table}.{', '.join(sorted(required - set(columns)))} is NOT NULL without default"
                             f" and not written: update COLUMNS and the row builders in {__file__}")
        extra = set(present) - set(columns) - {"id"}
        if extra:
            print(f"note: {table} columns left to their defaults: {', '.join(sorted(extra))}", flush=True)


async def index_definitions(connection: asyncpg.Connection, table: str) -> tuple[list[str], list[str]]:
    """(statements that drop the table's indexes and key constraints, statements that
    recreate them exactly), read from the catalog so new migrations are followed."""
    constraints = await connection.fetch(
        "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint"
        " WHERE conrelid = $1::regclass AND contype IN ('p', 'u')", table)
    owned = {row["conname"] for row in constraints}
    indexes = await connection.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1", table)
    drop = [f'ALTER TABLE {table} DROP CONSTRAINT "{row["conname"]}"' for row in constraints]
    drop += [f'DROP INDEX "{row["indexname"]}"' for row in indexes if row["indexname"] not in owned]
    create = [f'ALTER TABLE {table} ADD CONSTRAINT "{row["conname"]}" {row["definition"]}' for row in constraints]
    create += [row["indexdef"] for row in indexes if row["indexname"] not in owned]
    return drop, create


async def copy_table(url: str, table: str, chunks: asyncio.Queue[bytes | None]) -> list[str]:
    """Empty `table`, drop its indexes and COPY what arrives on `chunks` (None ends it), in
    one transaction; return the statements that rebuild the indexes."""

    async def source():  # type: ignore[no-untyped-def]
        while (chunk := await chunks.get()) is not None:
            yield chunk

    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            drop, create = await index_definitions(connection, table)
            await connection.execute(f"TRUNCATE {table} RESTART IDENTITY")
            for statement in drop:
                await connection.execute(statement)
            # FREEZE: rows are written frozen and all-visible (allowed because the table
            # was truncated in this transaction): no vacuum has to rewrite them later.
            await connection.copy_to_table(table, source=source(), columns=list(COLUMNS[table]),
                                           format="text", freeze=True)
    finally:
        await connection.close()
    return create


async def produce(generator: Generator, carts: int, queues: dict[str, asyncio.Queue[bytes | None]],
                  started: float) -> None:
    done, reported = 0, started
    while done < carts:
        size = min(BATCH, carts - done)
        for table, chunk in zip(("carts", "orders", "outbox"), generator.batch(size), strict=True):
            if chunk:
                await queues[table].put(chunk)  # bounded queues: waits while PostgreSQL catches up
        done += size
        if time.monotonic() - reported >= 10 or done == carts:
            reported = time.monotonic()
            elapsed = reported - started
            print(f"  {done:>11,} carts  {elapsed:6.0f} s  {done / elapsed:8,.0f} carts/s", flush=True)
    for queue in queues.values():
        await queue.put(None)


async def rebuild(url: str, statements: list[str]) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("SET maintenance_work_mem = '1GB'")
        for statement in statements:
            started = time.monotonic()
            await connection.execute(statement)
            print(f"  {time.monotonic() - started:6.1f} s  {statement}", flush=True)
    finally:
        await connection.close()


async def sizes(url: str) -> dict[str, dict[str, int]]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT c.relname AS name, pg_total_relation_size(c.oid) AS total, pg_relation_size(c.oid) AS heap,"
            " pg_indexes_size(c.oid) AS indexes,"
            " coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS toast"
            " FROM pg_class c WHERE c.relname = ANY($1::text[]) AND c.relkind = 'r'", list(COLUMNS))
        found = {row["name"]: dict(row) for row in rows}
        for table in COLUMNS:
            found[table]["rows"] = await connection.fetchval(f"SELECT count(*) FROM {table}")
            found[table]["avg_doc_bytes"] = await connection.fetchval(
                f"SELECT avg(pg_column_size({'payload' if table == 'outbox' else 'doc'}))::int FROM"
                f" (SELECT * FROM {table} TABLESAMPLE SYSTEM (1)) s") or 0
        return found
    finally:
        await connection.close()


async def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    try:
        connection = await asyncpg.connect(base + "/postgres")
    except asyncpg.InvalidCatalogNameError:
        connection = await asyncpg.connect(base + "/template1")
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def migrate(url: str) -> None:
    env = {**os.environ, "OMNICART_DATABASE_URL": url, "OMNICART_LOG_LEVEL": "warning",
           "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    subprocess.run([sys.executable, "-m", "omnicart.cli", "migrate"], check=True, env=env)


async def load(args: argparse.Namespace) -> dict[str, Any]:
    template = json.loads(Path(args.template).read_text())
    await ensure_database(args.database)
    migrate(args.database)
    connection = await asyncpg.connect(args.database)
    try:
        await check_columns(connection)
    finally:
        await connection.close()

    generator = Generator(template, args.big_partner, datetime.now(UTC), args.seed)
    print(f"loading {args.carts:,} carts into {args.database}", flush=True)
    started = time.monotonic()
    queues: dict[str, asyncio.Queue[bytes | None]] = {table: asyncio.Queue(maxsize=8) for table in COLUMNS}
    copies = [asyncio.create_task(copy_table(args.database, table, queues[table])) for table in COLUMNS]
    await produce(generator, args.carts, queues, started)
    rebuilds = await asyncio.gather(*copies)
    copied = time.monotonic() - started
    print(f"copied in {copied:.0f} s: {generator.counts}; rebuilding indexes", flush=True)
    await rebuild(args.database, [statement for statements in rebuilds for statement in statements])
    indexed = time.monotonic() - started
    print("VACUUM ANALYZE", flush=True)
    connection = await asyncpg.connect(args.database)
    try:
        for table in COLUMNS:
            await connection.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        await connection.close()
    total = time.monotonic() - started
    found = await sizes(args.database)
    rows = sum(generator.counts.values())
    result = {"carts": args.carts, "counts": generator.counts, "copy_seconds": round(copied, 1),
              "index_seconds": round(indexed - copied, 1), "total_seconds": round(total, 1),
              "rows_per_second": round(rows / total), "sizes": found}
    print(f"done in {total:.0f} s ({rows / total:,.0f} rows/s, {args.carts / total:,.0f} carts/s)")
    for table, size in found.items():
        print(f"  {table:<7} {size['rows']:>11,} rows  total {size['total'] / 2**20:9,.0f} MiB  heap "
              f"{size['heap'] / 2**20:8,.0f}  toast {size['toast'] / 2**20:8,.0f}  indexes {size['indexes'] / 2**20:8,.0f}"
              f"  = {size['total'] / max(size['rows'], 1):6,.0f} B/row (doc {size['avg_doc_bytes']} B stored)")
    if args.sample_ids:
        Path(args.sample_ids).write_text("".join(f"{cart}\n" for cart in generator.sample))
    print("LOAD_RESULT " + json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgresql://127.0.0.1:5432/omnicart_size")
    parser.add_argument("--carts", type=int, default=10_000_000)
    parser.add_argument("--big-partner", default="bench", help="the partner holding 10 %% of the carts")
    parser.add_argument("--template", default=str(DEFAULT_TEMPLATE))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample-ids", metavar="FILE",
                        help=f"write up to {SAMPLE_SIZE:,} ids of the big partner's one-line drafts to FILE")
    parser.add_argument("--capture-from", metavar="URL",
                        help="instead of loading: write --template from a database omnicart filled")
    parser.add_argument("--capture-partner", default="size-template")
    args = parser.parse_args()
    if args.capture_from:
        captured = asyncio.run(capture_template(args.capture_from, args.capture_partner))
        Path(args.template).write_text(json.dumps(captured, indent=1) + "\n")
        print(f"template written to {args.template}")
        return
    asyncio.run(load(args))


if __name__ == "__main__":
    main()
