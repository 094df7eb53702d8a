"""TM Forum's conformance kit for TMF663 v4 (`tmforum-rand/CTK-TMF663-ShoppingCart`,
ctk/CTK-Shopping_Cart-4.0.0.postman_collection.json), re-expressed: its 8 requests, in
its order, with the headers it sends, and each of its assertions as a named check: the
44 `pm.test`s of its scripts, and its guard "Array not expected as response" (a test
that can only fail, run when a create answers a list).

Where the kit's check is vacuous (`pm.expect(instance['href']) == …` compares nothing),
the check here compares for real. The kit's variables: `{{Shopping_Cart}}` is the API's
root (`…/tmf-api/shoppingCart/v4/`), IDSC01/HREFSC01 the cart the first request makes;
IDSC02 is never set by this kit, so its checks hold when no other entry has IDSC01's id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema

KIT_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
UNKNOWN_ID = "894a108c-9fc9-45d8-a63b-13dcfd3a6bc3"  # the kit's 404 id
SCHEMA = json.loads((Path(__file__).parent / "tmf663.schema.json").read_text())
MANDATORY = ("href", "id")
NOT_AN_ARRAY = "Array not expected as response"


def schema_of(name: str) -> dict[str, Any]:
    return {**SCHEMA, "$ref": f"#/$defs/{name}"}


def conforms(body: Any, name: str) -> None:
    """The answer validates against TMF663 v4's JSON schema of `name`."""
    jsonschema.validate(body, schema_of(name), format_checker=jsonschema.FormatChecker())


Check = Callable[[httpx.Response, dict[str, str]], None]


@dataclass
class Step:
    name: str  # the kit's request name
    method: str
    path: str  # after {{Shopping_Cart}}, with {IDSC01}/{HREFSC01} filled in from what the first step made
    checks: list[tuple[str, Check]] = field(default_factory=list)


# -- the kit's assertions ---------------------------------------------------------------


def status_is(expected: int) -> tuple[str, Check]:
    def check(response: httpx.Response, _: dict[str, str]) -> None:
        assert response.status_code == expected, response.text

    return (f"Status code is {expected}", check)


def _instances(response: httpx.Response) -> list[dict[str, Any]]:
    body = response.json()
    return body if isinstance(body, list) else [body]


def _each(check: Callable[[dict[str, Any], httpx.Response, dict[str, str]], None]) -> Check:
    def over_instances(response: httpx.Response, found: dict[str, str]) -> None:
        for instance in _instances(response):
            check(instance, response, found)

    return over_instances


def _mandatory(instance: dict[str, Any], *_: Any) -> None:
    assert set(MANDATORY) <= set(instance), instance


def _href_string(instance: dict[str, Any], *_: Any) -> None:
    assert isinstance(instance["href"], str)


def _id_string(instance: dict[str, Any], *_: Any) -> None:
    assert isinstance(instance["id"], str)


def _body_has_href(instance: dict[str, Any], response: httpx.Response, _: dict[str, str]) -> None:
    assert instance["href"] in response.text


def _body_has_id(instance: dict[str, Any], response: httpx.Response, _: dict[str, str]) -> None:
    assert instance["id"] in response.text


def _href_is_hrefsc01(instance: dict[str, Any], _: httpx.Response, found: dict[str, str]) -> None:
    if instance["id"] == found["IDSC01"]:
        assert instance["href"] == found["HREFSC01"]


def _id_is_idsc01(instance: dict[str, Any], _: httpx.Response, found: dict[str, str]) -> None:
    if instance["href"] == found["HREFSC01"]:
        assert instance["id"] == found["IDSC01"]


def _idsc02_absent(response: httpx.Response, found: dict[str, str]) -> None:
    """IDSC02 (never set by this kit): no second entry claims IDSC01's id or href."""
    instances = _instances(response)
    assert sum(i["id"] == found["IDSC01"] for i in instances) <= 1
    assert sum(i["href"] == found["HREFSC01"] for i in instances) <= 1


