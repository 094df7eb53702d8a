"""Partner authentication: which credentials are accepted, what a refusal looks like,
how long a revoked key lives on, the sandbox, and what never reaches the logs."""

from __future__ import annotations

import dataclasses
import logging
import time

import httpx
import jwt
import pytest
from starlette.testclient import TestClient

from omnicart.access import AccessService
from omnicart.api.app import create_app
from omnicart.logs import JSONFormatter
from tests.api.conftest import CARTS, Keys, assert_challenge, assert_error
from tests.credentials import JWT_SECRET, KEY, OTHER_KEY, bearer


def created(response) -> dict:
    assert response.status_code == 201, response.text
    return response.json()


class TestAcceptedCredentials:
    def test_a_key_from_the_environment(self, client, seed_request):
        cart = created(client.post(CARTS, json=seed_request, headers=bearer(KEY)))
        assert client.get(f"{CARTS}/{cart['id']}", headers=bearer(KEY)).status_code == 200

    def test_an_issued_api_key(self, client, keys, seed_request):
        key = keys.create("partner-a")
        assert key.startswith("ock_") and len(key.split(".", 1)[1]) >= 43
        created(client.post(CARTS, json=seed_request, headers=bearer(key)))

    def test_an_access_token_from_the_token_endpoint(self, client, keys, seed_request):
        token = keys.token(keys.create("partner-a"))
        created(client.post(CARTS, json=seed_request, headers=bearer(token)))

    def test_the_bearer_scheme_is_case_insensitive(self, client, seed_request):
        created(client.post(CARTS, json=seed_request, headers={"Authorization": f"bearer {KEY}"}))

    def test_a_key_acts_for_its_own_partner_only(self, client, keys, seed_request):
        cart = created(client.post(CARTS, json=seed_request, headers=bearer(keys.create("partner-c"))))
        assert_error(client.get(f"{CARTS}/{cart['id']}", headers=bearer(KEY)), 404)


class TestRefusals:
    def test_no_credentials_answer_401_with_a_bare_challenge(self, client):
        response = client.get(CARTS, headers={"Authorization": ""})
        body = assert_challenge(response, 401)
        assert response.headers["www-authenticate"] == 'Bearer realm="omnicart"'
        assert "Authorization: Bearer" in body["message"]

    @pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer a b", "Bearer " + "x" * 5000])
    def test_a_malformed_bearer_header_is_an_invalid_token(self, client, header):
        assert_challenge(client.get(CARTS, headers={"Authorization": header}), 401, "invalid_token")

    def test_two_authorization_headers_are_refused(self, client):
        request = client.build_request("GET", CARTS)
        request.headers = httpx.Headers(
            [(k, v) for k, v in request.headers.raw if k.lower() != b"authorization"]
            + [(b"authorization", f"Bearer {KEY}".encode()), (b"authorization", f"Bearer {OTHER_KEY}".encode())]
        )
        assert request.headers.get_list("authorization") == [f"Bearer {KEY}", f"Bearer {OTHER_KEY}"]
        assert_challenge(client.send(request), 401, "invalid_token")

    @pytest.mark.parametrize(
        "claims",
        [
            {"aud": "someone-else"},
            {"iss": "someone-else"},
            {"scope": "carts:read admin"},
            {"client_id": "partner-z", "sub": "partner-z"},
            {"sub": "partner-b"},  # an environment client acting for another partner
        ],
        ids=["audience", "issuer", "unknown scope", "unknown client", "subject"],
    )
    def test_a_token_with_wrong_claims_is_refused(self, client, claims):
        now = int(time.time())
        good = {
            "iss": "omnicart",
            "aud": "omni-svcs",
            "sub": "partner-a",
            "iat": now,
            "exp": now + 60,
            "jti": "j",
            "scope": "carts:read",
            "client_id": "partner-a",
        }
        sign = lambda c: jwt.encode(c, JWT_SECRET, algorithm="HS256", headers={"typ": "at+jwt"})  # noqa: E731
        assert client.get(CARTS, headers=bearer(sign(good))).status_code == 200
        assert_challenge(client.get(CARTS, headers=bearer(sign({**good, **claims}))), 401, "invalid_token")

    def test_a_token_missing_a_claim_or_its_type_or_signed_otherwise_is_refused(self, client):
        now = int(time.time())
        good = {
            "iss": "omnicart",
            "aud": "omni-svcs",
            "sub": "partner-a",
            "iat": now,
            "exp": now + 60,
            "jti": "j",
            "scope": "carts:read",
            "client_id": "partner-a",
        }
        no_jti = {k: v for k, v in good.items() if k != "jti"}
        for token in [
            jwt.encode(no_jti, JWT_SECRET, algorithm="HS256", headers={"typ": "at+jwt"}),
            jwt.encode(good, JWT_SECRET, algorithm="HS256"),  # an ID token or any other JWT
            jwt.encode(good, JWT_SECRET, algorithm="HS384", headers={"typ": "at+jwt"}),
            jwt.encode(good, None, algorithm="none", headers={"typ": "at+jwt"}),
        ]:
            assert_challenge(client.get(CARTS, headers=bearer(token)), 401, "invalid_token")

    def test_an_unknown_path_needs_credentials_before_it_answers_404(self, client):
        assert_challenge(client.get("/omni-svcs/v1/nothing", headers={"Authorization": ""}), 401)
        assert_error(client.get("/omni-svcs/v1/nothing"), 404)

    @pytest.mark.parametrize(
        "path", ["/health", "/ready", "/openapi.json", "/docs", "/docs/init.js", "/docs/static/swagger-ui-bundle.js"]
    )
    def test_probes_and_documentation_are_public(self, client, path):
        assert client.get(path, headers={"Authorization": ""}).status_code == 200

    def test_a_read_only_key_reads_but_does_not_write(self, client, keys, cart, seed_request):
        reader = bearer(keys.create("partner-a", scopes=["carts:read"]))
        assert client.get(f"{CARTS}/{cart['id']}", headers=reader).status_code == 200
        assert client.get(CARTS, headers=reader).status_code == 200
        assert_challenge(client.post(CARTS, json=seed_request, headers=reader), 403, "insufficient_scope")
        assert_challenge(client.delete(f"{CARTS}/{cart['id']}", headers=reader), 403, "insufficient_scope")
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart


@pytest.fixture
def ticking(client) -> list[float]:
    """The app's key-cache clock, advanced by hand."""
    now = [1000.0]
    client.app.state.services.access.monotonic = lambda: now[0]
    return now


class TestRevocation:
    def test_revocation_through_this_server_is_immediate(self, client, keys):
        key = keys.create()
        assert client.get(CARTS, headers=bearer(key)).status_code == 200
        keys.revoke(key)
        assert_challenge(client.get(CARTS, headers=bearer(key)), 401, "invalid_token")

    def test_revocation_elsewhere_reaches_a_server_within_the_cache_ttl(self, client, keys, ticking):
        """`omnicart keys revoke` runs in another process: this one notices when its
        cached copy of the key expires (OMNICART_KEY_CACHE_SECONDS, 2 s; it was 30 s)."""
        key = keys.create()
        token = keys.token(key)
        assert client.get(CARTS, headers=bearer(key)).status_code == 200
        other_process = AccessService(client.app.state.services.access.keys, client.app.state.settings)
        client.portal.call(other_process.revoke_key, key.split(".")[0])

        ticking[0] += 1.9
        assert client.get(CARTS, headers=bearer(key)).status_code == 200
        ticking[0] += 0.2
        assert_challenge(client.get(CARTS, headers=bearer(key)), 401, "invalid_token")
        assert_challenge(client.get(CARTS, headers=bearer(token)), 401, "invalid_token")

    def test_with_the_cache_off_revocation_is_immediate_everywhere(self, settings):
        settings = dataclasses.replace(settings, key_cache_seconds=0)
        with TestClient(create_app(settings)) as client:
            keys = Keys(client)
            key = keys.create()
            assert client.get(CARTS, headers=bearer(key)).status_code == 200
            other_process = AccessService(client.app.state.services.access.keys, settings)
            client.portal.call(other_process.revoke_key, key.split(".")[0])
            assert_challenge(client.get(CARTS, headers=bearer(key)), 401, "invalid_token")

    def test_unknown_key_ids_do_not_grow_the_cache_without_bound(self, client, monkeypatch):
        import omnicart.access

        monkeypatch.setattr(omnicart.access.authentication, "MAX_CACHED", 5)
        for n in range(20):
            client.get(CARTS, headers=bearer(f"ock_{n:016x}.secret"))
        assert len(client.app.state.services.access._keys_seen) <= 5


