"""The optimistic cart contract, on every database: carts stored as the caller's bytes,
written only on the version the caller read (`save`, `remove`), effects included; and
timestamps kept to the microsecond and ordered by time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import msgspec
import pytest
from msgspec import UNSET

from omnicart.domain.cart import Cart
from omnicart.domain.events import CART_CHANGED, CART_DELETED, new_event
from omnicart.domain.ids import time_uuid
from omnicart.store import (
    NO_EFFECTS,
    CartDocument,
    CartFilter,
    CartWrite,
    Claim,
    Effects,
    StoredResponse,
    documents,
    open_store,
)
from omnicart.wire.cart import Channel, State
from tests.contract.conftest import add, cart_page, make_cart
from tests.database import execute
from tests.outbox import read_outbox

AT = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)
LATER = AT + timedelta(minutes=5)
US = timedelta(microseconds=1)


def effects(cart: Cart, key: str = "k-1", kind: str = CART_CHANGED) -> Effects:
    """A change's event and the response its Idempotency-Key will replay."""
    event = new_event(kind, "partner-a", "shoppingCart", b'{"id":"%s"}' % cart.id.encode(), LATER)
    response = StoredResponse(
        "partner-a", key, "fp", 200, [("etag", f'"{cart.version}"')], b"{}", LATER, LATER + timedelta(hours=24)
    )
    return Effects(events=[event], response=response)


async def replayed(store, key: str = "k-1") -> bool:
    """Whether a response was stored for the Idempotency-Key `key` (claiming a free key
    takes it, which is harmless at the end of a test)."""
    state = await store.claim_key(
        "partner-a", key, "fp", LATER, LATER + timedelta(hours=1), LATER - timedelta(minutes=1)
    )
    return state.claim is Claim.DONE


async def events(database_url: str) -> list[str]:
    return [envelope["event"]["shoppingCart"]["id"] for _, envelope in await read_outbox(database_url)]


def changed(cart: Cart, note: str = "changed") -> bytes:
    """Change `cart` as the service would (a new version) and encode it once."""
    cart.extra = {**cart.extra, "note": note}
    cart.touch(LATER)
    return documents.dump(cart)


class TestRead:
    async def test_read_answers_exactly_the_bytes_given_to_add(self, store):
        cart = make_cart()
        # Not what msgspec would write: key order, spaces and escapes must survive as they are.
        doc = b'{"zeta": 1,  "id":"%s", "\\u00e9": "\xe2\x82\xac", "alpha" : [ ]}' % cart.id.encode()
        await store.add("partner-a", cart, doc)
        found = await store.read("partner-a", cart.id)
        assert found == CartDocument(id=cart.id, version=1, state="Draft", last_update=AT, doc=doc, plain=True)
        assert type(found.doc) is bytes

    async def test_get_decodes_the_document(self, store):
        cart = make_cart(items=2)
        await add(store, cart)
        assert await store.get("partner-a", cart.id) == cart

    async def test_another_owner_or_an_unknown_id_reads_as_none(self, store):
        cart = make_cart()
        await add(store, cart)
        assert await store.read("partner-b", cart.id) is None
        assert await store.read("partner-a", make_cart().id) is None

    async def test_the_owner_is_the_one_passed_alongside_not_one_in_the_cart(self, store):
        cart = make_cart()
        if "owner" in Cart.__struct_fields__:
            cart.owner = "impostor"
        await store.add("partner-a", cart, documents.dump(cart))
        assert (await store.read("partner-a", cart.id)).id == cart.id
        assert await store.read("impostor", cart.id) is None
        cart.version += 1
        assert await store.save("partner-a", cart, documents.dump(cart), 1, NO_EFFECTS) is True


