"""Background jobs: loops every worker process runs next to the API (fulfilment
simulator, event delivery, purges).

Each job's work is written to be safe when every worker runs it at once (the store hands
each row to one of them), so there is no leader to elect. A loop only sleeps, calls its
job and survives a failed round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from omnicart.domain.errors import StoreUnavailable

log = logging.getLogger("omnicart.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], Awaitable[object]]

    def __post_init__(self) -> None:
        if not self.every_seconds > 0:
            raise ValueError(f"the {self.name} job must run every more than 0 seconds")


async def _loop(job: Job) -> None:
    while True:
        await asyncio.sleep(job.every_seconds)
        try:
            await job.run()
        except StoreUnavailable as exc:
            log.warning("%s round skipped: %s", job.name, exc.message)
        except Exception:
            log.exception("%s round failed", job.name)


@contextlib.asynccontextmanager
async def running(jobs: Sequence[Job]) -> AsyncIterator[None]:
    """Run every job's loop while the context is open; stop them on the way out."""
    tasks = [asyncio.create_task(_loop(job), name=f"omnicart-{job.name}") for job in jobs]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
