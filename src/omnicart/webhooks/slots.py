"""A worker's connection slots to listeners, shared fairly between partners (issue 21).

A partner holds at most `per_partner` of the `total` slots at once, whatever its hubs do:
hubs that never answer, or answer 200 after 9 s (so their circuit never opens), hold
their own partner's share and no more. A slot that frees goes to the waiting partner
that holds the fewest (the longest waiting among equals), so a partner with one event
waits behind no other partner's backlog.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class FairSlots:
    def __init__(self, total: int, per_partner: int) -> None:
        self.total = total
        self.per_partner = max(1, min(per_partner, total))
        self._free = total
        self._held: dict[str, int] = {}
        self._waiting: dict[str, deque[asyncio.Future[None]]] = {}  # in the order partners began waiting

    def held(self, partner: str) -> int:
        return self._held.get(partner, 0)

    @asynccontextmanager
    async def slot(self, partner: str) -> AsyncIterator[None]:
        await self._acquire(partner)
        try:
            yield
        finally:
            self._release(partner)

    async def _acquire(self, partner: str) -> None:
        if self._free and self.held(partner) < self.per_partner and partner not in self._waiting:
            self._take(partner)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(partner, deque()).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(partner)  # handed a slot as it was cancelled: give it on
            else:
                self._forget(partner, waiter)
            raise

    def _take(self, partner: str) -> None:
        self._free -= 1
        self._held[partner] = self.held(partner) + 1

    def _release(self, partner: str) -> None:
        self._free += 1
        if (held := self.held(partner) - 1) > 0:
            self._held[partner] = held
        else:
            self._held.pop(partner, None)
        self._hand_over()

    def _hand_over(self) -> None:
        while self._free:
            eligible = [p for p in self._waiting if self.held(p) < self.per_partner]
            if not eligible:
                return
            partner = min(eligible, key=self.held)  # the first waiting among the fewest held
            waiter = self._waiting[partner].popleft()
            if not self._waiting[partner]:
                del self._waiting[partner]
            if waiter.done():  # cancelled, its task not yet back to forget it
                continue
            self._take(partner)
            waiter.set_result(None)

    def _forget(self, partner: str, waiter: asyncio.Future[None]) -> None:
        queue = self._waiting.get(partner)
        if queue is not None and waiter in queue:
            queue.remove(waiter)
            if not queue:
                del self._waiting[partner]
