"""The hooks some of the store's methods run (store/interface.py): their caller's code,
inside their transaction, deciding from the row they have just locked what to write.
Four methods run one: `CartChange` (`change_locked`), `PlaceOrder` (`place_order`),
`OrderChange` (`update_order`, `claim_due_order`) and `PurgeCheck` (`purge_carts`). A hook

- is synchronous and does no I/O. It runs while the row is locked (on SQLite: the whole
  database), and on SQLite in the database thread, not the event loop's, inside a
  coroutine that must not suspend: it may not await, must not touch the event loop, and
  every moment it takes, every writer of that row waits;
- decides from what it is given (the cart or order as stored now, under the lock, which
  it changes in place) and what it closes over (the request, the clock), nothing else;
- refuses by raising: nothing of the call is written, not even what earlier hooks of
  the same call decided, and the store raises the error again to its caller (a
  `CartChange` may also return None: that change alone is dropped);
- returns what to write and the effects (events, the idempotent response) that commit
  with it. Nothing else it does is undone should the transaction fail after it returned
  (the caller then gets the error), so anything else it changes is the caller's own
  bookkeeping. The store calls it once per row and never retries.
"""

from __future__ import annotations

from typing import Protocol

from omnicart.domain.cart import Cart
from omnicart.domain.order import Order
from omnicart.store.values import CartWrite, Effects, OrderPlacement


class CartChange(Protocol):
    """One change `change_locked` makes to the locked cart: changes `cart` in place and
    says what to write (its document, or None for its removal) with which effects; or
    returns None to drop this change alone (the next one gets the cart as it was before)."""

    def __call__(self, cart: Cart, /) -> CartWrite | None: ...


class PlaceOrder(Protocol):
    """Express submit's decision under the cart's lock: from the cart and the order it was
    submitted as before (if any), either a new order (the cart, changed in place, is
    written with it, and the appointment it books is booked) or that earlier order, and
    nothing is written."""

    def __call__(self, cart: Cart, before: Order | None, /) -> OrderPlacement: ...


class OrderChange(Protocol):
    """A change of the locked order: changes `order` in place (it is written as left) and
    returns the effects that commit with it."""

    def __call__(self, order: Order, /) -> Effects: ...


class PurgeCheck(Protocol):
    """What goes with the deletion of the owner's expired draft `cart` (its event)."""

    def __call__(self, owner: str, cart: Cart, /) -> Effects: ...
