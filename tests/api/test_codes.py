"""Codes tell input from business (issue 20, point 5): an input error (malformed JSON with its
position, a bad field, query parameter or header) and a business-rule rejection (not ready,
the order system's OAV, a frozen cart) never share a code; no code's number contradicts the
status it is sent with, in either profile; docs/profiles.md lists every code in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from omnicart.api.codes import codes_table
from omnicart.api.operations import OPERATIONS
from tests.api.conftest import CARTS, assert_error, complete_configuration, submit_url
from tests.carts import line

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "profiles.md"
INVALID = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"
MISSING = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001"
NOT_READY = "OMNICART-CART-0001"

# code → (kind, omnicart's status, the carrier's status), written out by hand.
EXPECTED = {
    MISSING: ("input", 400, 400),
    INVALID: ("input", 400, 400),
    "EXTSALESOPS-ORDER_CREATE-FULFILLMENT_OPTIONS-0001": ("input", 400, 400),
    "EXTSALESOPS-REVIEW-0001": ("input", 400, 400),
    "EXTSALESOPS-REVIEW-0002": ("input", 400, 400),
    "OMNICART-REQUEST-0001": ("input", 413, 400),
    "OMNICART-REQUEST-0002": ("input", 415, 400),
    "OMNICART-LIMIT-0001": ("input", 422, 400),
    "OMNICART-IDEMPOTENCY-0001": ("input", 422, 400),
    "OMNICART-IDEMPOTENCY-0400": ("input", 400, 400),
    "OMNICART-SCENARIO-0400": ("input", 400, 400),
    "OMNICART-FULFILLMENT-0001": ("input", 422, 400),
    NOT_READY: ("business", 422, 500),
    **{f"EXTSALESOPS-CART_CREATE-OAV-00{n:02d}": ("business", 422, 500) for n in range(3, 16)},
    "OMNICART-CART-0409": ("business", 409, 409),
    "OMNICART-ORDER-0409": ("business", 409, 409),
    "OMNICART-CART-0404": ("other", 404, 404),
    "OMNICART-IDEMPOTENCY-0409": ("other", 409, 409),
    "OMNICART-STORE-0503": ("other", 503, 503),
    "OMNICART-PROVIDER-0001": ("other", 502, 500),
    "OMNICART-CUSTOMER-0003": ("other", 502, 500),
    "EXTSALESOPS-ORDER_CREATE-PURCHASE_ORDER-0002": ("other", 502, 500),
    "OMNICART-PROVIDER-0501": ("other", 501, 501),
}
# Written in the sources but never answered as an error: the base class's placeholder, and
# the terms refusal, answered in a 200's body (the carrier's `error` block).
NEVER_ANSWERED = {"OMNICART-CART-0000", "OMNICART-TERMS-0422"}


def _section(name: str) -> str:
    text = DOC.read_text()
    return text.split(f"<!-- {name}:begin -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]


def _rows() -> list[tuple[str, str, int, int]]:
    """(code, kind, omnicart's status, the carrier's) of each row of the documented table."""
    rows = []
    for line_ in _section("codes").splitlines()[2:]:
        code, kind, _, omnicart, carrier, _ = (cell.strip() for cell in line_.strip("|").split(" | "))
        rows.append((code.strip("`"), kind, int(omnicart), int(carrier)))
    return rows


class TestTheTable:
    def test_docs_profiles_md_is_the_table_the_code_makes(self):
        assert _section("codes") == codes_table(OPERATIONS), "regenerate: python -m omnicart.api.answers codes"

    @pytest.mark.parametrize("code", list(EXPECTED))
    def test_each_code_has_its_kind_and_statuses(self, code):
        assert [(kind, o, c) for found, kind, o, c in _rows() if found == code] == [EXPECTED[code]]

    def test_no_code_is_both_input_and_business(self):
        kinds: dict[str, set[str]] = {}
        for code, kind, _, _ in _rows():
            kinds.setdefault(code, set()).add(kind)
        assert [code for code, found in kinds.items() if len(found) > 1] == []

    def test_no_codes_number_contradicts_the_status_sent_in_either_profile(self):
        for code, _, omnicart, carrier in _rows():
            number = re.search(r"-0(\d{3})(?:-[A-Z]+)?$", code)
            if number and 100 <= int(number[1]) <= 599:
                assert int(number[1]) == omnicart == carrier, code

    def test_every_code_written_in_the_sources_is_in_the_table(self):
        pattern = re.compile(r'"((?:OMNICART|EXTSALESOPS)-[A-Z_]+(?:-[A-Z_]+)*-[0-9A-Z]+(?:-[A-Z]+)?)"')
        server = [
            path for path in (ROOT / "src").rglob("*.py") if "client" not in path.parts
        ]  # the client's are its own
        written = {code for path in server for code in pattern.findall(path.read_text())}
        listed = {code for code, *_ in _rows()}
        assert written - listed - NEVER_ANSWERED - {"EXTSALESOPS-CART_CREATE-OAV-00NN"} == set()


STATUS = {
    "omnicart": {"input": 400, "not_json": 415, "rejection": 422},
    "carrier": {"input": 400, "not_json": 400, "rejection": 500},
}


@pytest.fixture
def client(profiled_client):
    return profiled_client


class TestAnswered:
    def test_malformed_json_gives_where_it_stopped(self, client, profile):
        response = client.post(CARTS, content=b'{"channel": {"id": "IND"},\n  "relatedParty": x}', headers=JSON)
        body = assert_error(response, 400, INVALID)
        assert body["details"] == {
            "errors": [{"field": "$", "reason": "invalid character", "line": 2, "column": 19, "offset": 45}]
        }
        assert "line 2, column 19" in body["message"]

    def test_a_truncated_body_ends_at_its_last_byte(self, client, profile, cart):
        response = client.post(f"{CARTS}/{cart['id']}/items", content=b'{"items": [', headers=JSON)
        body = assert_error(response, 400, INVALID)
        assert body["details"]["errors"][0] | {"reason": ""} == {
            "field": "$",
            "reason": "",
            "line": 1,
            "column": 12,
            "offset": 11,
        }

    @pytest.mark.parametrize("empty", [b"", b" \r\n"])
    def test_an_empty_body_says_so(self, client, profile, empty):
        body = assert_error(client.post(CARTS, content=empty, headers=JSON), 400, INVALID)
        assert body["message"] == "the request body is empty"
        assert body["details"]["errors"] == [{"field": "$", "reason": "the request body is empty"}]

    def test_a_bad_field_and_a_bad_query_parameter_are_input_errors(self, client, profile, seed_request):
        assert_error(client.post(CARTS, json={**seed_request, "channel": "IND"}), 400, INVALID, field="channel")
        assert_error(client.post(CARTS, json={**seed_request, "channel": {}}), 400, MISSING)
        assert_error(client.get(CARTS, params={"limit": "lots"}), 400, INVALID, field="limit")

    def test_a_bad_header_is_an_input_error(self, client, profile, seed_request):
        response = client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "x" * 256})
        assert_error(response, 400, "OMNICART-IDEMPOTENCY-0400")
        assert_error(
            client.post(CARTS, json=seed_request, headers={"mock-scenario": "nope"}), 400, "OMNICART-SCENARIO-0400"
        )

    def test_not_json_and_too_large_have_codes_without_a_status_in_them(self, client, profile, seed_request):
        not_json = client.post(CARTS, content=b"{}", headers={"content-type": "text/plain"})
        assert_error(not_json, STATUS[profile]["not_json"], "OMNICART-REQUEST-0002")
        reused = {"Idempotency-Key": "k-1"}
        client.post(CARTS, json=seed_request, headers=reused)
        other = client.post(CARTS, json={**seed_request, "items": line()}, headers=reused)
        assert_error(other, {"omnicart": 422, "carrier": 400}[profile], "OMNICART-IDEMPOTENCY-0001")

    def test_a_cart_not_ready_is_a_business_rejection_with_its_own_code(self, client, profile, seed_request):
        seed_request["items"] = line()
        cart = client.post(CARTS, json=seed_request).json()
        body = assert_error(client.post(submit_url(cart["id"])), STATUS[profile]["rejection"], NOT_READY)
        assert [step["type"] for step in body["details"]["configuration"]] == ["terms", "payment"]

    def test_a_frozen_cart_is_a_conflict(self, client, profile, seed_request):
        seed_request["items"] = line()
        ready = client.post(CARTS, json=seed_request).json()
        complete_configuration(client, ready["id"])
        assert client.post(submit_url(ready["id"])).status_code == 200
        response = client.post(f"{CARTS}/{ready['id']}/items", json={"items": line("line-2")})
        assert_error(response, 409, "OMNICART-CART-0409")


JSON = {"content-type": "application/json"}


@pytest.fixture
def cart(client, seed_request) -> dict:
    response = client.post(CARTS, json=seed_request)
    assert response.status_code in (200, 201), response.text
    return response.json()
