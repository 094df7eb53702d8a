"""Pricing and validating a cart again after a change, item by item.

Every change re-prices and re-validates the whole cart (an offering may have expired since
the last one), but on a large cart one change touches one item: the other items' prices,
messages and encodings are what they were. `assess` gives exactly what `price_cart` and
`validate_cart` give, and recomputes only what a change can have changed:

- what an item is on its own (its offering, price lines, type on its line, whether it is
  due today, what terms it needs, its encoding) is worked out once per item and kept in
  the cart's `CartMemo`;
- its messages depend on the item and on a few facts of the cart around it, its
  *context*: whether its bundle root is in the cart, whether its offering can be sold
  here and now, whether its bundle has a device, which plan its line keeps. The context is
  worked out at every call, from the facts kept (and the clock: an offering's validity is
  asked at every call, so time never makes a kept message stale); the messages are made
  again only when it differs from the one they were made in;
- the cart-level results (totals, cart messages, terms, configuration) are summed again
  from the items' kept facts.

Items are known by identity: a cart's items are values, never changed in place once the
cart holds them (a change replaces an item, as `Cart.replace_item`; the only
assignment, `itemPrice`, is the output made here). A memo belongs to one cart object and
is dropped with it: a cart read anew from the store starts with an empty one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import PROTECTION, Catalog, ProductOffering, orders_offering
from omnicart.domain.checkout import ordered_kind, terms_of
from omnicart.domain.pricing import ONE_TIME, PriceLines, TaxTable, item_lines, totals
from omnicart.domain.rules import (
    DEVICE,
    PLAN,
    CartLimits,
    _Cart,
    _customer_type,
    _type,
    cart_messages,
    is_due_today,
    item_messages,
    line_role,
    validation,
)
from omnicart.wire.cart import Price, ProductOrderItem, ValidationMessage

__all__ = ["CartMemo", "assess"]

_encode = msgspec.json.Encoder().encode

# An item's context: (its root is in the cart, why its offering cannot be sold (None:
# it can, or the item sells nothing), its bundle has a device (protection only), the plan
# its line keeps (plans only)).
Context = tuple[bool, str | None, bool, str | None]


class _Item:
    """What one item comes to, apart from the cart around it."""

    __slots__ = (
        "bundle",
        "cents",
        "context",
        "due_today",
        "fragment",
        "id",
        "item",
        "messages",
        "offering",
        "ordered",
        "prices",
        "protection",
        "role",
        "root",
        "sellable",
    )

    def __init__(self, item: ProductOrderItem, catalog: Catalog, taxes: TaxTable, lines_memo: dict[Any, PriceLines]):
        self.item = item  # held, so that its id() names no other object while it is kept
        offering = catalog.get(item.offering_id)
        self.offering = offering
        self.id = item.productOrderItemId
        self.bundle = item.bundle_root
        self.root = item.rootBundleProductOrderItemId or None
        self.role = line_role(item, offering)
        lines = item_lines(item, catalog, taxes, lines_memo)
        self.prices: list[Price] = [price for *_, price in lines]
        cents = [0, 0, 0, 0]  # one-time net, gross; recurring net, gross
        for kind, net, gross, _ in lines:
            at = 0 if kind == ONE_TIME else 2
            cents[at] += net
            cents[at + 1] += gross
        self.cents = tuple(cents)
        self.due_today = is_due_today(item, offering)
        self.ordered = ordered_kind(item, catalog)
        self.sellable: ProductOffering | None = offering if orders_offering(item) else None
        self.protection = _type(item, offering) == PROTECTION and orders_offering(item)
        self.context: Context | None = None
        self.messages: list[ValidationMessage] = []
        self.fragment: bytes | None = None


class CartMemo:
    """What one cart's items came to at its last assessment, by item identity."""

    def __init__(self) -> None:
        self._items: dict[int, _Item] = {}
        self._basis: tuple[Catalog, TaxTable, CartLimits, bool] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def _entries(
        self,
        items: list[ProductOrderItem],
        basis: tuple[Catalog, TaxTable, CartLimits, bool],
        lines_memo: dict[Any, PriceLines],
    ) -> list[_Item]:
        if self._basis is None or not _same_basis(self._basis, basis):
            self._items.clear()
            self._basis = basis
        kept = self._items
        catalog, taxes = basis[0], basis[1]
        entries = []
        for item in items:
            entry = kept.get(id(item))
            if entry is None or entry.item is not item:
                entry = kept[id(item)] = _Item(item, catalog, taxes, lines_memo)
            entries.append(entry)
        if len(kept) > len(entries) + 16:  # items removed since: forget them
            self._items = {id(entry.item): entry for entry in entries}
        return entries

    def fragments(self, items: list[ProductOrderItem]) -> list[bytes]:
        """Each item's JSON, encoded once per item and then kept."""
        found = []
        kept = self._items
        for item in items:
            entry = kept.get(id(item))
            if entry is None or entry.item is not item or item.itemPrice is not entry.prices:
                found.append(_encode(item))  # not (or not as) assessed here: encode, keep nothing
                continue
            if entry.fragment is None:
                entry.fragment = _encode(item)
            found.append(entry.fragment)
        return found


def _same_basis(
    kept: tuple[Catalog, TaxTable, CartLimits, bool], basis: tuple[Catalog, TaxTable, CartLimits, bool]
) -> bool:
    return kept[0] is basis[0] and kept[1] is basis[1] and kept[2] == basis[2] and kept[3] == basis[3]


def assess(
    order: Cart,
    catalog: Catalog,
    taxes: TaxTable,
    at: datetime,
    limits: CartLimits,
    memo: CartMemo,
    *,
    protection_ineligible: bool = False,
    lines_memo: dict[Any, PriceLines] | None = None,
) -> None:
    """Set every item's `itemPrice`, the cart's `orderTotalPrice` and its `validation`, as
    `price_cart` then `validate_cart` would, reusing what `memo` kept of this cart."""
    items = order.productOrderItem
    entries = memo._entries(
        items, (catalog, taxes, limits, protection_ineligible), {} if lines_memo is None else lines_memo
    )

    item_ids = {entry.id for entry in entries}
    devices = {entry.bundle for entry in entries if entry.role == DEVICE}
    first_plan: dict[str, str] = {}
    for entry in entries:
        if entry.role == PLAN:
            first_plan.setdefault(entry.bundle, entry.id)
    cart = _Cart(
        catalog,
        at,
        limits,
        protection_ineligible,
        order.channel.id,
        _customer_type(order),
        item_ids,
        devices,
        first_plan,
    )

    messages = cart_messages(len(items), limits)
    for item, entry in zip(items, entries, strict=True):
        if item.itemPrice is not entry.prices:
            item.itemPrice = entry.prices
        context = (
            entry.root is None or entry.root in item_ids,
            None if entry.sellable is None else cart.unsellable_reason(entry.sellable),
            entry.protection and entry.bundle in devices,
            first_plan[entry.bundle] if entry.role == PLAN else None,
        )
        if context != entry.context:
            entry.messages = item_messages(item, entry.offering, cart)
            entry.context = context
        messages += entry.messages

    sums = [sum(column) for column in zip(*(entry.cents for entry in entries), strict=True)] or [0, 0, 0, 0]
    order.orderTotalPrice = totals({"NRC": sums[0], "RC": sums[2]}, {"NRC": sums[1], "RC": sums[3]}, catalog.currency)
    terms = terms_of(entry.ordered for entry in entries if entry.ordered is not None) if items else []
    due_today = any(entry.due_today for entry in entries)
    order.validation = validation(order, messages, terms, due_today)
