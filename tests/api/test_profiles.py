"""The carrier's status-code profile (issue 10, point 4): OMNICART_PROFILE=carrier answers
success 200, input errors 400 and business-rule rejections 500 with the carrier's codes and
details; bodies are identical; the OpenAPI document and docs/profiles.md say the same."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from omnicart.api.answers import answers_table
from omnicart.api.app import create_app
from omnicart.api.operations import OPERATIONS
from omnicart.api.profiles import CARRIER, OMNICART
from omnicart.config import Settings
from tests.api.conftest import CARTS, CHECKOUT, PAYMENT_METHODS, assert_error, submit_url
from tests.carts import line, payment_request
from tests.credentials import AUTH

NOT_READY = "OMNICART-CART-0001"
DOC = Path(__file__).parents[2] / "docs" / "profiles.md"


@pytest.fixture(params=["omnicart", "carrier"])
def profiled(request, settings):
    """A sandbox client in each profile, and the profile."""
    profile = {"omnicart": OMNICART, "carrier": CARRIER}[request.param]
    chosen = dataclasses.replace(settings, profile=request.param, sandbox=True, fulfilment_poll_seconds=3600)
    with TestClient(create_app(chosen), raise_server_exceptions=False, headers=AUTH) as client:
        yield client, profile


def _documented_table() -> str:
    text = DOC.read_text()
    return text.split("<!-- answers:begin -->\n", 1)[1].split("<!-- answers:end -->", 1)[0]


CART = CARTS + "/{cartId}"
SUBMIT = CART + "/express-submit"
HUB = "/omni-svcs/v1/hub"
# The statuses the OpenAPI document lists for an operation, in each profile (docs/profiles.md):
# success 200, input errors (413, 415, a limit's or a reused key's 422) 400, business-rule
# rejections 500; what the carrier says nothing about keeps its meaning.
DOCUMENTED_STATUSES = {
    ("POST", CARTS): {
        "omnicart": {"201", "400", "406", "401", "403", "409", "413", "415", "422", "429", "503"},
        "carrier": {
            "200",
            "400",
            "406",
            "401",
            "403",
            "409",
            "429",
            "500",
            "503",
        },  # 500: OAV (mock-scenario cart_rejected)
    },
    ("GET", CART): {
        "omnicart": {"200", "304", "400", "406", "401", "403", "404", "429", "503"},
        "carrier": {"200", "304", "400", "406", "401", "403", "404", "429", "503"},
    },
    ("DELETE", CART): {
        "omnicart": {"204", "400", "406", "401", "403", "404", "409", "412", "429", "503"},
        "carrier": {"204", "400", "406", "401", "403", "404", "409", "412", "429", "503"},
    },
    ("POST", SUBMIT): {
        "omnicart": {"200", "400", "406", "401", "403", "404", "409", "412", "413", "415", "422", "429", "501", "503"},
        "carrier": {"200", "400", "406", "401", "403", "404", "409", "412", "429", "500", "501", "503"},
    },
    ("POST", CHECKOUT): {
        "omnicart": {"200", "400", "406", "401", "403", "404", "409", "413", "415", "422", "429", "501", "502", "503"},
        "carrier": {"200", "400", "406", "401", "403", "404", "409", "429", "500", "501", "503"},
    },
    ("POST", HUB): {
        "omnicart": {"201", "400", "406", "401", "403", "409", "413", "415", "422", "429", "503"},
        "carrier": {"200", "400", "406", "401", "403", "409", "429", "503"},
    },
    ("POST", "/oauth/token"): {"omnicart": {"200", "400", "406", "401"}, "carrier": {"200", "400", "406", "401"}},
}
# Rows of docs/profiles.md: operation, answer, code, omnicart's status, the carrier's.
DOCUMENTED_ROWS = [
    "| `POST /omni-svcs/v1/carts` | success: Cart created |  | 201 | 200 |",
    "| `POST /omni-svcs/v1/carts` | The body is larger than the configured limit |  | 413 | 400 |",
    "| `POST /omni-svcs/v1/carts` | Content-Type is not application/json |  | 415 | 400 |",
    "| `POST /omni-svcs/v1/carts` | A configured limit is exceeded (details.errors names the field and the limit)"
    " |  | 422 | 400 |",
    "| `POST /omni-svcs/v1/carts` | This Idempotency-Key was already used for a different request |  | 422 | 400 |",
    "| `POST /omni-svcs/v1/carts` | A request with this Idempotency-Key is still being processed; retry after"
    " Retry-After seconds |  | 409 | 409 |",
    "| `POST /omni-svcs/v1/carts` | Missing, invalid, expired or revoked credentials |  | 401 | 401 |",
    "| `POST /omni-svcs/v1/carts` | The partner's rate limit is exhausted; retry after Retry-After seconds"
    " |  | 429 | 429 |",
    "| `GET /omni-svcs/v1/carts/{cartId}` | Not modified: If-None-Match names the current ETag |  | 304 | 304 |",
    "| `GET /omni-svcs/v1/carts/{cartId}` | No such cart for this partner |  | 404 | 404 |",
    "| `GET /omni-svcs/v1/carts/{cartId}` | Accept allows no media type this operation answers (details.mediaTypes)"
    " |  | 406 | 406 |",
    "| `DELETE /omni-svcs/v1/carts/{cartId}` | success: Abandoned |  | 204 | 204 |",
    "| `DELETE /omni-svcs/v1/carts/{cartId}` | If-Match names a version that is no longer current"
    " (details.currentETag) |  | 412 | 412 |",
    "| `POST /omni-svcs/v1/carts/{cartId}/express-submit` | The cart is not ready to submit:"
    " details.validationMessage (its errors) and details.configuration (required steps still pending)"
    f" | `{NOT_READY}` | 422 | 500 |",
    "| `POST /omni-svcs/v1/carts/{cartId}/express-submit` | The order system rejected the order (details.reason);"
    " in the sandbox, mock-scenario submit_rejected (NN: 03 to 15) | `EXTSALESOPS-CART_CREATE-OAV-00NN` | 422 | 500 |",
    "| `POST /omni-svcs/v1/checkout` | Required fields missing | `EXTSALESOPS-ORDER_CREATE-FULFILLMENT_OPTIONS-0001`"
    " | 400 | 400 |",
    "| `POST /omni-svcs/v1/checkout` | The provider behind it failed or timed out (sandbox: mock-scenario"
    " downstream_failure) | `EXTSALESOPS-ORDER_CREATE-PURCHASE_ORDER-0002` | 502 | 500 |",
    "| `POST /omni-svcs/v1/hub` | success: Registered |  | 201 | 200 |",
    "| `POST /omni-svcs/v1/orders/{orderId}/cancel` | The order is final (Completed, Partial, Failed) and cannot"
    " be cancelled |  | 409 | 409 |",
    "| `POST /oauth/token` | invalid_client: unknown client or wrong secret |  | 401 | 401 |",
]


def _body_without_status(response) -> dict:
    return {k: v for k, v in response.json().items() if k != "status"}


class TestAnswers:
    def test_success_is_200_in_the_carriers_profile_and_location_is_still_sent(self, profiled, seed_request):
        client, profile = profiled
        created = client.post(CARTS, json=seed_request)
        assert created.status_code == (200 if profile is CARRIER else 201)
        assert created.headers["location"].endswith(created.json()["id"])
        added = client.post(f"{CARTS}/{created.json()['id']}/items", json={"items": line()})
        assert added.status_code == 200
        replayed = client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k"})
        again = client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k"})
        assert replayed.status_code == again.status_code == created.status_code and again.content == replayed.content

    def test_input_errors_are_400(self, profiled, seed_request):
        client, profile = profiled
        not_json = client.post(CARTS, content=b"x", headers={"content-type": "text/plain"})
        assert_error(not_json, 400 if profile is CARRIER else 415, "OMNICART-REQUEST-0002")
        over = client.post(CARTS, json={**seed_request, "relatedParty": seed_request["relatedParty"] * 10})  # 30 > 20
        assert_error(over, 400 if profile is CARRIER else 422, "OMNICART-LIMIT-0001")
        bad = client.post(CARTS, json={**seed_request, "channel": {}})
        assert_error(bad, 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001")

    def test_a_cart_not_ready_to_submit_is_a_500_with_the_carriers_code_and_details(self, profiled, seed_request):
        client, profile = profiled
        seed_request["items"] = line()
        cart = client.post(CARTS, json=seed_request).json()
        response = client.post(submit_url(cart["id"]))
        body = assert_error(response, 500 if profile is CARRIER else 422, NOT_READY)
        assert [s["type"] for s in body["details"]["configuration"]] == ["terms", "payment"]

    def test_a_mock_scenario_rejection_is_a_500_with_the_oav_code(self, profiled, seed_request):
        client, profile = profiled
        seed_request["items"] = line()
        cart = client.post(CARTS, json=seed_request).json()
        client.post(PAYMENT_METHODS, json=payment_request(cart["id"]))
        response = client.post(submit_url(cart["id"]), headers={"mock-scenario": "submit_rejected;reason=0003"})
        body = assert_error(response, 500 if profile is CARRIER else 422, "EXTSALESOPS-CART_CREATE-OAV-0003")
        assert body["details"] == {"reason": "the customer's account has past due balances"}
        assert client.post(submit_url(cart["id"])).status_code == 200

    def test_other_answers_keep_their_meaning(self, profiled):
        client, _ = profiled
        assert_error(client.get(f"{CARTS}/dea79fb0-21c4-11f1-8527-67c36c11d002"), 404, "OMNICART-CART-0404")
        assert_error(client.get(CARTS, headers={"Authorization": "Bearer nope"}), 401)


def test_bodies_are_identical_in_both_profiles(settings, seed_request):
    answers = {}
    for name in ("omnicart", "carrier"):
        with TestClient(create_app(dataclasses.replace(settings, profile=name)), headers=AUTH) as client:
            seed_request["items"] = line()
            cart = client.post(CARTS, json=seed_request).json()
            answers[name] = _body_without_status(client.post(submit_url(cart["id"])))
            answers[name]["message"] = answers[name]["message"].replace(cart["id"], "<id>")
    assert answers["omnicart"] == answers["carrier"]


class TestDocuments:
    def test_the_openapi_document_shows_the_profiles_statuses(self, profiled):
        client, profile = profiled
        paths = client.get("/openapi.json").json()["paths"]
        create = paths[CARTS]["post"]["responses"]
        submit = paths[CARTS + "/{cartId}/express-submit"]["post"]["responses"]
        if profile is CARRIER:
            assert "200" in create and "201" not in create and "415" not in create
            assert NOT_READY in submit["500"]["description"] and "422" not in submit
        else:
            assert "201" in create and "415" in create
            assert NOT_READY in submit["422"]["description"]

    @pytest.mark.parametrize(
        ("operation", "statuses"), [pytest.param(*item, id=" ".join(item[0])) for item in DOCUMENTED_STATUSES.items()]
    )
    def test_the_openapi_document_lists_each_operations_statuses_in_the_profile(self, profiled, operation, statuses):
        client, profile = profiled
        method, path = operation
        responses = client.get("/openapi.json").json()["paths"][path][method.lower()]["responses"]
        assert set(responses) == statuses["carrier" if profile is CARRIER else "omnicart"]

    def test_docs_profiles_md_gives_each_answer_in_both_profiles(self):
        documented = _documented_table().splitlines()
        for row in DOCUMENTED_ROWS:
            assert row in documented, row

    def test_docs_profiles_md_is_the_table_the_code_makes(self):
        # Freshness of the generated document; what it says is checked just above.
        assert _documented_table() == answers_table(OPERATIONS), "regenerate with: python -m omnicart.api.answers"

    def test_the_table_maps_every_answer_by_the_one_rule(self):
        assert CARRIER.status(201) == 200 and CARRIER.status(415) == 400 and CARRIER.status(422) == 400
        assert CARRIER.status(422, NOT_READY) == 500 and OMNICART.status(422, NOT_READY) == 422
        assert CARRIER.status(404) == 404 and CARRIER.status(204) == 204


def test_an_unknown_profile_is_refused(monkeypatch):
    monkeypatch.setenv("OMNICART_PROFILE", "att")
    with pytest.raises(ValueError, match="OMNICART_PROFILE"):
        Settings.from_env()
    monkeypatch.setenv("OMNICART_PROFILE", "Carrier")
    assert Settings.from_env().profile == "carrier"
