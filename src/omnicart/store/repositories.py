"""Every repository of the store put together, for an adapter to complete with how units
of work run (`sqlite.py`, `postgres.py`; `core.py` says what an adapter provides)."""

from __future__ import annotations

from typing import ClassVar

from omnicart.store.events import EventQueries, Events
from omnicart.store.keys import KeyQueries, Keys
from omnicart.store.orders import OrderQueries, Orders
from omnicart.store.stats import Stats


class Queries(OrderQueries, EventQueries, KeyQueries):
    """Every statement of the store (but the metrics' counts, `stats.py`), in one dialect:
    one attribute each, whatever concern it belongs to (the carts' come with the orders')."""


class Repositories(Orders, Events, Keys, Stats):
    """Every method of `omnicart.store.Store` but the adapter's (`pool_status`, `close`)."""

    sql: ClassVar[Queries]
