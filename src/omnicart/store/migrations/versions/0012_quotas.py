"""Quotas per partner taken atomically (issue 21; store/quotas.py): one row per partner and
kind of quota, moved on by a conditional increment in the transaction that writes what it
limits. Nothing to fill in: a partner without a row is counted exactly on its next write.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quota_usage",
        sa.Column("owner", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("used", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quota_usage")
