"""Use cases of the cart API. Each is one store transaction; this is the only caller of
the store. Inputs arrive already validated and translated into domain terms by the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from omnicart.config import Limits
from omnicart.domain.cart import ProductOrder, ProductOrderItem, State
from omnicart.domain.errors import CartNotFound
from omnicart.domain.ids import is_time_uuid, time_uuid
from omnicart.store import NO_EFFECTS, CartRepository, Effects


def utc_now() -> datetime:
    """Now, at the millisecond precision of the carrier's timestamps."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class NewCart:
    channel: dict[str, Any]
    relatedParty: list[dict[str, Any]]
    items: list[ProductOrderItem] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


class CartService:
    def __init__(
        self,
        store: CartRepository,
        *,
        limits: Limits = Limits(),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.limits = limits
        self.clock = clock

    def _refresh(self, cart: ProductOrder) -> None:
        """Re-derive everything that depends on the items (prices, validation)."""

    async def create_cart(self, owner: str, new: NewCart) -> ProductOrder:
        now = self.clock()
        cart = ProductOrder(
            id=time_uuid(),
            owner=owner,
            version=1,
            state=State.DRAFT,
            creationDate=now,
            lastUpdate=now,
            channel=new.channel,
            relatedParty=new.relatedParty,
            extra=new.extra,
        )
        if new.items:
            cart.add_items(new.items, self.limits.max_items_per_cart)
        self._refresh(cart)
        await self.store.add(cart)
        return cart

    async def get_cart(self, owner: str, cart_id: str) -> ProductOrder:
        cart = await self.store.get(owner, cart_id) if is_time_uuid(cart_id) else None
        if cart is None:
            raise CartNotFound(cart_id)
        return cart

    async def list_carts(self, owner: str, *, limit: int, offset: int) -> list[ProductOrder]:
        return await self.store.list(owner, limit, offset)

    async def abandon_cart(self, owner: str, cart_id: str, *, if_match: str | None = None) -> None:
        def check(cart: ProductOrder) -> Effects:
            cart.check_version(if_match)
            cart.ensure_modifiable()
            return NO_EFFECTS

        if not is_time_uuid(cart_id) or not await self.store.delete(owner, cart_id, check):
            raise CartNotFound(cart_id)

    async def _change(
        self,
        owner: str,
        cart_id: str,
        if_match: str | None,
        change: Callable[[ProductOrder], None],
    ) -> ProductOrder:
        """Apply `change` to the latest version of the cart, atomically."""

        def apply(cart: ProductOrder) -> Effects:
            cart.check_version(if_match)
            change(cart)
            self._refresh(cart)
            cart.touch(self.clock())
            return NO_EFFECTS

        changed = await self.store.update(owner, cart_id, apply) if is_time_uuid(cart_id) else None
        if changed is None:
            raise CartNotFound(cart_id)
        return changed

    async def add_items(
        self, owner: str, cart_id: str, items: list[ProductOrderItem], *, if_match: str | None = None
    ) -> ProductOrder:
        return await self._change(
            owner, cart_id, if_match, lambda cart: cart.add_items(items, self.limits.max_items_per_cart)
        )

    async def update_item(
        self,
        owner: str,
        cart_id: str,
        item_id: str,
        change: Callable[[ProductOrderItem], ProductOrderItem],
        *,
        if_match: str | None = None,
    ) -> ProductOrder:
        """Replace an item by `change(current item)`, computed on the latest version."""
        return await self._change(
            owner, cart_id, if_match, lambda cart: cart.replace_item(change(cart.item(item_id)))
        )

    async def remove_item(
        self, owner: str, cart_id: str, item_id: str, *, if_match: str | None = None
    ) -> ProductOrder:
        return await self._change(owner, cart_id, if_match, lambda cart: cart.remove_item(item_id))
