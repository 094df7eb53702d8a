"""Quotas per partner taken atomically, in the transaction that writes what they limit
(issue 21; docs/security.md, "Quotas").

Each partner's use of a quota is spread over a few rows of `quota_usage`, its stripes
(`Dialect.quota_stripes`: eight on PostgreSQL, one on SQLite, whose one writer
serialises every write anyway). Each stripe holds a share of the quota (`share`, cut for
the quota in force, `quota`) and the places taken from it (`used`). A write takes a place
in a stripe drawn at random by one conditional `UPDATE … SET used = used + 1 WHERE … AND
used < share` (on PostgreSQL, a draft cart and its place are one statement: a
data-modifying CTE). That statement locks the stripe until the transaction ends: with one
row per partner, every create of a busy partner queued there, commit after commit; with
eight, writers racing in several connections mostly take different rows. A write that
fails or is refused rolls back with its place, so a place is only ever taken by what was
written. The shares add up to the quota, so the places taken never pass it.

`used` is never counted down when a draft is submitted or a key expires: the places add
up to at least the true count, which is what makes them safe. When the drawn stripe is
full (or its share was cut for another quota, or the partner has no rows yet), the
transaction is undone and made again, counting: it locks every stripe of the partner, in
stripe order, counts exactly (a bounded count, what it just wrote included) and cuts the
shares again: the count on stripe 0, the quota's free places spread evenly. Only then is
a request refused, so a burst is refused nothing the quota allows.

No deadlock: a write that got its place in one stripe waits for no other stripe; a
counting transaction holds no stripe before it locks them all (the attempt that found
its stripe full was undone with its transaction, `QuotaUsage._with_place`), locks them
in one order, and before it writes anything else.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

from omnicart.store.core import Connection, CoreQueries, Dialect, R, StoreCore

DRAFT_CARTS = "draft_carts"
IDEMPOTENCY_KEYS = "idempotency_keys"
# Taking a place: SQL expressions for the owner, the kind, the stripe and the quota are filled in.
QUOTA_PLACE = (
    "UPDATE quota_usage SET used = used + 1"
    " WHERE owner = {owner} AND kind = {kind} AND stripe = {stripe} AND quota = {quota} AND used < share"
)


class QuotaUsageQueries(CoreQueries):
    """The statements of `quota_usage`, in one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q, stripes = dialect.sql, dialect.quota_stripes
        self.take_place = q(QUOTA_PLACE.format(owner="$1", kind="$2", stripe="$3", quota="$4") + " RETURNING used")
        empty = ", ".join(f"($1, $2, {stripe}, 0, 0, 0)" for stripe in range(stripes))
        self.ensure_usage = q(
            f"INSERT INTO quota_usage (owner, kind, stripe, used, share, quota) VALUES {empty}"
            " ON CONFLICT (owner, kind, stripe) DO NOTHING"
        )
        self.usage_for_update = q(
            f"SELECT stripe FROM quota_usage WHERE owner = $1 AND kind = $2 ORDER BY stripe{dialect.for_update}"
        )
        # The shares cut again for the count held ($3) and the quota ($4): the count on
        # stripe 0, the free places spread evenly, the first stripes one more each.
        held, free = "CAST($3 AS INTEGER)", "(CAST($4 AS INTEGER) - CAST($3 AS INTEGER))"
        self.share_out = q(
            f"UPDATE quota_usage SET used = CASE WHEN stripe = 0 THEN {held} ELSE 0 END,"
            f" share = CASE WHEN stripe = 0 THEN {held} ELSE 0 END + {free} / {stripes}"
            f" + CASE WHEN stripe < {free} % {stripes} THEN 1 ELSE 0 END,"
            " quota = CAST($4 AS INTEGER)"
            " WHERE owner = $1 AND kind = $2"
        )


class StripeFull(Exception):
    """The drawn stripe had no place left: the transaction is undone and made again,
    counting (`QuotaUsage._with_place`)."""


class QuotaUsage(StoreCore):
    """Taking a place in a partner's quota, inside a repository's write transaction."""

    sql: ClassVar[QuotaUsageQueries]

    async def _with_place(self, unit: Callable[[Connection, bool], Awaitable[R]]) -> R:
        """`unit(db, counting)` in a write transaction that takes a place with `_place`:
        first as one place in a stripe (`counting` False); when that stripe is full, undone
        and made again counting (True), which is rare. Undone, not carried on: PostgreSQL
        keeps the lock of a row an UPDATE waited for and then found no longer matching, and
        a transaction that holds one stripe while it waits for all would deadlock."""
        try:
            return await self._transaction(lambda db: unit(db, False))
        except StripeFull:
            return await self._transaction(lambda db: unit(db, True))

    async def _lock_stripes(self, db: Connection, owner: str, kind: str) -> None:
        """Every stripe of `owner`'s `kind`, made if missing, locked in stripe order: a
        counting transaction's first statements, before it writes anything else (a write
        of its own first could wait on a writer that holds a stripe)."""
        await db.execute(self.sql.ensure_usage, (owner, kind))
        await db.fetchall(self.sql.usage_for_update, (owner, kind))

    async def _place(
        self,
        db: Connection,
        owner: str,
        kind: str,
        quota: int,
        counting: bool,
        count: str,
        count_args: Sequence[Any],
    ) -> bool:
        """Whether what this transaction just wrote keeps `owner` within `quota` of `kind`
        (False: the caller rolls back). Not `counting`: one place in a drawn stripe, or
        StripeFull. `counting` (after `_lock_stripes`): `count` is the exact bounded count
        of `kind`, run with `count_args` and then its bound, and the shares are cut again."""
        if not counting:
            if await db.fetchval(self.sql.take_place, (owner, kind, self.stripe(), quota)) is None:
                raise StripeFull
            return True
        # Under every stripe's lock: each place taken before is committed (it held its stripe).
        held = int(await db.fetchval(count, (*count_args, quota + 1)))
        if held > quota:
            return False
        await db.execute(self.sql.share_out, (owner, kind, held, quota))
        return True

    def stripe(self) -> int:
        """The stripe a write takes its place in: any, drawn afresh each time."""
        return random.randrange(self.dialect.quota_stripes)
