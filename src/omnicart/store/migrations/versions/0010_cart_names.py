"""A cart's second name: the carrier's older "order" flavour (BYOD `order/create`, the
direct-fulfilment `order/{orderId}/…` calls) names a cart by a customer order id
(`26-46236265737394`) instead of its UUID. `carts.customer_order_id` holds it, unique like
`orders.customer_order_id` (the order a named cart becomes keeps the name); carts created
by `POST /v1/carts` have none until they are submitted.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("carts", sa.Column("customer_order_id", sa.Text, nullable=True))
    # Unique where set (NULLs never clash, on both databases): a look-up by name is one
    # index probe, and a name drawn twice is refused (DuplicateCustomerOrderId).
    op.create_index("carts_customer_order_id", "carts", ["customer_order_id"], unique=True)


def downgrade() -> None:
    op.drop_index("carts_customer_order_id", "carts")
    with op.batch_alter_table("carts") as batch:
        batch.drop_column("customer_order_id")
