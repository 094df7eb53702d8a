"""The fulfilment simulator's loop: a background task in every worker process that makes
the planned state changes of orders when they fall due (docs/orders.md).

All the work is `OrderService.advance_due_orders`, which takes each due order under a lock
no other worker waits for, so any number of workers can run this loop at once and each
change still happens once. The loop only sleeps, calls it, and survives a failed round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from omnicart.domain.errors import StoreUnavailable
from omnicart.ordering import OrderService

log = logging.getLogger("omnicart.simulator")


async def run(orders: OrderService, poll_seconds: float) -> None:
    while True:
        await asyncio.sleep(poll_seconds)
        try:
            await orders.advance_due_orders()
        except StoreUnavailable as exc:
            log.warning("fulfilment round skipped: %s", exc.message)
        except Exception:
            log.exception("fulfilment round failed")


@contextlib.asynccontextmanager
async def running(orders: OrderService, poll_seconds: float, enabled: bool) -> AsyncIterator[None]:
    """Run the loop while the context is open (when `enabled`); stop it on the way out."""
    if not enabled:
        yield
        return
    if not poll_seconds > 0:
        raise ValueError("OMNICART_FULFILMENT_POLL_SECONDS must be more than 0")
    task = asyncio.create_task(run(orders, poll_seconds), name="omnicart-fulfilment")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
