"""Idempotency-Key on POST: replay, mismatch, in-flight, expiry, scoping, no stored 5xx."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest

from tests.api.conftest import CARTS, assert_error
from tests.credentials import OTHER_AUTH

KEY = {"Idempotency-Key": "create-7f3a"}


def carts(client) -> list[dict]:
    return client.get(CARTS, params={"limit": 100}).json()


class TestReplay:
    def test_the_same_key_and_body_replays_the_first_response(self, client, seed_request):
        first = client.post(CARTS, json=seed_request, headers=KEY)
        again = client.post(CARTS, json=seed_request, headers=KEY)

        assert first.status_code == again.status_code == 201
        assert again.content == first.content
        assert again.headers["location"] == first.headers["location"]
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert len(carts(client)) == 1

    def test_adding_items_with_a_key_happens_once(self, client, cart):
        body = {"items": [{"productOfferingId": "SIM_pkey80001_sku6001001"}]}
        url = f"{CARTS}/{cart['id']}/items"
        first = client.post(url, json=body, headers=KEY)
        again = client.post(url, json=body, headers=KEY)
        assert again.json() == first.json()
        assert client.get(f"{CARTS}/{cart['id']}").json()["version"] == 2

    def test_a_4xx_answer_is_replayed_too(self, client, seed_request):
        del seed_request["channel"]
        first = client.post(CARTS, json=seed_request, headers=KEY)
        assert_error(first, 400)
        again = client.post(CARTS, json=seed_request, headers=KEY)
        assert again.status_code == 400 and again.headers["idempotent-replayed"] == "true"

    def test_requests_without_a_key_are_not_deduplicated(self, client, seed_request):
        client.post(CARTS, json=seed_request)
        client.post(CARTS, json=seed_request)
        assert len(carts(client)) == 2


class TestScope:
    """docs/concurrency.md: "Keys are scoped per partner: two partners may use the same key
    independently." """

    def test_two_partners_sending_one_key_and_one_body_create_a_cart_each(self, client, seed_request):
        mine = client.post(CARTS, json=seed_request, headers=KEY)
        theirs = client.post(CARTS, json=seed_request, headers={**KEY, **OTHER_AUTH})
        assert mine.status_code == theirs.status_code == 201, theirs.text
        assert "idempotent-replayed" not in mine.headers and "idempotent-replayed" not in theirs.headers
        assert theirs.json()["id"] != mine.json()["id"]
        assert [cart["id"] for cart in carts(client)] == [mine.json()["id"]]
        assert [cart["id"] for cart in client.get(CARTS, headers=OTHER_AUTH).json()] == [theirs.json()["id"]]

    def test_each_partners_key_replays_its_own_answer(self, client, seed_request):
        mine = client.post(CARTS, json=seed_request, headers=KEY)
        theirs = client.post(CARTS, json=seed_request, headers={**KEY, **OTHER_AUTH})
        again = client.post(CARTS, json=seed_request, headers={**KEY, **OTHER_AUTH})
        assert again.headers["idempotent-replayed"] == "true" and again.content == theirs.content
        again = client.post(CARTS, json=seed_request, headers=KEY)
        assert again.headers["idempotent-replayed"] == "true" and again.content == mine.content

    def test_another_partners_key_with_another_body_is_no_misuse(self, client, seed_request):
        client.post(CARTS, json=seed_request, headers=KEY)
        seed_request["channel"]["id"] = "ATTR"
        theirs = client.post(CARTS, json=seed_request, headers={**KEY, **OTHER_AUTH})
        assert theirs.status_code == 201 and theirs.json()["channel"]["id"] == "ATTR"


class TestMisuse:
    def test_the_same_key_with_another_body_answers_422(self, client, seed_request):
        client.post(CARTS, json=seed_request, headers=KEY)
        seed_request["channel"]["id"] = "ATTR"
        assert_error(client.post(CARTS, json=seed_request, headers=KEY), 422, "OMNICART-IDEMPOTENCY-0001")
        assert len(carts(client)) == 1

    def test_the_same_key_on_another_path_answers_422(self, client, cart, seed_request):
        client.post(CARTS, json=seed_request, headers=KEY)
        response = client.post(f"{CARTS}/{cart['id']}/items", json=seed_request, headers=KEY)
        assert_error(response, 422, "OMNICART-IDEMPOTENCY-0001")

    def test_a_key_still_running_answers_409(self, client, seed_request, monkeypatch):
        service = client.app.state.services.carts
        original = service.create_cart
        started = threading.Event()

        async def slow(*args, **kwargs):
            started.set()
            await asyncio.sleep(0.5)
            return await original(*args, **kwargs)

        monkeypatch.setattr(service, "create_cart", slow)
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(client.post, CARTS, json=seed_request, headers=KEY)
            assert started.wait(5)
            second = client.post(CARTS, json=seed_request, headers=KEY)
            assert first.result().status_code == 201
        assert_error(second, 409, "OMNICART-IDEMPOTENCY-0409")
        assert second.headers["retry-after"] == "1"
        assert len(carts(client)) == 1

    @pytest.mark.parametrize("key", [b"", b"x" * 256, "caf\u00e9".encode(), b"tab\tkey"])
    def test_a_malformed_key_answers_400(self, client, seed_request, key):
        response = client.post(CARTS, json=seed_request, headers={b"Idempotency-Key": key})
        assert_error(response, 400, "OMNICART-IDEMPOTENCY-0400")
        assert carts(client) == []

    def test_an_oversized_body_with_a_key_answers_413(self, client, seed_request):
        seed_request["padding"] = "x" * (1024 * 1024)
        assert_error(client.post(CARTS, json=seed_request, headers=KEY), 413)

    def test_an_oversized_body_answers_the_same_413_with_a_key_as_without(self, client, seed_request):
        seed_request["padding"] = "x" * (1024 * 1024)
        expected = {
            "code": "OMNICART-REQUEST-0001",
            "message": "request body is larger than the limit of 1048576 bytes",
            "status": 413,
            "details": {"limit": 1048576},
        }
        with_key = client.post(CARTS, json=seed_request, headers=KEY)
        without = client.post(CARTS, json=seed_request)
        assert (with_key.status_code, with_key.json()) == (without.status_code, without.json()) == (413, expected)
        assert carts(client) == []


