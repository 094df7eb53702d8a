"""TMF663's hub (/tmf-api/shoppingCart/v4/hub): the same listeners as /omni-svcs/v1/hub on
the same signed delivery, hearing the ShoppingCart events unless their query says
otherwise; a TMF663 change is heard as the carrier path's change is."""

from __future__ import annotations

import pytest

from omnicart.config import Settings
from tests.api.conftest import TMF663
from tests.api.test_tmf663 import CHARGERS
from tests.credentials import OTHER_AUTH
from tests.listeners import deliver, listener_settings
from tests.tmf.answers import tmf_error

HUB = f"{TMF663}/hub"
SHOPPING_CARTS = f"{TMF663}/shoppingCart"
CART_EVENTS = (
    "eventType=ShoppingCartCreateEvent,ShoppingCartAttributeValueChangeEvent,"
    "ShoppingCartStateChangeEvent,ShoppingCartDeleteEvent"
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return listener_settings(database_url)


class TestRegistration:
    def test_a_listener_hears_the_shopping_cart_events_by_default(self, client, receiver):
        response = client.post(HUB, json={"callback": receiver.url})
        assert response.status_code == 201, response.text
        hub = response.json()
        assert (hub["callback"], hub["query"]) == (receiver.url, CART_EVENTS)
        assert response.headers["location"] == hub["href"] == f"http://testserver{HUB}/{hub['id']}"
        assert hub["secret"].startswith("whsec_")
        listed = client.get("/omni-svcs/v1/hub").json()  # one listener, whichever path made it
        assert [h["id"] for h in listed] == [hub["id"]]

    def test_a_query_chooses_the_events(self, client, receiver):
        hub = client.post(HUB, json={"callback": receiver.url, "query": "eventType=ShoppingCartDeleteEvent"}).json()
        assert hub["query"] == "eventType=ShoppingCartDeleteEvent"

    def test_a_bad_registration_is_a_tmf_error(self, client):
        tmf_error(client.post(HUB, json={"callback": "ftp://x"}), 400, field="callback")
        tmf_error(client.post(HUB, json={"callback": "https://partner.example.com", "query": "state=x"}), 400)

    def test_unregistering_is_204_then_404_and_another_partners_is_404(self, client, receiver):
        hub = client.post(HUB, json={"callback": receiver.url}).json()
        tmf_error(client.delete(f"{HUB}/{hub['id']}", headers=OTHER_AUTH), 404)
        assert client.delete(f"{HUB}/{hub['id']}").status_code == 204
        tmf_error(client.delete(f"{HUB}/{hub['id']}"), 404)


class TestDelivery:
    def test_tmf663_changes_are_delivered_signed_with_the_carts_snapshot(self, client, receiver):
        hub = client.post(HUB, json={"callback": receiver.url}).json()
        cart = client.post(SHOPPING_CARTS, json={}).json()
        assert client.patch(f"{SHOPPING_CARTS}/{cart['id']}", json={"cartItem": [CHARGERS]}).status_code == 200
        assert client.delete(f"{SHOPPING_CARTS}/{cart['id']}").status_code == 204
        assert deliver(client) == 3
        assert receiver.event_types() == [
            "ShoppingCartCreateEvent",
            "ShoppingCartAttributeValueChangeEvent",
            "ShoppingCartDeleteEvent",
        ]
        for received in receiver.received:
            assert received.signature == received.expected_signature(hub["secret"])
            assert received.event["event"]["shoppingCart"]["id"] == cart["id"]
