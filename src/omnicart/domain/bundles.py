"""Bundles are trees of one level: a bundle's root names no root (or names itself), and
every other item of the bundle names its root in rootBundleProductOrderItemId. An item
rooted in an item that is itself rooted elsewhere — a chain, or a cycle (A in B, B in A) —
has no bundle, so a change that makes one is refused, naming the items (issue 21).

A root the cart does not hold is not refused here: the cart stays a draft with the
validation message ROOT_BUNDLE_NOT_FOUND (domain/rules.py), as the carrier's cart does."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from omnicart.domain.errors import BundleNotATree
from omnicart.wire.items import ProductOrderItem


def _root_of(item: ProductOrderItem) -> str | None:
    """The item another one of its bundle names as root; None for a root."""
    root = item.rootBundleProductOrderItemId
    return root if root and root != item.productOrderItemId else None


def check_bundles(items: Sequence[ProductOrderItem], changed: Collection[str]) -> None:
    """Refuse the cart's `items` if an item whose bundle root is no root involves an item
    of `changed` (the ids a change added or replaced), as the member or as its root: a
    cart stored before this rule can still be changed elsewhere."""
    roots = {item.productOrderItemId: _root_of(item) for item in items}
    wrong = []
    for item in items:
        member, root = item.productOrderItemId, _root_of(item)
        if root is None or root not in roots:
            continue
        beyond = roots[root]
        if beyond is not None and (member in changed or root in changed):
            wrong.append((member, root, beyond))
    if wrong:
        raise BundleNotATree(wrong)
