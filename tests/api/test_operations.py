"""The operation table as the outside sees it: the document names exactly what is served,
query strings are checked before any handler runs, and each operation's errors are
described for that operation."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from tests.api.conftest import CARTS, ORDERS, REQUIRED_SCOPES, assert_error

OFFERINGS = "/omni-svcs/v1/productOfferings"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def by_hand() -> dict[str, set[str]]:
    """Path → methods, from the operations written out by hand (tests/api/conftest.py)."""
    paths: dict[str, set[str]] = {}
    for method, path in REQUIRED_SCOPES:
        paths.setdefault(path, set()).add(method.lower())
    return paths


@pytest.fixture
def document(client) -> dict:
    return client.get("/openapi.json").json()


def served(app) -> dict[str, set[str]]:
    """Path → methods, from the app's own routes (HEAD is implied by GET)."""
    routes: dict[str, set[str]] = {}
    for route in app.routes:
        if isinstance(route, Mount):
            # Files for the docs page, and the sandbox console (omnicart.console): web pages
            # for people with a session cookie, not operations of the partner API, so they are
            # deliberately left out of its OpenAPI document. Named here, so any other mount fails.
            assert route.path in ("/docs/static", "/console"), route
            continue
        assert isinstance(route, Route), route
        assert ("HEAD" in route.methods) == ("GET" in route.methods), route.path
        routes[route.path] = {method.lower() for method in route.methods - {"HEAD"}}
    return routes


class TestTheDocument:
    def test_names_every_served_route_with_its_methods_and_nothing_else(self, client, document):
        documented = {path: set(item) & METHODS for path, item in document["paths"].items()}
        assert documented == by_hand()
        assert served(client.app) == by_hand()

    def test_a_405_allows_every_method_of_the_path(self, client):
        for path, methods in by_hand().items():
            url = path.replace("{", "").replace("}", "")
            response = client.put(url)
            assert response.status_code == 405, path
            allowed = {m.strip().lower() for m in response.headers["allow"].split(",")} - {"head"}
            assert allowed == methods, path

    def test_every_get_answers_head_too(self, client, cart):
        for path in (CARTS, f"{CARTS}/{cart['id']}", "/health"):
            response = client.head(path)
            assert response.status_code == 200, path
            assert response.headers["content-length"] == client.get(path).headers["content-length"]
            assert response.content == b""

    def test_every_path_parameter_is_declared(self, document):
        for path, item in document["paths"].items():
            names = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
            assert names == {part[1:-1] for part in path.split("/") if part.startswith("{")}, path

    def test_query_parameters_carry_their_bounds(self, document):
        for path in (CARTS, ORDERS):
            parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"] if p["in"] == "query"}
            assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
            assert parameters["offset"]["schema"]["minimum"] == 0
            assert not parameters["limit"]["required"]
        states = document["paths"][ORDERS]["get"]["parameters"]
        assert "Draft" not in next(p for p in states if p["name"] == "state")["schema"]["enum"]

    @pytest.mark.parametrize(
        ("path", "method", "noun"),
        [
            (CARTS + "/{cartId}", "get", "cart"),
            (CARTS + "/{cartId}/items/{itemId}", "delete", "item"),
            (OFFERINGS + "/{offeringId}", "get", "offering"),
            (ORDERS + "/{orderId}", "get", "order"),
            ("/omni-svcs/v1/hub/{id}", "get", "listener"),
        ],
    )
    def test_a_404_says_what_is_missing(self, document, path, method, noun):
        description = document["paths"][path][method]["responses"]["404"]["description"]
        assert noun in description
        if noun not in ("cart", "item"):
            assert "cart" not in description

    def test_errors_a_request_header_causes_are_documented_where_it_is_taken(self, document):
        submit = document["paths"][CARTS + "/{cartId}/express-submit"]["post"]
        assert "412" in submit["responses"]
        assert "Idempotency-Key" in submit["responses"]["422"]["description"]
        assert {p["name"] for p in submit["parameters"]} >= {"If-Match", "Idempotency-Key", "appname", "idpctx-uuid"}
        read = document["paths"][CARTS + "/{cartId}"]["get"]
        assert "304" in read["responses"] and "412" not in read["responses"]
        assert "If-Match" not in {p["name"] for p in read["parameters"]}

    def test_every_post_of_a_partner_takes_an_idempotency_key(self, document):
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if method not in METHODS:
                    continue
                names = {p["name"] for p in operation.get("parameters", ())}
                # The middleware keys every authenticated POST (api/idempotency.py)...
                public = REQUIRED_SCOPES[(method.upper(), path)] is None
                assert ("Idempotency-Key" in names) == (method == "post" and not public), path
                assert (operation["security"] == []) == public, path
                # ...and outside sandbox mode mock-scenario is ignored: not in the document.
                assert "mock-scenario" not in names, path

    def test_names_the_scope_each_operation_requires(self, document):
        for (method, path), scope in REQUIRED_SCOPES.items():
            operation = document["paths"][path][method.lower()]
            assert operation.get("x-required-scope") == scope, f"{method} {path}"
            expected = [] if scope is None else [{"bearer": []}, {"oauth2": [scope]}]
            assert operation["security"] == expected, f"{method} {path}"


