"""omnicart.client and fiber carts: checkout's `appointmentDates` decoded into the wire
structs, express submit booking a slot (`appointment=`), the order showing it; against a
live `omnicart serve` with the sandbox world's providers, on each store."""

from __future__ import annotations

import asyncio
import json

import pytest

from omnicart.client import AsyncClient, Client, OmnicartError, calls
from omnicart.wire.appointments import AppointmentDates, TimeSlot
from tests.appointment_world import DALLAS, DALLAS_ADDRESS, PACIFIC, fiber_item
from tests.conftest import SEED_REQUEST
from tests.credentials import KEY

TERMS = {"terms": {"WCA": True}}


# The server tests/kit/conftest.py starts for this module runs with:
SERVER_ENV = {"OMNICART_FULFILMENT": "off", "OMNICART_PROVIDERS": "sandbox"}


def fiber_cart(api: Client, address: str = DALLAS):
    """A fiber cart of the seed's customer (Jordan Rivera, LOW) at `address`, its credit
    decision recorded (tests/fiber.py): the appointment is the step it lacks."""
    cart = api.create_cart(SEED_REQUEST["channel"], SEED_REQUEST["relatedParty"], [fiber_item(address)])
    assert api.credit_application({"cartId": cart.id}).riskAssessment.blocksOrder is False
    return cart


def test_checkout_decodes_the_slots_into_the_wire_structs(api):
    checkout = api.checkout(fiber_cart(api).id)
    assert isinstance(checkout.appointmentDates, AppointmentDates)
    assert checkout.appointmentDates.relatedPlace.id == DALLAS
    first = checkout.appointmentDates.availableTimeSlot[0]
    assert isinstance(first, TimeSlot) and first.window == "AM" and first.remaining >= 1
    assert first.id == f"{DALLAS}-{first.date:%Y%m%d}-AM"


def test_the_fulfillment_address_of_a_move(api):
    checkout = api.checkout(fiber_cart(api).id, fulfillment_address_id=PACIFIC)
    assert checkout.fulfillmentAddressId == PACIFIC and checkout.appointmentDates.relatedPlace.id == PACIFIC


def test_express_submit_books_the_appointment_and_the_order_shows_it(api):
    cart = fiber_cart(api)
    slot = api.checkout(cart.id).appointmentDates.availableTimeSlot[-1]
    order = api.express_submit(cart.id, TERMS, appointment=slot.id)
    read = api.get_order(order.id)
    assert (read.appointment.id, read.appointment.date, read.appointment.startTime) == (
        slot.id,
        slot.date,
        slot.startTime,
    )
    assert read.serviceAddress.id == DALLAS and read.serviceAddress.addressLine1 == DALLAS_ADDRESS["addressLine1"]
    assert read.submission.appointment.id == slot.id


def test_a_slot_that_cannot_be_booked_is_an_error_with_its_code(api):
    cart = fiber_cart(api)
    with pytest.raises(OmnicartError) as refused:
        api.express_submit(cart.id, TERMS, appointment=f"{DALLAS}-20200101-AM")
    assert (refused.value.status, refused.value.code) == (409, "OMNICART-APPOINTMENT-0409")


def test_the_async_client_too(server):
    async def run():
        async with AsyncClient(server.url, api_key=KEY) as api:
            cart = await api.create_cart(SEED_REQUEST["channel"], SEED_REQUEST["relatedParty"], [fiber_item(PACIFIC)])
            await api.credit_application({"cartId": cart.id})  # its credit step (Jordan Rivera: LOW)
            slot = (await api.checkout(cart.id)).appointmentDates.availableTimeSlot[0]
            order = await api.express_submit(cart.id, TERMS, appointment=slot.id)
            return slot, await api.get_order(order.id)

    slot, order = asyncio.run(run())
    assert order.appointment.id == slot.id and order.serviceAddress.id == PACIFIC


@pytest.mark.parametrize(
    ("submission", "body"),
    [
        (None, {"appointment": {"id": "slot-1"}}),
        ({"terms": {"WCA": True}}, {"terms": {"WCA": True}, "appointment": {"id": "slot-1"}}),
    ],
    ids=["no body", "with the carrier's fields"],
)
def test_the_appointment_joins_the_body(submission, body):
    call = calls.express_submit("c", submission, None, "slot-1")
    assert json.loads(call.body) == body


def test_without_an_appointment_the_body_is_as_given():
    assert calls.express_submit("c", None, None).body is None
    assert json.loads(calls.express_submit("c", TERMS, None).body) == TERMS
