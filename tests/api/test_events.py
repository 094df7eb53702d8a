"""Listeners over HTTP: registering, reading and unregistering a hub (its answers, its
secret shown once, another partner's hub not found, bad registrations), and a change
retried with its Idempotency-Key emitting its event once. Which events changes emit,
their delivery and the expiry of drafts: tests/services/test_events.py.

Background loops never fire here (their periods are an hour)."""

from __future__ import annotations

import pytest

from omnicart.config import Settings
from tests.api.conftest import CARTS, assert_error
from tests.conftest import START, FakeClock
from tests.credentials import OTHER_AUTH
from tests.listeners import listener_settings
from tests.outbox import outbox

HUB = "/omni-svcs/v1/hub"
SIM = "SIM_pkey80001_sku6001001"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return listener_settings(database_url)


@pytest.fixture
def clock(client) -> FakeClock:
    """One fake clock for the cart use cases, the hubs and the dispatcher."""
    fake = FakeClock(START)
    services = client.app.state.services
    services.carts.clock = services.hubs.clock = services.dispatcher.clock = fake
    return fake


@pytest.fixture
def hub(client, clock, receiver) -> dict:
    """partner-a listening to every event, as the registration answered."""
    response = client.post(HUB, json={"callback": receiver.url})
    assert response.status_code == 201, response.text
    return response.json()


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
