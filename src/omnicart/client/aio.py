"""`AsyncClient`: the partner API for asyncio (httpx.AsyncClient); the same methods as
`Client` (client/sync.py), awaited, grouped in the same modules beside each `Client` group
(`AsyncCartCalls` after `CartCalls` …): their arguments, answers, errors and examples are
documented there once, on `Client`'s."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import httpx

from omnicart.client import calls, core
from omnicart.client.calls import Call
from omnicart.client.carts import AsyncCartCalls
from omnicart.client.customers import AsyncCustomerCalls
from omnicart.client.fulfilment import AsyncFulfilmentCalls
from omnicart.client.hubs import AsyncHubCalls
from omnicart.client.ordering import AsyncOrderingCalls
from omnicart.client.tmf import AsyncTmfCalls

T = TypeVar("T")


class AsyncClient(AsyncCartCalls, AsyncOrderingCalls, AsyncCustomerCalls, AsyncFulfilmentCalls, AsyncHubCalls):
    """`AsyncClient(base_url, api_key=…)` or with `client_id=…, client_secret=…`; use it with
    `async with`. `scenario`: a sandbox mock-scenario sent with every call (each method
    takes one too). Each method is `Client`'s of the same name, awaited.

    >>> async def state(cart_id: str) -> str:
    ...     async with AsyncClient(str(api.http.base_url)) as sandbox:
    ...         return (await sandbox.get_cart(cart_id)).state
    >>> asyncio.run(state(cart.id))
    <State.DRAFT: 'Draft'>
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        scope: str | None = None,
        scenario: str | None = None,
        retry: core.Retry = core.DEFAULT_RETRY,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.credentials = core.Credentials(api_key, client_id, client_secret, scope)
        self.scenario = scenario
        self.retry = retry
        self.http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport, headers={"User-Agent": core.USER_AGENT}
        )

    @property
    def tmf(self) -> AsyncTmfCalls:
        """`Client.tmf`: TM Forum's TMF663 Shopping Cart calls, awaited."""
        return AsyncTmfCalls(self)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """`Client.close`, awaited."""
        await self.http.aclose()

    # -- the one place calls are sent ----------------------------------------------------

    async def _bearer(self) -> str | None:
        bearer = self.credentials.current()
        if bearer is None and self.credentials.oauth:
            answered = await self.http.post("/oauth/token", **self.credentials.token_request())
            bearer = self.credentials.took(answered)
        return bearer

    async def _response(self, call: Call[Any], scenario: str | None) -> httpx.Response:
        key = core.idempotency_key(call)
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            sent = core.headers(call, await self._bearer(), scenario or self.scenario, key)
            try:
                response = await self.http.request(
                    call.method, call.path, content=call.body, params=call.params, headers=sent
                )
            except httpx.TransportError as exc:
                if attempt >= self.retry.attempts or not core.retryable(call, None, exc):
                    raise core.unreachable(exc) from exc
                await asyncio.sleep(self.retry.wait(attempt, None))
                continue
            if response.status_code == 401 and self.credentials.oauth and not refreshed:
                self.credentials.forget()  # revoked or expired early: one fresh token, once
                refreshed = True
                continue
            if attempt < self.retry.attempts and core.retryable(call, response, None):
                await asyncio.sleep(self.retry.wait(attempt, response))
                continue
            return response

    async def send(self, call: Call[T], scenario: str | None = None) -> T:
        """`Client.send`, awaited."""
        return core.answer(call, await self._response(call, scenario))

    async def _pages(self, page: Callable[[int], Call[list[T]]], scenario: str | None) -> AsyncIterator[T]:
        offset = 0
        while True:
            call = page(offset)
            response = await self._response(call, scenario)
            found = core.answer(call, response)
            for entry in found:
                yield entry
            # X-Result-Count: how many this page held; a short page is the last one.
            count = int(response.headers.get("x-result-count", len(found)))
            if count < calls.PAGE_SIZE:
                return
            offset += count
