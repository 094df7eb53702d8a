"""Technician appointments of fiber carts, as use cases: the slots checkout offers (from the
fake clock's date, in the sandbox world's windows), the appointment step of a fiber cart,
and express submit booking a slot with the order, until it is full."""

from __future__ import annotations

import json

import msgspec
import pytest

from omnicart.domain.errors import (
    AddressNotUsable,
    AppointmentRefused,
    CartNotReady,
    ProviderMissing,
    SubmissionRejected,
)
from omnicart.domain.order import Order
from omnicart.domain.scenarios import parse
from omnicart.providers import open_providers
from omnicart.store import documents
from omnicart.wire.cart import State
from tests.appointment_world import (
    AM_SLOT,
    AMARILLO,
    BEYOND_SLOT,
    DALLAS,
    DALLAS_ADDRESS,
    FIRST_DAY_AT_DALLAS,
    LAST_SLOT,
    NOWHERE,
    OFFERED_DAYS,
    PACIFIC,
    PM_SLOT,
    SUNDAY_SLOT,
    TODAY_SLOT,
    fiber_item,
    submission_with,
)
from tests.carts import COMPLETE
from tests.credentials import PARTNER
from tests.fiber import record_credit_of
from tests.services.conftest import document, outbox, placed, read, seed, submission

NOT_OFFERED = "not offered: its day is past, closed or beyond the days offered, or there is no such window"
NOT_AN_ID = "not a slot id checkout offers (<address id>-<YYYYMMDD>-<window>)"


async def fiber_cart(services, address: str | None = DALLAS, *, credit: bool = True) -> dict:
    """A draft cart of the seed's customer (Jordan Rivera, LOW) holding one fiber line at
    `address`, its credit step complete (tests/fiber.py) unless `credit` is false: its
    appointment is the one step it lacks besides its terms."""
    cart = document(await services.carts.create_cart(PARTNER, seed(items=[fiber_item(address)])))
    return await record_credit_of(services.credit, cart["id"]) if credit else cart


def slots(checkout) -> list[dict]:
    return msgspec.to_builtins(checkout.appointmentDates)["availableTimeSlot"]


async def offered(orders, cart_id: str, **options) -> list[dict]:
    return slots(await orders.checkout(PARTNER, cart_id, **options))


async def book(services, slot: str, address: str = DALLAS) -> Order:
    """A new fiber cart at `address`, submitted with `slot`."""
    cart = await fiber_cart(services, address)
    order, _ = await services.orders.submit(PARTNER, cart["id"], submission(submission_with(slot)))
    return order


class TestTheSlotsCheckoutOffers:
    async def test_fourteen_days_from_tomorrow_sundays_closed_every_window(self, services, orders):
        cart = await fiber_cart(services)
        found = await offered(orders, cart["id"])
        assert sorted({slot["date"] for slot in found}) == OFFERED_DAYS
        assert len(found) == 12 * 3
        assert found[:3] == FIRST_DAY_AT_DALLAS
        assert found[-1]["id"] == LAST_SLOT

    async def test_they_are_at_the_carts_service_address(self, services, orders):
        cart = await fiber_cart(services)
        dates = (await orders.checkout(PARTNER, cart["id"])).appointmentDates
        assert msgspec.to_builtins(dates.relatedPlace) == {"id": DALLAS, "role": "serviceAddress"}

    async def test_a_fulfillment_address_asks_for_another_address_a_move(self, services, orders):
        cart = await fiber_cart(services)
        checkout = await orders.checkout(PARTNER, cart["id"], fulfillment_address_id=PACIFIC)
        assert checkout.appointmentDates.relatedPlace.id == PACIFIC
        assert slots(checkout)[0]["id"] == "000011VYAA-20260116-AM"

    async def test_the_days_move_with_the_clock(self, services, orders, clock):
        cart = await fiber_cart(services)
        clock.advance(24 * 3600)  # Friday the 16th: Saturday the 17th is the first day offered
        found = await offered(orders, cart["id"])
        assert (found[0]["date"], found[-1]["date"]) == ("2026-01-17", "2026-01-30")

    async def test_a_cart_without_fiber_has_no_appointment_dates(self, orders, ready_cart):
        assert (await orders.checkout(PARTNER, ready_cart["id"])).appointmentDates is None

    async def test_no_appointment_slots_offers_none(self, services, orders):
        cart = await fiber_cart(services)
        checkout = await orders.checkout(PARTNER, cart["id"], parse("no_appointment_slots"))
        assert msgspec.to_builtins(checkout.appointmentDates) == {
            "relatedPlace": {"id": DALLAS, "role": "serviceAddress"},
            "availableTimeSlot": [],
        }


