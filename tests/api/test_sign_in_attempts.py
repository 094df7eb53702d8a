"""Tries at a secret (POST /oauth/token, the console's sign-in) are limited per client id
and per client address (issue 21): one partner's bad tries do not lock out the others
behind the same address, inventing ids buys no more tries, and X-Forwarded-For is
believed from the configured proxies only."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import RateLimitSettings, Settings
from tests.api.conftest import CARTS, Keys, assert_error
from tests.console.conftest import csrf_of
from tests.credentials import AUTH, KEY, OTHER_KEY, OTHER_PARTNER, PARTNER
from tests.live import LiveServer

PROXY = "10.0.0.2"


def token(client: TestClient, client_id: str = PARTNER, secret: str = KEY, **headers: str) -> int:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return client.post("/oauth/token", data=form, headers=headers).status_code


def limited(settings: Settings, per_id: int, per_address: int, **changes: object) -> Settings:
    return dataclasses.replace(
        settings,
        token_rate_limit=RateLimitSettings(per_id, 3600),
        token_address_rate_limit=RateLimitSettings(per_address, 3600),
        **changes,  # type: ignore[arg-type]
    )


def test_one_partners_bad_tries_do_not_lock_out_another_behind_the_same_address(settings):
    with TestClient(create_app(limited(settings, per_id=3, per_address=10))) as client:
        assert [token(client, secret="wrong") for _ in range(4)] == [401, 401, 401, 429]
        assert token(client, OTHER_PARTNER, OTHER_KEY) == 200
        assert token(client) == 429  # partner-a's own bucket is still empty


def test_inventing_client_ids_buys_no_more_tries_than_the_address_has(settings):
    with TestClient(create_app(limited(settings, per_id=3, per_address=5))) as client:
        assert [token(client, f"invented-{n}", "guess") for n in range(6)] == [401] * 5 + [429]
        refused = client.post(
            "/oauth/token", data={"grant_type": "client_credentials", "client_id": PARTNER, "client_secret": KEY}
        )
        assert_error(refused, 429, "OMNICART-RATE-0429")
        assert refused.headers["retry-after"] == "720"  # 3600 s / 5 tries
    with TestClient(create_app(limited(settings, per_id=3, per_address=5)), client=("192.0.2.7", 1234)) as other:
        assert token(other) == 200  # another address: its own bucket


def test_x_forwarded_for_is_not_believed_without_trusted_proxies(settings):
    with TestClient(create_app(limited(settings, per_id=10, per_address=2)), client=(PROXY, 1)) as client:
        tries = [token(client, f"id-{n}", "guess", **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(3)]
        assert tries == [401, 401, 429]


def test_from_a_trusted_proxy_x_forwarded_for_names_the_client(settings):
    app = create_app(limited(settings, per_id=10, per_address=2, trusted_proxies=("10.0.0.0/24",)))
    with TestClient(app, client=(PROXY, 1)) as client:
        one = {"X-Forwarded-For": "198.51.100.1"}
        assert [token(client, f"id-{n}", "guess", **one) for n in range(3)] == [401, 401, 429]
        assert token(client, "id-x", "guess", **{"X-Forwarded-For": "198.51.100.2"}) == 401  # another client
        # What the client wrote to the left of what the proxy appended is not believed;
        # addresses of trusted proxies to the right are skipped.
        forged = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}
        assert token(client, "id-y", "guess", **forged) == 429
        through_two = {"X-Forwarded-For": "198.51.100.1, 10.0.0.3"}
        assert token(client, "id-z", "guess", **through_two) == 429


def test_x_forwarded_proto_is_believed_from_a_trusted_proxy_and_only_as_http_or_https(settings, seed_request):
    app = create_app(dataclasses.replace(settings, trusted_proxies=(PROXY,)))
    for peer, proto, scheme in [
        (PROXY, "https", "https"),
        (PROXY, "ws", "http"),
        (PROXY, "javascript", "http"),
        ("192.0.2.1", "https", "http"),  # not a proxy of ours
    ]:
        with TestClient(app, headers=AUTH, client=(peer, 1)) as client:
            created = client.post(CARTS, json=seed_request, headers={"X-Forwarded-Proto": proto})
            assert created.status_code == 201, created.text
            assert created.headers["location"].startswith(f"{scheme}://testserver/"), (peer, proto)
            assert created.json()["href"].startswith(f"{scheme}://testserver/")


def test_a_bad_trusted_proxy_entry_stops_start_up():
    with pytest.raises(ValueError, match=r"OMNICART_TRUSTED_PROXIES: 'proxy\.internal'"):
        Settings(trusted_proxies=("10.0.0.1", "proxy.internal"))


def sign_in(client: TestClient, key: str) -> httpx.Response:
    page = client.get("/console/sign-in")
    return client.post("/console/sign-in", data={"key": key, "csrf": csrf_of(page.text)})


def test_console_sign_in_is_limited_per_key_id_sharing_the_token_endpoints_buckets(settings):
    with TestClient(create_app(limited(settings, per_id=3, per_address=100)), follow_redirects=False) as client:
        keys = Keys(client)
        key = keys.create()
        key_id = key.split(".")[0]
        assert [sign_in(client, f"{key_id}.wrong").status_code for _ in range(2)] == [401, 401]
        assert token(client, key_id, "wrong") == 401  # the third try, at the other door
        refused = sign_in(client, key)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1200"
        assert "Too many sign-in attempts" in refused.text
        assert sign_in(client, keys.create()).status_code == 303  # another key, the same address


def test_console_sign_in_is_limited_per_address(settings):
    with TestClient(create_app(limited(settings, per_id=3, per_address=4)), follow_redirects=False) as client:
        # Environment keys have no id: their guesses count against the address alone.
        assert [sign_in(client, f"guess-{n}").status_code for n in range(4)] == [401] * 4
        assert sign_in(client, KEY).status_code == 429


@pytest.fixture(scope="module")
def live(tmp_path_factory, sqlite_template):
    """`omnicart serve` as shipped: no trusted proxies, its clients on 127.0.0.1."""
    import shutil

    path = tmp_path_factory.mktemp("attempts") / "omnicart.db"
    shutil.copy(sqlite_template, path)
    env = {"OMNICART_TOKEN_ADDRESS_RATE_LIMIT": "2/3600s", "OMNICART_JWT_SECRET": "x" * 32}
    with LiveServer(f"sqlite:///{path}", workers=1, env=env) as server:
        yield server


@pytest.mark.slow
def test_served_x_forwarded_headers_from_loopback_are_not_believed(live, seed_request):
    """uvicorn believes them from 127.0.0.1 by default: a fresh address per request, and
    `ws` as the scheme of the links."""
    form = {"grant_type": "client_credentials", "client_secret": "guess"}
    tries = [
        httpx.post(
            f"{live.url}/oauth/token",
            data={**form, "client_id": f"id-{n}"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(3)
    ]
    assert tries == [401, 401, 429]
    created = httpx.post(f"{live.url}{CARTS}", json=seed_request, headers={**live.headers, "X-Forwarded-Proto": "ws"})
    assert created.status_code == 201, created.text
    assert created.headers["location"].startswith(f"http://127.0.0.1:{live.port}/")
