"""Keys: partners' API keys (`KeyRepository`) and Idempotency-Keys (the claims of
`CartRepository`, within the partner's quota of live keys, `quotas.py`; a key's response
is one of a change's effects, `core.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from omnicart.domain.credentials import ApiKey, format_scopes, parse_scopes
from omnicart.store import documents
from omnicart.store.core import Connection, Dialect, Rollback, Row
from omnicart.store.quotas import IDEMPOTENCY_KEYS, QuotaUsage, QuotaUsageQueries
from omnicart.store.values import Claim, KeyState, StoredResponse

KEY_COLUMNS = "id, partner, secret_hash, scopes, created_at, revoked_at"


class KeyQueries(QuotaUsageQueries):
    """Every statement about API keys and Idempotency-Keys, in one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q, lock = dialect.sql, dialect.for_update
        # -- API keys
        self.insert_key = q(f"INSERT INTO api_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)")
        self.key = q(f"SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1")
        self.list_keys = f"SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, id"
        self.list_partner_keys = q(f"SELECT {KEY_COLUMNS} FROM api_keys WHERE partner = $1 ORDER BY created_at, id")
        # COALESCE keeps the first revocation time.
        self.revoke_key = q(
            f"UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING {KEY_COLUMNS}"
        )
        # -- Idempotency-Keys
        self.claim_new_key = q(
            "INSERT INTO idempotency_keys (owner, key, fingerprint, state, created_at, expires_at)"
            " VALUES ($1, $2, $3, 'running', $4, $5) ON CONFLICT (owner, key) DO NOTHING RETURNING 1"
        )
        self.key_for_update = q(
            "SELECT fingerprint, state, status, headers, body, created_at, expires_at"
            f" FROM idempotency_keys WHERE owner = $1 AND key = $2{lock}"
        )
        self.reclaim_key = q(
            "UPDATE idempotency_keys SET fingerprint = $3, state = 'running', status = NULL,"
            " headers = NULL, body = NULL, created_at = $4, expires_at = $5 WHERE owner = $1 AND key = $2"
        )
        self.release_key = q("DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND state = 'running'")
        self.purge_keys = q("DELETE FROM idempotency_keys WHERE expires_at <= $1")
        # The key quota's exact count (quotas.py), bounded: it never reads more than the
        # quota's worth of index entries.
        self.count_live_keys = q(
            "SELECT count(*) FROM (SELECT 1 FROM idempotency_keys WHERE owner = $1 AND expires_at > $2"
            " LIMIT $3) AS live"
        )


class Keys(QuotaUsage):
    """`KeyRepository`, and the Idempotency-Keys of `CartRepository` with their quota."""

    sql: ClassVar[KeyQueries]

    # -- API keys --------------------------------------------------------------------

    def _key(self, row: Row) -> ApiKey:
        return ApiKey(
            id=row[0],
            partner=row[1],
            secret_hash=row[2],
            scopes=parse_scopes(row[3]),
            created_at=self._read_time(row[4]),
            revoked_at=None if row[5] is None else self._read_time(row[5]),
        )

    async def add_key(self, key: ApiKey) -> None:
        await self._execute(
            self.sql.insert_key,
            (
                key.id,
                key.partner,
                key.secret_hash,
                format_scopes(key.scopes),
                self._time(key.created_at),
                self._time(key.revoked_at),
            ),
        )

    async def get_key(self, key_id: str) -> ApiKey | None:
        row = await self._fetchone(self.sql.key, (key_id,))
        return None if row is None else self._key(row)

    async def list_keys(self, partner: str | None = None) -> list[ApiKey]:
        sql, args = (self.sql.list_keys, ()) if partner is None else (self.sql.list_partner_keys, (partner,))
        return [self._key(row) for row in await self._fetchall(sql, args)]

    async def revoke_key(self, key_id: str, at: datetime) -> ApiKey | None:
        row = await self._fetchone(self.sql.revoke_key, (key_id, self._time(at)))
        return None if row is None else self._key(row)

    # -- Idempotency-Keys ------------------------------------------------------------

    async def claim_key(
        self,
        owner: str,
        key: str,
        fingerprint: str,
        now: datetime,
        expires_at: datetime,
        stale_before: datetime,
        quota: int | None = None,
    ) -> KeyState:
        t = self._time

        async def live(db: Connection, counting: bool) -> KeyState:
            """A key that becomes live: within the owner's quota, or not taken at all."""
            if quota is None or await self._place(
                db, owner, IDEMPOTENCY_KEYS, quota, counting, self.sql.count_live_keys, (owner, t(now))
            ):
                return KeyState(Claim.NEW)
            raise Rollback(KeyState(Claim.FULL))

        async def unit(db: Connection, counting: bool) -> KeyState:
            if counting:
                await self._lock_stripes(db, owner, IDEMPOTENCY_KEYS)
            # Insert first, so two concurrent first uses cannot both win.
            if await db.fetchval(self.sql.claim_new_key, (owner, key, fingerprint, t(now), t(expires_at))):
                return await live(db, counting)
            row = await db.fetchone(self.sql.key_for_update, (owner, key))
            assert row is not None  # the insert above found it taken, and deletions wait for this lock
            created_at, expires = self._read_time(row[5]), self._read_time(row[6])
            if expires > now and not (row[1] == "running" and created_at < stale_before):
                return self._key_state(owner, key, row, fingerprint, created_at, expires)
            await db.execute(self.sql.reclaim_key, (owner, key, fingerprint, t(now), t(expires_at)))
            # A live key taken over was counted when it was first taken; an expired one
            # lives again.
            return KeyState(Claim.NEW) if expires > now else await live(db, counting)

        return await self._with_place(unit)

    @staticmethod
    def _key_state(
        owner: str, key: str, row: Row, fingerprint: str, created_at: datetime, expires_at: datetime
    ) -> KeyState:
        stored_fingerprint, state, status, headers, body = row[:5]
        if stored_fingerprint != fingerprint:
            return KeyState(Claim.MISMATCH)
        if state == "running":
            return KeyState(Claim.RUNNING)
        return KeyState(
            Claim.DONE,
            StoredResponse(
                owner=owner,
                key=key,
                fingerprint=fingerprint,
                status=status,
                headers=documents.load_headers(headers),
                body=bytes(body),
                created_at=created_at,
                expires_at=expires_at,
            ),
        )

    async def finish_key(self, response: StoredResponse) -> None:
        await self._execute(self.sql.store_response, self._response_row(response))

    async def release_key(self, owner: str, key: str) -> None:
        await self._execute(self.sql.release_key, (owner, key))

    async def purge_keys(self, now: datetime) -> int:
        return await self._execute(self.sql.purge_keys, (self._time(now),))

    async def count_live_keys(self, owner: str, now: datetime, limit: int) -> int:
        """How many of the owner's Idempotency-Keys have not expired at `now`, counted up
        to `limit`."""
        return int(await self._fetchval(self.sql.count_live_keys, (owner, self._time(now), limit)))
