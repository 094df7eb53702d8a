"""Per-partner quotas that are cheap to keep: a partner's count is read from the store (a
bounded count) at most every `recount` seconds, and in between this worker adds what it
created itself. Near the quota, every request reads the count again, so the quota is exact
for one worker and passed by at most what other workers created since their last count
(docs/security.md, "Quotas").

Far from the quota no request waits for a count: a stale one is refreshed in the
background while the request goes on with the last one known (a partner with a million
drafts takes ~40 ms to count on PostgreSQL; the 10M size run showed every create waiting
on it, and concurrent creates each counting again). A partner is counted by one task at a
time, whoever asks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

log = logging.getLogger("omnicart.quotas")


class Quota:
    def __init__(
        self,
        limit: int,
        count: Callable[[str, int], Awaitable[int]],
        *,
        recount: timedelta = timedelta(seconds=5),
        margin: float = 0.9,
    ) -> None:
        """`count(owner, at_most)`: the store's bounded count of what the quota limits."""
        self.limit = limit
        self._count = count
        self._recount = recount
        self._near = int(limit * margin)
        self._known: dict[str, tuple[int, datetime]] = {}
        self._counting: dict[str, asyncio.Task[int]] = {}

    async def allows(self, owner: str, now: datetime) -> bool:
        """Whether `owner` may create one more; if so, it is counted as created."""
        known = self._known.get(owner)
        if known is None or known[0] >= self._near:
            known = (await asyncio.shield(self._counted(owner, now)), now)
        elif now - known[1] >= self._recount:
            self._counted(owner, now)  # far from the quota: this request need not wait for it
        if known[0] >= self.limit:
            self._known[owner] = known
            return False
        self._known[owner] = (known[0] + 1, known[1])
        return True

    def forget(self, owner: str) -> None:
        """What this worker knows of `owner` is stale (e.g. one it counted was given back)."""
        self._known.pop(owner, None)

    def _counted(self, owner: str, now: datetime) -> asyncio.Task[int]:
        """The count of `owner` under way, or a new one; its result becomes what is known."""
        task = self._counting.get(owner)
        if task is None:
            task = asyncio.ensure_future(self._count(owner, self.limit))
            self._counting[owner] = task
            task.add_done_callback(lambda done: self._learn(owner, now, done))
        return task

    def _learn(self, owner: str, counted_at: datetime, done: asyncio.Task[int]) -> None:
        del self._counting[owner]
        if done.cancelled():
            return
        failed = done.exception()
        if failed is not None:
            # A request that waited for this count got the error; a background refresh
            # tries again with the next request.
            log.warning("quota count of %s failed: %s", owner, failed)
            return
        known = self._known.get(owner)
        if known is None or known[1] <= counted_at:
            self._known[owner] = (done.result(), counted_at)
