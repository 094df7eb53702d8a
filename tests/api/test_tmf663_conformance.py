"""TMF663 conformance, proven against a live `omnicart serve` on SQLite and PostgreSQL:
TM Forum's CTK re-expressed (tests/tmf/ctk663.py: its 8 requests and 44 assertions), and
every answer of the run valid against TMF663 v4's JSON schema (tests/tmf/tmf663.schema.json)."""

from __future__ import annotations

import pytest

from tests.live import LiveServer
from tests.tmf.ctk663 import ASSERTIONS, KIT, conforms, run_kit

ROOT = "/tmf-api/shoppingCart/v4/"


@pytest.fixture
def server(database_url: str, tmp_path):
    with LiveServer(database_url, workers=1, log=tmp_path / "server.log") as live:
        yield live


def test_the_kit_is_8_requests_and_44_assertions():
    assert (len(KIT), ASSERTIONS) == (8, 44)


def test_every_request_and_assertion_of_the_ctk_holds(server):
    found, answers, failed = run_kit(server.url + ROOT, server.headers)
    assert failed == []
    assert found["HREFSC01"] == f"{server.url}{ROOT}shoppingCart/{found['IDSC01']}"  # absolute, at 127.0.0.1
    statuses = [response.status_code for _, response in answers]
    assert statuses == [201, 200, 200, 200, 200, 200, 200, 404]


def test_every_answer_of_the_run_conforms_to_the_tmf663_schema(server):
    _, answers, _ = run_kit(server.url + ROOT, server.headers)
    for step, response in answers:
        body = response.json()
        kind = (
            "Error" if response.status_code >= 400 else "ShoppingCartList" if isinstance(body, list) else "ShoppingCart"
        )
        conforms(body, kind)
        assert step.name and response.headers["content-type"].startswith("application/json")


def test_a_projection_keeps_only_what_was_asked_and_id_href_type(server):
    found, answers, _ = run_kit(server.url + ROOT, server.headers)
    projected = {step.name: response.json() for step, response in answers if "fields=" in step.name}
    entry = {"id": found["IDSC01"], "href": found["HREFSC01"], "@type": "ShoppingCart"}
    assert projected == {"GET /ShoppingCart?fields=href": [entry], "GET /ShoppingCart?fields=id": [entry]}