class TestSave:
    async def test_a_save_on_the_expected_version_writes_the_cart_and_its_effects(self, store, database_url):
        cart = make_cart()
        await add(store, cart)
        doc = changed(cart)
        assert await store.save("partner-a", cart, doc, 1, effects(cart)) is True
        assert await store.read("partner-a", cart.id) == CartDocument(cart.id, 2, "Draft", LATER, doc, plain=False)
        assert await store.get("partner-a", cart.id) == cart
        assert await events(database_url) == [cart.id]
        assert await replayed(store)

    async def test_successive_saves_each_need_the_version_the_last_one_wrote(self, store):
        cart = make_cart()
        await add(store, cart)
        assert await store.save("partner-a", cart, changed(cart, "one"), 1, NO_EFFECTS) is True
        assert await store.save("partner-a", cart, changed(cart, "two"), 1, NO_EFFECTS) is False
        assert await store.save("partner-a", cart, changed(cart, "two"), 2, NO_EFFECTS) is True
        assert (await store.get("partner-a", cart.id)).extra["note"] == "two"

    async def test_a_state_change_is_written(self, store):
        cart = make_cart()
        await add(store, cart)
        cart.state = State.SUBMITTED
        assert await store.save("partner-a", cart, changed(cart), 1, NO_EFFECTS) is True
        assert (await store.read("partner-a", cart.id)).state == "Submitted"

    @pytest.mark.parametrize(
        "owner, expected_version, stored",
        [
            pytest.param("partner-a", 2, True, id="stale version"),
            pytest.param("partner-a", 0, True, id="older version"),
            pytest.param("partner-b", 1, True, id="another owner"),
            pytest.param("partner-a", 1, False, id="missing cart"),
        ],
    )
    async def test_a_refused_save_answers_false_and_writes_nothing(
        self, store, database_url, owner, expected_version, stored
    ):
        cart = make_cart()
        if stored:
            doc = await add(store, cart)
        assert await store.save(owner, cart, changed(cart), expected_version, effects(cart)) is False
        expected = CartDocument(cart.id, 1, "Draft", AT, doc, plain=False) if stored else None
        assert await store.read("partner-a", cart.id) == expected
        assert await store.read("partner-b", cart.id) is None
        assert await events(database_url) == []
        assert not await replayed(store)

    async def test_several_events_commit_with_the_save(self, store, database_url):
        cart = make_cart()
        await add(store, cart)
        doc = changed(cart)
        both = Effects(events=[effects(cart).events[0], effects(cart, kind=CART_DELETED).events[0]])
        assert await store.save("partner-a", cart, doc, 1, both) is True
        assert [kind for kind, _ in await read_outbox(database_url)] == [CART_CHANGED, CART_DELETED]

    async def test_of_concurrent_saves_on_one_version_exactly_one_wins(self, store, database_url):
        cart = make_cart()
        await add(store, cart)
        other_worker = await open_store(database_url, pool_size=4)
        try:
            attempts = []
            for n in range(12):
                mine = msgspec.structs.replace(cart, extra={"saver": n})
                mine.touch(LATER)
                attempts.append((mine, documents.dump(mine)))
            outcomes = await asyncio.gather(
                *(
                    (store if n % 2 else other_worker).save("partner-a", mine, doc, 1, effects(mine, key=f"k-{n}"))
                    for n, (mine, doc) in enumerate(attempts)
                )
            )
        finally:
            await other_worker.close()
        assert outcomes.count(True) == 1
        winner = outcomes.index(True)
        assert (await store.read("partner-a", cart.id)).doc == attempts[winner][1]
        assert await events(database_url) == [cart.id]
        assert [await replayed(store, f"k-{n}") for n in range(12)] == [n == winner for n in range(12)]


