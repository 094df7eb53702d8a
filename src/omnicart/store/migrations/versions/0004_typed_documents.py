"""Cart and order documents in the typed shape (issue 9): the cart's stored document is its
wire document (without `href`), unknown fields kept under each object's reserved `extra`
key, timestamps in the carrier's text.

Documents written before held the partner's objects as they were sent, the cart's owner,
top-level and item unknown fields under "extra", and msgspec's own timestamp text. Each
is rewritten once; documents already in the new shape (no "owner" key) are left alone.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 500


def _stamp(value: str) -> str:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"


def _wire_cart(old: dict[str, Any]) -> dict[str, Any]:
    """An old cart document as the partner's JSON: unknown fields back where they were sent."""
    cart = {key: value for key, value in old.items() if key not in ("owner", "extra")}
    cart.update(old.get("extra") or {})
    for name in ("creationDate", "lastUpdate"):
        cart[name] = _stamp(cart[name])
    items = []
    for old_item in cart.get("productOrderItem", []):
        item = {key: value for key, value in old_item.items() if key != "extra"}
        item.update(old_item.get("extra") or {})
        items.append(item)
    cart["productOrderItem"] = items
    return cart


def new_cart_document(old: dict[str, Any]) -> Any:
    # The typed structs and the one function that sets unknown fields aside are the
    # service's own: the shape written here is by definition the one it reads.
    from omnicart.domain.cart import Cart
    from omnicart.wire.decoding import convert

    return convert(_wire_cart(old), Cart, answer=True)


def new_order_document(old: dict[str, Any]) -> Any:
    from omnicart.wire.decoding import convert
    from omnicart.wire.orders import Submission

    order = dict(old)
    order["cart"] = msgspec.to_builtins(new_cart_document(old["cart"]))
    order["submission"] = msgspec.to_builtins(convert(dict(old.get("submission") or {}), Submission))
    return order


def _rows(table: str) -> Iterator[list[tuple[str, str]]]:
    bind = op.get_bind()
    after = ""
    while True:
        rows = bind.execute(
            sa.text(f"SELECT id, doc FROM {table} WHERE id > :after ORDER BY id LIMIT {BATCH}"), {"after": after}
        ).fetchall()
        if not rows:
            return
        yield [(row[0], row[1]) for row in rows]
        after = rows[-1][0]


def _old_cart(cart: dict[str, Any]) -> bool:
    return "owner" in cart  # the typed document keeps the owner beside it, never inside


def _rewrite(table: str, convert: Any, is_old: Any) -> None:
    bind = op.get_bind()
    for rows in _rows(table):
        changed = []
        for row_id, doc in rows:
            old = msgspec.json.decode(doc)
            if is_old(old):
                changed.append({"id": row_id, "doc": msgspec.json.encode(convert(old)).decode()})
        if changed:
            bind.execute(sa.text(f"UPDATE {table} SET doc = :doc WHERE id = :id"), changed)


def upgrade() -> None:
    _rewrite("carts", new_cart_document, _old_cart)
    _rewrite("orders", new_order_document, lambda order: _old_cart(order["cart"]))


def downgrade() -> None:
    # Nothing to undo in the schema; documents stay in the typed shape, which the code of
    # revision 0003 cannot read: downgrading the data means restoring a backup.
    pass