class TestTheBodyIsReadOnce:
    """With a key, the edge reads the body to fingerprint it and the handler decodes that
    same body (api/requests.py BODY_KEY) instead of reading it again."""

    @staticmethod
    def read(body: bytes, limit: int) -> bytes:
        from starlette.requests import Request

        from omnicart.api.requests import BODY_KEY, read_body

        async def receive():
            raise AssertionError("the body was read a second time")

        scope = {"type": "http", "method": "POST", "path": CARTS, "headers": [], BODY_KEY: body}
        return asyncio.run(read_body(Request(scope, receive), limit))

    def test_the_handler_gets_the_body_the_key_was_claimed_with(self):
        assert self.read(b'{"channel": {"id": "IND"}}', 1024) == b'{"channel": {"id": "IND"}}'

    def test_a_limit_under_the_one_it_was_read_with_still_answers_413(self):
        from omnicart.wire.errors import ApiError

        with pytest.raises(ApiError) as refused:
            self.read(b'{"channel": {"id": "IND"}}', 10)
        assert (refused.value.status, refused.value.code, refused.value.details) == (
            413,
            "OMNICART-REQUEST-0001",
            {"limit": 10},
        )

    def test_a_cart_created_with_a_key_is_the_cart_created_without(self, client, seed_request):
        with_key = client.post(CARTS, json=seed_request, headers=KEY).json()
        without = client.post(CARTS, json=seed_request).json()
        different = {"id", "href", "creationDate", "lastUpdate", "validFor"}
        assert {k: v for k, v in with_key.items() if k not in different} == {
            k: v for k, v in without.items() if k not in different
        }
        assert with_key["relatedParty"][1] == {
            "name": "RS and I Inc",
            "referredType": "dealerLocation",
            "id": "G5MGG",
            "role": "partner",
        }


class TestLifetime:
    def test_a_key_is_forgotten_after_its_retention(self, client, seed_request):
        service = client.app.state.services.idempotency
        first = client.post(CARTS, json=seed_request, headers=KEY)
        real_clock = service.clock
        service.clock = lambda: real_clock() + timedelta(hours=24, seconds=1)
        try:
            again = client.post(CARTS, json=seed_request, headers=KEY)
        finally:
            service.clock = real_clock
        assert again.status_code == 201 and "idempotent-replayed" not in again.headers
        assert again.json()["id"] != first.json()["id"]

    def test_expired_keys_are_purged(self, client, seed_request):
        service = client.app.state.services.idempotency
        client.post(CARTS, json=seed_request, headers=KEY)
        assert client.portal.call(service.purge) == 0
        real_clock = service.clock
        service.clock = lambda: real_clock() + timedelta(days=2)
        try:
            assert client.portal.call(service.purge) == 1
        finally:
            service.clock = real_clock

    def test_a_5xx_is_not_stored_and_the_retry_runs_again(self, client, seed_request, monkeypatch):
        service = client.app.state.services.carts
        original = service.create_cart

        async def broken(*args, **kwargs):
            raise RuntimeError("simulated bug")

        monkeypatch.setattr(service, "create_cart", broken)
        assert_error(client.post(CARTS, json=seed_request, headers=KEY), 500)
        monkeypatch.setattr(service, "create_cart", original)
        retried = client.post(CARTS, json=seed_request, headers=KEY)
        assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers


@pytest.mark.slow
def test_concurrent_duplicates_with_one_key_create_exactly_one_cart(live_server, seed_request):
    async def race() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=live_server.url, headers=live_server.headers, timeout=60) as client:
            return await asyncio.gather(*(client.post(CARTS, json=seed_request, headers=KEY) for _ in range(24)))

    responses = asyncio.run(race())
    assert {r.status_code for r in responses} <= {201, 409}
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    listed = httpx.get(f"{live_server.url}{CARTS}", headers=live_server.headers).json()
    assert [c["id"] for c in listed] == list(created)
