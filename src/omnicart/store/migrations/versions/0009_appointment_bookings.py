"""Technician appointments booked with orders: one row per seat taken of a slot, the
slot's seats numbered 1 to its capacity, so the primary key (slot_id, seat) is what keeps
two orders off the last seat (store/appointments.py). `day` is the slot's day as
`YYYY-MM-DD` text, which sorts as days do in both databases: checkout counts an address's
bookings over the days it offers by (address_id, day). One appointment per order.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointment_bookings",
        sa.Column("slot_id", sa.Text, primary_key=True),
        sa.Column("seat", sa.Integer, primary_key=True),
        sa.Column("address_id", sa.Text, nullable=False),
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("order_id", sa.Text, nullable=False, unique=True),
        sa.Column("cart_id", sa.Text, nullable=False),
        # Microseconds since the epoch on SQLite, as every timestamp there (store/documents.py).
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("appointment_bookings_address_day", "appointment_bookings", ["address_id", "day"])


def downgrade() -> None:
    op.drop_index("appointment_bookings_address_day", "appointment_bookings")
    op.drop_table("appointment_bookings")
