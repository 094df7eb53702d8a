"""TM Forum's conformance test kit for TMF622 Product Ordering v4
(`tmforum-rand/CTK-TMF622-ProductOrdering`, its Postman collection), re-expressed: every
one of its 9 requests, in its order, and every one of its 63 assertions, against a live
`omnicart serve --sandbox` (no credentials, as the kit sends none) on each store; every
productOrder answered also follows the TMF622 v4 JSON Schema (tests/tmf/tmf622.py).

The kit's checks of an instance are `instance_checks` below; its "individualized" checks
(href, id and orderDate of the order it created) are written in the kit as expressions
that assert nothing (`pm.expect(x) == y`): here they assert.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.live import LiveServer
from tests.tmf.tmf622 import ORDERS, PRODUCT_ORDER, PRODUCT_ORDERS, conforms

# The kit's own body (its first request), byte for byte in meaning.
CTK_ORDER = {
    "productOrderItem": [{"id": "123", "action": "add"}],
    "relatedParty": [{"id": "456-dd-df45", "@referredType": "Individual"}],
}
REQUIRED = ["productOrderItem", "href", "id", "orderDate", "relatedParty", "state"]
UNKNOWN_ID = "f42b01d2-dba6-4442-a0fa-34e59639fd15"  # the kit's 404 id
HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}


class Checks:
    """The kit's `pm.test`s: each is counted, so the test can say it made them all."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self, holds: bool, what: str) -> None:
        self.made += 1
        assert holds, what


def instance_checks(check: Checks, instance: dict[str, Any], text: str, created: dict[str, str]) -> None:
    """What the kit checks of every productOrder it is answered (8 checks, and the 3
    individualized ones when it is the order the kit created)."""
    check(set(REQUIRED) <= set(instance), f"Instance has all mandatory attributes: {sorted(instance)}")
    check(isinstance(instance["productOrderItem"], list), "Response has productOrderItem attribute")
    check(isinstance(instance["href"], str), "Response has href attribute")
    check(isinstance(instance["id"], str), "Response has id attribute")
    check(isinstance(instance["orderDate"], str), "Response has orderDate attribute")
    check(isinstance(instance["relatedParty"], list), "Response has relatedParty attribute")
    check(instance["href"] in text, "Body includes value held on href")
    check(instance["id"] in text, "Body includes value held on id")
    check(instance["orderDate"] in text, "Body includes value held on orderDate")
    if instance["id"] == created["id"]:
        check(instance["href"] == created["href"], "href is the created order's")
        check(instance["id"] == created["id"], "id is the created order's")
        check(instance["orderDate"] == created["orderDate"], "orderDate is the created order's")


def answer_checks(check: Checks, response: httpx.Response, created: dict[str, str]) -> None:
    """The kit's checks of a GET answer: 200, then each instance (an array's, or the one)."""
    check(response.status_code == 200, f"Status code is 200: {response.status_code} {response.text}")
    body = response.json()
    conforms(body, PRODUCT_ORDERS if isinstance(body, list) else PRODUCT_ORDER)
    for instance in body if isinstance(body, list) else [body]:
        instance_checks(check, instance, response.text, created)


@pytest.fixture
def sandbox(database_url: str, tmp_path) -> Any:
    with LiveServer(database_url, workers=1, args=["--sandbox"], log=tmp_path / "server.log") as server:
        yield server


def test_the_tmf622_ctk_passes_every_assertion(sandbox: LiveServer) -> None:
    check = Checks()
    with httpx.Client(base_url=sandbox.url, headers=HEADERS, timeout=10) as http:
        # N1: create, list, read.
        response = http.post(ORDERS, json=CTK_ORDER)
        check(response.status_code == 201, f"Status code is 201: {response.status_code} {response.text}")
        instance = response.json()
        assert not isinstance(instance, list), "Array not expected as response"
        conforms(instance, PRODUCT_ORDER)
        created = {"href": instance["href"], "id": instance["id"], "orderDate": instance["orderDate"]}
        instance_checks(check, instance, response.text, {"id": ""})  # no individualized checks here

        answer_checks(check, http.get(ORDERS), created)
        answer_checks(check, http.get(f"{ORDERS}/{created['id']}"), created)

        # N2: projections (the kit asserts nothing of them: they must answer) and filters.
        for fields in ("href", "id"):
            assert http.get(ORDERS, params={"fields": fields}).status_code == 200
        answer_checks(check, http.get(ORDERS, params={"id": created["id"]}), created)
        assert http.get(ORDERS, params={"fields": "orderDate"}).status_code == 200
        answer_checks(check, http.get(ORDERS, params={"orderDate": created["orderDate"]}), created)

        # E1: an order that does not exist.
        response = http.get(f"{ORDERS}/{UNKNOWN_ID}")
        check(response.status_code == 404, f"Status code is 404: {response.status_code}")

    assert check.made == 63
