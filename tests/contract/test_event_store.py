"""The repository contract for events, on every database: partners' hubs, fanning each
committed event out into one delivery per hub that wants it, claiming due deliveries
under a lease (at least once, across workers), recording their outcome, forgetting what
is done, and purging expired draft carts."""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from omnicart.domain.errors import PreconditionFailed
from omnicart.domain.events import (
    CART_CHANGED,
    CART_CREATED,
    CART_DELETED,
    CART_STATE_CHANGED,
    Event,
    Hub,
    new_event,
)
from omnicart.domain.ids import time_uuid
from omnicart.store import Effects, documents, open_store
from omnicart.wire.cart import State
from tests.contract.conftest import add, cart_page, make_cart, moment, owner_of
from tests.outbox import read_outbox

AT = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)  # when the events under test happen
MS = timedelta(milliseconds=1)
STEP = timedelta(seconds=5)
LEASE = timedelta(seconds=35)
MUCH_LATER = AT + timedelta(days=30)  # every retry and every lease long run out


def make_hub(owner: str = "partner-a", query: str | None = None, created_at: datetime = AT - STEP) -> Hub:
    return Hub(
        id=time_uuid(),
        owner=owner,
        callback=f"https://hooks.example.com/{owner}/{secrets.token_hex(4)}",
        query=query,
        secret="whsec_" + secrets.token_urlsafe(16),
        created_at=created_at,
    )


async def registered(store, **fields) -> Hub:
    hub = make_hub(**fields)
    await store.add_hub(hub)
    return hub


async def happened(store, event_type: str = CART_CREATED, owner: str = "partner-a", at: datetime = AT) -> Event:
    """A new cart committed with its event, as the cart service does."""
    cart = make_cart(owner=owner)
    event = new_event(event_type, owner, "shoppingCart", b'{"id":"%s"}' % cart.id.encode(), at)
    await add(store, cart, Effects(events=[event]))
    return event


def event_cart_id(event: Event) -> str:
    return json.loads(event.envelope)["event"]["shoppingCart"]["id"]


async def claim(store, at: datetime = AT, limit: int = 100):
    return await store.claim_deliveries(at, at + LEASE, limit)


async def claimed(store, at: datetime = MUCH_LATER) -> set[tuple[str, str]]:
    """(event id, hub id) of every delivery due at `at`."""
    return {(d.event_id, d.hub_id) for d in await claim(store, at)}


async def outbox_ids(database_url: str) -> list[str]:
    return [envelope["eventId"] for _, envelope in await read_outbox(database_url)]


@pytest.fixture
async def hub(store) -> Hub:
    return await registered(store)


@pytest.fixture
async def event(store, hub) -> Event:
    """One event of the hub's partner, fanned out: one delivery to `hub`, due at AT."""
    event = await happened(store)
    assert await store.fan_out(100) == 1
    return event


class TestHubs:
    async def test_a_hub_reads_back_equal_to_what_was_added(self, store, hub):
        assert await store.get_hub("partner-a", hub.id) == hub

    async def test_an_unknown_hub_reads_as_none(self, store):
        assert await store.get_hub("partner-a", time_uuid()) is None

    async def test_a_hub_is_invisible_to_another_partner(self, store, hub):
        assert await store.get_hub("partner-b", hub.id) is None
        assert await store.list_hubs("partner-b") == []

    async def test_listing_holds_the_partners_own_hubs_oldest_first(self, store):
        newer = await registered(store, created_at=AT)
        older = await registered(store, query=f"eventType={CART_CREATED}", created_at=AT - STEP)
        await registered(store, owner="partner-b")
        assert await store.list_hubs("partner-a") == [older, newer]

    async def test_a_deleted_hub_is_gone_and_deleting_it_again_answers_false(self, store, hub):
        assert await store.delete_hub("partner-a", hub.id) is True
        assert await store.get_hub("partner-a", hub.id) is None
        assert await store.list_hubs("partner-a") == []
        assert await store.delete_hub("partner-a", hub.id) is False

    async def test_another_partner_cannot_delete_a_hub_nor_what_is_due_to_it(self, store, hub, event):
        assert await store.delete_hub("partner-b", hub.id) is False
        assert await store.get_hub("partner-a", hub.id) == hub
        assert await claimed(store) == {(event.eventId, hub.id)}


