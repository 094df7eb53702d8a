"""Event delivery: which outbox events have been fanned out to the hubs, and deliveries
that were given up.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Events start un-fanned; the dispatcher turns each into one delivery per matching hub.
    op.add_column("outbox", sa.Column("fanned_out", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index(
        "outbox_pending",
        "outbox",
        ["id"],
        postgresql_where=sa.text("NOT fanned_out"),
        sqlite_where=sa.text("NOT fanned_out"),
    )
    op.create_index("outbox_created", "outbox", ["created_at"])
    op.add_column("deliveries", sa.Column("gave_up_at", Timestamp))
    if op.get_bind().dialect.name == "postgresql":
        # Delivered byte for byte as written (signed as such), and never queried inside:
        # text spares the JSONB parse on every change and keeps the envelope's key order.
        op.alter_column("outbox", "payload", type_=sa.Text, postgresql_using="payload::text")
    op.create_index("carts_state_updated", "carts", ["state", "updated_at"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("outbox", "payload", type_=postgresql.JSONB, postgresql_using="payload::jsonb")
    op.drop_index("carts_state_updated", "carts")
    op.drop_column("deliveries", "gave_up_at")
    op.drop_index("outbox_created", "outbox")
    op.drop_index("outbox_pending", "outbox")
    op.drop_column("outbox", "fanned_out")
