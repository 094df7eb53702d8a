"""The orders query (issue 19, GraphQL `getOrders`) filters orders by line of business and by
a billing account their items name (domain/order_keys.py): orders get a `line_of_business`
column, served in the listing's order by an index of its own, and a side table
`order_accounts` (an order names any number of accounts) whose key finds an owner's orders
of one account. Both are filled in for the orders already stored, from their documents,
with the catalog the service runs with (OMNICART_CATALOG, else the packaged one); the
documents themselves are left as they are.

Revision ID: 0011
Revises: 0010
"""

import os
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BATCH = 500


def _catalog() -> Any:
    # The service's own decoding and rules: what is written here is by definition what it
    # would write for these orders today.
    from omnicart.domain.catalog import load_catalog, load_default_catalog

    path = os.environ.get("OMNICART_CATALOG")
    return load_catalog(path) if path else load_default_catalog()


def _backfill() -> None:
    from omnicart.domain.order_keys import billing_accounts, line_of_business
    from omnicart.store.documents import load_order

    catalog = _catalog()
    bind = op.get_bind()
    after = ""
    while True:
        rows = bind.execute(
            sa.text(f"SELECT id, owner, doc FROM orders WHERE id > :after ORDER BY id LIMIT {BATCH}"), {"after": after}
        ).fetchall()
        if not rows:
            return
        lines, accounts = [], []
        for order_id, owner, doc in rows:
            order = load_order(doc)
            lines.append({"id": order_id, "line": order.lineOfBusiness or line_of_business(order.cart, catalog)})
            accounts += [{"owner": owner, "number": n, "id": order_id} for n in billing_accounts(order.cart)]
        bind.execute(sa.text("UPDATE orders SET line_of_business = :line WHERE id = :id"), lines)
        if accounts:
            bind.execute(
                sa.text("INSERT INTO order_accounts (owner, account_number, order_id) VALUES (:owner, :number, :id)"),
                accounts,
            )
        after = rows[-1][0]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("orders", sa.Column("line_of_business", sa.Text, nullable=True))
    op.create_table(
        "order_accounts",
        sa.Column("owner", sa.Text, primary_key=True),
        sa.Column("account_number", sa.Text, primary_key=True),
        sa.Column("order_id", sa.Text, primary_key=True),
    )
    _backfill()
    # As the other listings (0003): the tie-breaker id in the index on PostgreSQL only.
    columns: list[Any] = ["owner", "line_of_business", sa.text("created_at DESC")]
    op.create_index("orders_owner_line_recent", "orders", columns if sqlite else [*columns, sa.text("id DESC")])


def downgrade() -> None:
    op.drop_index("orders_owner_line_recent", "orders")
    op.drop_table("order_accounts")
    op.drop_column("orders", "line_of_business")
