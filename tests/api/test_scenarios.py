"""Sandbox mock scenarios over HTTP: the `mock-scenario` header (parsed, refused, combined),
the scenarios HTTP answers by itself (slow_response, transient_503), the order system's
rejection as it is answered, and nothing at all outside sandbox mode. What the other
scenarios make a use case do, as docs/sandbox.md says: tests/services/test_scenarios.py."""

from __future__ import annotations

import importlib
import re
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
    sandbox_settings,
    submit_url,
)
from tests.credentials import API_KEYS, AUTH, JWT_SECRET
from tests.unit.test_scenarios import ACCEPTED_NAMES, SCENARIO_NAMES

STEP = 5.0  # the default OMNICART_FULFILMENT_STEP_SECONDS


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Sandbox mode, with the simulator's loop idle: the tests make due steps with the fake clock."""
    return sandbox_settings(database_url)


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


TESTS = Path(__file__).parents[1]


def documented_scenarios() -> list[str]:
    text = (Path(__file__).parents[2] / "docs" / "sandbox.md").read_text()
    section = text.split("\n## Scenarios\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)


def test_every_documented_scenario_exists_and_has_its_tests():
    """Here, or (what a use case does with it) in tests/services/test_scenarios.py."""
    assert documented_scenarios() == SCENARIO_NAMES
    assert list(SCENARIOS) == SCENARIO_NAMES
    # A flow's scenarios may have modules of their own beside these: test_scenarios_<flow>.py.
    found = [(tier, path.stem) for tier in ("api", "services") for path in (TESTS / tier).glob("test_scenarios*.py")]
    modules = [importlib.import_module(f"tests.{tier}.{name}") for tier, name in sorted(found)]
    classes = {name for module in modules for name in vars(module) if name.startswith("Test")}
    for scenario in SCENARIO_NAMES:
        assert "Test" + scenario.title().replace("_", "") in classes, scenario


class TestSubmitRejected:
    def test_the_order_system_rejects_the_submit_with_the_carriers_code(self, client, ready_cart, submit):
        body = assert_error(submit("submit_rejected"), 422, "EXTSALESOPS-CART_CREATE-OAV-0013")
        assert body["details"] == {"reason": "the customer already has a pending order"}
        assert client.get(f"{CARTS}/{ready_cart['id']}").json() == ready_cart
        assert client.get(ORDERS).json() == []
        assert submit().status_code == 200  # without the scenario the same cart goes through


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
    from tests.carts import line

    return {**seed_request, "items": line()}


def test_the_openapi_lists_every_scenario_in_the_headers_enum_and_those_acting_there(client):
    document = client.get("/openapi.json").json()
    create = document["paths"]["/omni-svcs/v1/carts"]["post"]
    [header] = [p for p in create["parameters"] if p["name"] == "mock-scenario"]
    # By name, and the empty value that names none; with parameters, or several
    # (`slow_response;delay=2, order_held`), as the description says. Every name on every
    # operation: the partner kit's marker sends one scenario with each call.
    assert header["schema"] == {"type": "string", "enum": [*ACCEPTED_NAMES, ""]}
    assert header["description"].endswith(
        "Acting on this operation: `cart_rejected`, `slow_response`, `transient_503`,"
        " `ATTR_Cart_Initialization`, `aia_with_only_baseOffer`; any other is accepted and ignored."
    )


def test_a_scenario_that_does_nothing_there_is_ignored(client, cart):
    added = client.post(
        f"{CARTS}/{cart['id']}/items",
        json={"items": [{"productOrderItemId": "sim", "productOfferingId": "SIM_pkey80001_sku6001001"}]},
        headers={"mock-scenario": "fulfilment_fails"},
    )
    assert added.status_code == 200, added.text
