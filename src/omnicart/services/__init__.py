"""The use cases: the only callers of the store. One module per concept."""

from omnicart.services.carts import CartService, RenderedCart, cart_event
from omnicart.services.idempotency import IdempotencyService, Reservation
from omnicart.services.orders import OrderService

__all__ = ["CartService", "IdempotencyService", "OrderService", "RenderedCart", "Reservation", "cart_event"]
