"""The partner kit's Python client for omnicart (and the carrier's API it mirrors).

    from omnicart.client import Client
    with Client("http://127.0.0.1:8000", api_key=KEY) as api:
        cart = api.create_cart({"id": "IND"}, [{"id": "c1", "role": "customer", "referredType": "customer"}])
        plan = {"productOrderItemId": "line-1", "productOfferingType": "Mobile_Offer",
                "productOfferingId": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"}
        cart = api.add_items(cart.id, [plan], if_match=cart.version)

Answers are the server's own msgspec structs (the `omnicart.wire` package: cart, orders …);
inputs are those structs or plain dicts in the carrier's JSON shape, typed by the
TypedDicts of `omnicart.client.shapes` (`ChannelDict`, `ItemDict` …), so a type checker
reads them (the package ships `py.typed`). An argument of the wrong shape is a TypeError
before anything is sent; every failure the server answers raises `OmnicartError` (`code`,
`status`, `details`). `AsyncClient` is the same for asyncio. Each method's docstring has
a runnable example (client/carts.py, ordering.py …, composed in client/sync.py).

>>> api.add_items(cart.id, {"items": [{"productOrderItemId": "line-1"}]})  # `api`, `cart`: client/sync.py
Traceback (most recent call last):
TypeError: items: expected a list of items, got a dict with key 'items' — pass body['items']
"""

from __future__ import annotations

from omnicart.client.aio import AsyncClient
from omnicart.client.core import OmnicartError, Retry
from omnicart.client.shapes import (
    ChannelDict,
    ItemDict,
    PaymentMethodDict,
    PaymentMethodsDict,
    RelatedPartyDict,
    SubmissionDict,
)
from omnicart.client.sync import Client
from omnicart.client.webhooks import WebhookError, verify_webhook

__all__ = [
    "AsyncClient",
    "ChannelDict",
    "Client",
    "ItemDict",
    "OmnicartError",
    "PaymentMethodDict",
    "PaymentMethodsDict",
    "RelatedPartyDict",
    "Retry",
    "SubmissionDict",
    "WebhookError",
    "verify_webhook",
]