class TestFanOut:
    async def test_an_event_becomes_one_delivery_per_hub_of_its_own_partner(self, store):
        mine = [await registered(store), await registered(store)]
        theirs = await registered(store, owner="partner-b")
        event = await happened(store)
        their_event = await happened(store, owner="partner-b")
        assert await store.fan_out(100) == 2
        assert await claimed(store) == {(event.eventId, hub.id) for hub in mine} | {(their_event.eventId, theirs.id)}

    @pytest.mark.parametrize(
        ("created", "delivered"),
        [
            pytest.param(-STEP, True, id="before the event"),
            pytest.param(timedelta(0), True, id="at the event time"),
            pytest.param(MS, False, id="after the event"),
        ],
    )
    async def test_only_hubs_that_existed_when_the_event_happened_receive_it(self, store, created, delivered):
        hub = await registered(store, created_at=AT + created)
        event = await happened(store, at=AT)
        await store.fan_out(100)
        assert await claimed(store) == ({(event.eventId, hub.id)} if delivered else set())

    async def test_a_hub_receives_only_the_event_types_its_query_asks_for(self, store):
        everything = await registered(store)
        created_only = await registered(store, query=f"eventType={CART_CREATED}")
        await registered(store, query=f"eventType={CART_DELETED}")
        created = await happened(store, CART_CREATED)
        changed = await happened(store, CART_CHANGED)
        await store.fan_out(100)
        assert await claimed(store) == {
            (created.eventId, everything.id),
            (changed.eventId, everything.id),
            (created.eventId, created_only.id),
        }

    async def test_every_event_a_cart_change_commits_is_fanned_out(self, store, hub):
        cart = make_cart()
        await add(store, cart)
        events = [
            new_event(kind, "partner-a", "shoppingCart", b'{"id":"%s"}' % cart.id.encode(), AT)
            for kind in (CART_CHANGED, CART_STATE_CHANGED)
        ]
        assert await store.save("partner-a", cart, documents.dump(cart), cart.version, Effects(events=events))
        assert await store.fan_out(100) == 2
        assert await claimed(store) == {(e.eventId, hub.id) for e in events}

    async def test_each_event_is_fanned_out_once(self, store, hub, event):
        assert await store.fan_out(100) == 0
        assert [d.event_id for d in await claim(store)] == [event.eventId]

    async def test_an_event_nobody_listens_to_is_fanned_out_to_no_one(self, store):
        await happened(store)
        assert await store.fan_out(100) == 1
        assert await store.fan_out(100) == 0
        assert await claimed(store) == set()

    async def test_at_most_limit_events_are_fanned_out_per_call(self, store, hub):
        for _ in range(3):
            await happened(store)
        assert [await store.fan_out(2) for _ in range(3)] == [2, 1, 0]
        assert len(await claimed(store)) == 3

    async def test_concurrent_fan_outs_in_two_workers_make_each_delivery_once(self, store, hub, database_url):
        events = [await happened(store) for _ in range(8)]
        other_worker = await open_store(database_url, pool_size=4)
        try:
            counts = await asyncio.gather(*((store if n % 2 else other_worker).fan_out(3) for n in range(8)))
        finally:
            await other_worker.close()
        assert sum(counts) == 8
        assert sorted(d.event_id for d in await claim(store)) == sorted(e.eventId for e in events)


