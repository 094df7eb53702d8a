"""An omnicart app served in-process over HTTP, on each database."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.carts import line, payment_request
from tests.conftest import START, FakeClock
from tests.credentials import API_KEYS, AUTH, JWT_SECRET

CARTS = "/omni-svcs/v1/carts"

V1 = "/omni-svcs/v1"
TMF622 = "/tmf-api/productOrderingManagement/v4"
TMF663 = "/tmf-api/shoppingCart/v4"
# Every operation served, written out by hand (not read from omnicart.api.operations):
# method and path → the scope it requires (None: public).
REQUIRED_SCOPES: dict[tuple[str, str], str | None] = {
    ("POST", f"{V1}/carts"): "carts:write",
    ("GET", f"{V1}/carts"): "carts:read",
    ("GET", f"{V1}/carts/{{cartId}}"): "carts:read",
    ("DELETE", f"{V1}/carts/{{cartId}}"): "carts:write",
    ("POST", f"{V1}/carts/{{cartId}}/items"): "carts:write",
    ("PATCH", f"{V1}/carts/{{cartId}}/items/{{itemId}}"): "carts:write",
    ("DELETE", f"{V1}/carts/{{cartId}}/items/{{itemId}}"): "carts:write",
    ("POST", f"{V1}/order/create"): "carts:write",
    ("POST", f"{V1}/order/{{orderId}}/items"): "carts:write",
    ("POST", f"{V1}/carts/{{cartId}}/express-submit"): "orders:submit",
    ("POST", f"{V1}/checkout"): "orders:submit",
    ("POST", f"{V1}/payment-methods"): "orders:submit",
    ("POST", f"{V1}/credit-application"): "carts:write",
    ("POST", f"{V1}/offers/search"): "carts:read",
    ("POST", f"{V1}/fulfillment-options"): "carts:read",
    ("POST", f"{V1}/order/{{orderId}}/fulfillment"): "carts:write",
    ("POST", f"{V1}/terms"): "carts:read",
    ("POST", f"{V1}/order/{{orderId}}/terms"): "carts:write",
    ("POST", f"{V1}/order/{{orderId}}/billing"): "carts:write",
    ("GET", f"{V1}/orders"): "carts:read",
    ("GET", f"{V1}/orders/{{orderId}}"): "carts:read",
    ("POST", f"{V1}/orders/query"): "carts:read",
    ("GET", f"{V1}/orders/query/schema"): "carts:read",
    ("POST", f"{V1}/orders/{{orderId}}/cancel"): "orders:submit",
    ("GET", f"{V1}/productOfferings"): "carts:read",
    ("GET", f"{V1}/productOfferings/{{offeringId}}"): "carts:read",
    ("POST", f"{V1}/customers/search"): "customers:read",
    ("POST", f"{V1}/customer/auth"): "customers:read",
    ("POST", f"{V1}/service-qualification"): "customers:read",
    ("POST", f"{V1}/hub"): "carts:write",
    ("GET", f"{V1}/hub"): "carts:read",
    ("GET", f"{V1}/hub/{{id}}"): "carts:read",
    ("DELETE", f"{V1}/hub/{{id}}"): "carts:write",
    # TM Forum's TMF622 Product Ordering v4, over the same orders.
    ("POST", f"{TMF622}/productOrder"): "orders:submit",
    ("GET", f"{TMF622}/productOrder"): "carts:read",
    ("GET", f"{TMF622}/productOrder/{{id}}"): "carts:read",
    ("PATCH", f"{TMF622}/productOrder/{{id}}"): "orders:submit",
    ("DELETE", f"{TMF622}/productOrder/{{id}}"): "orders:submit",
    ("POST", f"{TMF622}/cancelProductOrder"): "orders:submit",
    ("GET", f"{TMF622}/cancelProductOrder"): "carts:read",
    ("GET", f"{TMF622}/cancelProductOrder/{{id}}"): "carts:read",
    ("POST", f"{TMF622}/hub"): "carts:write",
    ("DELETE", f"{TMF622}/hub/{{id}}"): "carts:write",
    # TM Forum's TMF663 Shopping Cart: the scopes of the carrier paths' twins.
    ("POST", f"{TMF663}/shoppingCart"): "carts:write",
    ("GET", f"{TMF663}/shoppingCart"): "carts:read",
    ("GET", f"{TMF663}/shoppingCart/{{id}}"): "carts:read",
    ("PATCH", f"{TMF663}/shoppingCart/{{id}}"): "carts:write",
    ("DELETE", f"{TMF663}/shoppingCart/{{id}}"): "carts:write",
    ("POST", f"{TMF663}/hub"): "carts:write",
    ("DELETE", f"{TMF663}/hub/{{id}}"): "carts:write",
    # Public: answer without credentials.
    ("POST", "/oauth/token"): None,
    ("GET", "/"): None,
    ("GET", "/health"): None,
    ("GET", "/ready"): None,
    ("GET", "/metrics"): None,  # open like /health unless OMNICART_METRICS_TOKEN is set
    ("GET", "/openapi.json"): None,
    ("GET", "/docs"): None,
    ("GET", "/docs/init.js"): None,
}
# The carrier's own operations (README, "a faithful sandbox of the carrier's API"); every
# other one is omnicart's addition, marked x-omnicart-extension in the OpenAPI document.
CARRIERS_OPERATIONS = {
    ("POST", f"{V1}/carts"),
    ("POST", f"{V1}/carts/{{cartId}}/items"),
    ("POST", f"{V1}/checkout"),
    ("POST", f"{V1}/carts/{{cartId}}/express-submit"),
    ("POST", f"{V1}/payment-methods"),
    ("POST", f"{V1}/customers/search"),
    ("POST", f"{V1}/customer/auth"),
    ("POST", f"{V1}/service-qualification"),
    ("POST", f"{V1}/credit-application"),
    ("POST", f"{V1}/order/create"),
    ("POST", f"{V1}/order/{{orderId}}/items"),
    ("POST", f"{V1}/offers/search"),
    ("POST", f"{V1}/fulfillment-options"),
    ("POST", f"{V1}/order/{{orderId}}/fulfillment"),
    ("POST", f"{V1}/terms"),
    ("POST", f"{V1}/order/{{orderId}}/terms"),
    ("POST", f"{V1}/order/{{orderId}}/billing"),
    ("POST", f"{V1}/orders/query"),
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Two partners provisioned as in OMNICART_API_KEYS; not a sandbox."""
    return Settings(database_url=database_url, pool_size=4, api_keys=API_KEYS, jwt_secret=JWT_SECRET)


