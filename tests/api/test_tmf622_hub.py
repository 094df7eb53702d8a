"""TMF622's hub (/tmf-api/productOrderingManagement/v4/hub): the same listeners as
/omni-svcs/v1/hub on the same signed delivery, hearing the ProductOrder events unless their
query says otherwise: a productOrder placed, described and cancelled through TMF622."""

from __future__ import annotations

import pytest

from omnicart.config import Settings
from tests.api.conftest import TMF622
from tests.credentials import OTHER_AUTH
from tests.listeners import deliver, listener_settings

HUB = f"{TMF622}/hub"
ORDER_EVENTS = (
    "eventType=ProductOrderCreateEvent,ProductOrderStateChangeEvent,"
    "ProductOrderAttributeValueChangeEvent,CancelProductOrderCreateEvent"
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Not a sandbox: no simulator, so a cancellation completes at once."""
    return listener_settings(database_url)


class TestRegistration:
    def test_a_listener_hears_the_product_order_events_by_default(self, client, receiver):
        response = client.post(HUB, json={"callback": receiver.url})
        assert response.status_code == 201, response.text
        hub = response.json()
        assert (hub["callback"], hub["query"]) == (receiver.url, ORDER_EVENTS)
        assert response.headers["location"] == hub["href"] == f"http://testserver{HUB}/{hub['id']}"
        assert [h["id"] for h in client.get("/omni-svcs/v1/hub").json()] == [hub["id"]]

    def test_unregistering_is_204_then_404_and_another_partners_is_404(self, client, receiver):
        hub = client.post(HUB, json={"callback": receiver.url}).json()
        assert client.delete(f"{HUB}/{hub['id']}", headers=OTHER_AUTH).status_code == 404
        assert client.delete(f"{HUB}/{hub['id']}").status_code == 204
        gone = client.delete(f"{HUB}/{hub['id']}")
        assert (gone.status_code, gone.json()["@type"]) == (404, "Error")


class TestDelivery:
    def test_an_order_placed_described_and_cancelled_is_heard_signed(self, client, receiver):
        hub = client.post(HUB, json={"callback": receiver.url}).json()
        order = client.post(f"{TMF622}/productOrder", json={"productOrderItem": [{"id": "1", "action": "add"}]}).json()
        patched = client.patch(f"{TMF622}/productOrder/{order['id']}", json={"priority": "1"})
        assert patched.status_code == 200, patched.text
        cancelled = client.post(f"{TMF622}/cancelProductOrder", json={"productOrder": {"id": order["id"]}})
        assert cancelled.status_code == 201, cancelled.text
        assert deliver(client) == 5
        assert receiver.event_types() == [
            "ProductOrderCreateEvent",
            "ProductOrderAttributeValueChangeEvent",
            "CancelProductOrderCreateEvent",
            "ProductOrderStateChangeEvent",
            "ProductOrderStateChangeEvent",
        ]
        for received in receiver.received:
            assert received.signature == received.expected_signature(hub["secret"])
        snapshots = [received.event["event"] for received in receiver.received]
        assert [snapshot.get("productOrder", {}).get("state") for snapshot in snapshots] == [
            "Submitted",
            "Submitted",
            None,
            "PendingCancel",
            "Cancelled",
        ]
        assert snapshots[2]["cancelProductOrder"] == {
            "id": order["id"],
            "productOrder": {"id": order["id"], "@referredType": "ProductOrder"},
            "state": "inProgress",
            "creationDate": snapshots[3]["productOrder"]["lastUpdate"],
            "@type": "CancelProductOrder",
        }
