"""`Client`: the partner API, blocking (httpx.Client): made here (its connection and
the one place its calls are sent), its calls grouped beside it by what they act on:
client/carts.py (carts and their items), ordering.py (checkout to orders), customers.py
(fiber customers, qualification, credit), fulfilment.py (offerings and delivery) and
hubs.py (event listeners); `tmf` (client/tmf.py) is TM Forum's TMF663 over the same carts
and TMF622 over the same orders.

The examples run as doctests against the sandbox the pytest plugin starts
(`tests/kit/test_client_doctests.py`), with these names set:

- `api`: a `Client` of that sandbox (the plugin's `omnicart_server.client`);
- `CUSTOMER`: "3f7f9189-974e-4639-8343-4a1819a98c7e", the sandbox's customer Jordan Rivera;
- `cart`: a new, empty cart, `api.create_cart({"id": "IND"}, [{"id": CUSTOMER, "role":
  "customer", "referredType": "customer"}])`;
- `LINE`: a new line from the sample catalog, a plan and its SIM card:
  `[{"productOrderItemId": "line-1", "productOfferingType": "Mobile_Offer",
  "productOfferingId": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"}, {"productOrderItemId":
  "line-1-sim", "productOfferingType": "SIM", "productOfferingId":
  "SIM_pkey80001_sku6001001", "rootBundleProductOrderItemId": "line-1"}]`.

Every method raises `OmnicartError` (`status`, `code`, `details`) for what the server
refuses, and TypeError, before anything is sent, for an argument of the wrong shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx

from omnicart.client import calls, core
from omnicart.client.calls import Call
from omnicart.client.carts import CartCalls
from omnicart.client.customers import CustomerCalls
from omnicart.client.fulfilment import FulfilmentCalls
from omnicart.client.hubs import HubCalls
from omnicart.client.ordering import OrderingCalls
from omnicart.client.tmf import TmfCalls

T = TypeVar("T")


class Client(CartCalls, OrderingCalls, CustomerCalls, FulfilmentCalls, HubCalls):
    """`Client(base_url, api_key=…)` or `Client(base_url, client_id=…, client_secret=…)`.
    `scenario`: a sandbox mock-scenario sent with every call (each method takes one too).
    `if_match`: a cart's version (3) or ETag ('"3"'); a cart changed since answers 412.

    >>> with Client(str(api.http.base_url)) as sandbox:  # the sandbox partner needs no key
    ...     sandbox.get_cart(cart.id).state
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
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.credentials = core.Credentials(api_key, client_id, client_secret, scope)
        self.scenario = scenario
        self.retry = retry
        self.http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport, headers={"User-Agent": core.USER_AGENT}
        )

    @property
    def tmf(self) -> TmfCalls:
        """TM Forum's TMF663 Shopping Cart over the same carts (client/tmf.py) and TMF622
        Product Ordering over the same orders (client/tmf_ordering.py).

        >>> api.tmf.get_shopping_cart(cart.id).href.endswith(f"/tmf-api/shoppingCart/v4/shoppingCart/{cart.id}")
        True
        """
        return TmfCalls(self)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections (a `with` block does it). Raises nothing.

        >>> other = Client(str(api.http.base_url))
        >>> other.close()
        >>> other.http.is_closed
        True
        """
        self.http.close()

    # -- the one place calls are sent ----------------------------------------------------

    def _bearer(self) -> str | None:
        bearer = self.credentials.current()
        if bearer is None and self.credentials.oauth:
            bearer = self.credentials.took(self.http.post("/oauth/token", **self.credentials.token_request()))
        return bearer

    def _response(self, call: Call[Any], scenario: str | None) -> httpx.Response:
        key = core.idempotency_key(call)
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            sent = core.headers(call, self._bearer(), scenario or self.scenario, key)
            try:
                response = self.http.request(
                    call.method, call.path, content=call.body, params=call.params, headers=sent
                )
            except httpx.TransportError as exc:
                if attempt >= self.retry.attempts or not core.retryable(call, None, exc):
                    raise core.unreachable(exc) from exc
                time.sleep(self.retry.wait(attempt, None))
                continue
            if response.status_code == 401 and self.credentials.oauth and not refreshed:
                self.credentials.forget()  # revoked or expired early: one fresh token, once
                refreshed = True
                continue
            if attempt < self.retry.attempts and core.retryable(call, response, None):
                time.sleep(self.retry.wait(attempt, response))
                continue
            return response

    def send(self, call: Call[T], scenario: str | None = None) -> T:
        """Send one `calls.Call` (retried as `retry` says) and decode its answer: what every
        method does. Raises OmnicartError.

        >>> send_cart = api.send(calls.get_cart(cart.id))
        >>> send_cart.id == cart.id
        True
        """
        return core.answer(call, self._response(call, scenario))

    def _pages(self, page: Callable[[int], Call[list[T]]], scenario: str | None) -> Iterator[T]:
        offset = 0
        while True:
            call = page(offset)
            response = self._response(call, scenario)
            found = core.answer(call, response)
            yield from found
            # X-Result-Count: how many this page held; a short page is the last one.
            count = int(response.headers.get("x-result-count", len(found)))
            if count < calls.PAGE_SIZE:
                return
            offset += count