class TestAccessTokenLifetime:
    def test_a_token_in_use_expires_on_time(self, client, keys):
        """Verified tokens are remembered; their expiry is still checked on every use."""
        from datetime import UTC, datetime, timedelta

        token = keys.token(keys.create())
        assert client.get(CARTS, headers=bearer(token)).status_code == 200
        access = client.app.state.services.access
        later = datetime.now(UTC) + timedelta(seconds=900 + 11)
        access.clock = lambda: later
        body = assert_challenge(client.get(CARTS, headers=bearer(token)), 401, "invalid_token")
        assert body["message"] == "the access token has expired"

    def test_a_token_within_the_leeway_still_works(self, client, keys):
        from datetime import UTC, datetime, timedelta

        token = keys.token(keys.create())
        assert client.get(CARTS, headers=bearer(token)).status_code == 200
        later = datetime.now(UTC) + timedelta(seconds=900 + 5)
        client.app.state.services.access.clock = lambda: later
        assert client.get(CARTS, headers=bearer(token)).status_code == 200


class TestSandbox:
    @pytest.fixture
    def sandbox(self, settings):
        with TestClient(create_app(dataclasses.replace(settings, sandbox=True))) as client:
            yield client

    def test_requests_without_credentials_act_as_the_sandbox_partner(self, sandbox, seed_request):
        cart = created(sandbox.post(CARTS, json=seed_request))
        assert sandbox.get(f"{CARTS}/{cart['id']}").json() == cart
        assert_error(sandbox.get(f"{CARTS}/{cart['id']}", headers=bearer(KEY)), 404)

    def test_credentials_sent_to_a_sandbox_are_still_checked(self, sandbox, seed_request):
        cart = created(sandbox.post(CARTS, json=seed_request, headers=bearer(KEY)))
        assert_error(sandbox.get(f"{CARTS}/{cart['id']}"), 404)
        assert_challenge(sandbox.get(CARTS, headers=bearer("wrong")), 401, "invalid_token")

    def test_the_sandbox_partner_can_be_renamed(self, settings, seed_request):
        renamed = dataclasses.replace(settings, sandbox=True, sandbox_partner="dealer-demo")
        with TestClient(create_app(renamed)) as client:
            cart = created(client.post(CARTS, json=seed_request))
        with TestClient(create_app(settings), headers=bearer(KEY)) as client:
            keys = Keys(client)
            assert_error(client.get(f"{CARTS}/{cart['id']}"), 404)
            demo = bearer(keys.create("dealer-demo"))
            assert client.get(f"{CARTS}/{cart['id']}", headers=demo).status_code == 200

    def test_a_sandbox_says_so_loudly_at_start(self, settings, caplog):
        with caplog.at_level(logging.WARNING), TestClient(create_app(dataclasses.replace(settings, sandbox=True))):
            pass
        assert any("SANDBOX MODE" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)

    def test_without_sandbox_nothing_is_anonymous(self, client, seed_request):
        assert_challenge(client.post(CARTS, json=seed_request, headers={"Authorization": ""}), 401)


class TestSecretsStayOutOfLogs:
    def test_no_key_secret_or_token_is_ever_logged(self, client, keys, seed_request, caplog, capfd):
        caplog.set_level(logging.DEBUG)
        issued = keys.create()
        token = keys.token(issued)
        client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": "partner-a", "client_secret": "wrong-secret-value"},
        )
        for credential in (KEY, issued, token, "guess-0123456789", issued.split(".")[0] + ".wrong-secret-value"):
            client.post(CARTS, json=seed_request, headers=bearer(credential))
        # Log records, and the access log, which goes straight to stderr.
        logged = "\n".join(JSONFormatter().format(record) for record in caplog.records)
        logged += capfd.readouterr().err

        assert "request" in logged  # the access log was captured
        for secret in (KEY, issued.split(".", 1)[1], token, "guess-0123456789", "wrong-secret-value"):
            assert secret not in logged
        assert "RS and I Inc" not in logged  # nor request bodies

    def test_settings_do_not_show_secrets(self, settings):
        shown = repr(settings)
        assert KEY not in shown and JWT_SECRET not in shown
