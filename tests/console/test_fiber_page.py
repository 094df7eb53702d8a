"""A cart's fiber lines on the console's cart page: each offer, the service address it is
placed at and what service qualification says of it there; once submitted, the
technician's appointment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.console.conftest import console_settings

CARTS = "/omni-svcs/v1/carts"
FIBER_500 = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a51"  # sold at every eligible address
FIBER_5_GIG = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a54"  # sold at 208 S Akard St only


@pytest.fixture
def sandbox(database_url: str) -> Iterator[TestClient]:
    quiet = console_settings(database_url, sandbox=True, webhook_poll_seconds=3600, fulfilment_poll_seconds=3600)
    with TestClient(create_app(quiet), raise_server_exceptions=True, follow_redirects=False) as client:
        yield client


def fiber_item(offer: str, address: str | None) -> dict:
    item = {"productOrderItemId": "fiber-1", "action": "add", "productOfferingType": "Broadband_Offer",
            "productOfferingId": offer}  # fmt: skip
    if address is not None:
        item["product"] = {"place": [{"role": "serviceAddress", "id": address}]}
    return item


@pytest.mark.parametrize(("offer", "address", "shown"), [
    (FIBER_5_GIG, "00000NG3XH", "<code>00000NG3XH</code> 208 S Akard St, Dallas, TX 75202</td>"
                                "<td>qualified: the offer is sold at the address</td>"),
    (FIBER_5_GIG, "000011VYAA", "<code>000011VYAA</code> 1600 Pacific Ave, Dallas, TX 75201</td>"
                                "<td>qualified, but this offer is not sold at the address</td>"),
    (FIBER_500, "00000ZX9OR", "<td>not qualified: the address is out of the fiber footprint</td>"),
    (FIBER_500, "00000XXXXX", "<code>00000XXXXX</code></td><td>address not found</td>"),
    (FIBER_500, None, "<td>no service address (product.place with role serviceAddress)</td>"),
])  # fmt: skip
def test_each_fiber_line_shows_its_qualification_at_its_address(sandbox, seed_request, offer, address, shown):
    cart = sandbox.post(CARTS, json={**seed_request, "items": [fiber_item(offer, address)]}).json()
    page = sandbox.get(f"/console/carts/{cart['id']}").text
    assert '<table id="fiber">' in page
    assert shown in page


def test_a_cart_without_fiber_has_no_fiber_section(sandbox, seed_request):
    cart = sandbox.post(CARTS, json=seed_request).json()
    assert '<table id="fiber">' not in sandbox.get(f"/console/carts/{cart['id']}").text


def test_a_submitted_fiber_cart_shows_its_appointment(sandbox, seed_request):
    cart = sandbox.post(CARTS, json={**seed_request, "items": [fiber_item(FIBER_500, "00000NG3XH")]}).json()
    sandbox.post("/omni-svcs/v1/credit-application", json={"cartId": cart["id"]}).raise_for_status()
    slots = sandbox.post("/omni-svcs/v1/checkout", json={"cartId": cart["id"]}).json()["appointmentDates"]
    first = slots["availableTimeSlot"][0]
    submitted = sandbox.post(
        f"{CARTS}/{cart['id']}/express-submit", json={"terms": {"WCA": True}, "appointment": {"id": first["id"]}}
    )
    assert submitted.status_code == 200, submitted.text
    page = sandbox.get(f"/console/carts/{cart['id']}").text
    assert f'<p id="appointment">Technician appointment: {first["date"]}, 08:00 to 12:00' in page