class TestSlotsRunOut:
    async def test_each_booking_takes_one_and_a_full_slot_is_not_offered(self, services, orders):
        cart = await fiber_cart(services)
        am = [slot["remaining"] for slot in await offered(orders, cart["id"]) if slot["id"] == AM_SLOT]
        assert am == [2]
        await book(services, AM_SLOT)
        am = [slot["remaining"] for slot in await offered(orders, cart["id"]) if slot["id"] == AM_SLOT]
        assert am == [1]
        await book(services, AM_SLOT)
        found = await offered(orders, cart["id"])
        assert AM_SLOT not in {slot["id"] for slot in found}
        assert found[0] == FIRST_DAY_AT_DALLAS[1], "the others are as they were"

    async def test_a_booking_at_one_address_leaves_the_others_slots(self, services, orders):
        await book(services, PM_SLOT)
        cart = await fiber_cart(services, PACIFIC)
        assert "000011VYAA-20260116-PM" in {slot["id"] for slot in await offered(orders, cart["id"])}

    async def test_a_full_slot_refuses_the_submit_and_the_cart_stays_a_draft(self, services, carts, orders, store):
        first = await book(services, PM_SLOT)
        cart = await fiber_cart(services)
        with pytest.raises(AppointmentRefused) as refused:
            await orders.submit(PARTNER, cart["id"], submission(submission_with(PM_SLOT)))
        assert refused.value.code == "OMNICART-APPOINTMENT-0409"
        assert refused.value.details == {
            "appointment": PM_SLOT,
            "reason": "the slot is full: every appointment it takes is booked",
        }
        after = await read(carts, cart["id"])
        assert (after["state"], after["version"]) == ("Draft", cart["version"])
        assert [order.id for order in await placed(orders)] == [first.id]

    async def test_a_refused_submit_books_nothing(self, services, orders):
        cart = await fiber_cart(services)
        with pytest.raises(CartNotReady):  # the terms are not accepted
            await orders.submit(PARTNER, cart["id"], submission({"appointment": {"id": PM_SLOT}}))
        with pytest.raises(SubmissionRejected) as rejected:
            await orders.submit(
                PARTNER, cart["id"], submission(submission_with(PM_SLOT)), scenarios=parse("submit_rejected")
            )
        assert rejected.value.code == "EXTSALESOPS-CART_CREATE-OAV-0013"
        assert PM_SLOT in {slot["id"] for slot in await offered(orders, cart["id"])}

    async def test_a_submitted_cart_answers_its_order_even_once_its_slot_is_past(self, services, orders, clock):
        cart = await fiber_cart(services)
        order, _ = await orders.submit(PARTNER, cart["id"], submission(submission_with(AM_SLOT)))
        clock.advance(3 * 24 * 3600)
        again, _ = await orders.submit(PARTNER, cart["id"], submission(submission_with(AM_SLOT)))
        assert again.id == order.id

    async def test_submitting_a_submitted_cart_again_books_nothing_more(self, services, orders):
        cart = await fiber_cart(services)
        order, _ = await orders.submit(PARTNER, cart["id"], submission(submission_with(AM_SLOT)))
        again, _ = await orders.submit(PARTNER, cart["id"], submission(submission_with(AM_SLOT)))
        assert again.id == order.id
        other = await fiber_cart(services)
        assert [s["remaining"] for s in await offered(orders, other["id"]) if s["id"] == AM_SLOT] == [1]


