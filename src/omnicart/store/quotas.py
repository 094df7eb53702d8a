"""Quotas per partner taken atomically, in the transaction that writes what they limit
(issue 21; docs/security.md, "Quotas").

Each partner's use of a quota is a row of `quota_usage`, moved on by one conditional
`UPDATE … SET used = used + 1 WHERE used < quota` (on PostgreSQL, a draft cart and its
place are one statement: a data-modifying CTE); that statement takes the row's lock
until the transaction ends, so concurrent writers of one partner, in any number of
workers, take places one after the other and never more than the quota (on SQLite the
one writer serialises them anyway). A write that fails or is refused rolls back with its
place, so a place is only ever taken by what was written.

`used` is never counted down when a draft is submitted or a key expires: it stays at
least the true count, which is what makes it safe. When it says the quota is full (or
the partner has no row yet), the transaction locks the row, counts exactly (a bounded
count, what it just wrote included) and sets `used` to that: only then is a request
refused, so a burst is refused nothing the quota allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from omnicart.store.core import Connection, CoreQueries, Dialect, StoreCore

DRAFT_CARTS = "draft_carts"
IDEMPOTENCY_KEYS = "idempotency_keys"
# Taking a place: SQL expressions for the owner, the kind and the quota are filled in.
QUOTA_PLACE = "UPDATE quota_usage SET used = used + 1 WHERE owner = {owner} AND kind = {kind} AND used < {quota}"


class QuotaUsageQueries(CoreQueries):
    """The statements of `quota_usage`, in one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q = dialect.sql
        self.take_place = q(QUOTA_PLACE.format(owner="$1", kind="$2", quota="$3") + " RETURNING used")
        self.ensure_usage = q(
            "INSERT INTO quota_usage (owner, kind, used) VALUES ($1, $2, 0) ON CONFLICT (owner, kind) DO NOTHING"
        )
        self.usage_for_update = q(f"SELECT used FROM quota_usage WHERE owner = $1 AND kind = $2{dialect.for_update}")
        self.set_usage = q("UPDATE quota_usage SET used = $3 WHERE owner = $1 AND kind = $2")


class QuotaUsage(StoreCore):
    """Taking a place in a partner's quota, inside a repository's write transaction."""

    sql: ClassVar[QuotaUsageQueries]

    async def _within(
        self, db: Connection, owner: str, kind: str, quota: int, count: str, count_args: Sequence[Any]
    ) -> bool:
        """Whether what this transaction just wrote keeps `owner` within `quota` of `kind`
        (False: the caller rolls back). `count` is the exact bounded count of `kind`, run
        with `count_args` and then its bound."""
        if await db.fetchval(self.sql.take_place, (owner, kind, quota)) is not None:
            return True
        await db.execute(self.sql.ensure_usage, (owner, kind))
        await db.fetchval(self.sql.usage_for_update, (owner, kind))
        # Under the row's lock: every place taken before is committed (it held the lock).
        held = int(await db.fetchval(count, (*count_args, quota + 1)))
        if held > quota:
            return False
        await db.execute(self.sql.set_usage, (owner, kind, held))
        return True