class TestRemove:
    async def test_a_remove_on_the_expected_version_deletes_the_cart_with_its_effects(self, store, database_url):
        cart = make_cart()
        await add(store, cart)
        assert await store.remove("partner-a", cart.id, 1, effects(cart, kind=CART_DELETED)) is True
        assert await store.read("partner-a", cart.id) is None
        assert await events(database_url) == [cart.id]
        assert await replayed(store)

    @pytest.mark.parametrize(
        "owner, expected_version, stored",
        [
            pytest.param("partner-a", 2, True, id="stale version"),
            pytest.param("partner-b", 1, True, id="another owner"),
            pytest.param("partner-a", 1, False, id="missing cart"),
        ],
    )
    async def test_a_refused_remove_answers_false_and_writes_nothing(
        self, store, database_url, owner, expected_version, stored
    ):
        cart = make_cart()
        if stored:
            doc = await add(store, cart)
        assert await store.remove(owner, cart.id, expected_version, effects(cart, kind=CART_DELETED)) is False
        expected = CartDocument(cart.id, 1, "Draft", AT, doc, plain=False) if stored else None
        assert await store.read("partner-a", cart.id) == expected
        assert await events(database_url) == []
        assert not await replayed(store)

    async def test_of_a_concurrent_save_and_remove_on_one_version_exactly_one_wins(self, store, database_url):
        cart = make_cart()
        await add(store, cart)
        doc = changed(cart)
        other_worker = await open_store(database_url, pool_size=4)
        try:
            saved, removed = await asyncio.gather(
                store.save("partner-a", cart, doc, 1, effects(cart, key="save")),
                other_worker.remove("partner-a", cart.id, 1, effects(cart, key="remove", kind=CART_DELETED)),
            )
        finally:
            await other_worker.close()
        assert [saved, removed].count(True) == 1
        assert (await store.read("partner-a", cart.id) is None) is removed
        assert len(await events(database_url)) == 1
        assert [await replayed(store, "save"), await replayed(store, "remove")] == [saved, removed]


class TestListDocuments:
    async def test_listing_is_per_owner_newest_change_first_paged_and_byte_exact(self, store):
        carts = [make_cart() for _ in range(3)]
        docs = [await add(store, cart) for cart in carts]
        await add(store, make_cart(owner="partner-b"))
        newest = carts[0]
        assert await store.save("partner-a", newest, changed(newest), 1, NO_EFFECTS)
        listed = await cart_page(store, "partner-a", 10, 0)
        assert [d.id for d in listed] == [newest.id, *sorted(c.id for c in carts[1:])]
        assert {d.id: d.doc for d in listed[1:]} == {c.id: doc for c, doc in zip(carts[1:], docs[1:], strict=True)}
        assert listed[0] == CartDocument(newest.id, 2, "Draft", LATER, documents.dump(newest), plain=False)
        assert [d.id for d in await cart_page(store, "partner-a", 2, 1)] == [d.id for d in listed[1:]]
        assert await cart_page(store, "partner-c", 10, 0) == []


def at(moment_: datetime, hours: int) -> datetime:
    """The same instant, written with another UTC offset."""
    return moment_.astimezone(timezone(timedelta(hours=hours)))


