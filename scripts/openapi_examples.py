"""Writes src/omnicart/data/openapi/examples.json: for every operation of the OpenAPI
document, a request example (for an operation that takes a body and has none of the
carrier's) and an answer example, made by running a sandbox flow in-process. The answers
are the service's own; tests/api/test_openapi_docs.py checks each against its schema, so
a change of shape shows there and this script is run again:

    PYTHONPATH=$PWD/src python scripts/openapi_examples.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from tests.api.conftest import sandbox_settings  # noqa: E402
from tests.appointment_world import fiber_cart_request  # noqa: E402
from tests.carts import add_a_line, payment_request  # noqa: E402
from tests.credentials import AUTH, KEY, PARTNER  # noqa: E402
from tests.fiber import record_credit  # noqa: E402

from omnicart.api.app import create_app  # noqa: E402
from omnicart.store.migrate import upgrade  # noqa: E402

V1 = "/omni-svcs/v1"
TARGET = ROOT / "src" / "omnicart" / "data" / "openapi" / "examples.json"
OWN_EXAMPLES = ROOT / "src" / "omnicart" / "data" / "examples"
PARTNER_EXAMPLES = ROOT / "examples"


def example(name: str, base: Path = OWN_EXAMPLES) -> Any:
    return json.loads((base / f"{name}.json").read_text())


class Recorder:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.examples: dict[str, dict[str, Any]] = {}

    def call(
        self, operation: str, method: str, url: str, body: Any = None, *, record_body: bool = True, **kw: Any
    ) -> Any:
        response = self.client.request(method, url, json=body, **kw)
        assert response.status_code < 300, (operation, response.status_code, response.text)
        entry: dict[str, Any] = {}
        if body is not None and record_body:
            entry["request"] = body
        if response.status_code != 204:
            kind = response.headers.get("content-type", "")
            entry["answer"] = response.json() if "json" in kind else response.text
        self.examples[operation] = entry
        return entry.get("answer")


def excerpt(r: Recorder, operation: str, answer: Any) -> None:
    """Only the start of a long answer is shown."""
    r.examples[operation].update(answer=answer, summary="The start of the sandbox's answer")


def flow(r: Recorder) -> None:
    c = r.client
    r.call("index", "GET", "/", headers={"Accept": "application/json"})
    r.call("health", "GET", "/health")
    r.call("ready", "GET", "/ready")
    metrics = r.call("metrics", "GET", "/metrics")
    excerpt(r, "metrics", "\n".join(metrics.splitlines()[:6]) + "\n")
    document = r.call("openapi", "GET", "/openapi.json")
    excerpt(r, "openapi", {"openapi": document["openapi"], "info": document["info"], "paths": {}})
    r.call("docs", "GET", "/docs")
    r.call("docsScript", "GET", "/docs/init.js")
    token = c.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": PARTNER, "client_secret": KEY}
    )
    assert token.status_code == 200, token.text
    r.examples["issueAccessToken"] = {
        "request": {"grant_type": "client_credentials", "client_id": PARTNER, "client_secret": KEY},
        "answer": token.json(),
    }

    offerings = r.call("listProductOfferings", "GET", f"{V1}/productOfferings?type=SIM")
    r.call("getProductOffering", "GET", f"{V1}/productOfferings/{offerings[0]['id']}")

    cart = r.call("createCart", "POST", f"{V1}/carts", example("create-cart"), record_body=False)
    cart_id = cart["id"]
    r.call("addItemsToCart", "POST", f"{V1}/carts/{cart_id}/items", example("add-a-line", PARTNER_EXAMPLES))
    r.call(
        "patchCartItem",
        "PATCH",
        f"{V1}/carts/{cart_id}/items/line-1-sim",
        {"characteristic": [{"name": "eSIM_Enabled", "value": "true"}]},
    )
    r.call("getCart", "GET", f"{V1}/carts/{cart_id}")
    r.call("listCarts", "GET", f"{V1}/carts?limit=1")
    other = c.post(f"{V1}/carts", json=example("create-cart")).json()["id"]
    c.post(f"{V1}/carts/{other}/items", json=example("add-a-line", PARTNER_EXAMPLES))
    r.call("removeCartItem", "DELETE", f"{V1}/carts/{other}/items/line-1-phone")
    r.call("abandonCart", "DELETE", f"{V1}/carts/{other}")

    r.call("getCheckoutConfigurableOptions", "POST", f"{V1}/checkout", {"cartId": cart_id}, record_body=False)
    payment = payment_request(cart_id)
    r.call("registerPaymentMethods", "POST", f"{V1}/payment-methods", payment)
    submission = {"terms": {"WCA": True, "DP-TC": True}}
    order = r.call("expressSubmit", "POST", f"{V1}/carts/{cart_id}/express-submit", submission)
    r.call("getOrder", "GET", f"{V1}/orders/{order['id']}")
    r.call("listOrders", "GET", f"{V1}/orders?limit=1")
    query = example("orders-query")
    query["query"] = query["query"].replace("25-754322252600371", order["customerOrderId"])
    r.call("queryOrders", "POST", f"{V1}/orders/query", query, record_body=False)
    sdl = r.call("ordersQuerySchema", "GET", f"{V1}/orders/query/schema")
    excerpt(r, "ordersQuerySchema", sdl[sdl.index("schema {") :])
    r.call("cancelOrder", "POST", f"{V1}/orders/{order['id']}/cancel", {"cancellationReason": "Customer changed mind"})

    r.call("searchCustomers", "POST", f"{V1}/customers/search", example("customers-search"), record_body=False)
    r.call("authenticateCustomer", "POST", f"{V1}/customer/auth", example("customer-auth"), record_body=False)
    r.call(
        "checkServiceQualification",
        "POST",
        f"{V1}/service-qualification",
        example("service-qualification"),
        record_body=False,
    )
    fiber = c.post(f"{V1}/carts", json=fiber_cart_request()).json()
    r.call("creditApplication", "POST", f"{V1}/credit-application", {"cartId": fiber["id"]}, record_body=False)
    record_credit(c, fiber["id"])

    named = r.call("createOrder", "POST", f"{V1}/order/create", example("create-order"), record_body=False)
    order_id = named["id"]
    r.call("addOrderItems", "POST", f"{V1}/order/{order_id}/items", {"items": add_a_line()}, record_body=False)
    r.call("getProductOfferings", "POST", f"{V1}/offers/search", example("offers-search"), record_body=False)
    place = "fdcdd712-98a6-45b0-a8ee-c9b904de2208_1"
    r.call(
        "retrieveFulfillmentOptions",
        "POST",
        f"{V1}/fulfillment-options",
        {"orderId": order_id, "placeid": place},
        record_body=False,
    )
    r.call(
        "patchFulfillment",
        "POST",
        f"{V1}/order/{order_id}/fulfillment",
        example("order-fulfillment"),
        record_body=False,
    )
    r.call("retrieveTerms", "POST", f"{V1}/terms", {"orderId": order_id}, record_body=False)
    r.call("patchTerms", "POST", f"{V1}/order/{order_id}/terms", example("order-terms"), record_body=False)
    r.call("updateBilling", "POST", f"{V1}/order/{order_id}/billing", example("order-billing"), record_body=False)

    product_ordering(r)

    hub = r.call("registerListener", "POST", f"{V1}/hub", {"callback": "https://partner.example.com/omnicart-events"})
    r.call("listListeners", "GET", f"{V1}/hub")
    r.call("getListener", "GET", f"{V1}/hub/{hub['id']}")
    r.call("unregisterListener", "DELETE", f"{V1}/hub/{hub['id']}")

    tmf663(r)


def tmf663(r: Recorder) -> None:
    """TM Forum's TMF663 Shopping Cart (docs/tmf.md)."""
    carts = "/tmf-api/shoppingCart/v4/shoppingCart"
    sim = {"id": "sim-1", "action": "add", "quantity": 1, "productOffering": {"id": "SIM_pkey80001_sku6001001"}}
    party = {"id": "3f7f9189-974e-4639-8343-4a1819a98c7e", "role": "customer", "@referredType": "customer"}
    cart = r.call("createShoppingCart", "POST", carts, {"cartItem": [sim], "relatedParty": [party]})
    r.call("listShoppingCart", "GET", f"{carts}?limit=1&fields=cartTotalPrice")
    r.call("retrieveShoppingCart", "GET", f"{carts}/{cart['id']}")
    r.call("patchShoppingCart", "PATCH", f"{carts}/{cart['id']}", {"cartItem": [{**sim, "quantity": 2}]})
    r.call("deleteShoppingCart", "DELETE", f"{carts}/{cart['id']}")
    hubs = "/tmf-api/shoppingCart/v4/hub"
    hub = r.call(
        "registerShoppingCartListener", "POST", hubs, {"callback": "https://partner.example.com/tmf663-events"}
    )
    r.call("unregisterShoppingCartListener", "DELETE", f"{hubs}/{hub['id']}")