class TestTheAppointmentStep:
    async def test_a_fiber_cart_needs_an_appointment_before_it_is_ready(self, services):
        cart = await fiber_cart(services)
        assert cart["validation"]["configuration"] == [
            {"type": "terms", "status": "pending", "required": True, "postOrderConfigurable": False},
            {"type": "payment", "status": "pending", "required": False, "postOrderConfigurable": True},
            {"type": "credit", "status": "complete", "required": True, "postOrderConfigurable": False},
            {"type": "appointment", "status": "pending", "required": True, "postOrderConfigurable": False},
        ]

    async def test_a_cart_without_fiber_has_no_appointment_step(self, ready_cart):
        assert [step["type"] for step in ready_cart["validation"]["configuration"]] == ["terms", "payment"]

    async def test_a_fiber_cart_submitted_without_one_is_not_ready(self, services, orders):
        cart = await fiber_cart(services)
        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, cart["id"], submission(submission_with(None)))
        assert refused.value.details["configuration"] == [
            {"type": "appointment", "status": "pending", "required": True, "postOrderConfigurable": False}
        ]

    async def test_the_booked_appointment_completes_it(self, services, carts, orders):
        cart = await fiber_cart(services)
        await orders.submit(PARTNER, cart["id"], submission(submission_with(AM_SLOT)))
        submitted = await read(carts, cart["id"])
        assert submitted["state"] == "Submitted"
        assert submitted["validation"]["readyToSubmit"] is True
        assert [step for step in submitted["validation"]["configuration"] if step["type"] == "appointment"] == [
            {"type": "appointment", "status": "complete", "required": True, "postOrderConfigurable": False}
        ]


class TestTheOrderShowsIt:
    async def test_the_service_address_and_the_appointment(self, services):
        order = document(await book(services, AM_SLOT))
        assert order["serviceAddress"] == DALLAS_ADDRESS
        assert order["appointment"] == {
            "id": AM_SLOT,
            "date": "2026-01-16",
            "startTime": "08:00:00",
            "endTime": "12:00:00",
            "window": "AM",
            "relatedPlace": {"id": DALLAS, "role": "serviceAddress"},
        }
        assert [item["productOfferingType"] for item in order["productOrderItem"]] == ["Broadband_Offer"]
        assert order["submission"]["appointment"] == {"id": AM_SLOT}

    async def test_a_move_books_at_the_address_the_slot_was_offered_for(self, services):
        order = document(await book(services, "000011VYAA-20260116-AM"))
        assert (order["serviceAddress"]["id"], order["serviceAddress"]["addressLine1"]) == (
            PACIFIC,
            "1600 Pacific Ave",
        )

    async def test_an_order_without_fiber_has_neither(self, orders, ready_cart):
        order, _ = await orders.submit(PARTNER, ready_cart["id"], submission(COMPLETE))
        assert {"serviceAddress", "appointment"} & set(document(order)) == set()

    async def test_its_events_come_with_the_order(self, services, store):
        order = await book(services, AM_SLOT)
        events = await outbox(store)
        assert [kind for kind, _ in events][-3:] == [
            "ShoppingCartStateChangeEvent",
            "ProductOrderCreateEvent",
            "AppointmentCreateEvent",
        ]
        assert events[-1][1]["event"] == {
            "appointment": {
                "id": AM_SLOT,
                "date": "2026-01-16",
                "startTime": "08:00:00",
                "endTime": "12:00:00",
                "window": "AM",
                "relatedPlace": {"id": DALLAS, "role": "serviceAddress"},
                "relatedEntity": [{"id": order.id, "role": "productOrder"}],
            }
        }

    async def test_an_order_stored_before_appointments_still_reads(self, orders, ready_cart):
        order, _ = await orders.submit(PARTNER, ready_cart["id"], submission(COMPLETE))
        old = json.loads(documents.dump_order(order))
        del old["serviceAddress"], old["appointment"]
        assert documents.load_order(json.dumps(old)) == order


