"""Rate limits per partner: a token bucket each; the request over the limit answers 429
with Retry-After, and the partner recovers once the bucket refills."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import RateLimitSettings
from tests.api.conftest import CARTS, assert_error
from tests.credentials import AUTH, OTHER_AUTH

LIMIT = RateLimitSettings(requests=5, per_seconds=60)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limited(settings, clock):
    with TestClient(create_app(dataclasses.replace(settings, rate_limit=LIMIT)), headers=AUTH) as client:
        client.app.state.rate_limiter.clock = clock
        yield client


def test_n_plus_one_requests_in_the_window_get_one_429_then_recover(limited, clock):
    statuses = [limited.get(CARTS).status_code for _ in range(LIMIT.requests)]
    refused = limited.get(CARTS)

    assert statuses == [200] * LIMIT.requests
    body = assert_error(refused, 429, "OMNICART-RATE-0429")
    assert refused.headers["retry-after"] == "12"  # one request's worth of 5 per 60 s
    assert body["details"] == {"retryAfter": 12}

    clock.now += 11
    assert limited.get(CARTS).status_code == 429
    clock.now += 1
    assert limited.get(CARTS).status_code == 200
    assert limited.get(CARTS).status_code == 429
    clock.now += 60
    assert [limited.get(CARTS).status_code for _ in range(LIMIT.requests)] == [200] * LIMIT.requests


def test_each_partner_has_its_own_bucket(limited):
    for _ in range(LIMIT.requests):
        limited.get(CARTS)
    assert limited.get(CARTS).status_code == 429
    assert limited.get(CARTS, headers=OTHER_AUTH).status_code == 200


def test_every_operation_draws_from_the_same_bucket(limited, seed_request):
    for _ in range(LIMIT.requests):
        limited.post(CARTS, json=seed_request)
    assert limited.get(CARTS).status_code == 429
    assert len(limited.get(CARTS, headers=OTHER_AUTH).json()) == 0


def test_a_refused_request_changes_nothing(limited, seed_request):
    for _ in range(LIMIT.requests - 1):
        limited.get(CARTS)
    created = limited.post(CARTS, json=seed_request)
    assert created.status_code == 201
    assert limited.post(CARTS, json=seed_request).status_code == 429
    limited.app.state.rate_limiter.limit = None  # read back without the limit in the way
    assert [c["id"] for c in limited.get(CARTS).json()] == [created.json()["id"]]


def test_public_paths_are_not_limited(limited):
    for _ in range(LIMIT.requests):
        limited.get(CARTS)
    assert [limited.get("/health").status_code for _ in range(20)] == [200] * 20


def test_no_limit_when_off(settings):
    with TestClient(create_app(dataclasses.replace(settings, rate_limit=None)), headers=AUTH) as client:
        assert {client.get(CARTS).status_code for _ in range(30)} == {200}
