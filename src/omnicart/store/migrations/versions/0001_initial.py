"""Initial schema: carts, idempotency keys, credentials, orders, events and webhooks.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# JSONB where the database has it, so documents can be queried; text elsewhere.
Document = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "carts",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("doc", Document, nullable=False),
    )
    op.create_index("carts_owner_updated", "carts", ["owner", "updated_at"])

    op.create_table(
        "idempotency_keys",
        sa.Column("owner", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("headers", sa.Text),
        sa.Column("body", sa.LargeBinary),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("expires_at", Timestamp, nullable=False),
    )
    op.create_index("idempotency_keys_expires", "idempotency_keys", ["expires_at"])

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("partner", sa.Text, nullable=False),
        sa.Column("secret_hash", sa.Text, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("revoked_at", Timestamp),
    )
    op.create_index("api_keys_partner", "api_keys", ["partner"])

    op.create_table(
        "orders",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("cart_id", sa.Text, nullable=False, unique=True),
        sa.Column("customer_order_id", sa.Text, nullable=False, unique=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        # When the fulfilment simulator next changes the order; NULL when nothing is planned.
        sa.Column("next_step_at", Timestamp),
        sa.Column("doc", Document, nullable=False),
    )
    op.create_index("orders_owner_state", "orders", ["owner", "state"])
    op.create_index("orders_owner_created", "orders", ["owner", "created_at"])
    op.create_index("orders_next_step", "orders", ["next_step_at"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Text, nullable=False, unique=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("payload", Document, nullable=False),
    )

    op.create_table(
        "hubs",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("callback", sa.Text, nullable=False),
        sa.Column("query", sa.Text),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
    )
    op.create_index("hubs_owner", "hubs", ["owner"])

    op.create_table(
        "deliveries",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("hub_id", sa.Text, primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", Timestamp, nullable=False),
        sa.Column("delivered_at", Timestamp),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("deliveries_due", "deliveries", ["delivered_at", "next_attempt_at"])


def downgrade() -> None:
    for table in ("deliveries", "hubs", "outbox", "orders", "api_keys", "idempotency_keys", "carts"):
        op.drop_table(table)
