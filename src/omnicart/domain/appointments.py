"""Technician appointments of a fiber install: which carts need one, where, and which
slots are offered there.

- A **fiber cart** orders a fiber service: an item whose offering is a `Broadband_Offer`
  (the catalog's type; the item's own `productOfferingType` when the catalog does not
  know the offering) with an action that orders it (not `noChange`/`terminate`). Such a
  cart has the required configuration step `appointment` (domain/configuration.py), which only
  express submit completes, by booking a slot.
- Its **service address** is named by that item, `product.place[]` entry whose `role` is
  "serviceAddress" (the id service-qualification answers as `validGeographicAddress.id`);
  checkout's `fulfillmentAddressId` asks for another address instead (a move).
- The **slots** at an address: one per window of the scheduling provider's
  `Appointments`, on every day from the day after today for `days` days, closed weekdays
  skipped. A slot takes `technicians` appointments; one with none left is not offered.
  "Today" is the UTC date of the service's clock.
- A **slot id** is `<address id>-<YYYYMMDD>-<window id>` (`00000NG3XH-20260116-AM`): it
  names everything express submit needs to find the slot again, so a partner sends back
  just the id checkout gave. Window ids are capital letters and digits (the world file's
  rule), so the id splits unambiguously from the right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from msgspec import UNSET

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog
from omnicart.domain.checkout import ordered_kind
from omnicart.domain.configuration import complete_step
from omnicart.domain.errors import AppointmentRefused
from omnicart.domain.world import BROADBAND, Appointments, AppointmentWindow, ServiceAddress
from omnicart.wire.appointments import (
    Appointment,
    AppointmentDates,
    EntityRef,
    PlaceRef,
    ServiceAddressView,
    TimeSlot,
)
from omnicart.wire.items import ProductOrderItem

SERVICE_ADDRESS = "serviceAddress"  # the role of the item's place the technician goes to
APPOINTMENT_STEP = "appointment"

_SLOT_ID = re.compile(r"^(?P<address>.+)-(?P<day>\d{8})-(?P<window>[A-Z0-9]{1,8})$")


def fiber_items(cart: Cart, catalog: Catalog) -> list[ProductOrderItem]:
    """The items of the cart that order a fiber service, in cart order."""
    found = []
    for item in cart.productOrderItem:
        kind = ordered_kind(item, catalog.get(item.offering_id))
        if kind is not None and kind[0] == BROADBAND:
            found.append(item)
    return found


def service_address_id(item: ProductOrderItem) -> str | None:
    """The id of the address the item's `product.place[]` names as its service address."""
    product = item.product
    if not product or not product.place:
        return None
    for place in product.place:
        if place.role == SERVICE_ADDRESS and place.id:
            return place.id
    return None


@dataclass(frozen=True)
class Slot:
    """One window on one day at one address."""

    address_id: str
    day: date
    window: AppointmentWindow

    @property
    def id(self) -> str:
        return slot_id(self.address_id, self.day, self.window.id)

    @property
    def capacity(self) -> int:
        return self.window.technicians

    def booked(self, address: ServiceAddress, order_id: str | None = None) -> Appointment:
        """The appointment this slot becomes once booked (for `order_id`, in its event)."""
        return Appointment(
            id=self.id,
            date=self.day,
            startTime=self.window.start,
            endTime=self.window.end,
            window=self.window.id,
            relatedPlace=PlaceRef(address.id),
            relatedEntity=[EntityRef(order_id)] if order_id is not None else UNSET,
        )


def slot_id(address_id: str, day: date, window_id: str) -> str:
    return f"{address_id}-{day:%Y%m%d}-{window_id}"


def parse_slot_id(text: str) -> tuple[str, date, str] | None:
    """(address id, day, window id) of a slot id; None when it is not one."""
    found = _SLOT_ID.match(text)
    if found is None:
        return None
    try:
        day = date(int(found["day"][:4]), int(found["day"][4:6]), int(found["day"][6:]))
    except ValueError:
        return None
    return found["address"], day, found["window"]


def offered_days(appointments: Appointments, today: date) -> list[date]:
    """The days slots are offered on: from tomorrow, `days` days, closed weekdays skipped."""
    days = (today + timedelta(days=n) for n in range(1, appointments.days + 1))
    return [day for day in days if appointments.open_on(day)]


def slots_at(address_id: str, appointments: Appointments, today: date) -> list[Slot]:
    """Every slot at the address as of `today`, soonest first (by day, then window start)."""
    windows = sorted(appointments.windows, key=lambda window: (window.start, window.id))
    return [Slot(address_id, day, window) for day in offered_days(appointments, today) for window in windows]


def find_slot(wanted: str, appointments: Appointments, today: date) -> Slot | None:
    """The slot with id `wanted` if it is offered as of `today` (not past, not beyond the
    days offered, not on a closed day, in a window there is)."""
    parsed = parse_slot_id(wanted)
    if parsed is None:
        return None
    address_id, day, window_id = parsed
    if day not in offered_days(appointments, today):
        return None
    window = next((window for window in appointments.windows if window.id == window_id), None)
    return None if window is None else Slot(address_id, day, window)


def appointment_dates(address_id: str, slots: list[Slot], booked: Mapping[str, int]) -> AppointmentDates:
    """checkout's `appointmentDates`: the slots that still take an appointment, given how
    many each has `booked`."""
    offered = []
    for slot in slots:
        remaining = slot.capacity - booked.get(slot.id, 0)
        if remaining > 0:
            window = slot.window
            offered.append(
                TimeSlot(
                    id=slot.id,
                    date=slot.day,
                    startTime=window.start,
                    endTime=window.end,
                    window=window.id,
                    remaining=remaining,
                )
            )
    return AppointmentDates(PlaceRef(address_id), offered)


def address_view(address: ServiceAddress) -> ServiceAddressView:
    return ServiceAddressView(
        id=address.id,
        addressLine1=address.addressLine1,
        streetNr=address.streetNr,
        streetName=address.streetName,
        streetType=address.streetType,
        city=address.city,
        stateOrProvince=address.stateOrProvince,
        postcode=address.postcode,
        postcodeExtension=address.postcodeExtension,
    )


def confirm_appointment(cart: Cart, catalog: Catalog, slot: str) -> None:
    """Under the cart's lock at express submit: the cart books the slot `slot`, which
    completes its appointment step; a cart that orders no fiber has nothing to install."""
    if not fiber_items(cart, catalog):
        raise AppointmentRefused(slot, "the cart orders no fiber service: there is nothing to install")
    cart.validation = complete_step(cart.validation, APPOINTMENT_STEP)
