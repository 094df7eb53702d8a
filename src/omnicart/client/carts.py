"""The calls on carts and their items, `Client`'s and `AsyncClient`'s (composed in
client/sync.py and client/aio.py, whose docstring names what the examples use): create,
read, list, change and abandon a cart, and the carrier's older "order" flavour of the same
(BYOD)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

from omnicart.client import calls
from omnicart.client.base import AsyncSends, IfMatch, Sends
from omnicart.client.calls import Items
from omnicart.client.shapes import (
    ChannelDict,
    ItemDict,
    RelatedPartyDict,
)
from omnicart.wire.cart import Channel, ProductOrderView, RelatedParty


class CartCalls(Sends):
    """Creating, reading, listing and changing carts and their items."""

    # -- carts --------------------------------------------------------------------------

    def create_cart(
        self,
        channel: Channel | ChannelDict,
        related_party: Sequence[RelatedParty | RelatedPartyDict],
        items: Items = (),
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> ProductOrderView:
        """Create a cart (a draft ProductOrder) in `channel` for the parties, with `items`
        added at once; `extra`: top-level fields of the partner's own, kept on the cart.
        Raises OmnicartError 400 for a body the API refuses (`details["errors"]` names
        each field).

        >>> new = api.create_cart({"id": "IND"}, [{"id": CUSTOMER, "role": "customer", "referredType": "customer"}])
        >>> new.state, new.version, [m.text for m in new.validation.validationMessage]
        (<State.DRAFT: 'Draft'>, 1, ['the cart has no items yet'])
        >>> api.create_cart({"id": "IND"}, [{"id": CUSTOMER, "role": "customer"}])
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 400 ...: relatedParty[0].referredType: is required
        """
        return self.send(calls.create_cart(channel, related_party, items, extra or {}), scenario)

    def get_cart(self, cart_id: str, *, scenario: str | None = None) -> ProductOrderView:
        """The cart as it is now. Raises OmnicartError 404 for a cart the partner does not have.

        >>> api.get_cart(cart.id).version
        1
        >>> api.get_cart("no-such-cart")
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 OMNICART-CART-0404: cart 'no-such-cart' was not found
        """
        return self.send(calls.get_cart(cart_id), scenario)

    def carts(self, *, scenario: str | None = None) -> Iterator[ProductOrderView]:
        """Every cart of the partner, most recently changed first, page after page (a page
        is fetched when the iteration reaches it). Raises OmnicartError.

        >>> next(api.carts()).id == cart.id
        True
        """
        return self._pages(lambda offset: calls.list_carts(offset, calls.PAGE_SIZE), scenario)

    def add_items(
        self, cart_id: str, items: Items, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """Add items to the cart (`items`: the list, not the `{"items": [...]}` body), priced
        and validated: the cart as it now is. Raises TypeError for a body where the list
        belongs; OmnicartError 400 (an item refused), 404, 412 (`if_match` stale).

        >>> changed = api.add_items(cart.id, LINE, if_match=cart.version)
        >>> changed.version, [item.productOrderItemId for item in changed.productOrderItem]
        (2, ['line-1', 'line-1-sim'])
        >>> [(total.name, total.price.dutyFreeAmount.value) for total in changed.orderTotalPrice]
        [('Due today', 5.0), ('Monthly recurring', 60.99)]
        >>> api.add_items(cart.id, {"items": LINE})
        Traceback (most recent call last):
        TypeError: items: expected a list of items, got a dict with key 'items' — pass body['items']
        """
        return self.send(calls.add_items(cart_id, items, if_match), scenario)

    def update_item(
        self, cart_id: str, item_id: str, patch: ItemDict, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """Change one item by a JSON merge patch of it (only the fields to change). Raises
        OmnicartError 400, 404 (no such cart or item), 412.

        >>> api.add_items(cart.id, LINE).version
        2
        >>> api.update_item(cart.id, "line-1", {"quantity": 2}).productOrderItem[0].quantity
        2
        """
        return self.send(calls.update_item(cart_id, item_id, patch, if_match), scenario)

    def remove_item(
        self, cart_id: str, item_id: str, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """Remove one item (an item bundled under it goes too). Raises OmnicartError 404, 412.

        >>> api.add_items(cart.id, LINE).version
        2
        >>> [item.productOrderItemId for item in api.remove_item(cart.id, "line-1-sim").productOrderItem]
        ['line-1']
        """
        return self.send(calls.remove_item(cart_id, item_id, if_match), scenario)

    def abandon_cart(self, cart_id: str, *, if_match: IfMatch = None, scenario: str | None = None) -> None:
        """Abandon (delete) the cart. Raises OmnicartError 404, 412.

        >>> api.abandon_cart(cart.id)
        >>> api.get_cart(cart.id)
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 OMNICART-CART-0404: cart '...' was not found
        """
        self.send(calls.abandon_cart(cart_id, if_match), scenario)

    # -- the older "order" flavour (BYOD) -----------------------------------------------

    def create_order(
        self,
        channel: Channel | ChannelDict,
        related_party: Sequence[RelatedParty | RelatedPartyDict],
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> str:
        """The carrier's `order/create`: a draft cart named from birth; answers its name (a
        customer order id, `26-…`), which every cart method takes in place of its id.
        Raises OmnicartError 400.

        >>> name = api.create_order({"id": "IND"}, [{"id": CUSTOMER, "role": "customer", "referredType": "customer"}])
        >>> name
        '26-...'
        >>> api.get_cart(name).customerOrderId == name
        True
        """
        return self.send(calls.create_order(channel, related_party, extra or {}), scenario).id

    def add_order_items(
        self, order_id: str, items: Items, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """The carrier's `order/{orderId}/items` (BYOD): `add_items` by the order's name.
        Raises TypeError and OmnicartError as `add_items`.

        >>> name = api.create_order({"id": "IND"}, [{"id": CUSTOMER, "role": "customer", "referredType": "customer"}])
        >>> len(api.add_order_items(name, LINE).productOrderItem)
        2
        """
        return self.send(calls.add_order_items(order_id, items, if_match), scenario)


class AsyncCartCalls(AsyncSends):
    """`CartCalls`, awaited."""

    # -- carts --------------------------------------------------------------------------

    async def create_cart(
        self,
        channel: Channel | ChannelDict,
        related_party: Sequence[RelatedParty | RelatedPartyDict],
        items: Items = (),
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> ProductOrderView:
        """`Client.create_cart`, awaited."""
        return await self.send(calls.create_cart(channel, related_party, items, extra or {}), scenario)

    async def get_cart(self, cart_id: str, *, scenario: str | None = None) -> ProductOrderView:
        """`Client.get_cart`, awaited."""
        return await self.send(calls.get_cart(cart_id), scenario)

    def carts(self, *, scenario: str | None = None) -> AsyncIterator[ProductOrderView]:
        """`Client.carts`, as an async iterator (`async for`)."""
        return self._pages(lambda offset: calls.list_carts(offset, calls.PAGE_SIZE), scenario)

    async def add_items(
        self, cart_id: str, items: Items, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """`Client.add_items`, awaited."""
        return await self.send(calls.add_items(cart_id, items, if_match), scenario)

    async def update_item(
        self, cart_id: str, item_id: str, patch: ItemDict, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """`Client.update_item`, awaited."""
        return await self.send(calls.update_item(cart_id, item_id, patch, if_match), scenario)

    async def remove_item(
        self, cart_id: str, item_id: str, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """`Client.remove_item`, awaited."""
        return await self.send(calls.remove_item(cart_id, item_id, if_match), scenario)

    async def abandon_cart(self, cart_id: str, *, if_match: IfMatch = None, scenario: str | None = None) -> None:
        """`Client.abandon_cart`, awaited."""
        await self.send(calls.abandon_cart(cart_id, if_match), scenario)

    # -- the older "order" flavour (BYOD) -----------------------------------------------

    async def create_order(
        self,
        channel: Channel | ChannelDict,
        related_party: Sequence[RelatedParty | RelatedPartyDict],
        *,
        extra: Mapping[str, Any] | None = None,
        scenario: str | None = None,
    ) -> str:
        """`Client.create_order`, awaited."""
        return (await self.send(calls.create_order(channel, related_party, extra or {}), scenario)).id

    async def add_order_items(
        self, order_id: str, items: Items, *, if_match: IfMatch = None, scenario: str | None = None
    ) -> ProductOrderView:
        """`Client.add_order_items`, awaited."""
        return await self.send(calls.add_order_items(order_id, items, if_match), scenario)
