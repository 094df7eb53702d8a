"""Safe to expose: security headers on every answer (refusals included), CORS only for
configured origins, and an OpenAPI document that states what each operation requires."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import RateLimitSettings
from tests.api.conftest import CARTS
from tests.api.test_every_endpoint import REQUIRED_SCOPES
from tests.credentials import AUTH

ORIGIN = "https://shop.example.com"


class TestSecurityHeaders:
    @pytest.mark.parametrize("headers", [{"Authorization": ""}, {"Authorization": "Bearer wrong"}])
    def test_on_401(self, client, headers):
        response = client.get(CARTS, headers=headers)
        assert response.status_code == 401
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-request-id"]

    def test_on_403(self, client, keys):
        response = client.post(
            CARTS, json={}, headers={"Authorization": f"Bearer {keys.create(scopes=['carts:read'])}"}
        )
        assert response.status_code == 403
        assert response.headers["x-content-type-options"] == "nosniff"

    def test_on_429(self, settings):
        with TestClient(
            create_app(dataclasses.replace(settings, rate_limit=RateLimitSettings(1, 3600))), headers=AUTH
        ) as client:
            client.get(CARTS)
            response = client.get(CARTS)
        assert response.status_code == 429
        assert response.headers["x-content-type-options"] == "nosniff"

    def test_on_the_token_endpoint(self, client):
        response = client.post("/oauth/token", data={"grant_type": "client_credentials"})
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


class TestCors:
    def test_off_by_default(self, client):
        response = client.get(CARTS, headers={"Origin": ORIGIN})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options(CARTS, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in preflight.headers

    @pytest.fixture
    def cors(self, settings):
        with TestClient(create_app(dataclasses.replace(settings, cors_origins=(ORIGIN,))), headers=AUTH) as client:
            yield client

    def test_a_configured_origin_may_call_with_a_bearer_token(self, cors):
        preflight = cors.options(
            CARTS,
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
                "Authorization": "",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in preflight.headers
        response = cors.get(CARTS, headers={"Origin": ORIGIN})
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert "etag" in response.headers["access-control-expose-headers"].lower()

    def test_another_origin_is_not_allowed(self, cors):
        preflight = cors.options(
            CARTS, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
        )
        assert preflight.status_code == 400
        assert "access-control-allow-origin" not in preflight.headers
        assert "access-control-allow-origin" not in cors.get(CARTS, headers={"Origin": "https://evil.example"}).headers


class TestOpenApi:
    @pytest.fixture
    def document(self, client) -> dict:
        return client.get("/openapi.json").json()

    def test_declares_the_bearer_and_oauth2_schemes_with_every_scope(self, document):
        schemes = document["components"]["securitySchemes"]
        assert schemes["bearer"]["scheme"] == "bearer"
        flow = schemes["oauth2"]["flows"]["clientCredentials"]
        assert flow["tokenUrl"] == "/oauth/token"
        assert set(flow["scopes"]) == {"carts:read", "carts:write", "orders:submit", "customers:read"}

    def test_each_operation_names_the_scope_the_guard_enforces(self, document):
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if method == "parameters":
                    continue
                scope = REQUIRED_SCOPES[(method.upper(), path)]
                if scope is None:
                    assert operation["security"] == [], (method, path)
                else:
                    assert operation["security"] == [{"bearer": []}, {"oauth2": [scope]}], (method, path)
                    assert operation["x-required-scope"] == scope, (method, path)
                    assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)

    def test_describes_the_token_endpoint(self, document):
        operation = document["paths"]["/oauth/token"]["post"]
        assert "application/x-www-form-urlencoded" in operation["requestBody"]["content"]
