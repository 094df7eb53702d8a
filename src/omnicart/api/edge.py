"""The one way in: every HTTP request passes the edge's concerns in order, in one ASGI call.

It was a stack of nine to eleven middlewares, each wrapping the next and the answer's way
out, two of them timing the request and capturing its status (issue 23). Each concern
keeps its logic in its own module; `Edge` only calls them, in this order:

  1. the client's address and scheme behind trusted proxies (api/clients.py);
  2. one timer, the request id and the access line (api/middleware.py), and the last line
     of the error mapping for failures raised here;
  3. the server span, when tracing is on (observability/tracing.py);
  4. the Host check (api/hosts.py);
     [CORS, when OMNICART_CORS_ORIGINS names origins: Starlette's, around 5-9]
  5. authentication (api/auth.py);
  6. the rate limit (api/ratelimit.py);
  7. the sandbox's mock scenarios (api/scenarios.py);
  8. the Idempotency-Key (api/idempotency.py), which reads the body once for its
     fingerprint and leaves it for the handler (api/requests.py);
  9. dispatch (api/dispatch.py): the operation's handler and the mapping of its errors;
     Starlette's router for anything it does not take.

Every answer, whoever sends it, leaves through one `Exchange`: the key's recording (in
omnicart's statuses), the `slow_response` delay, the status profile (api/profiles.py),
TMF's Error body on a TMF path (api/tmf/errors.py), then the one status capture (for the
access line, the metrics and the span) and the request id and security headers. Once the
request is over, in this order: the key is settled, the access line written, the span
named by its route, the request counted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omnicart.api.auth import Authentication
from omnicart.api.clients import ClientAddress
from omnicart.api.dispatch import Dispatch
from omnicart.api.errors import on_disconnect
from omnicart.api.hosts import AllowedHosts
from omnicart.api.idempotency import Held, Recording, claim, key_of
from omnicart.api.metrics import RequestMetrics
from omnicart.api.middleware import CLIENT_CLOSED, access_entry, failure_answer, request_id_of, with_headers
from omnicart.api.operation import Operation
from omnicart.api.profiles import OMNICART, Profile, ProfiledSend
from omnicart.api.ratelimit import Limiter, RateLimit
from omnicart.api.scenarios import response_delay, scenario_answer
from omnicart.api.tmf.errors import TmfErrorSend, is_tmf
from omnicart.logs import access, request_id
from omnicart.observability.tracing import ServerSpans

EXCHANGE_KEY = "omnicart.exchange"  # for the part CORS may wrap, which only gets a scope
REPLAYED = (b"idempotent-replayed", b"true")


class Exchange:
    """One request's way out. `send` is what the request's answer is sent to; `answer`
    is the last step, to the server, where the status is captured once."""

    __slots__ = (
        "delay",
        "last",
        "onward",
        "outer",
        "recording",
        "replayed",
        "rid",
        "server",
        "span",
        "started",
        "status",
    )

    def __init__(self, server: Send, rid: str, profile: Profile, scope: Scope) -> None:
        self.server = server
        self.rid = rid
        self.status = 500  # what the metrics count when nothing was sent
        self.started = False
        self.replayed = False
        self.delay = 0.0
        self.recording: Recording | None = None
        self.span: Any = None
        # After the status profile, before the answer: on a TMF path an error leaves as
        # TMF's Error body (api/tmf/errors.py), whoever made it, in either profile.
        self.last: Send = TmfErrorSend(self.answer, scope) if is_tmf(scope) else self.answer
        self.outer: Send = self.last if profile is OMNICART else ProfiledSend(profile, self.last)
        self.onward: Send = self.outer  # CORS's send instead, when it wraps the inner part

    async def send(self, message: Message) -> None:
        if self.recording is not None:
            self.recording.saw(message)
        if self.delay and message["type"] == "http.response.start":
            await asyncio.sleep(self.delay)
        await self.onward(message)

    async def answer(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.started = True
            self.replayed = REPLAYED in message.get("headers", ())
            if self.span is not None:
                ServerSpans.answered(self.span, self.status)
            message = with_headers(message, self.rid.encode())
        await self.server(message)


class Edge:
    def __init__(
        self,
        app: ASGIApp,
        *,
        proxies: Any,
        metrics: bool,
        tracer: Any,
        hosts: tuple[str, ...],
        profile: Profile,
        is_public: Callable[[str], bool],
        buckets: Limiter,
        operations: tuple[Operation, ...],
        cors: Callable[[ASGIApp], ASGIApp] | None = None,
    ) -> None:
        self.app = app  # Starlette's exception layer and router: lifespan, and what Dispatch passes on
        self.client_address = ClientAddress(proxies)
        self.metrics = RequestMetrics() if metrics else None
        self.spans = ServerSpans(tracer) if tracer is not None else None
        self.hosts = AllowedHosts(hosts)
        self.profile = profile
        self.authentication = Authentication(is_public)
        self.rate_limit = RateLimit(buckets)
        self.dispatch = Dispatch(app, operations)
        self.inner: ASGIApp = cors(self.guarded) if cors is not None else self.guarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.client_address.resolve(scope)
        started = time.perf_counter()
        exchange = Exchange(send, request_id_of(scope), self.profile, scope)
        try:
            if self.spans is None:
                await self.logged(scope, receive, exchange, started)
            else:
                with self.spans.start(scope) as exchange.span:
                    try:
                        await self.logged(scope, receive, exchange, started)
                    finally:
                        self.spans.finished(exchange.span, scope)
        finally:
            if self.metrics is not None:
                self.metrics.record(scope, exchange.status, exchange.replayed, time.perf_counter() - started)

    async def logged(self, scope: Scope, receive: Receive, exchange: Exchange, started: float) -> None:
        """The request under its request id, answered whatever fails, and its access line."""
        token = request_id.set(exchange.rid)
        closed = False
        try:
            try:
                refusal = self.hosts.refusal(scope)
                if refusal is not None:
                    await refusal(scope, receive, exchange.outer)
                else:
                    scope[EXCHANGE_KEY] = exchange
                    await self.inner(scope, receive, exchange.outer)
            except ClientDisconnect:
                on_disconnect(scope)
                closed = True
            except Exception as exc:
                if exchange.started:
                    raise
                await failure_answer(exc, scope)(scope, receive, exchange.last)
        finally:
            if access.enabled():
                status = CLIENT_CLOSED if closed else exchange.status
                access.write(access_entry(scope, exchange.rid, status, time.perf_counter() - started))
            request_id.reset(token)

    async def guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Who calls and may they, then the request itself (ASGI-shaped for CORS)."""
        exchange: Exchange = scope[EXCHANGE_KEY]
        exchange.onward = send
        refusal = await self.authentication.refusal(scope)
        if refusal is None:
            refusal = await self.rate_limit.refusal(scope)
        if refusal is None:
            refusal = scenario_answer(scope)
        if refusal is not None:
            await refusal(scope, receive, exchange.send)
            return
        exchange.delay = response_delay(scope)
        key = key_of(scope)
        if key is None:
            await self.dispatch(scope, receive, exchange.send)
            return
        settled = await claim(scope, receive, key)
        if not isinstance(settled, Held):  # a refusal, or the key's first answer again
            await settled(scope, receive, exchange.send)
            return
        exchange.recording = recording = Recording(settled)
        try:
            await self.dispatch(scope, settled.receive, exchange.send)
        finally:
            await recording.settle(scope)