class TestClaimDeliveries:
    async def test_a_due_delivery_carries_the_hubs_callback_and_secret_and_the_event_envelope(self, store, hub, event):
        (delivery,) = await claim(store, AT)
        assert (delivery.event_id, delivery.hub_id, delivery.attempt) == (event.eventId, hub.id, 1)
        assert (delivery.callback, delivery.secret) == (hub.callback, hub.secret)
        assert json.loads(delivery.body) == {
            "eventId": event.eventId,
            "eventType": CART_CREATED,
            "eventTime": "2026-11-28T12:00:00.123Z",
            "event": {"shoppingCart": {"id": event_cart_id(event)}},
        }

    async def test_a_delivery_is_not_due_before_its_event_happened(self, store, event):
        assert await claim(store, AT - MS) == []

    async def test_a_claimed_delivery_is_hidden_until_its_lease_runs_out(self, store, event):
        await claim(store, AT)
        assert await claim(store, AT + LEASE - MS) == []
        (again,) = await claim(store, AT + LEASE)  # the worker that took it died
        assert (again.event_id, again.attempt) == (event.eventId, 2)

    async def test_at_most_limit_deliveries_are_claimed_oldest_first(self, store, hub):
        events = [await happened(store, at=AT + n * STEP) for n in (2, 0, 1)]
        await store.fan_out(100)
        oldest_first = [events[1].eventId, events[2].eventId, events[0].eventId]
        assert [d.event_id for d in await claim(store, MUCH_LATER, limit=2)] == oldest_first[:2]
        assert [d.event_id for d in await claim(store, MUCH_LATER, limit=2)] == oldest_first[2:]

    async def test_deliveries_of_every_partner_are_claimed(self, store):
        hub = await registered(store, owner="partner-b")
        event = await happened(store, owner="partner-b")
        await store.fan_out(100)
        assert await claimed(store) == {(event.eventId, hub.id)}

    async def test_concurrent_claimers_in_two_workers_take_each_delivery_once(self, store, hub, database_url):
        events = [await happened(store) for _ in range(6)]
        await store.fan_out(100)
        other_worker = await open_store(database_url, pool_size=4)
        try:
            batches = await asyncio.gather(
                *((store if n % 2 else other_worker).claim_deliveries(AT, AT + LEASE, 2) for n in range(8))
            )
        finally:
            await other_worker.close()
        taken = [d.event_id for batch in batches for d in batch]
        assert sorted(taken) == sorted(e.eventId for e in events)


class TestDeliveryOutcome:
    async def test_a_delivered_delivery_is_never_claimed_again(self, store, hub, event):
        await claim(store, AT)
        await store.delivered(event.eventId, hub.id, AT + STEP)
        assert await claim(store, MUCH_LATER) == []

    async def test_a_failed_delivery_is_claimed_again_at_its_retry_time_and_not_before(self, store, hub, event):
        await claim(store, AT)
        retry_at = AT + 2 * STEP
        await store.delivery_failed(event.eventId, hub.id, "HTTP 503", retry_at, AT + STEP)
        assert await claim(store, retry_at - MS) == []
        (again,) = await claim(store, retry_at)
        assert (again.event_id, again.attempt) == (event.eventId, 2)

    async def test_a_given_up_delivery_is_never_claimed_again(self, store, hub, event):
        await claim(store, AT)
        await store.delivery_failed(event.eventId, hub.id, "HTTP 410", None, AT + STEP)
        assert await claim(store, MUCH_LATER) == []

    async def test_deleting_a_hub_drops_what_was_still_to_be_delivered_to_it(self, store, hub, event):
        other = await registered(store)
        later = await happened(store)
        await store.fan_out(100)
        await store.delete_hub("partner-a", hub.id)
        assert await claimed(store) == {(later.eventId, other.id)}
        assert await store.purge_events(MUCH_LATER) == 1  # `event` has nothing left to deliver


class TestPurgeEvents:
    async def test_events_whose_deliveries_all_finished_before_the_cutoff_are_forgotten(self, store, hub, database_url):
        delivered, given_up, pending = [await happened(store) for _ in range(3)]
        await store.fan_out(100)
        await claim(store, AT)
        await store.delivered(delivered.eventId, hub.id, AT + STEP)
        await store.delivery_failed(given_up.eventId, hub.id, "HTTP 410", None, AT + STEP)
        await store.delivery_failed(pending.eventId, hub.id, "HTTP 503", AT + 3 * STEP, AT + STEP)
        assert await store.purge_events(AT + 2 * STEP) == 2
        assert await outbox_ids(database_url) == [pending.eventId]
        assert [d.event_id for d in await claim(store, MUCH_LATER)] == [pending.eventId]

    async def test_an_event_still_due_to_one_hub_is_kept_though_another_hub_has_it(self, store, hub, database_url):
        other = await registered(store)
        event = await happened(store)
        await store.fan_out(100)
        await store.delivered(event.eventId, other.id, AT + STEP)
        assert await store.purge_events(MUCH_LATER) == 0
        assert await claimed(store) == {(event.eventId, hub.id)}
        assert await outbox_ids(database_url) == [event.eventId]

    async def test_a_delivery_finished_at_the_cutoff_is_kept_until_a_later_purge(self, store, hub, event, database_url):
        await store.delivered(event.eventId, hub.id, AT + STEP)
        assert await store.purge_events(AT + STEP) == 0
        assert await outbox_ids(database_url) == [event.eventId]
        assert await store.purge_events(AT + STEP + MS) == 1
        assert await outbox_ids(database_url) == []

    async def test_an_event_nobody_listens_to_goes_once_it_is_older_than_the_cutoff(self, store, database_url):
        await happened(store, at=AT)
        await store.fan_out(100)
        assert await store.purge_events(AT) == 0
        assert await store.purge_events(AT + MS) == 1
        assert await outbox_ids(database_url) == []

    async def test_an_event_not_yet_fanned_out_is_kept_however_old(self, store, hub, database_url):
        event = await happened(store, at=AT)
        assert await store.purge_events(MUCH_LATER) == 0
        assert await store.fan_out(100) == 1
        assert await claimed(store) == {(event.eventId, hub.id)}


