"""The cart: a draft ProductOrder and what may be done to it.

The cart's fields are the carrier's document (`ProductOrder`, declared once in
wire/cart.py); `Cart` adds the rules of changing it. Nothing here knows about HTTP or SQL:
the store persists a cart as it is and the API renders it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from msgspec import UNSET

from omnicart.domain.bundles import check_bundles
from omnicart.domain.errors import (
    CartNotModifiable,
    DuplicateItemId,
    ItemNotFound,
    LimitExceeded,
    PreconditionFailed,
)
from omnicart.wire.cart import (
    AgreementRef,
    CartCreate,
    CreditDecision,
    Enrollment,
    PaymentRef,
    ProductOrder,
    RelatedParty,
    SelectedFulfillment,
    State,
)
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.values import moment, timestamp


class Cart(ProductOrder):
    """A cart as the domain changes it: the carrier's ProductOrder, with its guards and
    item operations. It encodes exactly as the ProductOrder it is."""

    @property
    def customer_id(self) -> str | None:
        """The id of the customer party (the first `relatedParty` whose role is "customer",
        any case), as stored in the `customer_id` column for finding carts."""
        for party in self.relatedParty:
            if party.role.lower() == "customer":
                return party.id
        return None

    @property
    def name(self) -> str | None:
        """The cart's second name, its customer order id, when it has one (a cart made by
        the older `order/create` has it from birth; any cart gets one when submitted)."""
        return self.customerOrderId if isinstance(self.customerOrderId, str) else None

    @classmethod
    def new(cls, cart_id: str, request: CartCreate, now: datetime, *, name: str | None = None) -> Cart:
        """A new draft; `name`: its customer order id, for the older "order" flavour."""
        stamp = timestamp(now)
        cart = cls(
            id=cart_id,
            version=1,
            state=State.DRAFT,
            creationDate=stamp,
            lastUpdate=stamp,
            channel=request.channel,
            relatedParty=request.relatedParty,
            extra=request.extra,
        )
        if name is not None:
            cart.customerOrderId = name
        return cart

    # -- guards -----------------------------------------------------------------------

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def check_version(self, if_match: str | None) -> None:
        """Refuse a change made against a version the client no longer holds."""
        if if_match is None or if_match.strip() == "*":
            return
        offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
        if self.etag not in offered:
            raise PreconditionFailed(current_etag=self.etag)

    def expired(self, now: datetime, ttl: timedelta) -> bool:
        """A draft untouched for `ttl` has expired; a submitted cart belongs to its order."""
        return draft_expired(self.state, moment(self.lastUpdate), now, ttl)

    def ensure_modifiable(self) -> None:
        if self.state is not State.DRAFT:
            raise CartNotModifiable(self.id, self.state.value)

    # -- item operations ---------------------------------------------------------------

    def item(self, item_id: str) -> ProductOrderItem:
        for item in self.productOrderItem:
            if item.productOrderItemId == item_id:
                return item
        raise ItemNotFound(item_id)

    def add_items(self, items: list[ProductOrderItem], max_items: int) -> None:
        self.ensure_modifiable()
        if len(self.productOrderItem) + len(items) > max_items:
            raise LimitExceeded(
                "productOrderItem",
                f"a cart holds at most {max_items} items; this change would make it "
                f"{len(self.productOrderItem) + len(items)}",
            )
        taken = {i.productOrderItemId for i in self.productOrderItem}
        for item in items:
            if not item.productOrderItemId:
                item.productOrderItemId = str(uuid.uuid4())
            item.itemPrice = []  # the service prices items, not the client
            if item.productOrderItemId in taken:
                raise DuplicateItemId(item.productOrderItemId)
            taken.add(item.productOrderItemId)
        changed = [*self.productOrderItem, *items]
        check_bundles(changed, {item.productOrderItemId for item in items})
        self.productOrderItem = changed

    def replace_item(self, item: ProductOrderItem) -> None:
        self.ensure_modifiable()
        self.item(item.productOrderItemId)
        changed = [item if i.productOrderItemId == item.productOrderItemId else i for i in self.productOrderItem]
        check_bundles(changed, (item.productOrderItemId,))
        self.productOrderItem = changed

    def remove_item(self, item_id: str) -> list[str]:
        """Remove an item; removing a bundle root removes its whole bundle."""
        self.ensure_modifiable()
        self.item(item_id)
        gone = {item_id} | {
            i.productOrderItemId for i in self.productOrderItem if i.rootBundleProductOrderItemId == item_id
        }
        self.productOrderItem = [i for i in self.productOrderItem if i.productOrderItemId not in gone]
        if self.fulfillment:  # a removed item is delivered no more
            self.fulfillment = [s for s in self.fulfillment if s.productOrderItemId not in gone] or UNSET
        return sorted(gone)

    def revise(
        self, parties: list[RelatedParty], items: list[ProductOrderItem], own: dict[str, Any], max_items: int
    ) -> None:
        """Replace the parties, the items and the cart's own (unknown) fields at once: a
        whole document's change (TMF663's PATCH, domain/shopping_cart.py). An item that
        comes back unchanged stays the very item it was (priced as before); a new one gets
        an id if it has none; one that is gone goes with its delivery choice."""
        self.ensure_modifiable()
        if len(items) > max_items:
            raise LimitExceeded(
                "productOrderItem", f"a cart holds at most {max_items} items; this change would make it {len(items)}"
            )
        before = {item.productOrderItemId: item for item in self.productOrderItem}
        revised: list[ProductOrderItem] = []
        for item in items:
            if not item.productOrderItemId:
                item.productOrderItemId = str(uuid.uuid4())
            if any(kept.productOrderItemId == item.productOrderItemId for kept in revised):
                raise DuplicateItemId(item.productOrderItemId)
            was = before.get(item.productOrderItemId)
            item.itemPrice = was.itemPrice if was is not None else []  # the service prices items
            revised.append(was if was == item else item)
        check_bundles(
            revised, [item.productOrderItemId for item in revised if item is not before.get(item.productOrderItemId)]
        )
        kept = {item.productOrderItemId for item in revised}
        self.productOrderItem = revised
        self.relatedParty = parties
        self.extra = own or UNSET
        if self.fulfillment:  # a removed item is delivered no more
            self.fulfillment = [s for s in self.fulfillment if s.productOrderItemId in kept] or UNSET

    def configure(self, payments: list[PaymentRef], accepted: list[AgreementRef]) -> None:
        """Record payment methods and accepted terms (an accepted term replaces an earlier
        acceptance of the same id); validation then says which steps are complete."""
        self.ensure_modifiable()
        self.payment = [*self.payment, *payments]
        ids = {a.id for a in accepted}
        self.agreement = [*(a for a in self.agreement if a.id not in ids), *accepted]

    def record_credit(self, decision: CreditDecision) -> None:
        """Record a credit application's decision (domain/credit.py); a new application
        replaces the last one."""
        self.ensure_modifiable()
        self.creditDecision = decision

    def select_fulfillment(self, selections: list[SelectedFulfillment]) -> None:
        """Record the delivery method chosen per item (domain/delivery.py checked them); a
        new choice for an item replaces its earlier one."""
        self.ensure_modifiable()
        chosen = {s.productOrderItemId for s in selections}
        kept = [s for s in self.fulfillment or () if s.productOrderItemId not in chosen]
        self.fulfillment = [*kept, *selections]

    def enroll(self, enrollment: Enrollment) -> None:
        """Record billing enrollment: what it names replaces what was recorded before."""
        self.ensure_modifiable()
        before = self.enrollment or Enrollment()
        self.enrollment = Enrollment(
            autoPay=enrollment.autoPay or before.autoPay,
            paperLess=enrollment.paperLess or before.paperLess,
            paymentProfileId=before.paymentProfileId
            if enrollment.paymentProfileId is UNSET
            else enrollment.paymentProfileId,
        )

    def touch(self, now: datetime) -> None:
        """Every accepted change bumps the version the carrier exposes."""
        self.version += 1
        self.lastUpdate = timestamp(now)


def draft_expired(state: State | str, last_update: datetime, now: datetime, ttl: timedelta) -> bool:
    return state in (State.DRAFT, State.DRAFT.value) and last_update + ttl <= now
