"""Hostile input never reaches a 5xx: each malformed input of issue 11 answers a 4xx in the
one error format, and a fuzzer throws raw bytes and generated JSON at every endpoint, and (on both
databases) odd bodies at PATCH and odd parameters and fields at the console's pages and forms."""

from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.api.conftest import CARTS, assert_error
from tests.carts import line
from tests.conftest import SEED_REQUEST
from tests.credentials import API_KEYS, AUTH, JWT_SECRET

HUB = "/omni-svcs/v1/hub"
DEEP = b'{"a":' * 1000 + b"1" + b"}" * 1000
DEEP_LIST = b'{"relatedParty":' + b"[" * 1000 + b"]" * 1000 + b"}"


@pytest.fixture(scope="module")
def client(tmp_path_factory, sqlite_template):
    """One app for the module (the fuzzer makes thousands of calls); SQLite, no rate limit."""
    path = tmp_path_factory.mktemp("malformed") / "omnicart.db"
    shutil.copy(sqlite_template, path)
    settings = Settings(
        database_url=f"sqlite:///{path}",
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        rate_limit=None,
        webhook_poll_seconds=3600,
        purge_every_seconds=3600,
        allowed_hosts=("testserver",),
    )
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=AUTH) as client:
        yield client


@pytest.fixture(scope="module")
def cart_id(client) -> str:
    response = client.post(CARTS, json=SEED_REQUEST)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def endpoints(cart_id: str) -> list[tuple[str, str]]:
    return [
        ("POST", CARTS),
        ("GET", CARTS),
        ("GET", f"{CARTS}/{cart_id}"),
        ("POST", f"{CARTS}/{cart_id}/items"),
        ("PATCH", f"{CARTS}/{cart_id}/items/sim"),
        ("POST", "/omni-svcs/v1/checkout"),
        ("POST", f"{CARTS}/{cart_id}/express-submit"),
        ("GET", "/omni-svcs/v1/orders"),
        ("POST", "/omni-svcs/v1/orders/x/cancel"),
        ("POST", "/omni-svcs/v1/orders/query"),
        ("GET", "/omni-svcs/v1/orders/query/schema"),
        ("POST", HUB),
        ("GET", HUB),
        ("GET", "/omni-svcs/v1/productOfferings"),
        ("POST", "/oauth/token"),
        ("POST", "/omni-svcs/v1/offers/search"),
        ("POST", "/omni-svcs/v1/fulfillment-options"),
        ("POST", f"/omni-svcs/v1/order/{cart_id}/fulfillment"),
        ("POST", "/omni-svcs/v1/terms"),
        ("POST", f"/omni-svcs/v1/order/{cart_id}/terms"),
        ("POST", f"/omni-svcs/v1/order/{cart_id}/billing"),
    ]


LAST = len(endpoints("x")) - 1


def assert_4xx(response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert "0400-HOST" not in response.text  # refused before the input was even looked at
    if response.status_code not in (404, 405) or response.headers.get("content-type") == "application/json":
        body = response.json()
        assert {"code", "message", "status", "details"} <= set(body), body


WRITES = [
    ("POST", CARTS),
    ("POST", "/items"),
    ("PATCH", "/items/sim"),
    ("POST", "/checkout"),
    ("POST", HUB),
    ("POST", "/omni-svcs/v1/offers/search"),
    ("POST", "/order/fulfillment"),
    ("POST", "/order/terms"),
    ("POST", "/order/billing"),
    ("POST", "/omni-svcs/v1/orders/query"),
]


@pytest.mark.parametrize(
    "body", [DEEP, DEEP_LIST, b"[" * 100_000, b'{"a":' * 100_000], ids=["object", "list", "100k", "100k-obj"]
)
@pytest.mark.parametrize(("method", "where"), WRITES)
def test_json_nested_a_thousand_deep_is_a_4xx(client, cart_id, method, where, body):
    path = {
        "/items": f"{CARTS}/{cart_id}/items",
        "/items/sim": f"{CARTS}/{cart_id}/items/sim",
        "/checkout": "/omni-svcs/v1/checkout",
        "/order/fulfillment": f"/omni-svcs/v1/order/{cart_id}/fulfillment",
        "/order/terms": f"/omni-svcs/v1/order/{cart_id}/terms",
        "/order/billing": f"/omni-svcs/v1/order/{cart_id}/billing",
    }.get(where, where)
    assert_4xx(client.request(method, path, content=body, headers={"Content-Type": "application/json"}))


@pytest.mark.parametrize("quantity", [b"1" + b"0" * 310, b"1e400", b"-1" + b"0" * 310, b"1" + b"0" * 5000, b"1.5e308"])
def test_a_quantity_too_large_for_any_number_type_is_a_4xx(client, cart_id, quantity):
    body = (
        b'{"items": [{"productOrderItemId": "big", "productOfferingId": "SIM_pkey80001_sku6001001", "quantity": '
        + quantity
        + b"}]}"
    )
    assert_4xx(client.post(f"{CARTS}/{cart_id}/items", content=body, headers={"Content-Type": "application/json"}))
    assert_4xx(
        client.patch(
            f"{CARTS}/{cart_id}/items/big",
            content=b'{"quantity": ' + quantity + b"}",
            headers={"Content-Type": "application/json"},
        )
    )


@pytest.mark.parametrize(
    "value",
    [
        "²",
        "①",
        "١٢",
        "𝟙",  # noqa: RUF001 (the point)
        "1²",
        "+1",
        "-1",
        " 1",
        "1_0",
        "9" * 400,
        "0x10",
        "",
    ],
)
@pytest.mark.parametrize("name", ["limit", "offset"])
@pytest.mark.parametrize("path", [CARTS, "/omni-svcs/v1/orders", "/omni-svcs/v1/productOfferings"])
def test_odd_digits_in_limit_and_offset_are_a_400(client, path, name, value):
    response = client.get(path, params={name: value})
    assert_error(response, 400)


@pytest.mark.parametrize(
    "callback",
    [
        "http://[::1",
        "http://[::1]x/",
        "http://]/",
        "https://example.com:abc/",
        "https://example.com:99999/",
        "http://[/",
        "http://[]/",
    ],
)
def test_a_callback_with_bad_brackets_or_port_is_a_400(client, callback):
    assert_error(client.post(HUB, json={"callback": callback}), 400, "OMNICART-HUB-0400")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "items",
                    "relatedParty",
                    "quantity",
                    "productOrderItemId",
                    "productOfferingId",
                    "id",
                    "role",
                    "callback",
                    "query",
                    "state",
                    "extensions",
                    "@type",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
query_values = st.text(max_size=12) | st.integers().map(str)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(
    index=st.integers(0, LAST),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""]),
)
def test_fuzz_raw_bytes_never_answer_a_5xx(client, cart_id, index, body, content_type):
    method, path = endpoints(cart_id)[index]
    response = client.request(method, path, content=body, headers={"Content-Type": content_type})
    assert response.status_code < 500, (method, path, body, response.text[:300])


