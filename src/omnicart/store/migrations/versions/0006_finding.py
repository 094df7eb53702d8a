"""Finding things (issue 10 point 3): carts get the customer party's id as an indexed
column (`customer_id`, backfilled from the documents), and indexes serve the filtered
cart listings (by state, by customer) in their order.

Orders need none: `cart_id` and `customer_order_id` are unique (indexed) already, and
(owner, state) and (owner, created_at) serve the state and date filters.

Revision ID: 0006
Revises: 0005
"""

from typing import Any

import msgspec
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500


def customer_of(doc: dict[str, Any]) -> str | None:
    # The same rule as omnicart.domain.cart.customer_id, on the stored JSON.
    for party in doc.get("relatedParty") or []:
        if isinstance(party, dict) and str(party.get("role", "")).lower() == "customer" and party.get("id"):
            return str(party["id"])
    return None


def upgrade() -> None:
    op.add_column("carts", sa.Column("customer_id", sa.Text, nullable=True))
    bind = op.get_bind()
    after = ""
    while True:
        rows = bind.execute(
            sa.text(f"SELECT id, doc FROM carts WHERE id > :after ORDER BY id LIMIT {BATCH}"), {"after": after}
        ).fetchall()
        if not rows:
            break
        changed = []
        for row_id, doc in rows:
            text = doc if isinstance(doc, str | bytes) else msgspec.json.encode(doc)
            customer = customer_of(msgspec.json.decode(text))
            if customer is not None:
                changed.append({"id": row_id, "customer": customer})
        if changed:
            bind.execute(sa.text("UPDATE carts SET customer_id = :customer WHERE id = :id"), changed)
        after = rows[-1][0]
    op.create_index("carts_owner_customer_updated", "carts", ["owner", "customer_id", "updated_at"])
    op.create_index("carts_owner_state_updated", "carts", ["owner", "state", "updated_at"])


def downgrade() -> None:
    op.drop_index("carts_owner_state_updated", "carts")
    op.drop_index("carts_owner_customer_updated", "carts")
    op.drop_column("carts", "customer_id")
