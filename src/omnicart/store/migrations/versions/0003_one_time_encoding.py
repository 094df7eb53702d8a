"""One timestamp encoding on SQLite, documents as text on PostgreSQL, indexes for every
per-owner listing.

- SQLite: every timestamp column of every table becomes integer microseconds since the
  Unix epoch (see `omnicart.store.documents`). Rows written before held ISO text in two
  formats (`…T12:00:00.123000+00:00` and `datetime.isoformat()`, whose width and offset
  vary); both are converted.
- PostgreSQL: `carts.doc` and `orders.doc` become `text`, like `outbox.payload`, so a
  document reads back byte for byte as written (JSONB reorders keys and adds spaces).
  Documents stored before keep JSONB's rendering until their next change.
- Both: listings read an index in their order: carts by (owner, updated_at DESC, id),
  orders by (owner, created_at DESC, id DESC) and (owner, state, created_at DESC, id DESC)
  (SQLite without the id), due deliveries from a partial index of the undelivered ones.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMESTAMPS = {
    "carts": ("created_at", "updated_at"),
    "idempotency_keys": ("created_at", "expires_at"),
    "api_keys": ("created_at", "revoked_at"),
    "orders": ("created_at", "updated_at", "next_step_at"),
    "outbox": ("created_at",),
    "hubs": ("created_at",),
    "deliveries": ("next_attempt_at", "delivered_at", "gave_up_at"),
}

# This revision's own copy of the encoding (a migration must not change when the code does).
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _to_micros(text: str) -> int:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def _to_text(micros: int) -> str:
    return (_EPOCH + _MICROSECOND * micros).isoformat(timespec="microseconds")


def _convert_sqlite_timestamps(function: str, convert: Callable[[Any], Any], kind: str) -> None:
    bind = op.get_bind()
    driver: Any = bind.connection.driver_connection
    driver.create_function(function, 1, convert, deterministic=True)
    for table, columns in TIMESTAMPS.items():
        for column in columns:
            bind.exec_driver_sql(
                f"UPDATE {table} SET {column} = {function}({column}) WHERE typeof({column}) = '{kind}'"
            )


# (name, table, columns, where). Listings end with a tie-breaker column on PostgreSQL only,
# so its index holds their exact order; on SQLite the wider entry would cost every insert
# ~3 µs, and the rare tie is sorted on the fly.
LISTINGS: list[tuple[str, str, list[Any], Any]] = [
    ("carts_owner_recent", "carts", ["owner", sa.text("updated_at DESC")], "id"),
    ("orders_owner_recent", "orders", ["owner", sa.text("created_at DESC")], sa.text("id DESC")),
    ("orders_owner_state_recent", "orders", ["owner", "state", sa.text("created_at DESC")], sa.text("id DESC")),
    ("hubs_owner_created", "hubs", ["owner", "created_at"], "id"),
    ("api_keys_partner_created", "api_keys", ["partner", "created_at"], "id"),
]
INDEXES = [
    ("deliveries_undelivered_due", "deliveries", ["next_attempt_at"], "delivered_at IS NULL AND gave_up_at IS NULL"),
    ("deliveries_delivered", "deliveries", ["delivered_at"], "delivered_at IS NOT NULL"),
    ("deliveries_gave_up", "deliveries", ["gave_up_at"], "gave_up_at IS NOT NULL"),
    ("deliveries_hub_pending", "deliveries", ["hub_id"], "delivered_at IS NULL"),
]
# What the new indexes cover.
REPLACED = [
    ("carts_owner_updated", "carts", ["owner", "updated_at"]),
    ("orders_owner_created", "orders", ["owner", "created_at"]),
    ("orders_owner_state", "orders", ["owner", "state"]),
    ("deliveries_due", "deliveries", ["delivered_at", "next_attempt_at"]),
    ("hubs_owner", "hubs", ["owner"]),
    ("api_keys_partner", "api_keys", ["partner"]),
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _convert_sqlite_timestamps("omnicart_micros", _to_micros, "text")
    else:
        for table in ("carts", "orders"):
            op.alter_column(table, "doc", type_=sa.Text, postgresql_using="doc::text")
    for name, table, columns, tie_breaker in LISTINGS:
        op.create_index(name, table, columns if sqlite else [*columns, tie_breaker])
    for name, table, columns, where in INDEXES:
        condition = sa.text(where) if where else None
        op.create_index(name, table, columns, postgresql_where=condition, sqlite_where=condition)
    for name, table, _ in REPLACED:
        op.drop_index(name, table)


def downgrade() -> None:
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns)
    for name, table, *_ in LISTINGS + INDEXES:
        op.drop_index(name, table)
    if op.get_bind().dialect.name == "sqlite":
        _convert_sqlite_timestamps("omnicart_iso", _to_text, "integer")
    else:
        for table in ("carts", "orders"):
            op.alter_column(table, "doc", type_=postgresql.JSONB, postgresql_using="doc::jsonb")
