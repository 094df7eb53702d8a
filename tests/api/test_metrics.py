"""GET /metrics: what is counted, how it is labelled, who may read it, and that several
workers add up (docs/metrics.md)."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.api.metrics import refresher
from omnicart.config import RateLimitSettings
from tests.api.conftest import CARTS
from tests.credentials import AUTH
from tests.live import LiveServer

CART = CARTS + "/{cartId}"


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped: dict, name: str, **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


def test_requests_are_counted_by_route_template_never_by_id(client, seed_request):
    before = scrape(client)
    created = client.post(CARTS, json=seed_request).json()
    client.get(f"{CARTS}/{created['id']}")
    client.get(f"{CARTS}/{uuid.uuid1()}")  # 404
    client.get(f"{CARTS}/{created['id']}", headers={"Authorization": "Bearer wrong-key-0123456789abcdef"})  # 401
    client.get("/no/such/path")
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    total = "omnicart_http_requests_total"
    assert delta(total, route=CARTS, method="POST", status="201") == 1
    assert delta(total, route=CART, method="GET", status="200") == 1
    assert delta(total, route=CART, method="GET", status="404") == 1
    assert delta(total, route=CART, method="GET", status="401") == 1, "refused before routing, still templated"
    assert delta(total, route="unmatched", method="GET", status="404") == 1
    assert delta("omnicart_http_request_duration_seconds_count", route=CART, method="GET") == 3
    text = client.get("/metrics").text
    assert created["id"] not in text and "/no/such/path" not in text


def test_idempotent_replays_and_rate_limited_requests(settings, seed_request):
    limited = dataclasses.replace(settings, rate_limit=RateLimitSettings(requests=3, per_seconds=3600))
    with TestClient(create_app(limited), headers=AUTH) as client:
        before = scrape(client)  # takes no token: /metrics is public, so not rate limited
        key = {"Idempotency-Key": uuid.uuid4().hex}
        assert client.post(CARTS, json=seed_request, headers=key).status_code == 201
        assert client.post(CARTS, json=seed_request, headers=key).headers["idempotent-replayed"] == "true"
        statuses = [client.get(CARTS).status_code for _ in range(3)]
        after = scrape(client)
    assert statuses.count(429) == 2
    assert value(after, "omnicart_idempotent_replays_total") - value(before, "omnicart_idempotent_replays_total") == 1
    assert value(after, "omnicart_rate_limited_total") - value(before, "omnicart_rate_limited_total") == 2


def test_a_metrics_token_is_required_once_configured(settings):
    with TestClient(create_app(dataclasses.replace(settings, metrics_token="scrape-token-0123456789"))) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"}).status_code == 200


def test_gauges_of_the_database_and_deliveries(settings, seed_request):
    settings = dataclasses.replace(settings, webhook_private_callbacks=True, webhook_timeout_seconds=1)
    with TestClient(create_app(settings), headers=AUTH) as client:
        services = client.app.state.services
        hub = client.post("/omni-svcs/v1/hub", json={"callback": "http://127.0.0.1:9/refused"})
        assert hub.status_code == 201, hub.text
        before = scrape(client)
        client.post(CARTS, json=seed_request)
        client.delete(f"{CARTS}/{client.post(CARTS, json=seed_request).json()['id']}")
        client.portal.call(services.dispatcher.deliver_due)  # the delivery to port 9 fails
        client.portal.call(refresher(services.carts.store))
        after = scrape(client)
    assert value(after, "omnicart_carts", state="Draft") == 1, "the abandoned cart is gone"
    assert value(after, "omnicart_outbox_events_pending") >= 3  # create, create, delete: none delivered
    assert value(after, "omnicart_outbox_oldest_pending_age_seconds") >= 0
    failed = ("omnicart_webhook_deliveries_total", "omnicart_webhook_delivery_duration_seconds_count")
    for name in failed:  # the first failure opens the hub's circuit: the rest wait, unattempted
        assert value(after, name, outcome="failed") - value(before, name, outcome="failed") >= 1
    assert value(after, "omnicart_store_pool_size") >= 1


@pytest.mark.slow
def test_two_workers_add_up_and_the_directory_is_removed(database_url, tmp_path):
    with LiveServer(database_url, workers=2, log=tmp_path / "server.log") as server:
        directories = {
            Path(f"/proc/{pid}/environ").read_bytes().split(b"PROMETHEUS_MULTIPROC_DIR=")[1].split(b"\0")[0]
            for pid in server.worker_pids()
        }
        assert len(directories) == 1
        with httpx.Client(base_url=server.url, headers=server.headers) as http:
            before = samples(http.get("/metrics").text)
            for _ in range(40):  # new connections: spread over both workers
                assert httpx.get(f"{server.url}{CARTS}", headers=server.headers).status_code == 200
            after = samples(http.get("/metrics").text)
        labels = {"route": CARTS, "method": "GET", "status": "200"}
        assert (
            value(after, "omnicart_http_requests_total", **labels)
            - value(before, "omnicart_http_requests_total", **labels)
            == 40
        )
    assert not Path(directories.pop().decode()).exists()
