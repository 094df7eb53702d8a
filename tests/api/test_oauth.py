"""POST /oauth/token: OAuth2 client credentials (RFC 6749 §4.4) with an API key as the
client, answering a short-lived signed access token, or an RFC 6749 §5.2 error."""

from __future__ import annotations

import base64
import dataclasses

import jwt
import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.api.conftest import CARTS, Keys, assert_challenge
from tests.credentials import JWT_SECRET, KEY, bearer

TOKEN = "/oauth/token"
GRANT = {"grant_type": "client_credentials"}


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def assert_oauth_error(response, status: int, error: str) -> dict:
    """RFC 6749 §5.2 fields for OAuth clients, next to omnicart's own error fields."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error and body["error_description"]
    assert body["status"] == status and body["code"].startswith("OMNICART-AUTH-") and body["message"]
    assert response.headers["cache-control"] == "no-store"
    if status == 401:
        assert response.headers["www-authenticate"] == 'Basic realm="omnicart"'
    return body


@pytest.fixture
def key(keys) -> str:
    return keys.create("partner-a")


class TestIssuing:
    def test_basic_client_authentication_gets_a_bearer_token(self, client, key):
        client_id, secret = key.split(".", 1)
        response = client.post(TOKEN, data=GRANT, headers=basic(client_id, secret))

        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
        assert body["token_type"] == "Bearer" and body["expires_in"] == 900
        assert body["scope"] == "carts:read carts:write orders:submit customers:read"
        assert response.headers["cache-control"] == "no-store" and response.headers["pragma"] == "no-cache"
        assert client.get(CARTS, headers=bearer(body["access_token"])).status_code == 200

    def test_the_token_carries_the_standard_claims(self, client, key):
        client_id, secret = key.split(".", 1)
        token = client.post(TOKEN, data=GRANT, headers=basic(client_id, secret)).json()["access_token"]

        assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "at+jwt"}
        claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], audience="omni-svcs", issuer="omnicart")
        assert claims["sub"] == "partner-a" and claims["client_id"] == client_id
        assert claims["exp"] - claims["iat"] == 900
        assert claims["scope"] == "carts:read carts:write orders:submit customers:read" and len(claims["jti"]) == 32

    def test_every_token_is_distinct(self, keys, key):
        assert keys.token(key) != keys.token(key)

    def test_credentials_in_the_form_body_work_too(self, client, key):
        client_id, secret = key.split(".", 1)
        response = client.post(TOKEN, data={**GRANT, "client_id": client_id, "client_secret": secret})
        assert response.status_code == 200, response.text

    def test_an_environment_key_is_a_client_named_by_its_partner(self, client):
        response = client.post(TOKEN, data=GRANT, headers=basic("partner-a", KEY))
        assert response.status_code == 200, response.text
        assert client.get(CARTS, headers=bearer(response.json()["access_token"])).status_code == 200

    def test_a_token_may_ask_for_fewer_scopes(self, client, keys, key, seed_request):
        token = keys.token(key, scope="carts:read")
        assert client.get(CARTS, headers=bearer(token)).status_code == 200
        assert_challenge(client.post(CARTS, json=seed_request, headers=bearer(token)), 403, "insufficient_scope")

    def test_the_lifetime_is_configurable(self, settings):
        with TestClient(create_app(dataclasses.replace(settings, token_lifetime=60))) as client:
            response = client.post(TOKEN, data=GRANT, headers=basic("partner-a", KEY))
            assert response.json()["expires_in"] == 60

    def test_a_bearer_header_sent_along_is_not_client_authentication(self, client, key):
        client_id, secret = key.split(".", 1)
        response = client.post(
            TOKEN, data={**GRANT, "client_id": client_id, "client_secret": secret}, headers=bearer(KEY)
        )
        assert response.status_code == 200


class TestRefusing:
    def test_a_wrong_secret_is_an_invalid_client(self, client, key):
        client_id = key.split(".", 1)[0]
        assert_oauth_error(client.post(TOKEN, data=GRANT, headers=basic(client_id, "wrong")), 401, "invalid_client")

    @pytest.mark.parametrize(
        ("client_id", "secret"), [("ock_0000000000000000", "x"), ("partner-a", "wrong"), ("partner-z", KEY), ("", "")]
    )
    def test_an_unknown_client_is_an_invalid_client(self, client, client_id, secret):
        response = client.post(TOKEN, data={**GRANT, "client_id": client_id, "client_secret": secret})
        assert_oauth_error(response, 401, "invalid_client")

    def test_no_client_authentication_is_an_invalid_client(self, client):
        assert_oauth_error(client.post(TOKEN, data=GRANT, headers={"Authorization": ""}), 401, "invalid_client")

    def test_malformed_basic_credentials_are_an_invalid_client(self, client):
        response = client.post(TOKEN, data=GRANT, headers={"Authorization": "Basic !!!"})
        assert_oauth_error(response, 401, "invalid_client")

    def test_a_revoked_key_gets_no_token(self, client, keys, key):
        keys.revoke(key)
        client_id, secret = key.split(".", 1)
        assert_oauth_error(client.post(TOKEN, data=GRANT, headers=basic(client_id, secret)), 401, "invalid_client")

    def test_a_scope_the_key_lacks_is_an_invalid_scope(self, client, keys):
        client_id, secret = keys.create("partner-a", scopes=["carts:read"]).split(".", 1)
        response = client.post(TOKEN, data={**GRANT, "scope": "carts:write"}, headers=basic(client_id, secret))
        assert_oauth_error(response, 400, "invalid_scope")

    def test_an_unknown_scope_is_an_invalid_scope(self, client, key):
        client_id, secret = key.split(".", 1)
        response = client.post(TOKEN, data={**GRANT, "scope": "carts:read admin"}, headers=basic(client_id, secret))
        assert_oauth_error(response, 400, "invalid_scope")

    @pytest.mark.parametrize(
        ("form", "error"),
        [
            ({}, "invalid_request"),
            ({"grant_type": "password"}, "unsupported_grant_type"),
            ({"grant_type": "authorization_code"}, "unsupported_grant_type"),
        ],
    )
    def test_only_the_client_credentials_grant_is_served(self, client, key, form, error):
        client_id, secret = key.split(".", 1)
        assert_oauth_error(client.post(TOKEN, data=form, headers=basic(client_id, secret)), 400, error)

    def test_json_is_not_a_token_request(self, client, key):
        client_id, secret = key.split(".", 1)
        response = client.post(TOKEN, json=GRANT, headers=basic(client_id, secret))
        assert_oauth_error(response, 400, "invalid_request")

    def test_a_repeated_parameter_is_refused(self, client, key):
        client_id, secret = key.split(".", 1)
        response = client.post(
            TOKEN,
            content=b"grant_type=client_credentials&grant_type=client_credentials",
            headers={**basic(client_id, secret), "content-type": "application/x-www-form-urlencoded"},
        )
        assert_oauth_error(response, 400, "invalid_request")

    def test_authenticating_two_ways_at_once_is_refused(self, client, key):
        client_id, secret = key.split(".", 1)
        response = client.post(
            TOKEN, data={**GRANT, "client_id": client_id, "client_secret": secret}, headers=basic(client_id, secret)
        )
        assert_oauth_error(response, 400, "invalid_request")

    def test_a_large_body_is_refused(self, client):
        response = client.post(TOKEN, data={**GRANT, "pad": "x" * 10_000})
        assert response.status_code == 413

    def test_other_methods_answer_405(self, client):
        assert client.get(TOKEN).status_code == 405


def test_keys_fixture_tokens_are_bound_to_their_key(client):
    """Sanity of the helper the other test modules rely on."""
    keys = Keys(client)
    key = keys.create("partner-b")
    claims = jwt.decode(keys.token(key), JWT_SECRET, algorithms=["HS256"], audience="omni-svcs")
    assert claims["sub"] == "partner-b" and claims["client_id"] == key.split(".")[0]
