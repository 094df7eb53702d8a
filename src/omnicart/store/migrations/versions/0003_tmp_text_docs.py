"""TEMPORARY (replaced by the store branch): documents as text on PostgreSQL.

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("carts", "doc", type_=sa.Text, postgresql_using="doc::text")
        op.alter_column("orders", "doc", type_=sa.Text, postgresql_using="doc::text")


def downgrade() -> None:
    pass