def drafted(owner: str = "partner-a", last_update: datetime = AT, state: State = State.DRAFT):
    cart = make_cart(owner=owner)
    cart.lastUpdate, cart.state = moment(last_update), state
    return cart


def deletion_event(owner, cart) -> Effects:
    return Effects(
        events=[new_event(CART_DELETED, owner, "shoppingCart", b'{"id":"%s"}' % cart.id.encode(), AT + STEP)]
    )


class TestPurgeCarts:
    CUTOFF = AT

    async def stored(self, store, **fields):
        cart = drafted(**fields)
        await add(store, cart)
        return cart

    async def test_drafts_of_every_partner_last_changed_before_the_cutoff_are_deleted(self, store):
        old = [await self.stored(store, owner=owner, last_update=AT - STEP) for owner in ("partner-a", "partner-b")]
        assert await store.purge_carts(self.CUTOFF, 100, deletion_event) == 2
        assert [await store.get(owner_of(cart), cart.id) for cart in old] == [None, None]

    async def test_a_draft_last_changed_exactly_at_the_cutoff_is_deleted(self, store):
        cart = await self.stored(store, last_update=self.CUTOFF)
        assert await store.purge_carts(self.CUTOFF, 100, deletion_event) == 1
        assert await store.get("partner-a", cart.id) is None

    async def test_newer_drafts_and_submitted_carts_are_kept(self, store):
        newer = await self.stored(store, last_update=self.CUTOFF + MS)
        submitted = await self.stored(store, last_update=AT - timedelta(days=365), state=State.SUBMITTED)
        assert await store.purge_carts(self.CUTOFF, 100, deletion_event) == 0
        assert await store.get("partner-a", newer.id) == newer
        assert await store.get("partner-a", submitted.id) == submitted

    async def test_at_most_limit_drafts_are_deleted_per_call(self, store):
        for _ in range(3):
            await self.stored(store, last_update=AT - STEP)
        assert [await store.purge_carts(self.CUTOFF, 2, deletion_event) for _ in range(3)] == [2, 1, 0]
        assert await cart_page(store, "partner-a", 10, 0) == []

    async def test_each_deletion_commits_what_check_returns(self, store, database_url):
        old = [await self.stored(store, owner=owner, last_update=AT - STEP) for owner in ("partner-a", "partner-b")]
        await self.stored(store, last_update=AT + STEP)
        checked = []

        def check(owner, cart):
            checked.append((owner, cart.id))
            return deletion_event(owner, cart)

        await store.purge_carts(self.CUTOFF, 100, check)
        assert sorted(checked) == sorted((owner_of(cart), cart.id) for cart in old)  # each with its owner
        deleted = [
            (kind, envelope["event"]["shoppingCart"]["id"]) for kind, envelope in await read_outbox(database_url)
        ]
        assert sorted(deleted) == sorted((CART_DELETED, cart.id) for cart in old)

    async def test_a_check_that_raises_deletes_nothing(self, store, database_url):
        old = [await self.stored(store, last_update=AT - STEP) for _ in range(2)]
        checked = []

        def refuse_the_second(owner, cart):
            checked.append(cart.id)
            if len(checked) == 2:
                raise PreconditionFailed('"1"')
            return deletion_event(owner, cart)

        with pytest.raises(PreconditionFailed):
            await store.purge_carts(self.CUTOFF, 100, refuse_the_second)
        assert [await store.get("partner-a", cart.id) for cart in old] == old
        assert await read_outbox(database_url) == []
