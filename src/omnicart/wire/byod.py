"""The carrier's older "order" flavour on the wire (its BYOD add-a-line solution, 1.0.0):
`POST /omni-svcs/v1/order/create` and `POST /omni-svcs/v1/order/{orderId}/items`.

Their requests are Create Cart's (`CartCreate`) and Add Items' (`ItemsAdd`): the carrier's
pages show the same bodies. Only the answer of `order/create` is its own: the new order's
id, which is the cart's customer order id (its second name), and nothing else.
"""

from __future__ import annotations

import msgspec

from omnicart.wire.orders import CustomerOrderId


class OrderCreated(msgspec.Struct, frozen=True):
    """`order/create`'s answer, as the carrier's example: `{"id": "26-46236265737394"}`. The
    id names the order (a draft cart) wherever a cart id is taken."""

    id: CustomerOrderId
