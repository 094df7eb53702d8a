"""Quotas per partner count bounded ranges of an index: a partner's draft carts by
(owner, state), a partner's live Idempotency-Keys by (owner, expires_at). Hubs are
counted by the existing hubs_owner index.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (owner, state) alone, too: PostgreSQL's generic plan of the bounded count does not
    # pick 0006's wider (owner, state, updated_at) index over a scan.
    op.create_index("carts_owner_state", "carts", ["owner", "state"])
    op.create_index("idempotency_keys_owner_expires", "idempotency_keys", ["owner", "expires_at"])


def downgrade() -> None:
    op.drop_index("idempotency_keys_owner_expires", "idempotency_keys")
    op.drop_index("carts_owner_state", "carts")
