"""The store: one repository interface, one implementation per database.

`open_store(url)` picks the implementation from the URL scheme, so the rest of the
service never names a database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from omnicart.domain.cart import ProductOrder

R = TypeVar("R")


class CartRepository(Protocol):
    """What the services need from a database. Every method is one transaction."""

    async def add(self, cart: ProductOrder) -> None: ...

    async def get(self, owner: str, cart_id: str) -> ProductOrder | None: ...

    async def update(
        self, owner: str, cart_id: str, change: Callable[[ProductOrder], R]
    ) -> tuple[ProductOrder, R] | None:
        """Read the cart under a write lock, let `change` mutate it, write it back.

        `change` is pure domain code; if it raises, nothing is written. Returns None when
        the cart does not exist for this owner.
        """
        ...

    async def delete(
        self, owner: str, cart_id: str, check: Callable[[ProductOrder], None]
    ) -> bool: ...

    async def list(self, owner: str, limit: int, offset: int) -> list[ProductOrder]: ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


async def open_store(url: str, *, pool_size: int = 10) -> CartRepository:
    if url.startswith("sqlite:"):
        from omnicart.store.sqlite import SQLiteStore

        return await SQLiteStore.open(url)
    if url.startswith(("postgresql:", "postgres:")):
        from omnicart.store.postgres import PostgresStore

        return await PostgresStore.open(url, pool_size=pool_size)
    raise ValueError(f"unsupported OMNICART_DATABASE_URL scheme: {url.split(':', 1)[0]!r}")
