"""The client's retries, idempotency keys, token refresh and webhook check, against a
scripted transport (no server: each answer is chosen by the test)."""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx
import msgspec
import pytest

from omnicart.client import AsyncClient, Client, OmnicartError, Retry, WebhookError, verify_webhook
from tests.conftest import SEED_REQUEST

FAST = Retry(attempts=3, backoff=0.0)
CART = {
    "id": "c1",
    "href": "http://x/c1",
    "version": 1,
    "state": "Draft",
    "creationDate": "2026-01-01T00:00:00.000Z",
    "lastUpdate": "2026-01-01T00:00:00.000Z",
    **SEED_REQUEST,
}


def scripted(*answers):
    """A transport answering each request with the next of `answers` (a response or an
    exception to raise), recording the requests."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handle), seen


def created() -> httpx.Response:
    return httpx.Response(201, json=CART)


def create(client: Client):
    return client.create_cart(SEED_REQUEST["channel"], SEED_REQUEST["relatedParty"])


def test_503_and_429_are_retried_with_the_same_idempotency_key(monkeypatch):
    waits = []
    monkeypatch.setattr("omnicart.client.sync.time.sleep", waits.append)
    transport, seen = scripted(
        httpx.Response(503, headers={"Retry-After": "2"}), httpx.Response(429, headers={"Retry-After": "1"}), created()
    )
    with Client("http://omnicart", api_key="k", retry=FAST, transport=transport) as client:
        assert create(client).id == "c1"
    keys = {request.headers["idempotency-key"] for request in seen}
    assert len(seen) == 3 and len(keys) == 1 and waits == [2.0, 1.0]


STILL_RUNNING = {"code": "OMNICART-IDEMPOTENCY-0409", "message": "still running", "status": 409, "details": {}}
# What makes a POST retried: no Retry-After, so a retry waits FAST's backoff of 0 seconds.
RETRIED = {
    "503": lambda: httpx.Response(503),
    "429": lambda: httpx.Response(429),
    "connection refused": lambda: httpx.ConnectError("refused"),
    "connection reset": lambda: httpx.ReadError("reset"),
    "409 for its own key still running": lambda: httpx.Response(409, json=STILL_RUNNING),
}


async def create_carts(kind: str, transport: httpx.MockTransport, calls: int = 1) -> list:
    """`calls` Create Cart calls, one after the other, through one `Client` or `AsyncClient`."""
    if kind == "Client":
        with Client("http://omnicart", api_key="k", retry=FAST, transport=transport) as client:
            return [create(client) for _ in range(calls)]
    async with AsyncClient("http://omnicart", api_key="k", retry=FAST, transport=transport) as client:
        return [await client.create_cart(SEED_REQUEST["channel"], SEED_REQUEST["relatedParty"]) for _ in range(calls)]


def idempotency_keys(seen: list[httpx.Request]) -> list[str | None]:
    return [request.headers.get("idempotency-key") for request in seen]


@pytest.mark.parametrize("kind", ["Client", "AsyncClient"])
@pytest.mark.parametrize("failure", list(RETRIED))
async def test_every_retry_of_a_call_sends_the_calls_one_idempotency_key(kind, failure):
    transport, seen = scripted(RETRIED[failure](), RETRIED[failure](), created())
    [cart] = await create_carts(kind, transport)
    assert cart.id == "c1"
    first, second, third = idempotency_keys(seen)
    assert first and first == second == third


@pytest.mark.parametrize("kind", ["Client", "AsyncClient"])
async def test_two_calls_send_two_idempotency_keys(kind):
    transport, seen = scripted(httpx.Response(503), created(), created())
    await create_carts(kind, transport, calls=2)
    retried, answered, other = idempotency_keys(seen)
    assert retried == answered and other and other != answered


def test_retries_are_bounded(monkeypatch):
    monkeypatch.setattr("omnicart.client.sync.time.sleep", lambda _: None)
    error = {"code": "OMNICART-STORE-0503", "message": "busy", "status": 503, "details": {}}
    transport, seen = scripted(*[httpx.Response(503, json=error)] * 3)
    with (
        Client("http://omnicart", api_key="k", retry=FAST, transport=transport) as client,
        pytest.raises(OmnicartError) as failed,
    ):
        create(client)
    assert (failed.value.status, failed.value.code, len(seen)) == (503, "OMNICART-STORE-0503", 3)


def test_connection_errors_are_retried_then_raised(monkeypatch):
    monkeypatch.setattr("omnicart.client.sync.time.sleep", lambda _: None)
    transport, seen = scripted(httpx.ConnectError("refused"), created())
    with Client("http://omnicart", api_key="k", retry=FAST, transport=transport) as client:
        assert create(client).id == "c1"
    transport, seen = scripted(*[httpx.ReadError("reset")] * 3)
    with (
        Client("http://omnicart", api_key="k", retry=FAST, transport=transport) as client,
        pytest.raises(OmnicartError) as failed,
    ):
        client.update_item("c1", "i1", {"quantity": 2})
    assert failed.value.status == 0 and len(seen) == 1, "a PATCH that may have arrived is not sent twice"


def test_each_post_has_its_own_key_and_gets_none(monkeypatch):
    transport, seen = scripted(created(), created(), httpx.Response(200, json=CART))
    with Client("http://omnicart", api_key="k", transport=transport) as client:
        create(client)
        create(client)
        client.get_cart("c1")
    assert seen[0].headers["idempotency-key"] != seen[1].headers["idempotency-key"]
    assert "idempotency-key" not in seen[2].headers
    assert seen[2].headers["authorization"] == "Bearer k"


def test_scenario_and_if_match_headers():
    transport, seen = scripted(httpx.Response(200, json=CART), httpx.Response(200, json=CART))
    with Client("http://omnicart", api_key="k", scenario="transient_503", transport=transport) as client:
        client.remove_item("c1", "a/b", if_match=3)
        client.remove_item("c1", "x", scenario="order_held")
    assert seen[0].headers["if-match"] == '"3"' and seen[0].headers["mock-scenario"] == "transient_503"
    assert seen[0].url.raw_path == b"/omni-svcs/v1/carts/c1/items/a%2Fb"
    assert seen[1].headers["mock-scenario"] == "order_held"


def token(value: str, expires_in: int = 900) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": value, "token_type": "Bearer", "expires_in": expires_in, "scope": "carts:read"}
    )


def test_token_is_fetched_once_and_refreshed_before_expiry():
    now = [1000.0]
    transport, seen = scripted(
        token("t1"),
        httpx.Response(200, json=CART),
        httpx.Response(200, json=CART),
        token("t2"),
        httpx.Response(200, json=CART),
    )
    with Client("http://omnicart", client_id="id", client_secret="secret", transport=transport) as client:
        client.credentials.clock = lambda: now[0]
        client.get_cart("c1")
        client.get_cart("c1")
        now[0] += 900 - 30  # inside the refresh margin: a new token before the old one dies
        client.get_cart("c1")
    assert [request.url.path for request in seen].count("/oauth/token") == 2
    assert seen[0].headers["authorization"].startswith("Basic ")
    assert [r.headers["authorization"] for r in seen if r.url.path != "/oauth/token"] == [
        "Bearer t1",
        "Bearer t1",
        "Bearer t2",
    ]


def test_a_401_fetches_a_fresh_token_once():
    error = {"code": "OMNICART-AUTH-0401", "message": "expired", "status": 401, "details": {}}
    transport, seen = scripted(
        token("t1"), httpx.Response(401, json=error), token("t2"), httpx.Response(200, json=CART)
    )
    with Client("http://omnicart", client_id="id", client_secret="secret", transport=transport) as client:
        assert client.get_cart("c1").id == "c1"
    assert seen[-1].headers["authorization"] == "Bearer t2"


def signed(secret: str, body: bytes, at: int) -> str:
    """docs/events.md, by hand: `t=<t>,v1=<hex HMAC-SHA256 keyed by the secret of "<t>.<body>">`."""
    return f"t={at},v1={hmac.new(secret.encode(), f'{at}.'.encode() + body, hashlib.sha256).hexdigest()}"


def test_verify_webhook():
    body = msgspec.json.encode({"eventId": "e1", "eventType": "ShoppingCartCreateEvent", "event": {}})
    header = signed("whsec_x", body, int(time.time()))
    assert verify_webhook("whsec_x", body, header)["eventId"] == "e1"
    assert verify_webhook("whsec_x", body, {"x-omnicart-signature": header})["eventType"]
    with pytest.raises(WebhookError):
        verify_webhook("whsec_other", body, header)
    with pytest.raises(WebhookError):
        verify_webhook("whsec_x", body + b" ", header)
    with pytest.raises(WebhookError):
        verify_webhook("whsec_x", body, signed("whsec_x", body, int(time.time()) - 301))  # too old
    with pytest.raises(WebhookError):
        verify_webhook("whsec_x", body, {"x-other": header})  # no signature header
