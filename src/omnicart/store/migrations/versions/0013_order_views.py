"""Orders keep their wire document (issue 23, item 5): `view` holds the order as the API
answers it, without `href` (domain/representation.py `order_document(order, None)`),
written with `doc` by every change of the order, so a page of orders is read and sent as
stored instead of decoding and rendering each order (~55 µs an order, most of a page's
CPU). Filled in here for the orders already stored, rendered by the service's own code;
the store renders an order whose `view` is still empty (a row written by another tool).
On PostgreSQL the column is compressed with lz4, as the documents are (0008).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 500


def _backfill() -> None:
    from omnicart.domain.representation import order_document
    from omnicart.store.documents import load_order

    bind = op.get_bind()
    after = ""
    while True:
        rows = bind.execute(
            sa.text(f"SELECT id, doc FROM orders WHERE id > :after ORDER BY id LIMIT {BATCH}"), {"after": after}
        ).fetchall()
        if not rows:
            return
        views = [{"id": order_id, "view": order_document(load_order(doc), None).decode()} for order_id, doc in rows]
        bind.execute(sa.text("UPDATE orders SET view = :view WHERE id = :id"), views)
        after = rows[-1][0]


def upgrade() -> None:
    op.add_column("orders", sa.Column("view", sa.Text, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE orders ALTER COLUMN view SET COMPRESSION lz4")
    _backfill()


def downgrade() -> None:
    op.drop_column("orders", "view")
