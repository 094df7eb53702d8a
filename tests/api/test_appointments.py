"""Express submit of fiber carts over HTTP: the appointment checkout offered is booked with
the order, the order shows it and its service address, a slot runs out, and what cannot be
booked is refused (409 OMNICART-APPOINTMENT-0409, omnicart's own) with nothing written."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.api.conftest import CARTS, CHECKOUT, ORDERS, assert_error, sandbox_settings, submit_url
from tests.appointment_world import (
    AM_SLOT,
    DALLAS,
    DALLAS_ADDRESS,
    PM_SLOT,
    SUNDAY_SLOT,
    submission_with,
)
from tests.carts import COMPLETE
from tests.conftest import START, FakeClock
from tests.credentials import API_KEYS, AUTH, JWT_SECRET
from tests.fiber import fiber_cart  # its credit decision recorded: the appointment is what it lacks
from tests.outbox import outbox

SUBMITTED_FIELDS = {"id", "customerOrderId", "state", "submissionDate", "orderSummaryAccessToken"}
REFUSED = "OMNICART-APPOINTMENT-0409"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Sandbox mode: the providers are the sandbox world's."""
    return sandbox_settings(database_url)


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every test here runs on the fake clock: slots from Friday 2026-01-16."""


def remaining(client, slot: str) -> int:
    """How many more appointments `slot` takes, as a new fiber cart's checkout says (0: not offered)."""
    offered = client.post(CHECKOUT, json={"cartId": fiber_cart(client)["id"]}).json()["appointmentDates"]
    return next((s["remaining"] for s in offered["availableTimeSlot"] if s["id"] == slot), 0)


class TestBooking:
    def test_the_answer_is_the_carriers_five_fields_and_the_order_shows_the_appointment(self, client):
        cart = fiber_cart(client)
        response = client.post(submit_url(cart["id"]), json=submission_with(AM_SLOT))
        assert response.status_code == 200, response.text
        assert set(response.json()) == SUBMITTED_FIELDS
        order = client.get(f"{ORDERS}/{response.json()['id']}").json()
        assert order["serviceAddress"] == DALLAS_ADDRESS
        assert order["appointment"] == {
            "id": AM_SLOT,
            "date": "2026-01-16",
            "startTime": "08:00:00",
            "endTime": "12:00:00",
            "window": "AM",
            "relatedPlace": {"id": DALLAS, "role": "serviceAddress"},
        }
        assert [item["productOfferingId"] for item in order["productOrderItem"]] == [
            "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a50"
        ]
        listed = client.get(ORDERS).json()
        assert [o["appointment"]["id"] for o in listed] == [AM_SLOT]

    def test_the_submitted_cart_has_its_appointment_step_complete(self, client):
        cart = fiber_cart(client)
        client.post(submit_url(cart["id"]), json=submission_with(AM_SLOT))
        submitted = client.get(f"{CARTS}/{cart['id']}").json()
        assert submitted["validation"]["configuration"][-1]["status"] == "complete"

    def test_each_booking_takes_a_seat_until_the_slot_is_gone(self, client):
        assert remaining(client, AM_SLOT) == 2
        client.post(submit_url(fiber_cart(client)["id"]), json=submission_with(AM_SLOT))
        assert remaining(client, AM_SLOT) == 1
        client.post(submit_url(fiber_cart(client)["id"]), json=submission_with(AM_SLOT))
        assert remaining(client, AM_SLOT) == 0

    def test_the_appointment_event_commits_with_the_order(self, client, database_url):
        cart = fiber_cart(client)
        order = client.post(submit_url(cart["id"]), json=submission_with(PM_SLOT)).json()
        events = outbox(database_url)
        assert [kind for kind, _ in events][-3:] == [
            "ShoppingCartStateChangeEvent",
            "ProductOrderCreateEvent",
            "AppointmentCreateEvent",
        ]
        assert events[-1][1]["event"]["appointment"]["relatedEntity"] == [{"id": order["id"], "role": "productOrder"}]

    def test_a_listener_can_ask_for_appointment_events_only(self, client):
        response = client.post(
            "/omni-svcs/v1/hub",
            json={"callback": "https://partner.example.com/events", "query": "eventType=AppointmentCreateEvent"},
        )
        assert response.status_code == 201, response.text


