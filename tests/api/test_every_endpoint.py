"""Every partner operation, against every way a caller can fail to be entitled to it.

The operations come from the app's own route table, so an endpoint added later under
/omni-svcs is covered without touching this file. For each one: no credentials, bad
credentials, an expired token, a revoked key, a missing scope, another partner's cart.
Each answers with the right status and changes nothing: the owner reads its cart back
unchanged and no cart appeared for either partner.

The scope each operation requires is written out by hand (`REQUIRED_SCOPES`,
tests/api/conftest.py), not read from the code under test: an operation served without an
entry there fails, and so does a scope that changes without that table changing with it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import jwt
import pytest
from starlette.routing import Route

from omnicart.api.app import create_app
from omnicart.config import Settings
from omnicart.domain.credentials import ALL_SCOPES, format_scopes
from tests.api.conftest import CARTS, REQUIRED_SCOPES, assert_challenge, assert_error
from tests.credentials import JWT_SECRET, KEY, OTHER_AUTH, bearer


def partner_operations() -> list[tuple[str, str]]:
    app = create_app(Settings(jwt_secret=JWT_SECRET))
    return [
        (method, route.path)
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/omni-svcs/")
        for method in sorted((route.methods or {"GET"}) - {"HEAD"})
    ]


OPERATIONS = partner_operations()

PUBLIC = [op for op, scope in REQUIRED_SCOPES.items() if scope is None]
ON_A_CART = [op for op in OPERATIONS if "{cartId}" in op[1]]
READS = [op for op in OPERATIONS if op[0] == "GET"]
ITEM_ID = "10000001-3f41-49bf-a6cf-6f65caa650ca"

# Valid bodies for the operations that take one, so a refusal is about the caller and
# not the body. An operation added later gets `{}`: still refused before it is read.
BODIES = {
    ("POST", CARTS): {"channel": {"id": "IND"}, "relatedParty": []},
    ("POST", CARTS + "/{cartId}/items"): {"items": [{"action": "add", "productOfferingType": "SIM"}]},
    ("PATCH", CARTS + "/{cartId}/items/{itemId}"): {"quantity": 2},
    ("POST", "/omni-svcs/v1/orders/query"): {"query": "{ getOrders { orders { id orderId } } }"},
}
_PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def _ids(operations: list[tuple[str, str]]) -> list[str]:
    return [f"{method} {path}" for method, path in operations]


def test_the_route_table_holds_the_cart_operations():
    assert {("POST", CARTS), ("GET", CARTS), ("GET", CARTS + "/{cartId}"), ("DELETE", CARTS + "/{cartId}")} <= set(
        OPERATIONS
    )


def test_every_operation_served_has_its_scope_written_down_here():
    app = create_app(Settings(jwt_secret=JWT_SECRET))
    served = {
        (method, route.path) for route in app.routes if isinstance(route, Route) for method in route.methods - {"HEAD"}
    }
    assert served == set(REQUIRED_SCOPES)


@dataclass
class World:
    """Partner A owns a cart with one item; partner B owns nothing."""

    client: object
    keys: object
    cart_id: str

    def call(self, method: str, path: str, headers: dict[str, str] | None, cart_id: str | None = None):
        """`headers=None` sends no Authorization header at all."""
        values = {"cartId": cart_id or self.cart_id, "itemId": ITEM_ID}
        url = _PARAM.sub(lambda m: values.get(m[1], str(uuid.uuid1())), path)
        body = BODIES.get((method, path), {} if method not in ("GET", "DELETE") else None)
        request = self.client.build_request(method, url, json=body, headers=headers or {})
        if headers is None:
            del request.headers["authorization"]
        return self.client.send(request)

    def state(self) -> dict:
        cart = self.client.get(f"{CARTS}/{self.cart_id}")
        assert cart.status_code == 200
        listed_a = self.client.get(CARTS, params={"limit": 100}).json()
        listed_b = self.client.get(CARTS, params={"limit": 100}, headers=OTHER_AUTH).json()
        return {
            "cart": cart.json(),
            "etag": cart.headers["etag"],
            "a": sorted(c["id"] for c in listed_a),
            "b": sorted(c["id"] for c in listed_b),
        }


@pytest.fixture
def world(client, keys, seed_request) -> World:
    seed_request["items"] = [{"productOrderItemId": ITEM_ID, "action": "add", "productOfferingType": "SIM"}]
    created = client.post(CARTS, json=seed_request)
    assert created.status_code == 201, created.text
    return World(client, keys, created.json()["id"])


@pytest.fixture
def unchanged(world):
    """After the test: the owner reads everything back exactly as it was before."""
    before = world.state()
    yield
    assert world.state() == before


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=_ids(OPERATIONS))
class TestEveryOperationRefuses:
    def test_a_request_without_credentials_with_401(self, world, method, path):
        assert_challenge(world.call(method, path, headers=None), 401)

    def test_a_non_bearer_scheme_as_missing_credentials_with_401(self, world, method, path):
        assert_challenge(world.call(method, path, {"Authorization": f"Basic {KEY}"}), 401)

    def test_bad_credentials_with_401_invalid_token(self, world, method, path):
        issued = world.keys.create()
        key_id = issued.split(".", 1)[0]
        forged = jwt.encode({"sub": "partner-a", "scope": format_scopes(ALL_SCOPES)}, "x" * 32, algorithm="HS256")
        for token in [
            "nonsense",
            KEY + "x",
            KEY[:-1],
            f"{key_id}.wrong-secret",
            "ock_0000000000000000.secret",
            forged,
            "a.b.c",
        ]:
            response = world.call(method, path, bearer(token))
            assert_challenge(response, 401, "invalid_token")
            assert token not in response.text

    def test_an_expired_access_token_with_401_invalid_token(self, world, method, path):
        token = world.keys.expired_token(world.keys.create())
        body = assert_challenge(world.call(method, path, bearer(token)), 401, "invalid_token")
        assert body["message"] == "the access token has expired"

    def test_a_revoked_key_and_its_tokens_with_401_invalid_token(self, world, method, path):
        key = world.keys.create()
        token = world.keys.token(key)
        world.keys.revoke(key)
        assert_challenge(world.call(method, path, bearer(key)), 401, "invalid_token")
        assert_challenge(world.call(method, path, bearer(token)), 401, "invalid_token")

    def test_a_credential_without_the_operations_scope_with_403(self, world, method, path):
        needed = REQUIRED_SCOPES[(method, path)]
        assert needed is not None
        key = world.keys.create(scopes=ALL_SCOPES - {needed})
        full_key = world.keys.create()
        narrowed_token = world.keys.token(full_key, scope=format_scopes(ALL_SCOPES - {needed}))
        for credential in (key, narrowed_token):
            response = world.call(method, path, bearer(credential))
            body = assert_challenge(response, 403, "insufficient_scope")
            assert f'scope="{needed}"' in response.headers["www-authenticate"]
            assert body["details"] == {"requiredScope": needed}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=_ids(OPERATIONS))
def test_a_credential_with_only_the_operations_scope_is_let_through(world, method, path):
    key = world.keys.create(scopes={REQUIRED_SCOPES[(method, path)]})
    response = world.call(method, path, bearer(key))
    assert response.status_code not in (401, 403), response.text


@pytest.mark.parametrize(("method", "path"), PUBLIC, ids=_ids(PUBLIC))
def test_a_public_operation_answers_without_credentials(world, method, path):
    response = world.call(method, path, headers=None)
    assert response.status_code not in (401, 403), response.text


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path"), ON_A_CART, ids=_ids(ON_A_CART))
def test_another_partners_cart_answers_exactly_as_an_unknown_id(world, method, path):
    unknown = str(uuid.uuid1())
    theirs = world.call(method, path, OTHER_AUTH)
    nobodys = world.call(method, path, OTHER_AUTH, cart_id=unknown)

    assert_error(theirs, 404)
    assert theirs.status_code == nobodys.status_code
    assert theirs.json() == {**nobodys.json(), "message": nobodys.json()["message"].replace(unknown, world.cart_id)}
    assert theirs.headers.keys() - {"x-request-id"} == nobodys.headers.keys() - {"x-request-id"}


@pytest.mark.parametrize(("method", "path"), READS, ids=_ids(READS))
def test_no_read_shows_partner_b_anything_of_partner_a(world, method, path):
    """Lists, searches, reads: whatever B can GET, none of A's cart ids is in it."""
    more = [
        world.client.post(CARTS, json={"channel": {"id": "IND"}, "relatedParty": []}).json()["id"] for _ in range(3)
    ]
    for cart_id in (world.cart_id, *more):
        response = world.call(method, path, OTHER_AUTH, cart_id=str(uuid.uuid1()))
        assert cart_id not in response.text


class TestListing:
    def test_partner_b_lists_none_of_partner_a_carts(self, client, seed_request):
        mine = {client.post(CARTS, json=seed_request).json()["id"] for _ in range(5)}
        theirs = {client.post(CARTS, json=seed_request, headers=OTHER_AUTH).json()["id"] for _ in range(2)}

        for offset in (0, 1, 2, 5):
            listed = client.get(CARTS, params={"limit": 100, "offset": offset}, headers=OTHER_AUTH).json()
            assert not {c["id"] for c in listed} & mine
        assert {c["id"] for c in client.get(CARTS, params={"limit": 100}, headers=OTHER_AUTH).json()} == theirs
        assert {c["id"] for c in client.get(CARTS, params={"limit": 100}).json()} == mine

    def test_carts_belong_to_the_partner_not_to_the_credential(self, client, keys, seed_request):
        """A partner's issued keys, its environment key and its tokens all see one set of carts."""
        key = keys.create("partner-a")
        made = {
            client.post(CARTS, json=seed_request, headers=bearer(credential)).json()["id"]
            for credential in (KEY, key, keys.token(key))
        }
        listed = {c["id"] for c in client.get(CARTS, params={"limit": 100}, headers=bearer(key)).json()}
        assert listed == made
