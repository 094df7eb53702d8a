"""The appointments' mock scenario over HTTP (docs/sandbox.md): `no_appointment_slots`."""

from __future__ import annotations

import pytest

from omnicart.config import Settings
from tests.api.conftest import CARTS, CHECKOUT, assert_error, sandbox_settings, submit_url
from tests.appointment_world import AM_SLOT, DALLAS, FIRST_DAY_AT_DALLAS, submission_with
from tests.fiber import fiber_cart as new_fiber_cart

NONE_LEFT = {"mock-scenario": "no_appointment_slots"}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return sandbox_settings(database_url)


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every test here runs on the fake clock: slots from Friday 2026-01-16."""


@pytest.fixture
def fiber_cart(client) -> dict:
    """A fiber cart at DALLAS, its credit decision recorded: the appointment is what it lacks."""
    return new_fiber_cart(client, DALLAS)


class TestNoAppointmentSlots:
    def test_checkout_offers_no_slot(self, client, fiber_cart):
        response = client.post(CHECKOUT, json={"cartId": fiber_cart["id"]}, headers=NONE_LEFT)
        assert response.status_code == 200
        assert response.json()["appointmentDates"] == {
            "relatedPlace": {"id": DALLAS, "role": "serviceAddress"},
            "availableTimeSlot": [],
        }

    def test_express_submit_cannot_book_the_slot_it_names(self, client, fiber_cart):
        response = client.post(submit_url(fiber_cart["id"]), json=submission_with(AM_SLOT), headers=NONE_LEFT)
        body = assert_error(response, 409, "OMNICART-APPOINTMENT-0409")
        assert body["details"] == {
            "appointment": AM_SLOT,
            "reason": "no appointment slots are left (mock-scenario no_appointment_slots)",
        }
        assert client.get(f"{CARTS}/{fiber_cart['id']}").json() == fiber_cart

    def test_without_it_the_same_cart_gets_its_slot(self, client, fiber_cart):
        body = client.post(CHECKOUT, json={"cartId": fiber_cart["id"]}).json()
        assert body["appointmentDates"]["availableTimeSlot"][:3] == FIRST_DAY_AT_DALLAS
        assert client.post(submit_url(fiber_cart["id"]), json=submission_with(AM_SLOT)).status_code == 200
