"""Technician appointments: their statements and units of work (`AppointmentRepository`,
and the booking `place_order` makes with a new order).

A slot takes `capacity` appointments: its seats 1 to `capacity`, each one row of
`appointment_bookings`, whose primary key is (slot, seat). Booking takes the lowest free
seat with an insert that does nothing on a taken one. Two workers booking the last seat
at once both try the same row: PostgreSQL makes the second insert wait for the first
transaction and then do nothing, and the booking looks again (a new statement sees what
was committed since), finding no seat left. On SQLite one writer at a time never races.
So a slot is never booked past its capacity, with no lock beyond the row being written.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from omnicart.domain.errors import AppointmentRefused
from omnicart.domain.order import Order
from omnicart.store.core import Connection, CoreQueries, Dialect, StoreCore
from omnicart.store.values import Booking


class AppointmentQueries(CoreQueries):
    """Every statement about appointment bookings, in one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q = dialect.sql
        # Days are written `YYYY-MM-DD`: text that sorts as the days do, in both databases.
        self.booked_at_address = q(
            "SELECT slot_id, count(*) FROM appointment_bookings"
            " WHERE address_id = $1 AND day >= $2 AND day <= $3 GROUP BY slot_id"
        )
        self.seats_of_slot = q("SELECT seat FROM appointment_bookings WHERE slot_id = $1")
        self.insert_booking = q(
            "INSERT INTO appointment_bookings (slot_id, seat, address_id, day, owner, order_id, cart_id, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slot_id, seat) DO NOTHING"
        )


class Appointments(StoreCore):
    """`AppointmentRepository`, and the booking of a new order (`_book`)."""

    sql: ClassVar[AppointmentQueries]

    async def booked(self, address_id: str, first: date, last: date) -> dict[str, int]:
        rows = await self._fetchall(self.sql.booked_at_address, (address_id, first.isoformat(), last.isoformat()))
        return {slot: int(count) for slot, count in rows}

    async def _book(self, db: Connection, booking: Booking, owner: str, order: Order) -> None:
        """Take a seat of the booking's slot for `order`, inside the transaction placing it;
        AppointmentRefused (the transaction then rolls back) when the slot has none left."""
        row = (
            booking.address_id,
            booking.day.isoformat(),
            owner,
            order.id,
            order.cartId,
            self._time(order.submissionDate),
        )
        # Each round that finds its seat taken lost it to a booking committed meanwhile:
        # after `capacity` of those, none is left.
        for _ in range(booking.capacity + 1):
            taken = {seat for (seat,) in await db.fetchall(self.sql.seats_of_slot, (booking.slot_id,))}
            free = next((seat for seat in range(1, booking.capacity + 1) if seat not in taken), None)
            if free is None:
                break
            if await db.execute(self.sql.insert_booking, (booking.slot_id, free, *row)):
                return
        raise AppointmentRefused(booking.slot_id, "the slot is full: every appointment it takes is booked")
