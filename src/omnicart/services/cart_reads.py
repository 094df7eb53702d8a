"""Reading the cart: by either of its names, as stored (no rendering), a partner's page of
carts, the console's search, and the cart's version history.

The base of the cart's use cases (services/carts.py): reading needs only the store, the
clock, the drafts' time to live and the customer directory, never the write engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from omnicart.domain.cart import Cart, draft_expired
from omnicart.domain.errors import CartNotFound
from omnicart.domain.events import CART_CHANGED, CART_CREATED, CART_DELETED, CART_STATE_CHANGED
from omnicart.domain.ids import is_customer_order_id, is_time_uuid
from omnicart.domain.world import Holdings
from omnicart.services.answers import RenderedCart
from omnicart.services.holdings import CustomerHoldings, HoldingsNotFetched, NoHoldings
from omnicart.store import CartFilter, CartSearch, CartStore, EventFilter, EventRecord

# The events whose snapshot is the cart (its version history), not the order it became.
_CART_EVENTS = frozenset({CART_CREATED, CART_CHANGED, CART_STATE_CHANGED, CART_DELETED})


class CartReads:
    """What every cart use case reads with; CartService sets these up."""

    store: CartStore
    holdings: CustomerHoldings | NoHoldings
    cart_ttl: timedelta | None
    clock: Callable[[], datetime]

    async def holdings_for(self, cart: Cart) -> Holdings | None:
        """What the cart's customer holds, asking the directory if need be: for an
        assessment outside a write (inside one, `self.holdings.of`; services/holdings.py)."""
        try:
            return self.holdings.of(cart)
        except HoldingsNotFetched as missing:
            await self.holdings.fetch(missing.customer_id)
        return self.holdings.of(cart)

    def changeable(self, cart: Cart | None, cart_id: str, if_match: str | None, now: datetime) -> Cart:
        """The cart a change may act on: there, not past its time to live, and at the
        version the client holds (If-Match)."""
        if cart is None or (self.cart_ttl is not None and cart.expired(now, self.cart_ttl)):
            raise CartNotFound(cart_id)
        cart.check_version(if_match)
        return cart

    async def cart_id(self, owner: str, name: str) -> str:
        """The id of the owner's cart named `name`: its id (a time UUID) or its second name
        (a customer order id, given by the older `order/create`). Every use case takes
        either; an id of neither form, or no such cart, is CartNotFound."""
        if is_time_uuid(name):
            return name
        found = await self.store.cart_named(owner, name) if is_customer_order_id(name) else None
        if found is None:
            raise CartNotFound(name)
        return found

    async def get_cart(self, owner: str, cart_id: str) -> Cart:
        cart = await self.store.get(owner, await self.cart_id(owner, cart_id))
        return self.changeable(cart, cart_id, None, self.clock())

    async def read_cart(self, owner: str, cart_id: str) -> RenderedCart:
        """The cart as stored, not decoded: a read costs no rendering."""
        found = await self.store.read(owner, await self.cart_id(owner, cart_id))
        if found is None or (
            self.cart_ttl is not None and draft_expired(found.state, found.last_update, self.clock(), self.cart_ttl)
        ):
            raise CartNotFound(cart_id)
        return RenderedCart.stored(found)

    async def find_carts(
        self, owner: str, found: CartFilter, *, limit: int, offset: int
    ) -> tuple[list[RenderedCart], int | None]:
        """A page of the partner's carts matching `found`, and how many match in all
        (None: more than the store counts, TOTAL_COUNTED); drafts past their time to live
        are not found, as `read_cart` does not find them."""
        if self.cart_ttl is not None:
            found = replace(found, drafts_changed_after=self._live_after())
        page, total = await self.store.find_carts(owner, found, limit, offset)
        return [RenderedCart.stored(cart) for cart in page], total

    def _live_after(self) -> datetime | None:
        """Drafts last changed at or before this are past their time to live (None: none is)."""
        return None if self.cart_ttl is None else self.clock() - self.cart_ttl

    async def search_carts(
        self, owner: str, *, state: str | None, text: str | None, limit: int, offset: int
    ) -> tuple[list[RenderedCart], int | None]:
        """The console's search: a page of the partner's carts, most recently changed
        first, optionally in one state and whose id is `text` or whose document contains
        it; and how many match in all (None: more than the store counts, TOTAL_COUNTED).
        Drafts past their time to live are left out, as everywhere else."""
        search = CartSearch(state, text or None, self._live_after())
        found, total = await self.store.search_carts(owner, search, limit, offset)
        return [RenderedCart.stored(cart) for cart in found], total

    async def version_history(self, owner: str, cart_id: str, *, limit: int = 50) -> list[EventRecord]:
        """The cart's events still in the outbox (kept OMNICART_EVENT_RETENTION_SECONDS),
        newest first: each snapshot is the cart as that change left it (its order's
        events left out)."""
        found, _ = await self.store.list_events(owner, EventFilter(cart_id=cart_id), limit, 0)
        return [event for event in found if event.event_type in _CART_EVENTS]
