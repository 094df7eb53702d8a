"""PostgreSQL compresses the large documents (carts, events' snapshots, orders, idempotent
replies) with lz4 instead of its default pglz: a 200-item cart is ~130 KB, written twice
per change (the cart and its event), and pglz spent more CPU on those two values than
omnicart spent on the whole change (BENCHMARKS.md, "200-item writes"). Values already
stored keep their compression until rewritten. SQLite does not compress: nothing to do.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (("carts", "doc"), ("outbox", "payload"), ("orders", "doc"), ("idempotency_keys", "body"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION pglz")
