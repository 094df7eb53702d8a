"""Sandbox mock scenarios: every scenario docs/sandbox.md lists does what it says there, in
sandbox mode, and nothing at all outside it."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from omnicart.domain.scenarios import SCENARIOS
from tests.api.conftest import (
    CARTS,
    CHECKOUT,
    ORDERS,
    advance,
    assert_error,
    complete_configuration,
    submit_url,
)
from tests.credentials import API_KEYS, AUTH, JWT_SECRET
from tests.unit.test_scenarios import ACCEPTED_NAMES, SCENARIO_NAMES

STEP = 5.0  # the default OMNICART_FULFILMENT_STEP_SECONDS
NOT_READY = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Sandbox mode, with the simulator's loop idle: the tests make due steps with the fake clock."""
    return Settings(
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        database_url=database_url,
        pool_size=4,
        sandbox=True,
        fulfilment_poll_seconds=3600,
    )


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every test here runs on the fake clock, set before any cart is made."""


@pytest.fixture
def submit(client, ready_cart):
    """Submit the ready cart with a mock-scenario; the response."""

    def submit(scenario: str | None = None):
        headers = {"mock-scenario": scenario} if scenario else {}
        return client.post(submit_url(ready_cart["id"]), headers=headers)

    return submit


def states(client, order_id: str) -> list[str]:
    return [c["state"] for c in client.get(f"{ORDERS}/{order_id}").json()["stateHistory"]]


def documented_scenarios() -> list[str]:
    text = (Path(__file__).parents[2] / "docs" / "sandbox.md").read_text()
    section = text.split("\n## Scenarios\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)


def test_every_documented_scenario_exists_and_has_its_tests_here():
    assert documented_scenarios() == SCENARIO_NAMES
    assert list(SCENARIOS) == SCENARIO_NAMES
    classes = {name for name in vars(sys.modules[__name__]) if name.startswith("Test")}
    for scenario in SCENARIO_NAMES:
        assert "Test" + scenario.title().replace("_", "") in classes, scenario


class TestSubmitRejected:
    def test_the_order_system_rejects_the_submit_with_the_carriers_code(self, client, ready_cart, submit):
        body = assert_error(submit("submit_rejected"), 422, "EXTSALESOPS-CART_CREATE-OAV-0013")
        assert body["details"] == {"reason": "the customer already has a pending order"}
        assert client.get(f"{CARTS}/{ready_cart['id']}").json() == ready_cart
        assert client.get(ORDERS).json() == []
        assert submit().status_code == 200  # without the scenario the same cart goes through

    def test_a_reason_picks_another_of_the_carriers_rejections(self, submit):
        body = assert_error(submit("submit_rejected;reason=0003"), 422, "EXTSALESOPS-CART_CREATE-OAV-0003")
        assert "past due" in body["message"]

    def test_a_cart_that_is_not_ready_answers_its_validation_first(self, client, cart):
        response = client.post(submit_url(cart["id"]), headers={"mock-scenario": "submit_rejected"})
        assert_error(response, 422, NOT_READY)


class TestFulfilmentFails:
    def test_the_order_fails_after_the_given_seconds(self, client, clock, submit):
        order = submit("fulfilment_fails;after=5").json()
        advance(client, clock, 4.999)
        assert states(client, order["id"]) == ["Submitted"]
        advance(client, clock, 0.001)
        failed = client.get(f"{ORDERS}/{order['id']}").json()
        assert (failed["state"], failed["mockScenario"]) == ("Failed", "fulfilment_fails;after=5")
        assert failed["stateHistory"][-1]["reason"] == "mock-scenario fulfilment_fails"

    def test_by_default_it_fails_where_it_would_have_completed(self, client, clock, submit):
        order = submit("fulfilment_fails").json()
        advance(client, clock, 3 * STEP - 0.001)
        assert states(client, order["id"]) == ["Submitted", "Acknowledged", "InProgress"]
        advance(client, clock, 0.001)
        assert states(client, order["id"])[-1] == "Failed"


class TestOrderHeld:
    def test_the_order_is_held_and_stays_held(self, client, clock, submit):
        order = submit("order_held").json()
        advance(client, clock, 2 * STEP)
        assert states(client, order["id"]) == ["Submitted", "Acknowledged", "Held"]
        advance(client, clock, 86400)
        assert states(client, order["id"]) == ["Submitted", "Acknowledged", "Held"]

    def test_with_release_it_is_released_and_completed(self, client, clock, submit):
        order = submit("order_held;release=30").json()
        advance(client, clock, 2 * STEP + 30 - 0.001)
        assert states(client, order["id"])[-1] == "Held"
        advance(client, clock, 0.001)
        assert states(client, order["id"])[-1] == "InProgress"
        advance(client, clock, STEP)
        assert states(client, order["id"]) == ["Submitted", "Acknowledged", "Held", "InProgress", "Completed"]


class TestFallout:
    def test_the_order_falls_out_stays_there_and_can_be_cancelled(self, client, clock, submit):
        order = submit("fallout").json()
        advance(client, clock, 86400)
        assert states(client, order["id"]) == ["Submitted", "Acknowledged", "InProgress", "Fallout"]
        assert client.post(f"{ORDERS}/{order['id']}/cancel").json()["state"] == "Cancelled"


class TestPartial:
    def test_the_order_is_partly_completed(self, client, clock, submit):
        order = submit("partial").json()
        advance(client, clock, 3 * STEP)
        partial = client.get(f"{ORDERS}/{order['id']}").json()
        assert [c["state"] for c in partial["stateHistory"]] == ["Submitted", "Acknowledged", "InProgress", "Partial"]
        assert partial["completionDate"] == partial["lastUpdate"]


class TestProtectionIneligible:
    HEADER = {"mock-scenario": "protection_ineligible"}

    def test_checkout_finds_the_protection_item_ineligible(self, client, ready_cart):
        checkout = client.post(CHECKOUT, json={"cartId": ready_cart["id"]}, headers=self.HEADER).json()
        assert checkout["validation"]["readyToSubmit"] is False
        (message,) = checkout["validation"]["validationMessage"]
        assert {p["name"]: p["value"] for p in message["parameter"]} == {
            "code": "PROTECTION_INELIGIBLE",
            "productOrderItemId": "line-1-protect",
        }
        assert client.get(f"{CARTS}/{ready_cart['id']}").json() == ready_cart

    def test_express_submit_is_refused_as_not_ready(self, client, ready_cart, submit):
        body = assert_error(submit("protection_ineligible"), 422, NOT_READY)
        assert body["details"]["validationMessage"][0]["parameter"][0] == {
            "name": "code",
            "value": "PROTECTION_INELIGIBLE",
        }
        assert client.get(ORDERS).json() == []


class TestSlowResponse:
    def test_the_answer_comes_late_and_the_work_is_done(self, client, submit):
        started = time.monotonic()
        response = submit("slow_response;delay=0.3")
        assert time.monotonic() - started >= 0.3
        assert response.status_code == 200
        assert client.get(f"{ORDERS}/{response.json()['id']}").status_code == 200

    def test_every_request_can_be_slow(self, client, cart):
        started = time.monotonic()
        assert (
            client.get(f"{CARTS}/{cart['id']}", headers={"mock-scenario": "slow_response;delay=0.2"}).status_code == 200
        )
        assert time.monotonic() - started >= 0.2


class TestTransient503:
    def test_503_with_retry_after_and_nothing_changes(self, client, ready_cart, submit):
        response = submit("transient_503")
        assert_error(response, 503, "OMNICART-STORE-0503")
        assert response.headers["retry-after"] == "1"
        assert client.get(f"{CARTS}/{ready_cart['id']}").json() == ready_cart
        assert client.get(ORDERS).json() == []

    def test_retry_after_is_configurable_and_every_request_can_fail(self, client, seed_request):
        response = client.post(CARTS, json=seed_request, headers={"mock-scenario": "transient_503;retry_after=7"})
        assert_error(response, 503, "OMNICART-STORE-0503")
        assert response.headers["retry-after"] == "7"
        assert client.get(CARTS).json() == []

    def test_an_idempotency_key_is_not_used_up(self, client, seed_request):
        key = {"Idempotency-Key": "create-1"}
        assert (
            client.post(CARTS, json=seed_request, headers={**key, "mock-scenario": "transient_503"}).status_code == 503
        )
        retried = client.post(CARTS, json=seed_request, headers=key)
        assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers


class TestTheHeader:
    def test_an_unknown_scenario_is_refused_listing_the_known_ones(self, client, cart):
        body = assert_error(
            client.get(f"{CARTS}/{cart['id']}", headers={"mock-scenario": "submit_rejectd"}),
            400,
            "OMNICART-SCENARIO-0400",
        )
        assert "submit_rejectd" in body["message"] and body["details"]["scenarios"] == ACCEPTED_NAMES
        assert "ATTR_Cart_Initialization" in body["details"]["scenarios"]

    @pytest.mark.parametrize("value", ["ATTR_Cart_Initialization", "aia_with_only_baseOffer"])
    def test_the_carriers_own_values_run_the_happy_path(self, client, seed_request, value):
        header = {"mock-scenario": value}
        created = client.post(CARTS, json=ready_cart_request(seed_request), headers=header)
        assert created.status_code == 201, created.text
        cart_id = created.json()["id"]
        assert client.get(f"{CARTS}/{cart_id}", headers=header).status_code == 200
        complete_configuration(client, cart_id, headers=header)
        submitted = client.post(submit_url(cart_id), headers=header)
        assert submitted.status_code == 200, submitted.text
        assert client.get(f"{ORDERS}/{submitted.json()['id']}").json()["state"] == "Submitted"

    def test_a_bad_parameter_is_refused(self, submit):
        assert_error(submit("fulfilment_fails;after=-1"), 400, "OMNICART-SCENARIO-0400")

    def test_scenarios_combine(self, client, clock, submit):
        started = time.monotonic()
        order = submit("slow_response;delay=0.2, partial").json()
        assert time.monotonic() - started >= 0.2
        advance(client, clock, 3 * STEP)
        assert states(client, order["id"])[-1] == "Partial"

    def test_paths_outside_the_api_ignore_it(self, client):
        assert client.get("/health", headers={"mock-scenario": "transient_503"}).status_code == 200


class TestOutsideSandboxMode:
    """Without sandbox mode the header is ignored entirely: never parsed, refused or acted on."""

    @pytest.fixture
    def client(self, database_url):
        with TestClient(
            create_app(Settings(api_keys=API_KEYS, jwt_secret=JWT_SECRET, database_url=database_url, pool_size=4)),
            headers=AUTH,
        ) as client:
            yield client

    def test_the_header_changes_nothing(self, client, clock, seed_request, subtests):
        for scenario in [*SCENARIO_NAMES, "no_such_scenario;x=1", "fallout, partial"]:
            with subtests.test(scenario=scenario):
                header = {"mock-scenario": scenario + (";delay=60" if scenario == "slow_response" else "")}
                cart = client.post(CARTS, json=ready_cart_request(seed_request), headers=header).json()
                complete_configuration(client, cart["id"], headers=header)
                started = time.monotonic()
                checkout = client.post(CHECKOUT, json={"cartId": cart["id"]}, headers=header).json()
                assert checkout["validation"]["readyToSubmit"] is True
                response = client.post(submit_url(cart["id"]), headers=header)
                assert response.status_code == 200 and time.monotonic() - started < 10
                assert "mockScenario" not in client.get(f"{ORDERS}/{response.json()['id']}").json()
        assert advance(client, clock, 86400) == 0  # no simulated fulfilment outside sandbox mode either


def ready_cart_request(seed_request: dict) -> dict:
    from tests.api.test_items import line

    return {**seed_request, "items": line()}
