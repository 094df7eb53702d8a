"""What a validation rule knows: the facts of one item (`ItemFacts`, worked out once per
item and kept between changes by domain/assessment.py) and of the cart around it
(`CartContext`, built once per validation by `CartContext.of`). The rules themselves are
domain/rules.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import (
    DEVICE,
    ENDING_ACTIONS,
    PLAN,
    PROTECTION,
    Catalog,
    ProductOffering,
    is_byod,
    kind_of,
    offering_type,
    orders_offering,
)
from omnicart.domain.checkout import ordered_kind
from omnicart.domain.pricing import ONE_TIME, is_charged
from omnicart.domain.world import Holdings
from omnicart.wire.cart import ValidationMessage
from omnicart.wire.items import ProductOrderItem


@dataclass(frozen=True)
class CartLimits:
    max_items: int = 200
    max_quantity: int = 10


# What the item rules read of the cart about one item (`CartContext.about`).
Seen = tuple[int, bool, str | None, bool, bool, str | None, str | None, str | None]

# A bundle root with one of these actions acts on an existing line and keeps it: the line
# (its `subscriberNumber`) is what the items of its bundle swap, keep or end products of.
KEEPS_LINE = frozenset({"noChange", "modify"})


class ItemFacts:
    """One item as the rules see it, apart from the cart around it: its catalog offering
    and type, its role on its line, what it orders and whether something of it is due
    today. Worked out once per item: an item is a value (a change replaces it, never edits
    it in place), so facts kept from an earlier validation of the same item
    (domain/assessment.py) still hold. With them go the item's last messages and what the
    rules read of the cart when they were made (`CartContext.about`): a kept item is
    checked again only when that changed."""

    __slots__ = (
        "_due_today",
        "bundle",
        "byod",
        "id",
        "item",
        "kind",
        "messages",
        "offering",
        "ordered",
        "orders",
        "protection",
        "role",
        "root",
        "seen",
    )

    def __init__(self, item: ProductOrderItem, catalog: Catalog) -> None:
        offering = catalog.get(item.offering_id)
        self.item = item
        self.offering = offering
        self.id = item.productOrderItemId
        self.bundle = item.bundle_root
        self.root = item.rootBundleProductOrderItemId or None
        self.kind = offering_type(item, offering)
        self.orders = orders_offering(item)
        self.byod = is_byod(item)  # the customer's own device: its offering names the model, nothing is sold
        self.protection = self.kind == PROTECTION and self.orders
        # The bundle rules count a line's device and plans; an ended item leaves the line.
        role = kind_of(self.kind)
        self.role = role if role in (DEVICE, PLAN) and item.action not in ENDING_ACTIONS else None
        self.ordered = ordered_kind(item, offering)
        self.seen: Seen | None = None
        self.messages: list[ValidationMessage] = []
        self._due_today: bool | None = None

    @property
    def due_today(self) -> bool:
        """Whether the item charges something one-time (payment is then a required step).
        Worked out when first asked: a validation asks only until one item says yes."""
        if self._due_today is None:
            offering = self.offering
            self._due_today = bool(
                offering
                and is_charged(self.item)
                and any(p.priceType == ONE_TIME and p.amount > 0 for p in offering.prices)
            )
        return self._due_today


class CartContext:
    """What a rule knows of the cart beyond the item it checks: the catalog, the moment and
    the limits it checks against, whether the carrier found protection ineligible (a
    sandbox scenario), the cart's channel and customer type (for an offering's
    sellability), its item ids, the lines (bundles) that have a device and the plan each
    line keeps (the first in cart order), the existing line each bundle acts on (`line_of`:
    bundle root id -> subscriberNumber, for a root that keeps a line, `KEEPS_LINE`), and
    what the cart's customer holds when the customer directory knows them (`holdings`).
    Built once per validation, by `of`; the rules only read it."""

    __slots__ = (
        "_unsellable",
        "at",
        "bundles_with_device",
        "catalog",
        "channel_id",
        "customer_type",
        "first_plan",
        "holdings",
        "item_ids",
        "limits",
        "line_of",
        "protection_ineligible",
    )

    def __init__(
        self,
        catalog: Catalog,
        at: datetime,
        limits: CartLimits,
        protection_ineligible: bool,
        channel_id: str,
        customer_type: str | None,
        item_ids: set[str],
        bundles_with_device: set[str],
        first_plan: dict[str, str],
        holdings: Holdings | None = None,
        line_of: dict[str, str] | None = None,
    ) -> None:
        self.catalog = catalog
        self.at = at
        self.limits = limits
        self.protection_ineligible = protection_ineligible
        self.channel_id = channel_id
        self.customer_type = customer_type
        self.item_ids = item_ids
        self.bundles_with_device = bundles_with_device
        self.first_plan = first_plan  # bundle root -> the plan item kept on that line
        self.holdings = holdings
        self.line_of = line_of or {}  # bundle root -> the existing line it keeps
        self._unsellable: dict[str, str | None] = {}

    @classmethod
    def of(
        cls,
        order: Cart,
        items: Sequence[ItemFacts],
        catalog: Catalog,
        at: datetime,
        limits: CartLimits,
        protection_ineligible: bool,
        holdings: Holdings | None = None,
    ) -> CartContext:
        """The context of the cart's items (`items`: each item's facts, in cart order)."""
        bundles_with_device: set[str] = set()
        first_plan: dict[str, str] = {}
        line_of: dict[str, str] = {}
        for item in items:
            line = item.item.subscriberNumber
            if item.root is None and isinstance(line, str) and line and item.item.action in KEEPS_LINE:
                line_of[item.id] = line
            if item.role == DEVICE:
                bundles_with_device.add(item.bundle)
            elif item.role == PLAN:
                first_plan.setdefault(item.bundle, item.id)
        return cls(
            catalog,
            at,
            limits,
            protection_ineligible,
            order.channel.id,
            _customer_type(order),
            {item.id for item in items},
            bundles_with_device,
            first_plan,
            holdings,
            line_of,
        )

    def unsellable_reason(self, offering: ProductOffering) -> str | None:
        # The answer depends on the offering alone within one cart: ask once per offering.
        known = self._unsellable
        if offering.id in known:
            return known[offering.id]
        reason = known[offering.id] = self.catalog.unsellable_reason(
            offering, self.channel_id, self.at, self.customer_type
        )
        return reason

    def about(self, item: ItemFacts) -> Seen:
        """Everything the item rules below read here about `item`, so that two contexts that
        say the same about an item give it the same messages. A rule that reads more of the
        context must show it here too, or kept messages would go stale."""
        return (
            self.limits.max_quantity,
            item.root is None or item.root in self.item_ids,
            self.unsellable_reason(item.offering) if item.orders and item.offering and not item.byod else None,
            item.protection and item.bundle in self.bundles_with_device,
            item.protection and self.protection_ineligible,
            self.first_plan[item.bundle] if item.role == PLAN else None,
            # A customer's holdings do not change while a process knows them: their id says it.
            self.holdings.customer_id if self.holdings is not None else None,
            self.line_of.get(item.bundle),
        )


def _customer_type(order: Cart) -> str | None:
    for party in order.relatedParty:
        if party.role == "customer":
            for extension in party.extensions or ():
                if extension.name == "CustomerType":
                    return extension.value
    return None
