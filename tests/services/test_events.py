"""Events as use cases: every change commits its event; listeners (hubs) get their
partner's events signed, at least once, with retries; expired drafts go with their
event. Registering and unregistering a listener over HTTP: tests/api/test_events.py.

The tests run a delivery round (`deliver`) or a purge themselves, on the fake clock."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from omnicart.config import Settings
from omnicart.domain.errors import CartNotFound, DuplicateItemId, InvalidHub, PreconditionFailed
from omnicart.store import CartFilter
from omnicart.webhooks import RetryPolicy
from omnicart.wire.signing import verify
from tests.carts import COMPLETE, line
from tests.credentials import OTHER_PARTNER, PARTNER
from tests.live import free_port
from tests.receiver import Receiver
from tests.services.conftest import MEMORY, document, items, outbox, read, seed, submission

SIM = "SIM_pkey80001_sku6001001"
# docs/events.md, "Event types".
EVENT_TYPES = [
    "ShoppingCartCreateEvent",
    "ShoppingCartAttributeValueChangeEvent",
    "ShoppingCartStateChangeEvent",
    "ShoppingCartDeleteEvent",
    "ProductOrderCreateEvent",
    "ProductOrderStateChangeEvent",
    "AppointmentCreateEvent",
]
RETRY_BASE = 10.0  # the default OMNICART_WEBHOOK_RETRY_BASE_SECONDS
MAX_BACKOFF = 1.2 * RETRY_BASE  # first retry: base, ±20% jitter


@pytest.fixture
def settings() -> Settings:
    """Listeners on loopback allowed (the tests' receivers)."""
    return Settings(database_url=MEMORY, webhook_private_callbacks=True, webhook_timeout_seconds=5)


@pytest.fixture
async def hub(services, receiver):
    """partner-a listening to every event."""
    return await services.hubs.register(PARTNER, receiver.url, None)


async def deliver(services) -> int:
    """One round of the delivery job: fan out what is new, make what is due."""
    return await services.dispatcher.deliver_due()


async def add_sim(carts, cart_id: str, item_id: str = "sim", *, if_match: str | None = None) -> dict:
    return document(
        await carts.add_items(
            PARTNER, cart_id, items({"productOrderItemId": item_id, "productOfferingId": SIM}), if_match=if_match
        )
    )


async def cart_events(store) -> list[tuple[str, int | None]]:
    """(eventType, the snapshot's version) of every cart event in the outbox."""
    return [
        (kind, envelope["event"]["shoppingCart"].get("version"))
        for kind, envelope in await outbox(store, "shoppingCart")
    ]


@pytest.fixture
async def cart_with_sim(carts) -> dict:
    cart = await carts.create_cart(PARTNER, seed())
    return await add_sim(carts, cart.id)


class TestEveryChangeEmitsAnEvent:
    async def test_each_change_of_a_cart_commits_one_event_with_the_cart_as_it_left_it(self, carts, store):
        cart = await carts.create_cart(PARTNER, seed())
        await add_sim(carts, cart.id)
        await carts.update_item(PARTNER, cart.id, "sim", lambda item: msgspec.structs.replace(item, quantity=2))
        await carts.remove_item(PARTNER, cart.id, "sim")
        await carts.abandon_cart(PARTNER, cart.id)
        assert await cart_events(store) == [
            ("ShoppingCartCreateEvent", 1),
            ("ShoppingCartAttributeValueChangeEvent", 2),
            ("ShoppingCartAttributeValueChangeEvent", 3),
            ("ShoppingCartAttributeValueChangeEvent", 4),
            ("ShoppingCartDeleteEvent", 4),
        ]
        snapshot = (await outbox(store, "shoppingCart"))[1][1]["event"]["shoppingCart"]
        assert [item["productOrderItemId"] for item in snapshot["productOrderItem"]] == ["sim"]
        assert "href" not in snapshot and snapshot["id"] == cart.id

    async def test_submitting_emits_the_carts_state_change_and_the_orders_creation(self, carts, orders, store):
        cart = await carts.create_cart(PARTNER, seed(items=line()))
        await orders.submit(PARTNER, cart.id, submission(COMPLETE))
        events = await outbox(store)
        assert [kind for kind, _ in events] == [
            "ShoppingCartCreateEvent",
            "ShoppingCartStateChangeEvent",
            "ProductOrderCreateEvent",
        ]
        assert events[1][1]["event"]["shoppingCart"]["state"] == "Submitted"

    async def test_a_refused_change_emits_nothing(self, carts, store, cart_with_sim):
        with pytest.raises(DuplicateItemId):  # the item id is taken
            await add_sim(carts, cart_with_sim["id"])
        with pytest.raises(PreconditionFailed):
            await add_sim(carts, cart_with_sim["id"], "other", if_match='"stale"')
        assert [kind for kind, _ in await cart_events(store)] == [
            "ShoppingCartCreateEvent",
            "ShoppingCartAttributeValueChangeEvent",
        ]


class TestRegisteringAListener:
    @pytest.mark.parametrize("settings", [Settings(database_url=MEMORY)], ids=["not a sandbox"])
    async def test_outside_the_sandbox_a_callback_into_private_networks_is_refused(self, services):
        for callback in ("http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://localhost/x", "http://[::1]/x"):
            with pytest.raises(InvalidHub) as refused:
                await services.hubs.register(PARTNER, callback, None)
            assert refused.value.code == "OMNICART-HUB-0400"
            assert [error["field"] for error in refused.value.details["errors"]] == ["callback"]
        assert (await services.hubs.register(PARTNER, "https://hooks.example.com/omnicart", None)).callback == (
            "https://hooks.example.com/omnicart"
        )

    async def test_every_event_type_can_be_asked_for(self, services, receiver):
        query = "eventType=" + ",".join(EVENT_TYPES)
        assert (await services.hubs.register(PARTNER, receiver.url, query)).query == query


class TestDelivery:
    async def test_a_listener_receives_its_partners_events_signed_with_its_secret(self, services, carts, receiver, hub):
        cart = await carts.create_cart(PARTNER, seed())
        await add_sim(carts, cart.id)
        assert await deliver(services) == 2
        assert receiver.event_types() == ["ShoppingCartCreateEvent", "ShoppingCartAttributeValueChangeEvent"]
        for received in receiver.received:
            assert received.signature == received.expected_signature(hub.secret)
            assert verify(hub.secret, received.signature, received.body)  # the receiver's check agrees
            assert not verify("whsec_someone-else", received.signature, received.body)
            assert received.headers["content-type"] == "application/json"
            assert received.headers["x-omnicart-event-id"] == received.event["eventId"]
            assert received.headers["x-omnicart-delivery-attempt"] == "1"
        created = receiver.events()[0]
        assert set(created) == {"eventId", "eventType", "eventTime", "event"}
        assert created["eventTime"] == "2026-01-15T12:00:00.250Z"
        assert created["event"]["shoppingCart"]["id"] == cart.id
        assert await deliver(services) == 0  # delivered once

    async def test_a_listener_gets_only_the_event_types_its_query_names(self, services, carts, receiver):
        await services.hubs.register(PARTNER, receiver.url, "eventType=ShoppingCartDeleteEvent")
        cart = await carts.create_cart(PARTNER, seed())
        await add_sim(carts, cart.id)
        await carts.abandon_cart(PARTNER, cart.id)
        await deliver(services)
        assert receiver.event_types() == ["ShoppingCartDeleteEvent"]

    async def test_a_partner_never_receives_another_partners_events(self, services, carts):
        with Receiver() as theirs, Receiver() as ours:
            await services.hubs.register(OTHER_PARTNER, theirs.url, None)
            await services.hubs.register(PARTNER, ours.url, None)
            await carts.create_cart(PARTNER, seed())
            await carts.create_cart(OTHER_PARTNER, seed())
            await deliver(services)
            assert len(ours.received) == len(theirs.received) == 1
            ours_id, theirs_id = (r.events()[0]["event"]["shoppingCart"]["id"] for r in (ours, theirs))
            assert (await read(carts, ours_id))["id"] == ours_id
            with pytest.raises(CartNotFound):
                await read(carts, theirs_id)

    async def test_events_before_the_registration_are_not_delivered(self, services, carts, clock, receiver):
        await carts.create_cart(PARTNER, seed())
        clock.advance(1)
        await services.hubs.register(PARTNER, receiver.url, None)
        await deliver(services)
        assert receiver.received == []

    async def test_a_failed_delivery_is_retried_after_a_backoff_until_it_succeeds(
        self, services, carts, clock, receiver, hub
    ):
        receiver.statuses = [500, 503]
        await carts.create_cart(PARTNER, seed())
        assert await deliver(services) == 1
        assert await deliver(services) == 0  # not due yet
        clock.advance(MAX_BACKOFF)
        assert await deliver(services) == 1  # second attempt, answered 503
        clock.advance(2 * MAX_BACKOFF)
        assert await deliver(services) == 1
        clock.advance(3600)
        assert await deliver(services) == 0  # delivered: never again
        attempts = [r.headers["x-omnicart-delivery-attempt"] for r in receiver.received]
        assert attempts == ["1", "2", "3"]
        assert len({r.event["eventId"] for r in receiver.received}) == 1

    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    async def test_a_redirect_is_not_a_delivery(self, services, carts, clock, receiver, hub, status):
        receiver.statuses = [status]  # the receiver sends no Location: nothing may follow it anyway
        await carts.create_cart(PARTNER, seed())
        assert await deliver(services) == 1
        clock.advance(MAX_BACKOFF)
        assert await deliver(services) == 1  # tried again: the redirect did not count as delivered
        assert [r.headers["x-omnicart-delivery-attempt"] for r in receiver.received] == ["1", "2"]

    async def test_an_unreachable_receiver_is_retried_too(self, services, carts, clock):
        port = free_port()  # nothing listens there yet: connections are refused
        await services.hubs.register(PARTNER, f"http://127.0.0.1:{port}/events", None)
        await carts.create_cart(PARTNER, seed())
        assert await deliver(services) == 1
        with Receiver(port) as receiver:
            clock.advance(MAX_BACKOFF)
            assert await deliver(services) == 1
            assert receiver.event_types() == ["ShoppingCartCreateEvent"]
            assert receiver.received[0].headers["x-omnicart-delivery-attempt"] == "2"

    async def test_a_delivery_is_given_up_after_the_last_attempt(self, services, carts, clock, receiver, hub):
        services.dispatcher.retry = RetryPolicy(max_attempts=2)
        receiver.statuses = [500] * 5
        await carts.create_cart(PARTNER, seed())
        await deliver(services)
        clock.advance(MAX_BACKOFF)
        await deliver(services)
        clock.advance(3600)
        assert await deliver(services) == 0
        assert len(receiver.received) == 2

    async def test_an_unregistered_listener_gets_nothing_more(self, services, carts, clock, receiver, hub):
        receiver.statuses = [500]
        await carts.create_cart(PARTNER, seed())
        await deliver(services)
        await services.hubs.delete(PARTNER, hub.id)
        await carts.create_cart(PARTNER, seed())
        clock.advance(3600)
        assert await deliver(services) == 0
        assert len(receiver.received) == 1


class TestExpiry:
    @pytest.fixture
    def settings(self) -> Settings:
        """Drafts live a day here."""
        return Settings(database_url=MEMORY, cart_ttl=timedelta(days=1))

    async def test_a_draft_untouched_for_its_ttl_is_gone(self, carts, clock, cart_with_sim):
        clock.advance(86400 - 1)
        assert (await read(carts, cart_with_sim["id"]))["id"] == cart_with_sim["id"]
        clock.advance(1)
        for gone in (
            lambda: read(carts, cart_with_sim["id"]),
            lambda: add_sim(carts, cart_with_sim["id"], "late"),
            lambda: carts.abandon_cart(PARTNER, cart_with_sim["id"]),
        ):
            with pytest.raises(CartNotFound):
                await gone()

    async def test_a_draft_past_its_ttl_is_not_listed_either(self, carts, orders, clock, cart_with_sim):
        submitted = await carts.create_cart(PARTNER, seed(items=line()))
        await orders.submit(PARTNER, submitted.id, submission(COMPLETE))
        clock.advance(86400 - 1)
        page, total = await carts.find_carts(PARTNER, CartFilter(), limit=10, offset=0)
        assert (sorted(cart.id for cart in page), total) == (sorted([cart_with_sim["id"], submitted.id]), 2)
        clock.advance(1)  # gone for a GET (above), and for the list: the purge has not run
        page, total = await carts.find_carts(PARTNER, CartFilter(), limit=10, offset=0)
        assert ([cart.id for cart in page], total) == ([submitted.id], 1)
        page, total = await carts.search_carts(PARTNER, state=None, text=None, limit=10, offset=0)
        assert ([cart.id for cart in page], total) == ([submitted.id], 1)

    async def test_every_change_restarts_the_ttl(self, carts, clock, cart_with_sim):
        clock.advance(86000)
        await add_sim(carts, cart_with_sim["id"], "another")
        clock.advance(86000)
        assert (await read(carts, cart_with_sim["id"]))["id"] == cart_with_sim["id"]

    async def test_the_purge_deletes_expired_drafts_with_their_delete_events(self, carts, orders, store, clock):
        old = await carts.create_cart(PARTNER, seed())
        clock.advance(3600)
        fresh = await carts.create_cart(PARTNER, seed())
        submitted = await carts.create_cart(PARTNER, seed(items=line()))
        await orders.submit(PARTNER, submitted.id, submission(COMPLETE))
        clock.advance(86400 - 3600)
        assert await carts.purge_expired_carts() == 1
        assert [
            (kind, envelope["event"]["shoppingCart"]["id"])
            for kind, envelope in await outbox(store, "shoppingCart")
            if kind == "ShoppingCartDeleteEvent"
        ] == [("ShoppingCartDeleteEvent", old.id)]
        clock.advance(3600)
        assert await carts.purge_expired_carts() == 1
        with pytest.raises(CartNotFound):
            await read(carts, fresh.id)
        # A submitted cart belongs to its order: it never expires.
        clock.advance(365 * 86400)
        assert await carts.purge_expired_carts() == 0
        assert (await read(carts, submitted.id))["state"] == "Submitted"