def sandbox_settings(database_url: str) -> Settings:
    """Sandbox mode (the providers are the sandbox world's), the simulator's loop never
    firing during a test: orders change only when a test advances the clock."""
    return Settings(
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        database_url=database_url,
        pool_size=4,
        sandbox=True,
        fulfilment_poll_seconds=3600,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """Calls as partner-a (every scope) unless a test sends other credentials."""
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=AUTH) as client:
        yield client


@pytest.fixture
def cart(client: TestClient, seed_request: dict) -> dict:
    """A freshly created draft cart, as the API returned it."""
    response = client.post(CARTS, json=seed_request)
    assert response.status_code == 201, response.text
    return response.json()


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    """The one error format: code, message, status, details (with the bad field's path)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "status", "details"}
    assert body["status"] == status
    assert body["message"]
    assert "Traceback" not in response.text
    if code is not None:
        assert body["code"] == code
    if field is not None:
        assert [e["field"] for e in body["details"]["errors"]] == [field]
    return body


@pytest.fixture
def live_server(database_url: str, tmp_path):
    """`omnicart serve` with two worker processes on the test database."""
    from tests.live import LiveServer

    with LiveServer(database_url, workers=2, log=tmp_path / "server.log") as server:
        yield server


class Keys:
    """Issue, revoke and exchange credentials against the running app, as an operator
    (`omnicart keys …`) and a partner (POST /oauth/token) would."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.access = client.app.state.services.access

    def create(self, partner: str = "partner-a", scopes=None) -> str:
        from omnicart.domain.credentials import ALL_SCOPES

        chosen = ALL_SCOPES if scopes is None else frozenset(scopes)
        _, plaintext = self.client.portal.call(self.access.create_key, partner, chosen)
        return plaintext

    def revoke(self, key: str) -> None:
        self.client.portal.call(self.access.revoke_key, key.split(".", 1)[0])

    def token(self, key: str, scope: str | None = None) -> str:
        """An access token for an issued key, from the token endpoint."""
        client_id, secret = key.split(".", 1)
        form = {"grant_type": "client_credentials", **({"scope": scope} if scope is not None else {})}
        response = self.client.post("/oauth/token", data=form, auth=(client_id, secret))
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def expired_token(self, key: str) -> str:
        """A token issued an hour ago: signed correctly, its 15 minutes long over."""
        from datetime import UTC, datetime, timedelta

        from omnicart.access import AccessService

        then = datetime.now(UTC) - timedelta(hours=1)
        past = AccessService(self.access.keys, self.access.settings, clock=lambda: then)
        client_id, secret = key.split(".", 1)
        return self.client.portal.call(past.issue_token, client_id, secret).access_token