@FUZZ
@given(
    index=st.integers(0, LAST),
    document=json_values,
    query=st.dictionaries(st.sampled_from(["limit", "offset", "state", "fields", "x"]), query_values, max_size=3),
)
def test_fuzz_generated_json_and_queries_never_answer_a_5xx(client, cart_id, index, document, query):
    method, path = endpoints(cart_id)[index]
    response = client.request(method, path, json=document, params=query)
    assert response.status_code < 500, (method, path, document, query, response.text[:300])


# -- both stores: PATCH bodies and the console's pages and forms (issue 21) ----------------


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def any_store(request, tmp_path_factory, sqlite_template):
    """A sandbox app (the console needs no sign-in) on each database, with a cart holding a
    line and a listener, for the module."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("malformed-any") / "omnicart.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_database")
    settings = Settings(
        database_url=url,
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        sandbox=True,
        rate_limit=None,
        webhook_poll_seconds=3600,
        purge_every_seconds=3600,
        fulfilment_poll_seconds=3600,
        webhook_private_callbacks=True,
        allowed_hosts=("testserver",),
    )
    with TestClient(
        create_app(settings), raise_server_exceptions=False, headers=AUTH, follow_redirects=False
    ) as client:
        cart = client.post(CARTS, json={**SEED_REQUEST, "productOrderItem": line()})
        assert cart.status_code == 201, cart.text
        hub = client.post(HUB, json={"callback": "http://127.0.0.1:9/events"})
        assert hub.status_code == 201, hub.text
        page = client.get("/console/hubs")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf, page.text
        yield client, cart.json()["id"], hub.json()["id"], csrf[1]


# Text with what has broken parsers before: NUL, digits that are not ASCII, huge numbers.
odd_text = st.text(max_size=12) | st.sampled_from(["\x00", "a\x00", "²", "①", "9" * 5000, "-1", "%00"])
ANY_STORE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@ANY_STORE
@given(
    document=json_values,
    raw=st.binary(max_size=40),
    item=st.sampled_from(["line-1", "line-1-phone", "nope"]),
)
def test_fuzz_patch_bodies_never_answer_a_5xx(any_store, document, raw, item):
    client, cart_id, _, _ = any_store
    path = f"{CARTS}/{cart_id}/items/{item}"
    for body in (msgspec.json.encode(document), b'{"quantity": 1, "x": "' + raw + b'"}'):
        response = client.patch(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code < 500, (path, body, response.text[:300])


CONSOLE_PAGES = ["/carts", "/carts/{cart}", "/carts/{text}", "/orders", "/orders/{text}", "/events", "/hubs"]


@ANY_STORE
@given(
    page=st.sampled_from(CONSOLE_PAGES),
    query=st.dictionaries(st.sampled_from(["page", "q", "state", "x"]), odd_text, max_size=3),
    text=odd_text.filter(lambda t: t and "/" not in t and t not in (".", "..")),
)
def test_fuzz_console_pages_never_answer_a_5xx(any_store, page, query, text):
    client, cart_id, _, _ = any_store
    path = "/console" + page.format(cart=cart_id, text=quote(text, safe=""))
    response = client.get(path, params=query)
    assert response.status_code < 500, (path, query, response.text[:300])


@ANY_STORE
@given(
    form=st.sampled_from(["/hubs/{hub}/replay", "/hubs/{text}/replay", "/carts/{cart}/submit", "/sign-in"]),
    fields=st.dictionaries(st.sampled_from(["event", "scenario", "key", "x"]), odd_text, max_size=3),
    text=odd_text.filter(lambda t: t and "/" not in t and t not in (".", "..")),
)
def test_fuzz_console_forms_never_answer_a_5xx(any_store, form, fields, text):
    client, cart_id, hub_id, csrf = any_store
    path = "/console" + form.format(hub=hub_id, cart=cart_id, text=quote(text, safe=""))
    response = client.post(path, data={**fields, "csrf": csrf})
    assert response.status_code < 500, (path, fields, response.text[:300])
