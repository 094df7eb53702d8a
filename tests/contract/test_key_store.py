"""The key repository contract, on every database: API keys are kept as hashes, listed
per partner, and revoked once."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from omnicart.domain.credentials import ALL_SCOPES, CARTS_READ, issue_key

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def new_key(partner: str = "partner-a", scopes=ALL_SCOPES, at: datetime = NOW):
    return issue_key(partner, scopes, at)


class TestKeys:
    async def test_a_key_reads_back_equal_to_what_was_added(self, store):
        key, _ = new_key(scopes={CARTS_READ})
        await store.add_key(key)
        assert await store.get_key(key.id) == key

    async def test_only_the_hash_of_the_secret_is_stored(self, store):
        key, plaintext = new_key()
        await store.add_key(key)
        stored = await store.get_key(key.id)
        secret = plaintext.split(".", 1)[1]
        assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()  # docs/security.md
        assert secret not in repr(stored)

    async def test_an_unknown_id_reads_as_none(self, store):
        assert await store.get_key("ock_0000000000000000") is None

    async def test_listing_is_oldest_first_and_filters_by_partner(self, store):
        first, _ = new_key("partner-a", at=NOW)
        second, _ = new_key("partner-a", at=NOW + timedelta(seconds=1))
        other, _ = new_key("partner-b", at=NOW + timedelta(seconds=2))
        for key in (second, other, first):
            await store.add_key(key)
        assert [k.id for k in await store.list_keys()] == [first.id, second.id, other.id]
        assert [k.id for k in await store.list_keys("partner-a")] == [first.id, second.id]
        assert await store.list_keys("partner-c") == []

    async def test_revoking_marks_the_key_and_the_first_revocation_stands(self, store):
        key, _ = new_key()
        await store.add_key(key)
        revoked = await store.revoke_key(key.id, NOW + timedelta(hours=1))
        assert revoked.revoked_at == NOW + timedelta(hours=1) and not revoked.active
        again = await store.revoke_key(key.id, NOW + timedelta(hours=2))
        assert again.revoked_at == NOW + timedelta(hours=1)
        assert await store.get_key(key.id) == revoked

    async def test_revoking_an_unknown_key_answers_none(self, store):
        assert await store.revoke_key("ock_0000000000000000", NOW) is None

    async def test_revoking_one_key_leaves_the_others(self, store):
        kept, _ = new_key()
        gone, _ = new_key()
        await store.add_key(kept)
        await store.add_key(gone)
        await store.revoke_key(gone.id, NOW)
        assert (await store.get_key(kept.id)).active