class TestRefused:
    def test_a_fiber_cart_without_an_appointment_is_not_ready(self, client):
        cart = fiber_cart(client)
        body = assert_error(
            client.post(submit_url(cart["id"]), json=submission_with(None)),
            422,
            "OMNICART-CART-0001",
        )
        assert body["details"]["configuration"] == [
            {"type": "appointment", "status": "pending", "required": True, "postOrderConfigurable": False}
        ]

    def test_a_full_slot_answers_409_and_nothing_is_written(self, client, database_url):
        client.post(submit_url(fiber_cart(client)["id"]), json=submission_with(PM_SLOT))
        cart = fiber_cart(client)
        before = len(outbox(database_url))
        body = assert_error(client.post(submit_url(cart["id"]), json=submission_with(PM_SLOT)), 409, REFUSED)
        assert body["details"] == {
            "appointment": PM_SLOT,
            "reason": "the slot is full: every appointment it takes is booked",
        }
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart
        assert len(client.get(ORDERS).json()) == 1
        assert len(outbox(database_url)) == before

    def test_a_slot_not_offered_answers_409(self, client):
        cart = fiber_cart(client)
        body = assert_error(client.post(submit_url(cart["id"]), json=submission_with(SUNDAY_SLOT)), 409, REFUSED)
        assert body["details"]["appointment"] == SUNDAY_SLOT

    def test_a_cart_without_fiber_has_nothing_to_install(self, client, ready_cart):
        body = {**COMPLETE, "appointment": {"id": AM_SLOT}}
        assert_error(client.post(submit_url(ready_cart["id"]), json=body), 409, REFUSED)
        assert client.get(f"{CARTS}/{ready_cart['id']}").json()["state"] == "Draft"

    def test_a_cart_without_fiber_is_submitted_as_before(self, client, ready_cart):
        response = client.post(submit_url(ready_cart["id"]), json=COMPLETE)
        assert response.status_code == 200
        assert {"serviceAddress", "appointment"} & set(client.get(f"{ORDERS}/{response.json()['id']}").json()) == set()


class TestBadInput:
    @pytest.mark.parametrize(
        ("appointment", "code", "field"),
        [
            ("00000NG3XH-20260116-AM", "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002", "appointment"),
            ({}, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001", "appointment.id"),
            ({"id": 7}, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002", "appointment.id"),
            ({"id": ""}, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002", "appointment.id"),
        ],
        ids=["not an object", "no id", "a number", "empty"],
    )
    def test_a_malformed_appointment_is_refused(self, client, appointment, code, field):
        cart = fiber_cart(client)
        assert_error(
            client.post(submit_url(cart["id"]), json={**COMPLETE, "appointment": appointment}), 400, code, field
        )
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart


@pytest.fixture(params=["omnicart", "carrier"])
def profiled(request, settings):
    """A sandbox client in each profile, and its name."""
    chosen = dataclasses.replace(settings, profile=request.param)
    with TestClient(create_app(chosen), raise_server_exceptions=False, headers=AUTH) as client:
        client.app.state.services.carts.clock = FakeClock(START)
        yield client, request.param


class TestProfiles:
    def test_a_full_slot_is_409_in_both(self, profiled):
        client, _ = profiled
        client.post(submit_url(fiber_cart(client)["id"]), json=submission_with(PM_SLOT))
        assert_error(client.post(submit_url(fiber_cart(client)["id"]), json=submission_with(PM_SLOT)), 409, REFUSED)

    def test_a_missing_appointment_is_the_carriers_business_rejection(self, profiled):
        client, profile = profiled
        response = client.post(submit_url(fiber_cart(client)["id"]), json=submission_with(None))
        assert_error(response, {"omnicart": 422, "carrier": 500}[profile], "OMNICART-CART-0001")


@pytest.fixture
def production(database_url: str):
    """Not a sandbox, and no provider configured (OMNICART_PROVIDERS unset)."""
    settings = Settings(api_keys=API_KEYS, jwt_secret=JWT_SECRET, database_url=database_url, pool_size=4)
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=AUTH) as client:
        yield client


def test_without_a_scheduling_provider_an_appointment_cannot_be_booked(production):
    cart = fiber_cart(production, credit=False)  # no credit bureau either
    body = assert_error(production.post(submit_url(cart["id"]), json=submission_with(AM_SLOT)), 501)
    assert (body["code"], body["details"]) == ("OMNICART-PROVIDER-0501", {"provider": "scheduling"})
    assert production.get(f"{CARTS}/{cart['id']}").json() == cart
