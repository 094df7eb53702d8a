"""The calls on event listeners (hubs), `Client`'s and `AsyncClient`'s (composed in
client/sync.py and client/aio.py, whose docstring names what the examples use); a
delivery is verified by `verify_webhook` (client/webhooks.py)."""

from __future__ import annotations

from omnicart.client import calls
from omnicart.client.base import AsyncSends, Sends
from omnicart.wire.hubs import HubView


class HubCalls(Sends):
    """The partner's event listeners."""

    def register_hub(self, callback: str, query: str | None = None) -> HubView:
        """Register a listener URL for the partner's events; answers the hub with its
        `secret`, this once: keep it to verify deliveries (`verify_webhook`). Raises
        OmnicartError 400 (a callback refused).

        >>> hub = api.register_hub("http://127.0.0.1:9/events")
        >>> hub.secret
        'whsec_...'
        >>> api.delete_hub(hub.id)
        """
        return self.send(calls.register_hub(callback, query))

    def hubs(self) -> list[HubView]:
        """The partner's listeners (without their secrets). Raises OmnicartError.

        >>> hub = api.register_hub("http://127.0.0.1:9/events")
        >>> hub.id in [found.id for found in api.hubs()]
        True
        >>> api.delete_hub(hub.id)
        """
        return self.send(calls.list_hubs())

    def get_hub(self, hub_id: str) -> HubView:
        """One listener. Raises OmnicartError 404.

        >>> hub = api.register_hub("http://127.0.0.1:9/events")
        >>> api.get_hub(hub.id).callback
        'http://127.0.0.1:9/events'
        >>> api.delete_hub(hub.id)
        """
        return self.send(calls.get_hub(hub_id))

    def delete_hub(self, hub_id: str) -> None:
        """Stop deliveries to a listener. Raises OmnicartError 404.

        >>> api.delete_hub("no-such-hub")
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 ...
        """
        self.send(calls.delete_hub(hub_id))


class AsyncHubCalls(AsyncSends):
    """`HubCalls`, awaited."""

    async def register_hub(self, callback: str, query: str | None = None) -> HubView:
        """`Client.register_hub`, awaited."""
        return await self.send(calls.register_hub(callback, query))

    async def hubs(self) -> list[HubView]:
        """`Client.hubs`, awaited."""
        return await self.send(calls.list_hubs())

    async def get_hub(self, hub_id: str) -> HubView:
        """`Client.get_hub`, awaited."""
        return await self.send(calls.get_hub(hub_id))

    async def delete_hub(self, hub_id: str) -> None:
        """`Client.delete_hub`, awaited."""
        await self.send(calls.delete_hub(hub_id))
