"""A console session lives no longer than the key it was opened with (issue 21): revoked
in this worker, the session is refused at once; revoked elsewhere (`omnicart keys
revoke`, another worker), once this worker's copy of the key is older than
OMNICART_KEY_CACHE_SECONDS."""

from __future__ import annotations

import base64
import json

from omnicart.access import AccessService
from tests.api.conftest import Keys
from tests.console.conftest import sign_in
from tests.credentials import KEY


def signed_in_with_a_new_key(console) -> tuple[Keys, str]:
    keys = Keys(console)
    key = keys.create()
    sign_in(console, key)
    assert console.get("/console/carts").status_code == 200
    return keys, key


def test_revoking_the_key_ends_its_sessions_at_once_in_this_worker(console):
    keys, key = signed_in_with_a_new_key(console)
    keys.revoke(key)
    refused = console.get("/console/carts")
    assert (refused.status_code, refused.headers["location"]) == (303, "/console/sign-in")


def test_revoked_elsewhere_the_session_ends_within_the_key_cache_time(console):
    now = [1000.0]
    access = console.app.state.services.access
    access.monotonic = lambda: now[0]
    _, key = signed_in_with_a_new_key(console)
    other_process = AccessService(access.keys, access.settings)
    console.portal.call(other_process.revoke_key, key.split(".")[0])
    now[0] += 1.9  # OMNICART_KEY_CACHE_SECONDS: 2 by default
    assert console.get("/console/carts").status_code == 200
    now[0] += 0.2
    assert console.get("/console/carts").status_code == 303


def test_a_session_of_an_environment_key_stands(console):
    sign_in(console, KEY)
    assert console.get("/console/carts").status_code == 200


def test_the_session_names_its_key_by_id_never_by_secret(console):
    sign_in(console, KEY)
    cookie = console.cookies.get("omnicart_console")
    payload = json.loads(base64.urlsafe_b64decode(cookie.split(".")[0]))
    assert payload["k"] == "env:partner-a"  # an id, never the secret
    assert KEY not in base64.urlsafe_b64decode(cookie.split(".")[0]).decode()


def test_a_mangled_session_cookie_is_no_session(console):
    for cookie in ("x.\u00e9", "\u00e9.\u00e9", "no-dot", ".", "x.y"):
        answer = console.get("/console/carts", headers={"Cookie": f"omnicart_console={cookie}".encode("latin-1")})
        assert (answer.status_code, answer.headers["location"]) == (303, "/console/sign-in"), cookie
