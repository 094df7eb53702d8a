"""SQLite's listing indexes hold the pages' whole order, tie-breaker id included, as
PostgreSQL's do (issue 23, item 5): a page of carts or orders is read in its order from
the index. Without the id SQLite sorts each run of equal times on the fly ("USE TEMP
B-TREE FOR RIGHT PART OF ORDER BY"): a third of the SQLite time of a page of 20 carts
(33 µs against 21 µs; BENCHMARKS.md, issue 23 third session), where the wider entry
costs a write ~3 µs (migration 0003 had made the other choice). The indexes of a filter
(a state, a customer) follow the page's order too, so SQLite reads a filtered page from
the filter's own range. PostgreSQL's indexes are left as they are.

Revision ID: 0015
Revises: 0014
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

RECENT, NEWEST = sa.text("updated_at DESC"), sa.text("created_at DESC")
# (name, table, columns before, columns after): the indexes the API's pages are read from
# (store/findings.py; carts: lastUpdate newest first, then id; orders: newest first, then
# id descending), of 0003, 0006 and 0011.
INDEXES: list[tuple[str, str, list[Any], list[Any]]] = [
    ("carts_owner_recent", "carts", ["owner", RECENT], ["owner", RECENT, "id"]),
    ("carts_owner_state_updated", "carts", ["owner", "state", "updated_at"], ["owner", "state", RECENT, "id"]),
    (
        "carts_owner_customer_updated",
        "carts",
        ["owner", "customer_id", "updated_at"],
        ["owner", "customer_id", RECENT, "id"],
    ),
    ("orders_owner_recent", "orders", ["owner", NEWEST], ["owner", NEWEST, sa.text("id DESC")]),
    (
        "orders_owner_state_recent",
        "orders",
        ["owner", "state", NEWEST],
        ["owner", "state", NEWEST, sa.text("id DESC")],
    ),
    (
        "orders_owner_line_recent",
        "orders",
        ["owner", "line_of_business", NEWEST],
        ["owner", "line_of_business", NEWEST, sa.text("id DESC")],
    ),
]


def _rebuild(upgrading: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, table, before, after in INDEXES:
        op.drop_index(name, table)
        op.create_index(name, table, after if upgrading else before)


def upgrade() -> None:
    _rebuild(upgrading=True)


def downgrade() -> None:
    _rebuild(upgrading=False)
