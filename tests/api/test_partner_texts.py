"""What a partner reads in an answer is usable as it is (issue 20, point 7): an `Accept`
the API cannot satisfy is a 406 in the error format, every `href` and `Location` is an
absolute URL, an error reason never ends in an empty list, and every timestamp in a text
is in the carrier's `…Z` form."""

from __future__ import annotations

import pytest

from omnicart.api.app import create_app
from tests.api.conftest import CARTS, assert_error
from tests.carts import CHARGER, RETIRED

OFFERINGS = "/omni-svcs/v1/productOfferings"
HUB = "/omni-svcs/v1/hub"
ORDERS = "/omni-svcs/v1/orders"


class TestAccept:
    @pytest.mark.parametrize(
        "accept",
        [
            "application/xml",
            "text/html",
            "text/plain, application/xml;q=0.9",
            "application/json;q=0",
            "application/json;q=0, */*",
            "application/*;q=0",
        ],
    )
    def test_without_json_is_a_406_and_nothing_is_created(self, client, seed_request, accept):
        response = client.post(CARTS, json=seed_request, headers={"Accept": accept})
        body = assert_error(response, 406, "OMNICART-REQUEST-0406")
        assert body["details"] == {"mediaTypes": ["application/json"]}
        assert client.get(CARTS).json() == []

    @pytest.mark.parametrize(
        "accept",
        [
            None,
            "",
            "*/*",
            "application/*",
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/json;q=0.1",
            "text/html, application/xml;q=0.9, */*;q=0.8",  # a browser's
            "application/xml, application/json;q=0.5",
            "application/json;q=banana",
        ],
    )
    def test_json_or_anything_is_served(self, client, seed_request, accept):
        headers = {} if accept is None else {"Accept": accept}
        assert client.post(CARTS, json=seed_request, headers=headers).status_code == 201

    def test_reads_are_negotiated_too(self, client, cart):
        assert_error(client.get(f"{CARTS}/{cart['id']}", headers={"Accept": "application/xml"}), 406)
        assert_error(client.get(OFFERINGS, headers={"Accept": "text/csv"}), 406)

    def test_the_graphql_schema_is_served_as_text(self, client):
        schema = "/omni-svcs/v1/orders/query/schema"
        assert client.get(schema, headers={"Accept": "text/plain"}).status_code == 200
        body = assert_error(client.get(schema, headers={"Accept": "application/json"}), 406)
        assert body["details"] == {"mediaTypes": ["text/plain"]}

    def test_credentials_are_checked_first(self, client):
        response = client.get(CARTS, headers={"Accept": "application/xml", "Authorization": "Bearer nope"})
        assert_error(response, 401)

    def test_the_console_and_the_probes_are_not_api_paths(self, client):
        assert client.get("/console/", headers={"Accept": "text/html"}).status_code != 406
        assert client.get("/health", headers={"Accept": "text/html"}).status_code == 200
        assert client.get("/docs", headers={"Accept": "text/html"}).status_code == 200


class TestAbsoluteHrefs:
    """Every href and Location is the public base URL (or, without one, the request's
    scheme and Host) and the resource's path."""

    BASE = "https://carts.example.com"

    @pytest.fixture
    def public(self, settings, monkeypatch):
        import dataclasses

        from starlette.testclient import TestClient

        from tests.credentials import AUTH

        monkeypatch.setattr("omnicart.api.hosts.LOOPBACK_HOSTS", ("testserver",))
        configured = dataclasses.replace(settings, public_base_url=self.BASE + "/")
        with TestClient(create_app(configured), raise_server_exceptions=False, headers=AUTH) as client:
            yield client

    def test_with_a_public_base_url(self, public, seed_request):
        created = public.post(CARTS, json=seed_request)
        cart = created.json()
        assert cart["href"] == created.headers["location"] == f"{self.BASE}{CARTS}/{cart['id']}"
        assert public.get(CARTS).json()[0]["href"] == f"{self.BASE}{CARTS}/{cart['id']}"
        offering = public.get(f"{OFFERINGS}/{CHARGER}").json()
        assert offering["href"] == f"{self.BASE}{OFFERINGS}/{CHARGER}"
        listed = {o["id"]: o["href"] for o in public.get(OFFERINGS).json()}
        assert listed[CHARGER] == f"{self.BASE}{OFFERINGS}/{CHARGER}"
        hub = public.post(HUB, json={"callback": "https://partner.example.com/events"})
        listener = hub.json()
        assert listener["href"] == hub.headers["location"] == f"{self.BASE}{HUB}/{listener['id']}"

    def test_without_one_from_the_request(self, client):
        offering = client.get(f"{OFFERINGS}/{CHARGER}").json()
        assert offering["href"] == f"http://testserver{OFFERINGS}/{CHARGER}"
        assert client.get(OFFERINGS).json()[0]["href"].startswith(f"http://testserver{OFFERINGS}/")


class TestReasons:
    def test_a_bad_item_id_says_what_is_wrong_without_an_empty_list(self, client, cart):
        item = {"productOfferingType": "Accessory", "productOfferingId": CHARGER, "productOrderItemId": "a/b"}
        body = assert_error(client.post(f"{CARTS}/{cart['id']}/items", json={"items": [item]}), 400)
        [error] = body["details"]["errors"]
        assert error["field"] == "items[0].productOrderItemId"
        pattern = r"""^(?!\\.\\.?$)[A-Za-z0-9._~:@!$'()*+,;=-]+$"""
        assert error["reason"] == f'Expected `str` matching regex "{pattern}"'
        assert "accepted values" not in body["message"]


class TestTimestampsInTexts:
    def test_an_offering_no_longer_on_sale_names_the_end_in_the_carriers_form(self, client, cart):
        item = {"productOfferingType": "Mobile_Device", "productOfferingId": RETIRED, "productOrderItemId": "old"}
        changed = client.post(f"{CARTS}/{cart['id']}/items", json={"items": [item]}).json()
        texts = [
            m["text"]
            for m in changed["validation"]["validationMessage"]
            if {"name": "code", "value": "OFFERING_NOT_SELLABLE"} in m["parameter"]
        ]
        assert texts == ["'iPhone 15 128GB' is no longer on sale since 2025-09-19T00:00:00.000Z"]
