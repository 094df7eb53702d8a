"""Technician appointments of a fiber install, on the wire.

- checkout's `appointmentDates` (the carrier names the object, not its contents):
  `AppointmentDates`, modelled on TMF646's SearchTimeSlot (`relatedPlace`,
  `availableTimeSlot[]`); each `TimeSlot` has the `id` express submit sends back, and
  omnicart's own `date`, `startTime`, `endTime`, `window` and `remaining`;
- express submit's `appointment` (omnicart's own field of the carrier's body):
  `AppointmentChoice`, `{"id": "<slot id>"}`;
- the order's `appointment` and `serviceAddress` (omnicart's order extension):
  `Appointment` (TMF646 Appointment's `id`, `relatedPlace`, `relatedEntity` with
  omnicart's slot fields) and `ServiceAddressView` (the carrier's
  `validGeographicAddress` names, and `addressLine1`).

Times are the address's local wall-clock times; dates are `YYYY-MM-DD`.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.open import Open

SlotId = Annotated[str, Meta(min_length=1, examples=["00000NG3XH-20260116-AM"])]


class PlaceRef(msgspec.Struct, frozen=True):
    """Where the technician goes (TMF646 RelatedPlaceRefOrValue): the service address's id."""

    id: str
    role: str = "serviceAddress"


class TimeSlot(msgspec.Struct, frozen=True, kw_only=True):
    """One technician window on one day that still takes an appointment. omnicart's own
    shape (the carrier names only `appointmentDates`): `id` is what express submit's
    `appointment.id` sends back; times are the address's local times."""

    id: SlotId  # express submit's `appointment.id`
    date: date
    startTime: time
    endTime: time
    window: str  # the window's id, e.g. "AM"
    remaining: Annotated[int, Meta(ge=1)]  # how many more appointments it takes (a full slot is not offered)


class AppointmentDates(msgspec.Struct, frozen=True):
    """checkout's `appointmentDates` (the carrier's name; its contents are omnicart's own,
    after TMF646 SearchTimeSlot): the slots at the address, soonest first. A full slot is
    not listed."""

    relatedPlace: PlaceRef
    availableTimeSlot: list[TimeSlot]


class AppointmentChoice(Open):
    """express submit's `appointment` (omnicart's own field): the slot chosen among
    checkout's `appointmentDates`, booked with the order."""

    id: SlotId


class EntityRef(msgspec.Struct, frozen=True):
    """What an appointment is for (TMF646 relatedEntity): the order."""

    id: str
    role: str = "productOrder"


class Appointment(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A booked appointment (omnicart's own, after TMF646 Appointment): the slot (`id`, as
    checkout offered it), its day and times, the address, and (in its event) the order it
    was booked for."""

    id: SlotId
    date: date
    startTime: time
    endTime: time
    window: str
    relatedPlace: PlaceRef
    relatedEntity: list[EntityRef] | UnsetType = UNSET


class ServiceAddressView(msgspec.Struct, frozen=True, kw_only=True):
    """A fiber order's service address as the address provider knows it (omnicart's own:
    the carrier's `validGeographicAddress` fields, with the street line as `addressLine1`)."""

    id: str
    addressLine1: str
    streetNr: str
    streetName: str
    streetType: str
    city: str
    stateOrProvince: str
    postcode: str
    postcodeExtension: str = ""