TMF622 = "/tmf-api/productOrderingManagement/v4"


def product_ordering(r: Recorder) -> None:
    """TMF622: an order placed, read, described, refused deletion, and cancelled."""
    order = r.call(
        "createProductOrder",
        "POST",
        f"{TMF622}/productOrder",
        {
            "description": "A new line: unlimited plan",
            "productOrderItem": [
                {"id": "line-1", "action": "add", "productOffering": {"id": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"}},
            ],
            "relatedParty": [
                {"id": "3f7f9189-974e-4639-8343-4a1819a98c7e", "role": "customer", "@referredType": "Individual"}
            ],
            "channel": [{"id": "IND", "name": "IND", "@referredType": "SalesChannel"}],
        },
    )
    r.call("listProductOrder", "GET", f"{TMF622}/productOrder")
    r.call("retrieveProductOrder", "GET", f"{TMF622}/productOrder/{order['id']}")
    r.call(
        "patchProductOrder",
        "PATCH",
        f"{TMF622}/productOrder/{order['id']}",
        {"priority": "1", "note": [{"text": "call the customer before delivery"}]},
        headers={"content-type": "application/merge-patch+json"},
    )
    r.call(
        "createCancelProductOrder",
        "POST",
        f"{TMF622}/cancelProductOrder",
        {"productOrder": {"id": order["id"]}, "cancellationReason": "the customer changed their mind"},
    )
    r.call("listCancelProductOrder", "GET", f"{TMF622}/cancelProductOrder")
    r.call("retrieveCancelProductOrder", "GET", f"{TMF622}/cancelProductOrder/{order['id']}")
    hub = r.call(
        "registerProductOrderListener", "POST", f"{TMF622}/hub", {"callback": "https://partner.example.com/tmf622"}
    )
    r.call("unregisterProductOrderListener", "DELETE", f"{TMF622}/hub/{hub['id']}")


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/omnicart.db"
        upgrade(url)
        settings = sandbox_settings(url)
        with TestClient(create_app(settings), base_url="http://localhost", headers=AUTH) as client:
            recorder = Recorder(client)
            flow(recorder)
    TARGET.write_text(json.dumps(recorder.examples, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(recorder.examples)} operations -> {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
