"""The partner's hub use cases: register, read, list, delete."""

from __future__ import annotations

import builtins  # `list` is a method of HubService
import secrets
from collections.abc import Callable
from datetime import datetime

from omnicart.clock import utc_now
from omnicart.domain.callbacks import check_callback
from omnicart.domain.errors import HubNotFound, LimitExceeded
from omnicart.domain.events import Hub, parse_query
from omnicart.domain.ids import is_time_uuid, time_uuid
from omnicart.store import Backlog, EventFilter, EventRecord, HubStore

ANY_EVENT = EventFilter()  # no condition: every event


class HubService:
    def __init__(
        self,
        store: HubStore,
        *,
        allow_private_callbacks: bool = False,
        max_hubs: int = 20,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.allow_private_callbacks = allow_private_callbacks
        self.max_hubs = max_hubs
        self.clock = clock

    async def register(self, owner: str, callback: str, query: str | None) -> Hub:
        parse_query(query)
        callback = check_callback(callback, allow_private=self.allow_private_callbacks)
        hub = Hub(
            id=time_uuid(),
            owner=owner,
            callback=callback,
            query=query.strip() if query and query.strip() else None,
            secret="whsec_" + secrets.token_urlsafe(32),
            created_at=self.clock(),
        )
        # Every hub multiplies each event into one outbound POST: a quota per partner
        # (OMNICART_MAX_HUBS_PER_PARTNER), counted by the insert itself, so registrations
        # racing cannot pass it.
        if not await self.store.add_hub_within(hub, self.max_hubs):
            raise LimitExceeded(
                "callback",
                f"a partner may register at most {self.max_hubs} hubs;"
                " delete one first (OMNICART_MAX_HUBS_PER_PARTNER)",
            )
        return hub

    async def get(self, owner: str, hub_id: str) -> Hub:
        hub = await self.store.get_hub(owner, hub_id) if is_time_uuid(hub_id) else None
        if hub is None:
            raise HubNotFound(hub_id)
        return hub

    async def list(self, owner: str) -> list[Hub]:
        return await self.store.list_hubs(owner)

    async def delete(self, owner: str, hub_id: str) -> None:
        if not is_time_uuid(hub_id) or not await self.store.delete_hub(owner, hub_id):
            raise HubNotFound(hub_id)

    # -- the console's look-ups and actions (console/events.py, console/hubs.py) -----------

    async def events(
        self, owner: str, chosen: EventFilter = ANY_EVENT, *, limit: int, offset: int
    ) -> tuple[builtins.list[EventRecord], int | None]:
        """A page of the partner's events still in the outbox that match `chosen`, newest
        first, each with its delivery to every hub (status, attempts, last error); and how
        many match in all (None: more than the store counts)."""
        return await self.store.list_events(owner, chosen, limit, offset)

    async def backlog(self, owner: str, hub_id: str) -> Backlog:
        """What the partner's hub has still to receive, and what holds it."""
        return await self.store.hub_backlog(owner, hub_id)

    async def replay(self, owner: str, hub_id: str, event_id: str) -> bool:
        """Deliver the event to the hub again, on the dispatcher's next round (whether it
        was delivered or given up); False when the event was never due to that hub."""
        await self.get(owner, hub_id)
        return await self.store.replay_delivery(owner, event_id, hub_id, self.clock())