@pytest.fixture
def keys(client: TestClient) -> Keys:
    return Keys(client)


def assert_challenge(response, status: int, error: str | None = None) -> dict:
    """401/403 in the error format, with the RFC 6750 challenge."""
    body = assert_error(response, status, "OMNICART-AUTH-0401" if status == 401 else "OMNICART-AUTH-0403")
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="omnicart"')
    if error is None:
        assert "error=" not in challenge
    else:
        assert f'error="{error}"' in challenge
    return body


# -- ordering ----------------------------------------------------------------------------

ORDERS = "/omni-svcs/v1/orders"
CHECKOUT = "/omni-svcs/v1/checkout"


def submit_url(cart_id: str) -> str:
    return f"{CARTS}/{cart_id}/express-submit"


@pytest.fixture
def clock(client) -> FakeClock:
    fake = FakeClock(START)
    client.app.state.services.carts.clock = fake
    return fake


PAYMENT_METHODS = "/omni-svcs/v1/payment-methods"


def complete_configuration(client, cart_id: str, **kwargs) -> dict:
    """Register a payment method with terms consent: the cart's configuration complete."""
    response = client.post(PAYMENT_METHODS, json=payment_request(cart_id), **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def ready_cart(client, seed_request) -> dict:
    """A draft cart holding a whole new line (plan, phone, SIM, protection), its payment
    and terms complete: ready to submit."""
    seed_request["items"] = line()
    response = client.post(CARTS, json=seed_request)
    assert response.status_code == 201, response.text
    complete_configuration(client, response.json()["id"])
    cart = client.get(f"{CARTS}/{response.json()['id']}").json()
    assert cart["validation"]["readyToSubmit"], cart
    return cart


def advance(client, clock: FakeClock, seconds: float) -> int:
    """Move the clock and let the fulfilment simulator make what is due; how many orders changed."""
    return client.portal.call(client.app.state.services.orders.advance_due_orders, clock.advance(seconds))


# -- a cart of the older "order" flavour --------------------------------------------------


def make_named_cart(client, request: dict) -> dict:
    """A draft cart named by a customer order id from birth (`10-689838051878453`'s
    format), made by the older `POST /omni-svcs/v1/order/create`, as the API reads it back."""
    created = client.post(f"{V1}/order/create", json=request)
    assert created.status_code in (200, 201), created.text  # 200 in the carrier's profile
    response = client.get(f"{CARTS}/{created.json()['id']}")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def named_cart(client, seed_request) -> dict:
    """A cart of the older "order" flavour (`make_named_cart`): the seed's parties, no items."""
    return make_named_cart(client, seed_request)


# -- direct fulfilment, add a line (docs/direct-fulfilment.md) ------------------------------

OFFERS_SEARCH = f"{V1}/offers/search"
FULFILLMENT_OPTIONS = f"{V1}/fulfillment-options"
TERMS = f"{V1}/terms"
PLACE = "fdcdd712-98a6-45b0-a8ee-c9b904de2208_1"  # the carrier's example placeid


def order_url(order_id: str, what: str) -> str:
    """`/omni-svcs/v1/order/{orderId}/fulfillment`, `…/terms`, `…/billing`."""
    return f"{V1}/order/{order_id}/{what}"


@pytest.fixture
def df_order(client, named_cart, clock) -> dict:
    """A named order holding a new line to deliver (tests/carts.py `add_a_line`: plan,
    iPhone 16 in installments, SIM card), at the fake clock's day (2026-01-15)."""
    from tests.carts import add_a_line

    response = client.post(f"{CARTS}/{named_cart['customerOrderId']}/items", json={"items": add_a_line()})
    assert response.status_code == 200, response.text
    return response.json()


def enum_of(document: dict, schema: dict) -> list:
    """The values of a closed set in the OpenAPI document, which names each set as a schema
    of its own (`$ref`); through `anyOf` (a set or null, a set or free text) to the set."""
    if "$ref" in schema:
        return enum_of(document, document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in schema:
        return next(values for arm in schema["anyOf"] if (values := enum_of(document, arm)))
    return schema.get("enum", [])


@pytest.fixture(params=["omnicart", "carrier"])
def profile(request: pytest.FixtureRequest) -> str:
    """Each status profile in turn (OMNICART_PROFILE)."""
    return str(request.param)


@pytest.fixture
def profiled_client(database_url: str, profile: str) -> Iterator[TestClient]:
    """A sandbox in `profile`, calling as partner-a."""
    settings = dataclasses.replace(sandbox_settings(database_url), profile=profile)
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=AUTH) as client:
        yield client
