"""Create, read and abandon a cart over HTTP (Create Cart v1.0.3 and omnicart's GET/DELETE)."""

from __future__ import annotations

import re
import uuid

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.api.conftest import CARTS, assert_error
from tests.credentials import AUTH

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class TestCreateCart:
    def test_the_seed_request_creates_a_draft_cart(self, client, seed_request):
        response = client.post(CARTS, json=seed_request, headers={"accept": "application/json"})

        assert response.status_code == 201
        cart = response.json()
        assert uuid.UUID(cart["id"]).version == 1
        assert response.headers["location"] == f"http://testserver{CARTS}/{cart['id']}"
        assert cart["href"] == response.headers["location"]
        assert response.headers["etag"] == '"1"'
        assert cart["version"] == 1
        assert cart["state"] == "Draft"
        assert cart["channel"] == seed_request["channel"]
        assert cart["relatedParty"] == seed_request["relatedParty"]
        assert cart["productOrderItem"] == []
        assert [p["name"] for p in cart["orderTotalPrice"]] == ["Due today", "Monthly recurring"]
        assert set(cart["validation"]) == {"status", "readyToSubmit", "validationMessage", "configuration"}
        assert cart["validation"]["readyToSubmit"] is False
        assert TIMESTAMP.match(cart["creationDate"])
        assert cart["lastUpdate"] == cart["creationDate"]

    def test_unknown_fields_are_kept_and_echoed_at_every_level(self, client, seed_request):
        seed_request["salesChannelNote"] = {"free": ["form", 1, True, None]}
        seed_request["channel"]["storeNumber"] = "BBY-0042"
        seed_request["channel"]["extensions"][0]["source"] = "kiosk"
        seed_request["relatedParty"][2]["contactMedium"] = [{"email": "a@example.com"}]
        seed_request["items"] = [
            {
                "action": "add",
                "productOfferingType": "SIM",
                "promoCode": "X1",
                "product": {"place": [{"id": "000011VYAA", "role": "PPU", "floor": 3}]},
            }
        ]

        created = client.post(CARTS, json=seed_request).json()
        read = client.get(f"{CARTS}/{created['id']}").json()

        for cart in (created, read):
            assert cart["salesChannelNote"] == {"free": ["form", 1, True, None]}
            assert cart["channel"] == seed_request["channel"]
            assert cart["relatedParty"] == seed_request["relatedParty"]
            (item,) = cart["productOrderItem"]
            assert item["promoCode"] == "X1"
            assert item["product"] == {"place": [{"id": "000011VYAA", "role": "PPU", "floor": 3}]}

    def test_fields_the_service_owns_cannot_be_set_by_the_client(self, client, seed_request):
        seed_request.update({"id": "mine", "version": 99, "state": "Completed", "href": "x"})
        cart = client.post(CARTS, json=seed_request).json()
        assert (cart["version"], cart["state"]) == (1, "Draft")
        assert cart["id"] != "mine" and cart["href"] != "x"

    def test_a_charset_parameter_on_the_content_type_is_accepted(self, client, seed_request):
        import json

        response = client.post(
            CARTS, content=json.dumps(seed_request), headers={"content-type": "application/json;charset=utf-8"}
        )
        assert response.status_code == 201


class TestReadCart:
    def test_reading_returns_the_same_product_order(self, client, cart):
        response = client.get(f"{CARTS}/{cart['id']}")
        assert response.status_code == 200
        assert response.json() == cart
        assert response.headers["etag"] == '"1"'

    def test_if_none_match_with_the_current_etag_answers_304(self, client, cart):
        response = client.get(f"{CARTS}/{cart['id']}", headers={"if-none-match": '"1"'})
        assert response.status_code == 304
        assert response.content == b""

    @pytest.mark.parametrize("cart_id", ["f7fd5ac7-eb2a-11f1-87e0-d5d527b0df57", "not-a-uuid", "%00", "x" * 300])
    def test_an_unknown_or_malformed_id_answers_404(self, client, cart_id):
        assert_error(client.get(f"{CARTS}/{cart_id}"), 404, "OMNICART-CART-0404")

    def test_an_unknown_path_answers_404_in_the_error_format(self, client):
        assert_error(client.get("/omni-svcs/v1/nothing"), 404)

    def test_an_unsupported_method_answers_405_in_the_error_format(self, client):
        assert_error(client.put(CARTS, json={}), 405)


