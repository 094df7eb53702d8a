"""Events and listeners over HTTP: every change emits its event, listeners (hubs) get
their partner's events signed, at least once, with retries; expired drafts go.

Background loops never fire here (their periods are an hour); the tests run a delivery
round (`deliver`) or a purge themselves, on fake clocks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from omnicart.config import Settings
from omnicart.wire.signing import verify
from tests.api.conftest import CARTS, COMPLETE, FakeClock, assert_error, submit_url
from tests.api.test_items import line
from tests.credentials import API_KEYS, AUTH, JWT_SECRET, OTHER_AUTH
from tests.live import free_port
from tests.outbox import outbox
from tests.receiver import Receiver

HUB = "/omni-svcs/v1/hub"
SIM = "SIM_pkey80001_sku6001001"
# docs/events.md, "Event types".
EVENT_TYPES = [
    "ShoppingCartCreateEvent",
    "ShoppingCartAttributeValueChangeEvent",
    "ShoppingCartStateChangeEvent",
    "ShoppingCartDeleteEvent",
    "ProductOrderCreateEvent",
    "ProductOrderStateChangeEvent",
]
RETRY_BASE = 10.0  # the default OMNICART_WEBHOOK_RETRY_BASE_SECONDS
MAX_BACKOFF = 1.2 * RETRY_BASE  # first retry: base, ±20% jitter


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        pool_size=4,
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        webhook_private_callbacks=True,
        webhook_poll_seconds=3600,
        purge_every_seconds=3600,
        webhook_timeout_seconds=5,
    )


@pytest.fixture
def clock(client) -> FakeClock:
    """One fake clock for the cart use cases, the hubs and the dispatcher."""
    fake = FakeClock(datetime(2026, 1, 15, 12, 0, 0, 250000, tzinfo=UTC))
    services = client.app.state.services
    services.carts.clock = services.hubs.clock = services.dispatcher.clock = fake
    return fake


@pytest.fixture
def receiver():
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def hub(client, clock, receiver) -> dict:
    """partner-a listening to every event, as the registration answered."""
    response = client.post(HUB, json={"callback": receiver.url})
    assert response.status_code == 201, response.text
    return response.json()


def deliver(client) -> int:
    """One round of the delivery job: fan out what is new, make what is due."""
    return client.portal.call(client.app.state.services.dispatcher.deliver_due)


def add_sim(client, cart_id: str, item_id: str = "sim", **headers):
    return client.post(
        f"{CARTS}/{cart_id}/items",
        json={"items": [{"productOrderItemId": item_id, "productOfferingId": SIM}]},
        headers=headers,
    )


def cart_events(database_url: str) -> list[tuple[str, int | None]]:
    """(eventType, the snapshot's version) of every cart event in the outbox."""
    return [
        (kind, envelope["event"]["shoppingCart"].get("version"))
        for kind, envelope in outbox(database_url, "shoppingCart")
    ]


class TestEveryChangeEmitsAnEvent:
    def test_each_change_of_a_cart_commits_one_event_with_the_cart_as_it_left_it(
        self, client, clock, database_url, seed_request
    ):
        cart = client.post(CARTS, json=seed_request).json()
        add_sim(client, cart["id"])
        client.patch(f"{CARTS}/{cart['id']}/items/sim", json={"quantity": 2})
        client.delete(f"{CARTS}/{cart['id']}/items/sim")
        assert client.delete(f"{CARTS}/{cart['id']}").status_code == 204
        assert cart_events(database_url) == [
            ("ShoppingCartCreateEvent", 1),
            ("ShoppingCartAttributeValueChangeEvent", 2),
            ("ShoppingCartAttributeValueChangeEvent", 3),
            ("ShoppingCartAttributeValueChangeEvent", 4),
            ("ShoppingCartDeleteEvent", 4),
        ]
        snapshot = outbox(database_url, "shoppingCart")[1][1]["event"]["shoppingCart"]
        assert [item["productOrderItemId"] for item in snapshot["productOrderItem"]] == ["sim"]
        assert "href" not in snapshot and snapshot["id"] == cart["id"]

    def test_submitting_emits_the_carts_state_change_and_the_orders_creation(
        self, client, clock, database_url, seed_request
    ):
        seed_request["items"] = line()
        cart = client.post(CARTS, json=seed_request).json()
        assert client.post(submit_url(cart["id"]), json=COMPLETE).status_code == 200
        events = outbox(database_url)
        assert [kind for kind, _ in events] == [
            "ShoppingCartCreateEvent",
            "ShoppingCartStateChangeEvent",
            "ProductOrderCreateEvent",
        ]
        assert events[1][1]["event"]["shoppingCart"]["state"] == "Submitted"

    def test_a_refused_change_emits_nothing(self, client, clock, database_url, cart_with_sim):
        assert_error(add_sim(client, cart_with_sim["id"]), 409)  # the item id is taken
        assert_error(add_sim(client, cart_with_sim["id"], "other", **{"If-Match": '"stale"'}), 412)
        assert [kind for kind, _ in cart_events(database_url)] == [
            "ShoppingCartCreateEvent",
            "ShoppingCartAttributeValueChangeEvent",
        ]

    def test_a_change_retried_with_its_idempotency_key_emits_its_event_once(
        self, client, clock, database_url, seed_request
    ):
        cart = client.post(CARTS, json=seed_request).json()
        first = add_sim(client, cart["id"], **{"Idempotency-Key": "add-sim-1"})
        again = add_sim(client, cart["id"], **{"Idempotency-Key": "add-sim-1"})
        assert first.json() == again.json()
        assert [kind for kind, _ in cart_events(database_url)] == [
            "ShoppingCartCreateEvent",
            "ShoppingCartAttributeValueChangeEvent",
        ]


@pytest.fixture
def cart_with_sim(client, seed_request) -> dict:
    cart = client.post(CARTS, json=seed_request).json()
    return add_sim(client, cart["id"]).json()


class TestRegisteringAListener:
    def test_registration_answers_201_with_the_hub_and_once_its_secret(self, client, receiver, hub):
        assert hub["callback"] == receiver.url and hub["query"] is None
        assert hub["secret"].startswith("whsec_") and len(hub["secret"]) > 40
        assert hub["href"] == f"http://testserver{HUB}/{hub['id']}"
        shown = client.get(f"{HUB}/{hub['id']}").json()
        assert "secret" not in shown and shown["id"] == hub["id"]
        assert [listed["id"] for listed in client.get(HUB).json()] == [hub["id"]]

    def test_the_location_header_names_the_new_hub(self, client, receiver):
        response = client.post(HUB, json={"callback": receiver.url, "query": "eventType=ShoppingCartCreateEvent"})
        assert response.headers["location"] == response.json()["href"]
        assert response.json()["query"] == "eventType=ShoppingCartCreateEvent"

    def test_another_partners_hub_is_not_found(self, client, hub):
        assert_error(client.get(f"{HUB}/{hub['id']}", headers=OTHER_AUTH), 404, "OMNICART-HUB-0404")
        assert_error(client.delete(f"{HUB}/{hub['id']}", headers=OTHER_AUTH), 404)
        assert client.get(HUB, headers=OTHER_AUTH).json() == []

    def test_unregistering_answers_204_then_404(self, client, hub):
        assert client.delete(f"{HUB}/{hub['id']}").status_code == 204
        assert_error(client.delete(f"{HUB}/{hub['id']}"), 404)
        assert_error(client.get(f"{HUB}/{hub['id']}"), 404)

    @pytest.mark.parametrize(
        "body, field",
        [
            ({}, "callback"),
            ({"callback": 42}, "callback"),
            ({"callback": "ftp://example.com/x"}, "callback"),
            ({"callback": "/relative"}, "callback"),
            ({"callback": "https://user:pw@example.com/x"}, "callback"),
            ({"callback": "https://example.com/x", "query": "state=Draft"}, "query"),
            ({"callback": "https://example.com/x", "query": "eventType=NoSuchEvent"}, "query"),
        ],
    )
    def test_a_bad_registration_is_refused_and_registers_nothing(self, client, body, field):
        body = assert_error(client.post(HUB, json=body), 400)
        assert [error["field"] for error in body["details"]["errors"]] == [field]
        assert client.get(HUB).json() == []

    def test_outside_the_sandbox_a_callback_into_private_networks_is_refused(self, database_url):
        from starlette.testclient import TestClient

        from omnicart.api.app import create_app

        settings = Settings(database_url=database_url, api_keys=API_KEYS, jwt_secret=JWT_SECRET)
        with TestClient(create_app(settings), headers=AUTH) as client:
            for callback in ("http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://localhost/x", "http://[::1]/x"):
                assert_error(client.post(HUB, json={"callback": callback}), 400, "OMNICART-HUB-0400", "callback")
            assert client.post(HUB, json={"callback": "https://hooks.example.com/omnicart"}).status_code == 201


class TestDelivery:
    def test_a_listener_receives_its_partners_events_signed_with_its_secret(
        self, client, clock, receiver, hub, seed_request
    ):
        cart = client.post(CARTS, json=seed_request).json()
        add_sim(client, cart["id"])
        assert deliver(client) == 2
        assert receiver.event_types() == ["ShoppingCartCreateEvent", "ShoppingCartAttributeValueChangeEvent"]
        for received in receiver.received:
            assert received.signature == received.expected_signature(hub["secret"])
            assert verify(hub["secret"], received.signature, received.body)  # the receiver's check agrees
            assert not verify("whsec_someone-else", received.signature, received.body)
            assert received.headers["content-type"] == "application/json"
            assert received.headers["x-omnicart-event-id"] == received.event["eventId"]
            assert received.headers["x-omnicart-delivery-attempt"] == "1"
        created = receiver.events()[0]
        assert set(created) == {"eventId", "eventType", "eventTime", "event"}
        assert created["eventTime"] == "2026-01-15T12:00:00.250Z"
        assert created["event"]["shoppingCart"]["id"] == cart["id"]
        assert deliver(client) == 0  # delivered once

    def test_a_listener_gets_only_the_event_types_its_query_names(self, client, clock, receiver, seed_request):
        client.post(HUB, json={"callback": receiver.url, "query": "eventType=ShoppingCartDeleteEvent"})
        cart = client.post(CARTS, json=seed_request).json()
        add_sim(client, cart["id"])
        client.delete(f"{CARTS}/{cart['id']}")
        deliver(client)
        assert receiver.event_types() == ["ShoppingCartDeleteEvent"]

    def test_a_partner_never_receives_another_partners_events(self, client, clock, seed_request):
        with Receiver() as theirs, Receiver() as ours:
            client.post(HUB, json={"callback": theirs.url}, headers=OTHER_AUTH)
            client.post(HUB, json={"callback": ours.url})
            client.post(CARTS, json=seed_request)
            client.post(CARTS, json=seed_request, headers=OTHER_AUTH)
            deliver(client)
            assert len(ours.received) == len(theirs.received) == 1
            ours_id, theirs_id = (r.events()[0]["event"]["shoppingCart"]["id"] for r in (ours, theirs))
            assert client.get(f"{CARTS}/{ours_id}").status_code == 200
            assert client.get(f"{CARTS}/{theirs_id}").status_code == 404

    def test_events_before_the_registration_are_not_delivered(self, client, clock, receiver, seed_request):
        client.post(CARTS, json=seed_request)
        clock.advance(1)
        client.post(HUB, json={"callback": receiver.url})
        deliver(client)
        assert receiver.received == []

    def test_a_failed_delivery_is_retried_after_a_backoff_until_it_succeeds(
        self, client, clock, receiver, hub, seed_request
    ):
        receiver.statuses = [500, 503]
        client.post(CARTS, json=seed_request)
        assert deliver(client) == 1
        assert deliver(client) == 0  # not due yet
        clock.advance(MAX_BACKOFF)
        assert deliver(client) == 1  # second attempt, answered 503
        clock.advance(2 * MAX_BACKOFF)
        assert deliver(client) == 1
        assert clock.advance(3600) and deliver(client) == 0  # delivered: never again
        attempts = [r.headers["x-omnicart-delivery-attempt"] for r in receiver.received]
        assert attempts == ["1", "2", "3"]
        assert len({r.event["eventId"] for r in receiver.received}) == 1

    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    def test_a_redirect_is_not_a_delivery(self, client, clock, receiver, hub, seed_request, status):
        receiver.statuses = [status]  # the receiver sends no Location: nothing may follow it anyway
        client.post(CARTS, json=seed_request)
        assert deliver(client) == 1
        clock.advance(MAX_BACKOFF)
        assert deliver(client) == 1  # tried again: the redirect did not count as delivered
        assert [r.headers["x-omnicart-delivery-attempt"] for r in receiver.received] == ["1", "2"]

    def test_an_unreachable_receiver_is_retried_too(self, client, clock, seed_request):
        port = free_port()  # nothing listens there yet: connections are refused
        client.post(HUB, json={"callback": f"http://127.0.0.1:{port}/events"})
        client.post(CARTS, json=seed_request)
        assert deliver(client) == 1
        with Receiver(port) as receiver:
            clock.advance(MAX_BACKOFF)
            assert deliver(client) == 1
            assert receiver.event_types() == ["ShoppingCartCreateEvent"]
            assert receiver.received[0].headers["x-omnicart-delivery-attempt"] == "2"

    def test_a_delivery_is_given_up_after_the_last_attempt(self, client, clock, receiver, hub, seed_request):
        client.app.state.services.dispatcher.retry = type(client.app.state.services.dispatcher.retry)(max_attempts=2)
        receiver.statuses = [500] * 5
        client.post(CARTS, json=seed_request)
        deliver(client)
        clock.advance(MAX_BACKOFF)
        deliver(client)
        clock.advance(3600)
        assert deliver(client) == 0
        assert len(receiver.received) == 2

    def test_an_unregistered_listener_gets_nothing_more(self, client, clock, receiver, hub, seed_request):
        receiver.statuses = [500]
        client.post(CARTS, json=seed_request)
        deliver(client)
        client.delete(f"{HUB}/{hub['id']}")
        client.post(CARTS, json=seed_request)
        clock.advance(3600)
        assert deliver(client) == 0
        assert len(receiver.received) == 1

    def test_every_event_type_can_be_asked_for(self, client, receiver):
        query = "eventType=" + ",".join(EVENT_TYPES)
        assert client.post(HUB, json={"callback": receiver.url, "query": query}).status_code == 201


@pytest.fixture
def short_ttl(client):
    """Drafts live a day here."""
    from datetime import timedelta

    client.app.state.services.carts.cart_ttl = timedelta(days=1)


class TestExpiry:
    def test_a_draft_untouched_for_its_ttl_is_gone(self, client, clock, short_ttl, cart_with_sim):
        clock.advance(86400 - 1)
        assert client.get(f"{CARTS}/{cart_with_sim['id']}").status_code == 200
        clock.advance(1)
        assert_error(client.get(f"{CARTS}/{cart_with_sim['id']}"), 404)
        assert_error(add_sim(client, cart_with_sim["id"], "late"), 404)
        assert_error(client.delete(f"{CARTS}/{cart_with_sim['id']}"), 404)

    def test_every_change_restarts_the_ttl(self, client, clock, short_ttl, cart_with_sim):
        clock.advance(86000)
        add_sim(client, cart_with_sim["id"], "another")
        clock.advance(86000)
        assert client.get(f"{CARTS}/{cart_with_sim['id']}").status_code == 200

    def test_the_purge_deletes_expired_drafts_with_their_delete_events(
        self, client, clock, short_ttl, database_url, seed_request
    ):
        old = client.post(CARTS, json=seed_request).json()
        clock.advance(3600)
        fresh = client.post(CARTS, json=seed_request).json()
        seed_request["items"] = line()
        submitted = client.post(CARTS, json=seed_request).json()
        client.post(submit_url(submitted["id"]), json=COMPLETE)
        clock.advance(86400 - 3600)
        assert client.portal.call(client.app.state.services.carts.purge_expired_carts) == 1
        assert [
            (kind, env["event"]["shoppingCart"]["id"])
            for kind, env in outbox(database_url, "shoppingCart")
            if kind == "ShoppingCartDeleteEvent"
        ] == [("ShoppingCartDeleteEvent", old["id"])]
        clock.advance(3600)
        assert client.portal.call(client.app.state.services.carts.purge_expired_carts) == 1
        assert client.get(f"{CARTS}/{fresh['id']}").status_code == 404
        # A submitted cart belongs to its order: it never expires.
        clock.advance(365 * 86400)
        assert client.portal.call(client.app.state.services.carts.purge_expired_carts) == 0
        assert client.get(f"{CARTS}/{submitted['id']}").json()["state"] == "Submitted"
