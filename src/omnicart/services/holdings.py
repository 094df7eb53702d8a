"""What the customers of carts hold, as the customer directory says, kept for a while.

A cart whose customer the directory knows is validated against that customer (rule
UNKNOWN_TO_CUSTOMER, domain/rules.py). Validation runs inside a cart's write, which may
not wait for anything (services/writer.py, `Prepare`), so the directory is asked before:
a change that meets a customer not asked about yet stops with `HoldingsNotFetched`
before anything is written, the use case asks the directory, and the change is made
again. A customer's holdings are then kept (`ttl` seconds, at most `max_customers`), so
the next change of their carts asks nothing.

A directory that fails leaves the customer unknown for a short while (`retry` seconds):
their carts are validated without the check rather than refused for a failure that is
not theirs.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

from omnicart.domain.cart import Cart
from omnicart.domain.errors import DomainError
from omnicart.domain.world import Holdings
from omnicart.providers.interface import CustomerDirectory

log = logging.getLogger("omnicart.holdings")
T = TypeVar("T")


class HoldingsNotFetched(Exception):
    """The customer's holdings are not known yet; not a refusal (not a DomainError), so a
    write engine passes it up unanswered and nothing is written."""

    def __init__(self, customer_id: str) -> None:
        super().__init__(customer_id)
        self.customer_id = customer_id


class CustomerHoldings:
    def __init__(
        self,
        directory: CustomerDirectory,
        *,
        ttl: float = 300.0,
        retry: float = 30.0,
        max_customers: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = directory
        self.ttl = ttl
        self.retry = retry
        self.max_customers = max_customers
        self.clock = clock
        self._known: OrderedDict[str, tuple[float, Holdings | None]] = OrderedDict()

    def of(self, cart: Cart) -> Holdings | None:
        """The holdings of the cart's customer (None: no customer, or one the directory
        does not know); raises HoldingsNotFetched when they must be asked for first."""
        customer_id = cart.customer_id
        if customer_id is None:
            return None
        known = self._known.get(customer_id)
        if known is None or known[0] < self.clock():
            raise HoldingsNotFetched(customer_id)
        return known[1]

    async def fetch(self, customer_id: str) -> None:
        try:
            customer = await self.directory.get(customer_id)
        except (DomainError, OSError, TimeoutError) as failed:
            log.warning("customer directory failed for %s: %s", customer_id, failed)
            self._keep(customer_id, None, self.retry)
            return
        self._keep(customer_id, None if customer is None else customer.holdings(), self.ttl)

    def _keep(self, customer_id: str, holdings: Holdings | None, seconds: float) -> None:
        self._known[customer_id] = (self.clock() + seconds, holdings)
        self._known.move_to_end(customer_id)
        while len(self._known) > self.max_customers:
            self._known.popitem(last=False)


class NoHoldings:
    """No customer directory: carts are validated without their customers' holdings."""

    def of(self, cart: Cart) -> Holdings | None:
        return None

    async def fetch(self, customer_id: str) -> None:
        return None


async def with_holdings(holdings: CustomerHoldings | NoHoldings, attempt: Callable[[], Awaitable[T]]) -> T:
    """`attempt()`, made again once the holdings it needed are fetched."""
    try:
        return await attempt()
    except HoldingsNotFetched as missing:
        await holdings.fetch(missing.customer_id)
    return await attempt()