class TestQueryStrings:
    @pytest.mark.parametrize("path", [CARTS, ORDERS, OFFERINGS, CARTS + "/{cart}", "/health"])
    def test_an_unknown_parameter_is_refused_naming_it(self, client, cart, path):
        response = client.get(path.format(cart=cart["id"]), params={"sort": "id"})
        body = assert_error(response, 400, field="sort")
        assert "sort" in body["message"]

    @pytest.mark.parametrize("path", [CARTS, ORDERS])
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("limit", "0"),
            ("limit", "101"),
            ("limit", "-1"),
            ("limit", "abc"),
            ("limit", "²"),
            ("limit", "①"),
            ("limit", ""),
            ("limit", "1.5"),
            ("offset", "-1"),
            ("offset", "1000001"),
            ("offset", "²"),
            ("offset", "①"),
        ],
    )
    def test_a_bad_limit_or_offset_is_refused_with_its_bounds(self, client, path, name, value):
        body = assert_error(client.get(path, params={name: value}), 400, field=name)
        bounds = "from 1 to 100" if name == "limit" else "from 0 to 1000000"
        assert body["details"]["errors"][0]["reason"] == f"must be an integer {bounds}"

    def test_a_parameter_given_twice_is_refused(self, client):
        assert_error(client.get(CARTS + "?limit=5&limit=6"), 400, field="limit")

    def test_values_in_bounds_are_decoded(self, client, seed_request):
        made = [client.post(CARTS, json=seed_request).json()["id"] for _ in range(3)]
        assert [c["id"] for c in client.get(CARTS, params={"limit": "1", "offset": "1"}).json()] == [made[1]]
        assert len(client.get(CARTS, params={"limit": 100, "offset": 0}).json()) == 3

    def test_an_unknown_offering_type_is_refused_with_the_known_ones(self, client):
        body = assert_error(client.get(OFFERINGS, params={"type": "Phone"}), 400, field="type")
        assert "Mobile_Device" in body["details"]["errors"][0]["reason"]
        listed = client.get(OFFERINGS, params={"type": "SIM"}).json()
        assert listed and {o["productOfferingType"] for o in listed} == {"SIM"}

    def test_the_scope_is_checked_before_the_query(self, client, keys):
        writer = {"Authorization": f"Bearer {keys.create(scopes=['carts:write'])}"}
        assert_error(client.get(ORDERS, params={"nope": 1}, headers=writer), 403)


class TestTheLeanDispatch:
    """api/dispatch.py takes an operation's request past Starlette's router: it must find
    the same operation and parameters the router would, and leave everything else to it."""

    CART = "/omni-svcs/v1/carts/{cartId}"
    ITEM = "/omni-svcs/v1/carts/{cartId}/items/{itemId}"
    REQUESTS = [
        # method, path, (the path template it is, its parameters) or None: Starlette's to answer
        ("POST", CARTS, ("/omni-svcs/v1/carts", {})),
        ("GET", f"{CARTS}/c-1", (CART, {"cartId": "c-1"})),
        ("HEAD", f"{CARTS}/c-1", (CART, {"cartId": "c-1"})),
        ("DELETE", f"{CARTS}/c-1", (CART, {"cartId": "c-1"})),
        ("POST", f"{CARTS}/c-1/items", ("/omni-svcs/v1/carts/{cartId}/items", {"cartId": "c-1"})),
        ("PATCH", f"{CARTS}/c-1/items/i-2", (ITEM, {"cartId": "c-1", "itemId": "i-2"})),
        ("POST", f"{CARTS}/c-1/express-submit", ("/omni-svcs/v1/carts/{cartId}/express-submit", {"cartId": "c-1"})),
        ("GET", f"{CARTS}/café", (CART, {"cartId": "café"})),
        ("POST", f"{ORDERS}/o-1/cancel", ("/omni-svcs/v1/orders/{orderId}/cancel", {"orderId": "o-1"})),
        ("GET", "/health", ("/health", {})),
        ("PUT", CARTS, None),  # a 405 naming the allowed methods
        ("GET", f"{CARTS}/", None),  # a redirect without the slash
        ("GET", f"{CARTS}//items", None),
        ("GET", f"{CARTS}/c-1/items/i-2/more", None),
        ("GET", f"{CARTS}/c-1/nothing", None),
        ("GET", "/omni-svcs/v1", None),
        ("GET", "/console/", None),
        ("GET", "", None),
    ]

    @pytest.mark.parametrize(("method", "template"), [pytest.param(*op, id=" ".join(op)) for op in REQUIRED_SCOPES])
    def test_finds_every_operation_with_its_parameters(self, tree, method, template):
        names = re.findall(r"{(\w+)}", template)
        path = re.sub(r"{(\w+)}", r"value-of-\1", template)
        found = tree.match(method, path)
        assert (found[0].method, found[0].path, found[1]) == (method, template, {n: f"value-of-{n}" for n in names})

    @pytest.fixture
    def tree(self):
        from omnicart.api.dispatch import PathTree
        from omnicart.api.operations import OPERATIONS

        return PathTree(OPERATIONS)

    @pytest.mark.parametrize(("method", "path", "expected"), REQUESTS)
    def test_finds_the_operation_and_its_parameters(self, tree, method, path, expected):
        found = tree.match(method, path)
        assert (None if found is None else (found[0].path, found[1])) == expected

    @pytest.mark.parametrize(("method", "path", "expected"), REQUESTS)
    def test_agrees_with_starlettes_router(self, client, tree, method, path, expected):
        from starlette.routing import Match

        scope = {"type": "http", "method": method, "path": path, "root_path": "", "path_params": {}}
        full = []
        for route in (route for route in client.app.routes if isinstance(route, Route)):  # the operations
            match, child = route.matches(scope)
            if match is Match.FULL:
                full.append((route.path, child.get("path_params", {})))
                break
        found = tree.match(method, path)
        assert (None if found is None else (found[0].path, found[1])) == (full[0] if full else None)

    def test_an_error_in_a_handler_answers_in_the_error_format(self, client):
        response = client.get(f"{CARTS}/not-a-cart")
        assert_error(response, 404)
