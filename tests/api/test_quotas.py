"""Quotas and shared rate limits (issue 11): the partner rate limit is shared through Redis
by every worker (here: two apps), /oauth/token is limited per client, hubs per partner."""

from __future__ import annotations

import dataclasses

import pytest
import redis
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import RateLimitSettings
from tests.api.conftest import CARTS, assert_error
from tests.credentials import AUTH, KEY, OTHER_AUTH, PARTNER
from tests.live import free_port

REDIS_URL = "redis://127.0.0.1:6379/9"  # a database of its own: the test clears its keys
HUB = "/omni-svcs/v1/hub"


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("omnicart:rate:*"):
        client.delete(key)
    yield client
    client.close()


def test_two_workers_share_one_bucket_in_redis(settings, shared_redis):
    limited = dataclasses.replace(settings, rate_limit=RateLimitSettings(6, 3600), redis_url=REDIS_URL)
    with TestClient(create_app(limited), headers=AUTH) as one, TestClient(create_app(limited), headers=AUTH) as two:
        statuses = [(one if i % 2 else two).get(CARTS).status_code for i in range(6)]
        assert statuses == [200] * 6
        for worker in (one, two):  # per-process buckets would still have 3 tokens each
            refused = worker.get(CARTS)
            assert_error(refused, 429, "OMNICART-RATE-0429")
            assert int(refused.headers["retry-after"]) >= 1
        assert one.get(CARTS, headers=OTHER_AUTH).status_code == 200  # another partner's bucket
    assert shared_redis.exists(f"omnicart:rate:partner:{PARTNER}")


def test_without_redis_the_limit_still_holds_per_worker(settings):
    """Redis unreachable: limited by the worker's own bucket, never a 5xx."""
    limited = dataclasses.replace(
        settings, rate_limit=RateLimitSettings(2, 3600), redis_url=f"redis://127.0.0.1:{free_port()}/0"
    )
    with TestClient(create_app(limited), headers=AUTH, raise_server_exceptions=False) as client:
        assert [client.get(CARTS).status_code for _ in range(3)] == [200, 200, 429]


def token(client, client_id=PARTNER, secret=KEY):
    return client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )


@pytest.mark.parametrize("redis_url", [None, REDIS_URL])
def test_the_token_endpoint_is_limited_per_client(settings, shared_redis, redis_url):
    limited = dataclasses.replace(settings, token_rate_limit=RateLimitSettings(3, 3600), redis_url=redis_url)
    with TestClient(create_app(limited)) as client:
        assert [token(client).status_code for _ in range(3)] == [200, 200, 200]
        refused = token(client)
        assert_error(refused, 429, "OMNICART-RATE-0429")
        assert refused.headers["retry-after"]
        # Another client behind the same address has its own bucket (the address's is
        # larger: tests/api/test_sign_in_attempts.py).
        assert token(client, "someone-else", "guess").status_code == 401


def test_wrong_secrets_count_against_the_limit(settings):
    limited = dataclasses.replace(settings, token_rate_limit=RateLimitSettings(2, 3600))
    with TestClient(create_app(limited)) as client:
        assert [token(client, secret="wrong").status_code for _ in range(3)] == [401, 401, 429]
        assert token(client).status_code == 429  # the right one too, until the bucket refills


def test_hubs_per_partner_are_capped(settings):
    capped = dataclasses.replace(settings, max_hubs_per_partner=2, webhook_private_callbacks=True)
    with TestClient(create_app(capped), headers=AUTH, raise_server_exceptions=False) as client:
        made = [client.post(HUB, json={"callback": f"https://hooks.example.com/{i}"}) for i in range(2)]
        assert [r.status_code for r in made] == [201, 201]
        assert_error(client.post(HUB, json={"callback": "https://hooks.example.com/3"}), 422, "OMNICART-LIMIT-0001")
        assert client.post(HUB, json={"callback": "https://hooks.example.com/b"}, headers=OTHER_AUTH).status_code == 201
        assert client.delete(f"{HUB}/{made[0].json()['id']}").status_code == 204
        assert client.post(HUB, json={"callback": "https://hooks.example.com/3"}).status_code == 201


def test_the_default_hub_quota_is_20(settings):
    assert dataclasses.replace(settings).max_hubs_per_partner == 20


def test_draft_carts_per_partner_are_capped(settings, seed_request):
    capped = dataclasses.replace(settings, max_draft_carts_per_partner=2)
    with TestClient(create_app(capped), headers=AUTH, raise_server_exceptions=False) as client:
        made = [client.post(CARTS, json=seed_request) for _ in range(2)]
        assert [r.status_code for r in made] == [201, 201]
        assert_error(client.post(CARTS, json=seed_request), 422, "OMNICART-LIMIT-0001", "productOrder")
        assert len(client.get(CARTS).json()) == 2  # nothing was stored
        assert client.post(CARTS, json=seed_request, headers=OTHER_AUTH).status_code == 201  # a quota per partner
        assert client.delete(f"{CARTS}/{made[0].json()['id']}").status_code == 204
        assert client.post(CARTS, json=seed_request).status_code == 201


def test_live_idempotency_keys_per_partner_are_capped(settings, seed_request):
    capped = dataclasses.replace(settings, max_idempotency_keys_per_partner=2)
    with TestClient(create_app(capped), headers=AUTH, raise_server_exceptions=False) as client:
        first = client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k1"})
        assert first.status_code == 201
        assert client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k2"}).status_code == 201
        assert_error(
            client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k3"}),
            422,
            "OMNICART-LIMIT-0001",
            "Idempotency-Key",
        )
        assert len(client.get(CARTS).json()) == 2  # the refused request did nothing
        replay = client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k1"})  # known keys still replay
        assert replay.status_code == 201 and replay.json()["id"] == first.json()["id"]
        assert client.post(CARTS, json=seed_request).status_code == 201  # without a key: no quota
        other = {**OTHER_AUTH, "Idempotency-Key": "k3"}
        assert client.post(CARTS, json=seed_request, headers=other).status_code == 201  # a quota per partner
        # The refused key was given back: it is no more held than before.
        assert_error(
            client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k3"}), 422, "OMNICART-LIMIT-0001"
        )


def test_the_default_quotas(settings):
    assert (settings.max_draft_carts_per_partner, settings.max_idempotency_keys_per_partner) == (100_000, 100_000)
