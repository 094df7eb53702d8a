"""Use cases of technician appointments: the slots checkout offers a fiber cart, and the
slot express submit books (domain/appointments.py says what a fiber cart, its service
address and a slot are).

The address comes from the address provider, the windows from the scheduling provider;
what is booked already is omnicart's own, in its store, so a slot runs out for every
worker at once. Without a provider a fiber cart cannot be served: ProviderMissing (501),
never made-up slots. Carts that order no fiber need neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from omnicart.domain.appointments import (
    Slot,
    address_view,
    appointment_dates,
    fiber_items,
    find_slot,
    offered_days,
    parse_slot_id,
    service_address_id,
    slots_at,
)
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog
from omnicart.domain.errors import AddressNotUsable, AppointmentRefused
from omnicart.domain.scenarios import NO_APPOINTMENT_SLOTS, NO_SCENARIOS, MockScenarios
from omnicart.domain.world import ServiceAddress
from omnicart.providers import Providers
from omnicart.store import AppointmentRepository, Booking
from omnicart.wire.appointments import Appointment, AppointmentDates, ServiceAddressView


@dataclass(frozen=True)
class ChosenSlot:
    """The slot express submit names, found offered at its address before the cart is
    locked (the providers are asked outside the store's transaction)."""

    slot: Slot
    address: ServiceAddress

    @property
    def booking(self) -> Booking:
        return Booking(self.slot.id, self.address.id, self.slot.day, self.slot.capacity)

    @property
    def service_address(self) -> ServiceAddressView:
        return address_view(self.address)

    def appointment(self, order_id: str | None = None) -> Appointment:
        return self.slot.booked(self.address, order_id)


class AppointmentService:
    def __init__(self, store: AppointmentRepository, providers: Providers, catalog: Catalog) -> None:
        self.store = store
        self.providers = providers
        self.catalog = catalog

    async def dates(
        self,
        cart: Cart,
        today: date,
        fulfillment_address_id: str | None = None,
        scenarios: MockScenarios = NO_SCENARIOS,
    ) -> AppointmentDates | None:
        """checkout's `appointmentDates` of the cart: the slots as of `today` at its service
        address, or at `fulfillment_address_id` when given; None for a cart that orders no
        fiber."""
        items = fiber_items(cart, self.catalog)
        if not items:
            return None
        scheduler = self.providers.scheduler()
        if fulfillment_address_id is not None:
            address = await self._usable(fulfillment_address_id, "fulfillmentAddressId")
        else:
            where = f"productOrderItem[{cart.productOrderItem.index(items[0])}].product.place"
            named = service_address_id(items[0])
            if named is None:
                raise AddressNotUsable(
                    "fulfillmentAddressId",
                    f"the fiber item {items[0].productOrderItemId!r} names no service address ({where} with role "
                    "serviceAddress): give the address the technician goes to",
                )
            address = await self._usable(named, where)
        appointments = await scheduler.appointments(address)
        if scenarios.has(NO_APPOINTMENT_SLOTS):
            return appointment_dates(address.id, [], {})
        days = offered_days(appointments, today)
        booked = await self.store.booked(address.id, days[0], days[-1]) if days else {}
        return appointment_dates(address.id, slots_at(address.id, appointments, today), booked)

    async def choose(self, slot_id: str, today: date, scenarios: MockScenarios = NO_SCENARIOS) -> ChosenSlot:
        """The slot express submit names, if it is offered as of `today`; whether a seat of
        it is left is decided when the order is placed (the store books it)."""
        scheduler = self.providers.scheduler()
        addresses = self.providers.address_validation()
        if scenarios.has(NO_APPOINTMENT_SLOTS):
            raise AppointmentRefused(slot_id, "no appointment slots are left (mock-scenario no_appointment_slots)")
        parsed = parse_slot_id(slot_id)
        if parsed is None:
            raise AppointmentRefused(slot_id, "not a slot id checkout offers (<address id>-<YYYYMMDD>-<window>)")
        address = await addresses.get(parsed[0])
        if address is None:
            raise AppointmentRefused(slot_id, f"the address {parsed[0]!r} is unknown")
        if not address.eligible_for_fiber:
            raise AppointmentRefused(slot_id, f"the address {parsed[0]!r} is not fiber-eligible")
        slot = find_slot(slot_id, await scheduler.appointments(address), today)
        if slot is None:
            raise AppointmentRefused(
                slot_id,
                "not offered: its day is past, closed or beyond the days offered, or there is no such window",
            )
        return ChosenSlot(slot, address)

    async def _usable(self, address_id: str, field: str) -> ServiceAddress:
        address = await self.providers.address_validation().get(address_id)
        if address is None:
            raise AddressNotUsable(field, f"the address {address_id!r} is unknown to the address provider")
        if not address.eligible_for_fiber:
            reason = address.fiber.reason or "fiber is not available there"
            raise AddressNotUsable(field, f"the address {address_id!r} is not fiber-eligible: {reason}")
        return address
