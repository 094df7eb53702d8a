"""Pricing and validating a cart again after a change, item by item.

Every change re-prices and re-validates the whole cart (an offering may have expired since
the last one), but on a large cart one change touches one item: the other items' prices,
messages and encodings are what they were. `assess` is `price_cart` then `validate_cart`,
given what the cart's `CartMemo` kept of each item:

- what an item is on its own (its `price_item`, its `ItemFacts` for the rules, its
  encoding) is worked out once per item and kept;
- its messages are kept with what the rules read of the cart around it
  (`CartContext.about`: whether its bundle root is in the cart, whether its offering can
  be sold here and now, whether its bundle has a device, which plan its line keeps, the
  limits). That is asked at every call (and the clock with it: time never makes a kept
  message stale); the messages are made again only when the answer differs;
- the cart-level results (totals, cart messages, terms, configuration) are summed again
  from the items' kept parts.

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
from omnicart.domain.catalog import Catalog
from omnicart.domain.context import CartLimits, ItemFacts
from omnicart.domain.pricing import PricedItem, PriceLines, TaxTable, price_cart, price_item
from omnicart.domain.rules import validate_cart
from omnicart.domain.world import Holdings
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.open import has_extra

__all__ = ["Assessor", "CartMemo", "assess"]

_encode = msgspec.json.Encoder().encode


class _Item:
    """What one item comes to, apart from the cart around it."""

    __slots__ = ("extra", "facts", "fragment", "item", "priced")

    def __init__(self, item: ProductOrderItem, catalog: Catalog, taxes: TaxTable, lines_memo: dict[Any, PriceLines]):
        self.item = item  # held, so that its id() names no other object while it is kept
        self.facts = ItemFacts(item, catalog)
        self.priced = price_item(item, catalog, taxes, lines_memo)
        self.fragment: bytes | None = None
        self.extra = False  # whether `fragment` holds unknown fields


class CartMemo:
    """What one cart's items came to at its last assessment, by item identity."""

    def __init__(self) -> None:
        self._items: dict[int, _Item] = {}
        self._basis: tuple[Catalog, TaxTable] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def _parts(
        self, items: list[ProductOrderItem], catalog: Catalog, taxes: TaxTable, lines_memo: dict[Any, PriceLines]
    ) -> tuple[list[PricedItem], list[ItemFacts]]:
        """Each item's `price_item` and `ItemFacts`, as kept or worked out now."""
        if self._basis is None or self._basis[0] is not catalog or self._basis[1] is not taxes:
            self._items.clear()
            self._basis = (catalog, taxes)
        kept = self._items
        priced = []
        facts = []
        for item in items:
            entry = kept.get(id(item))
            if entry is None or entry.item is not item:
                entry = kept[id(item)] = _Item(item, catalog, taxes, lines_memo)
            priced.append(entry.priced)
            facts.append(entry.facts)
        if len(kept) > len(items) + 16:  # items removed since: forget them
            self._items = {id(item): kept[id(item)] for item in items}
        return priced, facts

    def fragments(self, items: list[ProductOrderItem]) -> tuple[list[bytes], bool]:
        """Each item's JSON, encoded once per item and then kept, and whether any of them
        holds unknown fields (`has_extra`, also worked out once per item)."""
        found = []
        extra = False
        kept = self._items
        for item in items:
            entry = kept.get(id(item))
            if entry is None or entry.item is not item or item.itemPrice is not entry.priced[0]:
                fragment = _encode(item)  # not (or not as) assessed here: encode, keep nothing
                extra = extra or has_extra(fragment)
                found.append(fragment)
                continue
            if entry.fragment is None:
                entry.fragment = _encode(item)
                entry.extra = has_extra(entry.fragment)
            extra = extra or entry.extra
            found.append(entry.fragment)
        return found, extra


def assess(
    order: Cart,
    catalog: Catalog,
    taxes: TaxTable,
    at: datetime,
    limits: CartLimits,
    memo: CartMemo,
    *,
    protection_ineligible: bool = False,
    holdings: Holdings | None = None,
    lines_memo: dict[Any, PriceLines] | None = None,
) -> None:
    """Set every item's `itemPrice`, the cart's `orderTotalPrice` and its `validation`:
    `price_cart` then `validate_cart`, with each item's part as `memo` kept it."""
    priced, facts = memo._parts(order.productOrderItem, catalog, taxes, {} if lines_memo is None else lines_memo)
    price_cart(order, catalog, taxes, priced=priced)
    order.validation = validate_cart(
        order, catalog, at, limits, protection_ineligible=protection_ineligible, facts=facts, holdings=holdings
    )


class Assessor:
    """`assess` with what one service prices and validates against: its catalog, tax
    table and limits, and the price lines it worked out before (an offering at a quantity
    costs the same in every cart). Every change, checkout and express submit call it, as
    an offering may have expired since the cart was last assessed."""

    def __init__(self, catalog: Catalog, taxes: TaxTable, limits: CartLimits) -> None:
        self.catalog = catalog
        self.taxes = taxes
        self.limits = limits
        self._lines: dict[Any, PriceLines] = {}

    def __call__(
        self,
        cart: Cart,
        at: datetime,
        *,
        memo: CartMemo | None = None,
        protection_ineligible: bool = False,
        holdings: Holdings | None = None,
    ) -> None:
        """Prices and validation as of `at`; `protection_ineligible` is the carrier's device
        check (a sandbox scenario), `holdings` what the cart's customer has (when the
        customer directory knows them). With the cart's `memo`, only what a change can
        have changed is worked out again."""
        assess(
            cart,
            self.catalog,
            self.taxes,
            at,
            self.limits,
            CartMemo() if memo is None else memo,
            protection_ineligible=protection_ineligible,
            holdings=holdings,
            lines_memo=self._lines,
        )
