"""OpenTelemetry traces (OMNICART_OTEL=on), caught by the SDK's in-memory exporter."""

from __future__ import annotations

import dataclasses

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.observability import tracing
from tests.api.conftest import CARTS
from tests.credentials import AUTH

CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c"


@pytest.fixture
def exported():
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with tracing.no_tracing():
        yield exporter, provider


def test_a_span_per_request_with_its_store_calls_as_children(settings, seed_request, exported):
    exporter, provider = exported
    with TestClient(
        create_app(dataclasses.replace(settings, otel=True), tracer_provider=provider), headers=AUTH
    ) as client:
        exporter.clear()
        headers = {"traceparent": f"00-{CALLER_TRACE}-b7ad6b7169203331-01"}
        cart = client.post(CARTS, json=seed_request, headers=headers).json()
        client.get(f"{CARTS}/{cart['id']}")
    spans = exporter.get_finished_spans()
    servers = [span for span in spans if span.kind is SpanKind.SERVER]
    assert [span.name for span in servers] == ["POST /omni-svcs/v1/carts", "GET /omni-svcs/v1/carts/{cartId}"]
    create, read = servers
    assert f"{create.context.trace_id:032x}" == CALLER_TRACE, "the caller's traceparent is continued"
    assert create.attributes["http.response.status_code"] == 201
    assert read.attributes["http.route"] == "/omni-svcs/v1/carts/{cartId}"
    for server in servers:
        children = [span for span in spans if span.parent is not None and span.parent.span_id == server.context.span_id]
        assert children and all(child.name.startswith("store.") for child in children), children
        assert children[0].attributes["db.system"] in {"sqlite", "postgresql"}


def test_event_deliveries_are_spans_with_their_store_calls(settings, seed_request, exported):
    exporter, provider = exported
    settings = dataclasses.replace(settings, otel=True, webhook_private_callbacks=True, webhook_timeout_seconds=1)
    with TestClient(create_app(settings, tracer_provider=provider), headers=AUTH) as client:
        client.post("/omni-svcs/v1/hub", json={"callback": "http://127.0.0.1:9/refused"})
        client.post(CARTS, json=seed_request)
        exporter.clear()
        client.portal.call(client.app.state.services.dispatcher.deliver_due)
    spans = exporter.get_finished_spans()
    delivery = next(span for span in spans if span.name == "webhook.deliver")
    recorded = [
        span.name for span in spans if span.parent is not None and span.parent.span_id == delivery.context.span_id
    ]
    assert recorded == ["store.delivery_failed"]


def test_off_by_default_nothing_is_traced(settings, seed_request, exported):
    exporter, provider = exported
    with TestClient(create_app(settings, tracer_provider=provider), headers=AUTH) as client:
        client.post(CARTS, json=seed_request)
        assert [m.kwargs["tracer"] for m in client.app.user_middleware] == [None]  # no span per request
    assert exporter.get_finished_spans() == ()
