"""TMF630's conventions as the TMF663 facade answers them (docs/tmf.md), on SQLite and
PostgreSQL: attribute filters run in the store, `?fields=`, paging with X-Result-Count,
X-Total-Count and 206, and the TMF Error body for every 4xx/5xx in both status profiles."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.api.conftest import TMF663
from tests.api.test_tmf663 import create
from tests.credentials import AUTH
from tests.tmf.answers import tmf_error

SHOPPING_CARTS = f"{TMF663}/shoppingCart"
BASE = "http://testserver"


@pytest.fixture
def three(client) -> list[str]:
    """Three carts' ids, oldest first."""
    return [create(client)["id"] for _ in range(3)]


class TestFilters:
    def test_id_finds_that_cart_alone(self, client, three):
        response = client.get(SHOPPING_CARTS, params={"id": three[1]})
        assert [cart["id"] for cart in response.json()] == [three[1]]
        assert (response.status_code, response.headers["x-total-count"]) == (200, "1")

    def test_href_finds_the_cart_it_names(self, client, three):
        response = client.get(SHOPPING_CARTS, params={"href": f"{BASE}{SHOPPING_CARTS}/{three[0]}"})
        assert [cart["id"] for cart in response.json()] == [three[0]]

    @pytest.mark.parametrize(
        "href",
        [
            f"http://elsewhere.example{SHOPPING_CARTS}/{{id}}",
            f"{BASE}/omni-svcs/v1/carts/{{id}}",
            f"{BASE}{SHOPPING_CARTS}/",
        ],
    )
    def test_an_href_of_another_collection_finds_nothing(self, client, three, href):
        response = client.get(SHOPPING_CARTS, params={"href": href.format(id=three[0])})
        assert (response.status_code, response.json(), response.headers["x-total-count"]) == (200, [], "0")

    def test_id_and_href_of_different_carts_find_nothing(self, client, three):
        params = {"id": three[0], "href": f"{BASE}{SHOPPING_CARTS}/{three[1]}"}
        assert client.get(SHOPPING_CARTS, params=params).json() == []

    @pytest.mark.parametrize("name", ["state", "orderDate.gt", "customerId", "cartItem.id"])
    def test_a_filter_the_cart_does_not_have_is_a_400_naming_it(self, client, name):
        tmf_error(client.get(SHOPPING_CARTS, params={name: "x"}), 400, field=name)


class TestFields:
    def test_a_read_keeps_the_named_attributes_and_id_href_type(self, client):
        made = create(client, {"contactMedium": [{"mediumType": "email"}]})
        response = client.get(f"{SHOPPING_CARTS}/{made['id']}", params={"fields": "contactMedium,cartItem.id"})
        assert response.json() == {
            "id": made["id"],
            "href": made["href"],
            "@type": "ShoppingCart",
            "contactMedium": [{"mediumType": "email"}],
            "cartItem": [],
        }

    def test_a_malformed_list_is_a_400(self, client):
        tmf_error(client.get(SHOPPING_CARTS, params={"fields": "id,,href"}), 400, field="fields")


class TestPaging:
    def test_the_whole_collection_is_a_200(self, client, three):
        response = client.get(SHOPPING_CARTS)
        assert response.status_code == 200
        assert [cart["id"] for cart in response.json()] == three[::-1]  # most recently changed first
        assert (response.headers["x-result-count"], response.headers["x-total-count"]) == ("3", "3")

    @pytest.mark.parametrize(
        ("params", "shown", "result_count"),
        [({"limit": 2}, [2, 1], "2"), ({"offset": 2}, [0], "1"), ({"offset": 1, "limit": 1}, [1], "1")],
    )
    def test_a_part_of_it_is_a_206_with_the_counts(self, client, three, params, shown, result_count):
        response = client.get(SHOPPING_CARTS, params=params)
        assert response.status_code == 206
        assert [cart["id"] for cart in response.json()] == [three[i] for i in shown]
        assert (response.headers["x-result-count"], response.headers["x-total-count"]) == (result_count, "3")

    def test_the_document_says_a_list_answers_206_with_the_same_body(self, client):
        responses = client.get("/openapi.json").json()["paths"][SHOPPING_CARTS]["get"]["responses"]
        assert responses["206"]["content"] == responses["200"]["content"]
        assert set(responses["206"]["headers"]) == {"X-Result-Count", "X-Total-Count", "Link"}

    def test_past_the_end_is_an_empty_206(self, client, three):
        response = client.get(SHOPPING_CARTS, params={"offset": 5})
        assert (response.status_code, response.json(), response.headers["x-total-count"]) == (206, [], "3")

    @pytest.mark.parametrize(("name", "value"), [("limit", "0"), ("limit", "101"), ("offset", "-1")])
    def test_a_bound_outside_its_range_is_a_400(self, client, name, value):
        tmf_error(client.get(SHOPPING_CARTS, params={name: value}), 400, field=name)


class TestErrors:
    @pytest.mark.parametrize(
        ("method", "path", "status"),
        [
            ("GET", f"{TMF663}/nothing", 404),
            ("PUT", SHOPPING_CARTS, 405),
            ("GET", "/tmf-api/productOrderingManagement/v4/nothing", 404),
            ("PUT", "/tmf-api/productOrderingManagement/v4/productOrder", 405),
        ],
    )
    def test_the_routers_answers_are_tmf_errors(self, client, method, path, status):
        tmf_error(client.request(method, path), status)

    def test_a_carrier_path_keeps_omnicarts_error_body(self, client):
        body = client.get("/omni-svcs/v1/carts/nothing").json()
        assert set(body) == {"code", "message", "status", "details"}


@pytest.fixture(params=["omnicart", "carrier"])
def profiled(request, settings):
    chosen = dataclasses.replace(settings, profile=request.param)
    with TestClient(create_app(chosen), raise_server_exceptions=False, headers=AUTH) as client:
        yield client, request.param


class TestBothProfiles:
    def test_a_create_is_201_or_the_carriers_200(self, profiled):
        client, profile = profiled
        response = client.post(SHOPPING_CARTS, json={})
        assert response.status_code == {"omnicart": 201, "carrier": 200}[profile]
        assert response.headers["location"] == response.json()["href"]

    def test_the_errors_status_is_the_one_sent(self, profiled):
        client, profile = profiled
        response = client.post(SHOPPING_CARTS, content=b"{}", headers={"content-type": "text/plain"})
        tmf_error(response, {"omnicart": 415, "carrier": 400}[profile], "OMNICART-REQUEST-0002")
        tmf_error(client.get(f"{SHOPPING_CARTS}/nothing"), 404)
