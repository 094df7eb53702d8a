"""The partner kit's Python client for omnicart (and the carrier's API it mirrors).

    from omnicart.client import Client
    with Client("http://127.0.0.1:8000", api_key=KEY) as api:
        cart = api.create_cart({"id": "IND"}, [{"id": "c1", "role": "customer", "referredType": "customer"}])
        api.add_items(cart.id, [{"productOfferingId": "plan-unlimited"}], if_match=cart.version)

Answers are the server's own msgspec structs (the `omnicart.wire` package: cart, orders …);
inputs are those structs or plain dicts in the carrier's JSON shape. `AsyncClient` is the
same for asyncio. Every failure raises `OmnicartError` (`code`, `status`, `details`).
"""

from __future__ import annotations

from omnicart.client.aio import AsyncClient
from omnicart.client.core import OmnicartError, Retry
from omnicart.client.sync import Client
from omnicart.client.webhooks import WebhookError, verify_webhook

__all__ = ["AsyncClient", "Client", "OmnicartError", "Retry", "WebhookError", "verify_webhook"]
