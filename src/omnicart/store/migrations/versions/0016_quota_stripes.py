"""A partner's use of a quota spread over stripes (store/quotas.py): `quota_usage` is keyed
by owner, kind and stripe, and each stripe holds its share of the quota in force. The
table only holds counters that are counted again when missing, so it is made anew: each
partner is counted exactly on its next write, as a partner without a row always was.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("quota_usage")
    op.create_table(
        "quota_usage",
        sa.Column("owner", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("stripe", sa.Integer, primary_key=True),
        sa.Column("used", sa.Integer, nullable=False),
        sa.Column("share", sa.Integer, nullable=False),
        sa.Column("quota", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quota_usage")
    op.create_table(
        "quota_usage",
        sa.Column("owner", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("used", sa.Integer, nullable=False),
    )
