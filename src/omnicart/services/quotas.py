"""Per-partner quotas that are cheap to keep: a partner's count is read from the store (a
bounded count) at most every `recount` seconds, and in between this worker adds what it
created itself. Near the quota, every request reads the count again, so the quota is exact
for one worker and passed by at most what other workers created since their last count
(docs/security.md, "Quotas")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta


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

    async def allows(self, owner: str, now: datetime) -> bool:
        """Whether `owner` may create one more; if so, it is counted as created."""
        known = self._known.get(owner)
        if known is None or now - known[1] >= self._recount or known[0] >= self._near:
            known = (await self._count(owner, self.limit), now)
        if known[0] >= self.limit:
            self._known[owner] = known
            return False
        self._known[owner] = (known[0] + 1, known[1])
        return True

    def forget(self, owner: str) -> None:
        """What this worker knows of `owner` is stale (e.g. one it counted was given back)."""
        self._known.pop(owner, None)
