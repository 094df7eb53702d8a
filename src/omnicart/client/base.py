"""What a group of calls (client/carts.py, ordering.py …) needs of the client composing it:
`send`, and `_pages` for a listing. `Client` (client/sync.py) and `AsyncClient`
(client/aio.py) give them; these declarations let each group be type-checked on its own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

from omnicart.client.calls import Call

T = TypeVar("T")
# A cart's version (3) or ETag ('"3"'), or none: the `if_match` of the calls that change a cart.
IfMatch = str | int | None


class Sends:
    """The blocking client's sending, as its calls see it."""

    def send(self, call: Call[T], scenario: str | None = None) -> T:
        raise NotImplementedError

    def _pages(self, page: Callable[[int], Call[list[T]]], scenario: str | None) -> Iterator[T]:
        raise NotImplementedError


class AsyncSends:
    """The asyncio client's sending, as its calls see it."""

    async def send(self, call: Call[T], scenario: str | None = None) -> T:
        raise NotImplementedError

    def _pages(self, page: Callable[[int], Call[list[T]]], scenario: str | None) -> AsyncIterator[T]:
        raise NotImplementedError
