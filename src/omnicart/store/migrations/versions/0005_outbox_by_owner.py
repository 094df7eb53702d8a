"""The console lists a partner's events newest first: an index on (owner, id).

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("outbox_owner_id", "outbox", ["owner", "id"])


def downgrade() -> None:
    op.drop_index("outbox_owner_id", "outbox")
