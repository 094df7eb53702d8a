"""Carts: their statements and units of work (`CartRepository`, and the console's search).

Optimistic cart writes (`save`, `remove`) change a row only if it still has the version
the caller read: `UPDATE … WHERE owner AND id AND version`; a stale, foreign or missing
cart changes nothing — its effects included — and answers False.
`change_locked` is the other way to write a cart, for carts that several workers write
at once: read the version under the row's write lock (`FOR UPDATE`; SQLite's
`BEGIN IMMEDIATE` locks everything), change, write (several changes one after the
other, each its own `UPDATE` with its effects), commit — one short transaction in which
the cart's other writers queue rather than lose.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from omnicart.domain.cart import Cart
from omnicart.store import documents
from omnicart.store.core import (
    CHANGE_FOLLOWS,
    Connection,
    Dialect,
    Rollback,
    Row,
    like_escape,
    page_and_total,
)
from omnicart.store.findings import Finding
from omnicart.store.hooks import CartChange, PurgeCheck
from omnicart.store.quotas import DRAFT_CARTS, QUOTA_PLACE, QuotaUsage, QuotaUsageQueries
from omnicart.store.values import NO_EFFECTS, CartDocument, CartFilter, CartSearch, Effects
from omnicart.wire.open import has_extra

# A finding's condition: the cart is not a draft last changed at or before the value
# (`CartFilter.drafts_changed_after`): past its time to live, as a GET finds it.
LIVE = "(state <> 'Draft' OR updated_at > {})"


def cart_document(dialect: Dialect) -> str:
    """The columns of a `CartDocument`: the document as the bytes it was stored from."""
    return f"id, version, state, updated_at, {dialect.utf8.format('doc')}, plain"


def _plain(doc: bytes, plain: bool | None) -> bool:
    """The `plain` column: as the caller says, or looked for in the document."""
    return not has_extra(doc) if plain is None else plain


class CartQueries(QuotaUsageQueries):
    """Every statement about carts, in one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q, lock, skip = dialect.sql, dialect.for_update, dialect.skip_locked
        document = cart_document(dialect)
        columns = "id, owner, version, state, created_at, updated_at, doc, customer_id, customer_order_id, plain"
        self.insert_cart = q(f"INSERT INTO carts ({columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        # Where a statement can hold both: a place in the owner's draft quota ($11), in the
        # stripe drawn ($12), and the cart, inserted only if it got one, in one round trip
        # (store/quotas.py).
        place = QUOTA_PLACE.format(owner="$2", kind=f"'{DRAFT_CARTS}'", stripe="$12", quota="$11")
        self.insert_cart_within = (
            q(
                f"WITH place AS ({place} RETURNING 1)"
                f"{CHANGE_FOLLOWS}INSERT INTO carts ({columns})"
                " SELECT $1, $2, $3::int, $4, $5::timestamptz, $6::timestamptz, $7, $8, $9, $10::boolean FROM place"
            )
            if dialect.writable_ctes
            else None
        )
        self.cart_named = q("SELECT id FROM carts WHERE customer_order_id = $2 AND owner = $1")
        self.cart_doc = q("SELECT doc FROM carts WHERE owner = $1 AND id = $2")
        self.cart_document = q(f"SELECT {document} FROM carts WHERE owner = $1 AND id = $2")
        self.save_cart = q(
            "UPDATE carts SET version = $4, state = $5, updated_at = $6, doc = $7, customer_id = $8, plain = $9"
            " WHERE owner = $1 AND id = $2 AND version = $3"
        )
        self.remove_cart = q("DELETE FROM carts WHERE owner = $1 AND id = $2 AND version = $3")
        # A locked change's read: the version, and the document only when it is not the
        # version the caller already holds ($3), so an up-to-date kept copy costs no transfer.
        self.cart_version_for_update = q(
            "SELECT version, CASE WHEN version = $3 THEN NULL ELSE doc END FROM carts"
            f" WHERE owner = $1 AND id = $2{lock}"
        )
        self.expired_drafts = q(
            "SELECT id, owner, doc FROM carts WHERE state = 'Draft' AND updated_at <= $1"
            f" ORDER BY updated_at LIMIT $2{skip}"
        )
        self.any_expired_draft = q("SELECT 1 FROM carts WHERE state = 'Draft' AND updated_at <= $1 LIMIT 1")
        self.delete_cart = q("DELETE FROM carts WHERE id = $1")
        # The draft quota's exact count (store/quotas.py), bounded: it never reads more than
        # the quota's worth of index entries.
        self.count_drafts = q(
            "SELECT count(*) FROM (SELECT 1 FROM carts WHERE owner = $1 AND state = 'Draft' LIMIT $2) AS drafts"
        )
        self._findings(dialect)

    def _findings(self, dialect: Dialect) -> None:
        """The findings of an owner's carts (store/findings.py), most recently changed first."""
        document, recent = cart_document(dialect), "updated_at DESC, id"
        # The API's finding (GET /carts, TMF663's list): state, customer, lastUpdate range
        # (from inclusive, to exclusive), id, and drafts still within their time to live.
        self.cart_finding = Finding(
            dialect.sql,
            document,
            "carts",
            recent,
            (
                "state = {}",
                "customer_id = {}",
                "updated_at >= {}",
                "updated_at < {}",
                "id = {}",
                LIVE,
            ),
        )
        # The console's search: by state, by id or any text of the document (a customer),
        # and drafts still within their time to live.
        self.cart_search = Finding(
            dialect.sql, document, "carts", recent, ("state = {}", "(id = {} OR doc LIKE {} ESCAPE '\\')", LIVE)
        )


class Carts(QuotaUsage):
    """`CartRepository`'s cart methods and the console's search of carts."""

    sql: ClassVar[CartQueries]

    def _saved(
        self, owner: str, cart_id: str, version: int, cart: Cart, doc: bytes, plain: bool | None
    ) -> tuple[Any, ...]:
        """`save_cart`'s arguments: the owner's cart `cart_id`, stored with `version`,
        becomes `cart` (encoded as `doc`)."""
        return (
            owner,
            cart_id,
            version,
            cart.version,
            cart.state.value,
            self._time(cart.lastUpdate),
            doc.decode(),
            cart.customer_id,
            _plain(doc, plain),
        )

    def _cart_document(self, row: Row) -> CartDocument:
        return CartDocument(
            id=row[0],
            version=row[1],
            state=row[2],
            last_update=self._read_time(row[3]),
            doc=row[4],
            plain=None if row[5] is None else bool(row[5]),
        )

    def _inserted(self, owner: str, cart: Cart, doc: bytes, plain: bool | None) -> tuple[Any, ...]:
        t = self._time
        return (
            cart.id,
            owner,
            cart.version,
            cart.state.value,
            t(cart.creationDate),
            t(cart.lastUpdate),
            doc.decode(),
            cart.customer_id,
            cart.name,
            _plain(doc, plain),
        )

    async def add(
        self, owner: str, cart: Cart, doc: bytes, effects: Effects = NO_EFFECTS, plain: bool | None = None
    ) -> None:
        await self._change(self.sql.insert_cart, self._inserted(owner, cart, doc, plain), effects)

    async def add_within(
        self, owner: str, cart: Cart, doc: bytes, effects: Effects, quota: int, plain: bool | None = None
    ) -> bool:
        args = self._inserted(owner, cart, doc, plain)

        async def unit(db: Connection, counting: bool) -> bool:
            if counting:
                await self._lock_stripes(db, owner, DRAFT_CARTS)
            await self._apply(db, self.sql.insert_cart, args, effects)
            if await self._place(db, owner, DRAFT_CARTS, quota, counting, self.sql.count_drafts, (owner,)):
                return True
            raise Rollback(False)

        if self.sql.insert_cart_within is None:
            return await self._with_place(unit)
        if await self._change(self.sql.insert_cart_within, (*args, quota, self.stripe()), effects):
            return True  # the usual case: a place taken, far from the quota
        # The statement above was the place's attempt, and its own transaction: count now.
        return await self._transaction(lambda db: unit(db, True))

    async def count_drafts(self, owner: str, limit: int) -> int:
        """How many Draft carts the owner has, counted up to `limit`."""
        return int(await self._fetchval(self.sql.count_drafts, (owner, limit)))

    async def cart_named(self, owner: str, customer_order_id: str) -> str | None:
        found: str | None = await self._fetchval(self.sql.cart_named, (owner, customer_order_id))
        return found

    async def get(self, owner: str, cart_id: str) -> Cart | None:
        doc = await self._fetchval(self.sql.cart_doc, (owner, cart_id))
        return None if doc is None else documents.load(doc)

    async def read(self, owner: str, cart_id: str) -> CartDocument | None:
        row = await self._fetchone(self.sql.cart_document, (owner, cart_id))
        return None if row is None else self._cart_document(row)

    async def save(
        self, owner: str, cart: Cart, doc: bytes, expected_version: int, effects: Effects, plain: bool | None = None
    ) -> bool:
        args = self._saved(owner, cart.id, expected_version, cart, doc, plain)
        return await self._change(self.sql.save_cart, args, effects)

    async def remove(self, owner: str, cart_id: str, expected_version: int, effects: Effects) -> bool:
        return await self._change(self.sql.remove_cart, (owner, cart_id, expected_version), effects)

    async def change_locked(
        self, owner: str, cart_id: str, kept: Cart | None, changes: Sequence[CartChange]
    ) -> Cart | None:
        known = -1 if kept is None else kept.version

        async def unit(db: Connection) -> Cart | None:
            found = await db.fetchone(self.sql.cart_version_for_update, (owner, cart_id, known))
            if found is None:
                return None
            version, doc = found
            cart = kept if doc is None else documents.load(doc)
            assert cart is not None  # no document only when the version is the kept one's
            for change in changes:
                write = change(cart)
                if write is None:
                    # Refused, perhaps half-way: the cart as the previous change left it
                    # (this transaction sees its own writes).
                    cart = documents.load(await db.fetchval(self.sql.cart_doc, (owner, cart_id)))
                    continue
                if write.doc is None:
                    written = await self._apply(db, self.sql.remove_cart, (owner, cart_id, version), write.effects)
                else:
                    args = self._saved(owner, cart_id, version, cart, write.doc, write.plain)
                    written = await self._apply(db, self.sql.save_cart, args, write.effects)
                assert written, "the row is locked: nobody can have changed it since it was read"
                version = cart.version
            return cart

        return await self._transaction(unit)

    async def find_carts(
        self, owner: str, found: CartFilter, limit: int, offset: int
    ) -> tuple[list[CartDocument], int | None]:
        t = self._time
        given = (
            found.state,
            found.customer_id,
            t(found.updated_from),
            t(found.updated_to),
            found.cart_id,
            t(found.drafts_changed_after),
        )
        finding = self.sql.cart_finding(owner, given)

        async def unit(db: Connection) -> tuple[list[CartDocument], int | None]:
            rows, total = await page_and_total(db, finding.page, finding.count, finding.args, limit, offset)
            return [self._cart_document(row) for row in rows], total

        return await self._run(unit)

    async def purge_carts(self, updated_before: datetime, limit: int, check: PurgeCheck) -> int:
        cutoff = self._time(updated_before)

        async def unit(db: Connection) -> int:
            rows = await db.fetchall(self.sql.expired_drafts, (cutoff, limit))
            for _, owner, doc in rows:
                await self._commit_effects(db, check(owner, documents.load(doc)))
            await db.executemany(self.sql.delete_cart, [(row[0],) for row in rows])
            return len(rows)

        return await self._transaction_if(self.sql.any_expired_draft, (cutoff,), unit, 0)

    # -- the console's look-ups (omnicart/console, through its services) ----------------------

    async def search_carts(
        self, owner: str, found: CartSearch, limit: int, offset: int
    ) -> tuple[list[CartDocument], int | None]:
        text = found.text
        matching = (text, "%" + like_escape(text) + "%") if text else None
        finding = self.sql.cart_search(owner, (found.state, matching, self._time(found.drafts_changed_after)))

        async def unit(db: Connection) -> tuple[list[CartDocument], int | None]:
            rows, total = await page_and_total(db, finding.page, finding.count, finding.args, limit, offset)
            return [self._cart_document(row) for row in rows], total

        return await self._run(unit)
