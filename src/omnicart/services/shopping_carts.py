"""TMF663's whole-document change of a cart (PATCH /tmf-api/shoppingCart/v4/shoppingCart/{id}):
the merged ShoppingCart, read back as the carrier's parties, items and own fields
(domain/shopping_cart.py), replaces the cart's; a cart change like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from omnicart.domain.cart import Cart
from omnicart.services.answers import RenderedCart
from omnicart.services.carts import CartService
from omnicart.services.idempotency import Reply
from omnicart.wire.cart import RelatedParty
from omnicart.wire.items import ProductOrderItem

# What a whole-document change makes of a cart: its parties, items and own fields.
Revision = tuple[list[RelatedParty], list[ProductOrderItem], dict[str, Any]]


async def revise_cart(
    carts: CartService,
    owner: str,
    cart_id: str,
    revision: Callable[[Cart], Revision],
    *,
    if_match: str | None = None,
    reply: Reply | None = None,
) -> RenderedCart:
    """Replace the cart's parties, items and own fields by `revision(latest version)`."""

    def change(cart: Cart) -> None:
        parties, items, own = revision(cart)
        cart.revise(parties, items, own, carts.limits.max_items_per_cart)

    return await carts.change(owner, cart_id, if_match, change, reply)