class TestAbandonCart:
    def test_a_draft_cart_is_gone_after_delete(self, client, cart):
        assert client.delete(f"{CARTS}/{cart['id']}").status_code == 204
        assert_error(client.get(f"{CARTS}/{cart['id']}"), 404)
        assert_error(client.delete(f"{CARTS}/{cart['id']}"), 404)


def _nothing_written(client) -> None:
    assert client.get(CARTS).json() == []


class TestBadInput:
    """Every class of bad input: a clear error in the one format, and nothing written."""

    def test_malformed_json(self, client):
        response = client.post(CARTS, content=b'{"channel": ', headers={"content-type": "application/json"})
        body = assert_error(response, 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002")
        assert "malformed JSON" in body["message"]
        _nothing_written(client)

    @pytest.mark.parametrize("payload", [b"[]", b'"cart"', b"null", b"42", b"true"])
    def test_a_body_that_is_not_an_object(self, client, payload):
        response = client.post(CARTS, content=payload, headers={"content-type": "application/json"})
        assert_error(response, 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002", field="$")
        _nothing_written(client)

    @pytest.mark.parametrize(
        ("mutate", "field"),
        [
            (lambda r: r["relatedParty"][1].update(role=7), "relatedParty[1].role"),
            (lambda r: r.update(channel="IND"), "channel"),
            (lambda r: r.update(relatedParty={"id": "x"}), "relatedParty"),
            (lambda r: r["channel"]["extensions"][1].update(value=["a"]), "channel.extensions[1].value"),
            (lambda r: r.update(items=[{"quantity": "two"}]), "items[0].quantity"),
            (lambda r: r.update(items=[{"quantity": 0}]), "items[0].quantity"),
            (lambda r: r["relatedParty"][0].update(id=""), "relatedParty[0].id"),
        ],
    )
    def test_a_wrong_type_names_the_field_path(self, client, seed_request, mutate, field):
        mutate(seed_request)
        assert_error(
            client.post(CARTS, json=seed_request), 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002", field=field
        )
        _nothing_written(client)

    @pytest.mark.parametrize(
        ("mutate", "field"),
        [
            (lambda r: r.pop("channel"), "channel"),
            (lambda r: r.pop("relatedParty"), "relatedParty"),
            (lambda r: r["channel"].pop("id"), "channel.id"),
            (lambda r: r["relatedParty"][2].pop("role"), "relatedParty[2].role"),
        ],
    )
    def test_a_missing_required_field_is_named(self, client, seed_request, mutate, field):
        mutate(seed_request)
        assert_error(
            client.post(CARTS, json=seed_request), 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001", field=field
        )
        _nothing_written(client)

    @pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
    def test_a_body_that_is_not_json_answers_415(self, client, seed_request, content_type):
        import json

        headers = {"content-type": content_type} if content_type else {}
        response = client.post(CARTS, content=json.dumps(seed_request), headers=headers)
        assert_error(response, 415, "OMNICART-REQUEST-0002")
        _nothing_written(client)

    def test_a_body_over_the_limit_answers_413(self, client, seed_request):
        seed_request["padding"] = "x" * (1024 * 1024)
        assert_error(client.post(CARTS, json=seed_request), 413, "OMNICART-REQUEST-0001")
        _nothing_written(client)

    def test_a_chunked_body_over_the_limit_answers_413(self, client):
        def chunks():
            yield b'{"channel": {"id": "IND"}, "relatedParty": [], "padding": "'
            for _ in range(70):
                yield b"x" * 16384
            yield b'"}'

        response = client.post(CARTS, content=chunks(), headers={"content-type": "application/json"})
        assert_error(response, 413)
        _nothing_written(client)

    def test_a_string_over_the_limit_answers_422_naming_it(self, client, seed_request):
        seed_request["relatedParty"][1]["name"] = "R" * 5000
        assert_error(client.post(CARTS, json=seed_request), 422, "OMNICART-LIMIT-0001", field="relatedParty[1].name")
        _nothing_written(client)

    def test_too_many_extensions_answer_422(self, client, seed_request):
        seed_request["channel"]["extensions"] = [{"name": f"e{i}", "value": "v"} for i in range(51)]
        assert_error(client.post(CARTS, json=seed_request), 422, field="channel.extensions")
        _nothing_written(client)

    def test_deep_nesting_answers_422(self, client, seed_request):
        deep: dict = {}
        node = deep
        for _ in range(40):
            node["n"] = {}
            node = node["n"]
        seed_request["deep"] = deep
        assert_error(client.post(CARTS, json=seed_request), 422)
        _nothing_written(client)

    def test_invalid_utf8_is_malformed_json(self, client):
        response = client.post(CARTS, content=b'{"channel": "\xff\xfe"}', headers={"content-type": "application/json"})
        assert_error(response, 400)
        _nothing_written(client)


class TestDurability:
    def test_a_cart_survives_a_restart(self, settings, seed_request):
        with TestClient(create_app(settings), headers=AUTH) as first:
            created = first.post(CARTS, json=seed_request).json()
        with TestClient(create_app(settings), headers=AUTH) as second:
            assert second.get(f"{CARTS}/{created['id']}").json() == created


class TestOperations:
    def test_health_and_readiness(self, client):
        assert client.get("/health").json() == {"status": "ok"}
        assert client.get("/ready").json() == {"status": "ready"}

    def test_a_request_id_is_echoed_or_generated(self, client):
        assert client.get("/health", headers={"x-request-id": "abc-123"}).headers["x-request-id"] == "abc-123"
        assert len(client.get("/health").headers["x-request-id"]) == 32
        assert client.get("/health", headers={"x-request-id": "bad id\n"}).headers["x-request-id"] != "bad id\n"

    def test_every_response_carries_security_headers(self, client):
        headers = client.get("/health").headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"

    def test_the_openapi_document_describes_create_cart(self, client):
        document = client.get("/openapi.json").json()
        operation = document["paths"]["/omni-svcs/v1/carts"]["post"]
        assert operation["operationId"] == "createCart"
        assert "CartCreate" in document["components"]["schemas"]
        assert set(document["components"]["schemas"]["RelatedParty"]["required"]) == {"id", "role", "referredType"}

    def test_the_docs_page_is_served_with_its_assets(self, client):
        page = client.get("/docs")
        assert page.status_code == 200 and "swagger-ui" in page.text
        assert client.get("/docs/static/swagger-ui-bundle.js").status_code == 200


class TestHostileStrings:
    def test_a_nul_character_anywhere_is_refused(self, client, seed_request):
        seed_request["relatedParty"][0]["name"] = "a\u0000b"
        assert_error(client.post(CARTS, json=seed_request), 400, field="relatedParty[0].name")
        _nothing_written(client)

    def test_a_nul_character_in_a_field_name_is_refused(self, client, seed_request):
        seed_request["bad\u0000key"] = 1
        assert_error(client.post(CARTS, json=seed_request), 400)
        _nothing_written(client)

    def test_non_ascii_text_round_trips(self, client, seed_request):
        seed_request["relatedParty"][1]["name"] = "Müller & Søn — 東京 🛒"
        cart = client.post(CARTS, json=seed_request).json()
        assert client.get(f"{CARTS}/{cart['id']}").json()["relatedParty"][1]["name"] == "Müller & Søn — 東京 🛒"