def not_an_array(response: httpx.Response, _: dict[str, str]) -> None:
    assert not isinstance(response.json(), list)


def remember_created(response: httpx.Response, found: dict[str, str]) -> None:
    """The kit's pm.globals.set('HREFSC01'…) and ('IDSC01'…)."""
    found["HREFSC01"], found["IDSC01"] = response.json()["href"], response.json()["id"]


INSTANCE_CHECKS: list[tuple[str, Check]] = [
    ("Instance has all mandatory attributes", _each(_mandatory)),
    ("Response has href attribute", _each(_href_string)),
    ("Response has id attribute", _each(_id_string)),
    ("Body includes value held on href", _each(_body_has_href)),
    ("Body includes value held on id", _each(_body_has_id)),
    ("href is HREFSC01", _each(_href_is_hrefsc01)),
    ("id is IDSC01", _each(_id_is_idsc01)),
]
FOUND_CHECKS = [status_is(200), *INSTANCE_CHECKS, ("IDSC02 not expected on this test", _idsc02_absent)]

KIT: list[Step] = [
    # N1: create, list, retrieve
    Step(
        "POST /ShoppingCart",
        "POST",
        "shoppingCart",
        [
            (NOT_AN_ARRAY, not_an_array),
            status_is(201),
            *INSTANCE_CHECKS[:5],
            ("(the kit's pm.globals.set of IDSC01, HREFSC01)", remember_created),
        ],
    ),
    Step(
        "GET /ShoppingCart",
        "GET",
        "shoppingCart",
        [status_is(200), *INSTANCE_CHECKS, ("href is IDSC02", _idsc02_absent), ("id is IDSC02", _idsc02_absent)],
    ),
    Step("GET /ShoppingCart/{{IDSC01}}", "GET", "shoppingCart/{IDSC01}", FOUND_CHECKS),
    # N2: attribute selection and filters
    Step("GET /ShoppingCart?fields=href", "GET", "shoppingCart?fields=href"),
    Step("GET /ShoppingCart?href={{HREFSC01}}", "GET", "shoppingCart?href={HREFSC01}", FOUND_CHECKS),
    Step("GET /ShoppingCart?fields=id", "GET", "shoppingCart?fields=id"),
    Step("GET /ShoppingCart?id={{IDSC01}}", "GET", "shoppingCart?id={IDSC01}", FOUND_CHECKS),
    # E1: an unknown id
    Step("GET /ShoppingCart/404ID", "GET", f"shoppingCart/{UNKNOWN_ID}", [status_is(404)]),
]


def run_kit(root: str, headers: dict[str, str]) -> tuple[dict[str, str], list[tuple[Step, httpx.Response]], list[str]]:
    """Every step of the kit against the API at `root` (`{{Shopping_Cart}}`, ending in
    `/`), in order; returns the ids it made, each answer, and the checks that failed
    (`request: check: why`)."""
    found: dict[str, str] = {}
    answers: list[tuple[Step, httpx.Response]] = []
    failed: list[str] = []
    with httpx.Client(headers={**headers, **KIT_HEADERS}, timeout=10) as client:
        for step in KIT:
            url = root + step.path.format(**{name: quote(value, safe="") for name, value in found.items()})
            response = client.request(step.method, url, content=b"{}" if step.method == "POST" else None)
            answers.append((step, response))
            for name, check in step.checks:
                try:
                    check(response, found)
                except (AssertionError, KeyError, ValueError) as exc:
                    failed.append(f"{step.name}: {name}: {exc!r}")
    return found, answers, failed


# The kit's assertions: every check but the guard (a pm.test that only ever fails) and
# the remembering of what the first request made.
ASSERTIONS = sum(
    1 for step in KIT for name, _ in step.checks if not name.startswith("(the kit's") and name != NOT_AN_ARRAY
)