class TestSlotsThatCannotBeBooked:
    @pytest.mark.parametrize(
        ("slot", "reason"),
        [
            (TODAY_SLOT, NOT_OFFERED),
            (SUNDAY_SLOT, NOT_OFFERED),
            (BEYOND_SLOT, NOT_OFFERED),
            ("00000NG3XH-20260116-NIGHT", NOT_OFFERED),
            ("00000XXXXX-20260116-AM", "the address '00000XXXXX' is unknown"),
            ("00000ZX9OR-20260116-AM", "the address '00000ZX9OR' is not fiber-eligible"),
            ("tomorrow morning", NOT_AN_ID),
            ("00000NG3XH-20260231-AM", NOT_AN_ID),
        ],
        ids=[
            "today",
            "a Sunday",
            "the 15th day",
            "no such window",
            "unknown address",
            "not eligible",
            "no id",
            "no day",
        ],
    )
    async def test_each_is_refused_with_its_reason(self, services, carts, orders, slot, reason):
        cart = await fiber_cart(services)
        with pytest.raises(AppointmentRefused) as refused:
            await orders.submit(PARTNER, cart["id"], submission(submission_with(slot)))
        assert refused.value.details == {"appointment": slot, "reason": reason}
        assert (await read(carts, cart["id"]))["state"] == "Draft"

    async def test_a_slot_that_has_passed_since_checkout(self, services, orders, clock):
        cart = await fiber_cart(services)
        assert (await offered(orders, cart["id"]))[0]["id"] == AM_SLOT
        clock.advance(24 * 3600)
        with pytest.raises(AppointmentRefused):
            await orders.submit(PARTNER, cart["id"], submission(submission_with(AM_SLOT)))

    async def test_no_appointment_slots_refuses_any(self, services, orders):
        cart = await fiber_cart(services)
        with pytest.raises(AppointmentRefused) as refused:
            await orders.submit(
                PARTNER, cart["id"], submission(submission_with(AM_SLOT)), scenarios=parse("no_appointment_slots")
            )
        assert refused.value.details["reason"] == "no appointment slots are left (mock-scenario no_appointment_slots)"

    async def test_a_cart_without_fiber_has_nothing_to_install(self, carts, orders, ready_cart):
        with pytest.raises(AppointmentRefused) as refused:
            await orders.submit(PARTNER, ready_cart["id"], submission({**COMPLETE, "appointment": {"id": AM_SLOT}}))
        assert refused.value.details["reason"] == "the cart orders no fiber service: there is nothing to install"
        assert (await read(carts, ready_cart["id"]))["state"] == "Draft"


class TestAddresses:
    @pytest.mark.parametrize(
        ("address", "reason"),
        [
            (NOWHERE, "the address '00000XXXXX' is unknown to the address provider"),
            (
                AMARILLO,
                "the address '00000ZX9OR' is not fiber-eligible: the address is out of the fiber footprint",
            ),
        ],
        ids=["unknown", "not eligible"],
    )
    async def test_a_fulfillment_address_the_technician_cannot_go_to(self, services, orders, address, reason):
        cart = await fiber_cart(services)
        with pytest.raises(AddressNotUsable) as refused:
            await orders.checkout(PARTNER, cart["id"], fulfillment_address_id=address)
        assert refused.value.details == {"errors": [{"field": "fulfillmentAddressId", "reason": reason}]}

    async def test_the_items_address_when_it_is_unknown(self, services, orders):
        cart = await fiber_cart(services, NOWHERE)
        with pytest.raises(AddressNotUsable) as refused:
            await orders.checkout(PARTNER, cart["id"])
        assert refused.value.details["errors"][0]["field"] == "productOrderItem[0].product.place"

    async def test_a_fiber_item_without_an_address_needs_a_fulfillment_address(self, services, orders):
        cart = await fiber_cart(services, None)
        with pytest.raises(AddressNotUsable) as refused:
            await orders.checkout(PARTNER, cart["id"])
        assert refused.value.details["errors"][0]["field"] == "fulfillmentAddressId"
        checkout = await orders.checkout(PARTNER, cart["id"], fulfillment_address_id=DALLAS)
        assert slots(checkout)[:3] == FIRST_DAY_AT_DALLAS


class TestWithoutProviders:
    """No provider at all: no credit bureau either, so these fiber carts have no credit
    decision (and could not be submitted even with an appointment)."""

    @pytest.fixture
    def providers(self):
        return open_providers("none")

    async def test_a_fiber_carts_checkout_cannot_be_served(self, services, orders):
        cart = await fiber_cart(services, credit=False)
        with pytest.raises(ProviderMissing) as missing:
            await orders.checkout(PARTNER, cart["id"])
        assert missing.value.details == {"provider": "scheduling"}

    async def test_nor_its_appointment_booked(self, services, carts, orders):
        cart = await fiber_cart(services, credit=False)
        with pytest.raises(ProviderMissing) as missing:
            await orders.submit(PARTNER, cart["id"], submission(submission_with(AM_SLOT)))
        assert missing.value.details == {"provider": "scheduling"}
        assert (await read(carts, cart["id"]))["state"] == State.DRAFT.value

    async def test_a_cart_without_fiber_needs_none(self, orders, ready_cart):
        checkout = await orders.checkout(PARTNER, ready_cart["id"], fulfillment_address_id="anything")
        assert checkout.appointmentDates is None
        order, _ = await orders.submit(PARTNER, ready_cart["id"], submission(COMPLETE))
        assert order.state == State.SUBMITTED