class TestTimestamps:
    async def test_timestamps_round_trip_to_the_microsecond(self, store):
        precise = AT + 456 * US
        cart = make_cart()
        cart.creationDate = cart.lastUpdate = precise
        await store.add("partner-a", cart, documents.dump(cart))
        assert (await store.read("partner-a", cart.id)).last_update == precise
        cart.version, cart.lastUpdate = 2, precise + US
        await store.save("partner-a", cart, documents.dump(cart), 1, NO_EFFECTS)
        assert (await store.read("partner-a", cart.id)).last_update == precise + US

        response = StoredResponse("partner-a", "k", "fp", 201, [], b"", precise, precise + timedelta(hours=1) + US)
        await store.finish_key(response)
        state = await store.claim_key("partner-a", "k", "fp", precise, precise, precise)
        assert (state.response.created_at, state.response.expires_at) == (response.created_at, response.expires_at)

    async def test_the_carriers_timestamp_text_is_accepted(self, store):
        cart = make_cart()
        cart.creationDate = cart.lastUpdate = "2026-11-28T12:55:20.692Z"
        await store.add("partner-a", cart, b"{}")
        assert (await store.read("partner-a", cart.id)).last_update == datetime(2026, 11, 28, 12, 55, 20, 692000, UTC)

    async def test_moments_given_in_any_offset_order_by_time_to_the_microsecond(self, store):
        # As text these would sort 13:00 < 14:00 < 07:00; in time they are t-1µs, t, t+1µs.
        instants = {"earliest": at(LATER - US, 1), "middle": LATER, "latest": at(LATER + US, -5)}
        ids = {}
        for name, when in instants.items():
            cart = make_cart()
            cart.lastUpdate = when
            await store.add("partner-a", cart, documents.dump(cart))
            ids[cart.id] = name
        listed = [ids[d.id] for d in await cart_page(store, "partner-a", 10, 0)]
        assert listed == ["latest", "middle", "earliest"]
        purged: list[str] = []
        assert await store.purge_carts(LATER, 10, lambda owner, cart: purged.append(ids[cart.id]) or NO_EFFECTS) == 2
        assert sorted(purged) == ["earliest", "middle"]

    async def test_hub_and_key_times_round_trip_to_the_microsecond(self, store):
        from omnicart.domain.credentials import ALL_SCOPES, issue_key
        from omnicart.domain.events import Hub

        hub = Hub(
            id=time_uuid(),
            owner="partner-a",
            callback="https://example.com/h",
            query=None,
            secret="s",
            created_at=at(AT + 789 * US, 3),
        )
        await store.add_hub(hub)
        assert (await store.get_hub("partner-a", hub.id)).created_at == hub.created_at
        key, _ = issue_key("partner-a", ALL_SCOPES, AT + 7 * US)
        await store.add_key(key)
        revoked = await store.revoke_key(key.id, AT + 8 * US)
        assert (revoked.created_at, revoked.revoked_at) == (AT + 7 * US, AT + 8 * US)


class TestPlain:
    """Every write of a cart says whether its document holds unknown fields (`plain`), so
    a read can send a plain one as it is; a row written before (NULL) reads as unknown."""

    async def test_each_write_tells_whether_the_document_holds_unknown_fields(self, store, database_url):
        cart = msgspec.structs.replace(make_cart(), extra=UNSET, channel=Channel(id="IND", name="IND"))
        await store.add("partner-a", cart, documents.dump(cart))
        assert (await store.read("partner-a", cart.id)).plain is True
        cart.extra = {"note": "sent"}  # an unknown field of the partner's
        cart.touch(LATER)
        assert await store.save("partner-a", cart, documents.dump(cart), 1, NO_EFFECTS)
        assert (await store.read("partner-a", cart.id)).plain is False

        def drop_it(locked: Cart) -> CartWrite:
            locked.extra = UNSET
            locked.touch(LATER)
            return CartWrite(documents.dump(locked), NO_EFFECTS)

        assert await store.change_locked("partner-a", cart.id, None, [drop_it]) is not None
        assert (await store.read("partner-a", cart.id)).plain is True
        found, _ = await store.find_carts("partner-a", CartFilter(), 10, 0)
        assert [c.plain for c in found] == [True]
        await execute(database_url, f"UPDATE carts SET plain = NULL WHERE id = '{cart.id}'")
        assert (await store.read("partner-a", cart.id)).plain is None

    async def test_a_write_takes_the_callers_word_for_it_where_given(self, store):
        # `encode_cart` knows it without a search of the document; the store believes it.
        cart = msgspec.structs.replace(make_cart(), extra=UNSET, channel=Channel(id="IND", name="IND"))
        await store.add("partner-a", cart, documents.dump(cart), plain=False)
        assert (await store.read("partner-a", cart.id)).plain is False
        cart.touch(LATER)
        assert await store.save("partner-a", cart, documents.dump(cart), 1, NO_EFFECTS, plain=True)
        assert (await store.read("partner-a", cart.id)).plain is True

        def said(locked: Cart) -> CartWrite:
            locked.touch(LATER)
            return CartWrite(documents.dump(locked), NO_EFFECTS, plain=False)

        assert await store.change_locked("partner-a", cart.id, None, [said]) is not None
        assert (await store.read("partner-a", cart.id)).plain is False
