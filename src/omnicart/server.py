"""The HTTP/1.1 protocol omnicart serves with: uvicorn's httptools protocol, plus the
limits uvicorn does not have (docs/security.md, "Connections").

- **Header size** (`OMNICART_MAX_HEADER_BYTES`, 16 KiB): the bytes of a request head, the
  request line included; past it: 431 and the connection is closed. httptools has no limit
  of its own and buffers an unterminated header for ever (issue 11: four 40 MB headers grew
  a worker by 150 MB).
- **Header timeout** (`OMNICART_HEADER_TIMEOUT_SECONDS`, 10 s): the whole head must arrive
  within it, from the connection (or the first byte of a keep-alive request); else 408 and
  close. Stops slow-header (slowloris) connections.
- **Body timeout** (`OMNICART_BODY_TIMEOUT_SECONDS`, 30 s): the whole body must arrive
  within it from the end of the head; else the connection is closed and the application
  sees a disconnect (logged at info). A deadline, not an idle timer: a byte every few
  seconds would reset an idle timer for ever.
The connection cap is uvicorn's `limit_concurrency` (`OMNICART_MAX_CONNECTIONS`, per
worker: 503 past it) and the keep-alive idle time its `timeout_keep_alive`. Idle
connections do not fill the cap (`IdleEviction`): a new connection that reaches it
closes the one idle the longest.
"""

from __future__ import annotations

import asyncio
import functools
import os
from dataclasses import dataclass
from typing import Any

import msgspec
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


@dataclass(frozen=True)
class ServerLimits:
    max_header_bytes: int = 16 * 1024
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 1000

    @classmethod
    def from_env(cls) -> ServerLimits:
        def number(name: str, default: float) -> float:
            raw = os.environ.get(name)
            return float(raw) if raw not in (None, "") else default

        return cls(
            max_header_bytes=int(number("OMNICART_MAX_HEADER_BYTES", cls.max_header_bytes)),
            header_timeout=number("OMNICART_HEADER_TIMEOUT_SECONDS", cls.header_timeout),
            body_timeout=number("OMNICART_BODY_TIMEOUT_SECONDS", cls.body_timeout),
            keep_alive_timeout=number("OMNICART_KEEP_ALIVE_SECONDS", cls.keep_alive_timeout),
            max_connections=int(number("OMNICART_MAX_CONNECTIONS", cls.max_connections)),
        )


@functools.cache
def limits() -> ServerLimits:
    """Read once per worker (settings reach workers through the environment)."""
    return ServerLimits.from_env()


def _error(status: int, reason: str, message: str) -> bytes:
    body = msgspec.json.encode(
        {"code": f"OMNICART-REQUEST-0{status}", "message": message, "status": status, "details": {}}
    )
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
        "connection: close\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\n\r\n"
    ).encode() + body


class IdleEviction:
    """Mixed into the HTTP protocol: when a new connection brings the worker to its cap
    (OMNICART_MAX_CONNECTIONS), the connection idle the longest — silent, between
    requests or still sending its head, never one whose request is being served — is
    closed to make room. So idle sockets cannot keep real requests out (issue 21: 1,100
    of them answered every request 503 for ~11 s); only requests in flight fill the cap.
    Closing an idle connection is what its keep-alive timeout would do anyway."""

    connections: set[Any]
    limit_concurrency: int | None
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any
    _last_heard: float = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._last_heard = self.loop.time()
        if self.limit_concurrency is not None and len(self.connections) >= self.limit_concurrency:
            self._evict_idle()

    def data_received(self, data: bytes) -> None:
        self._last_heard = self.loop.time()
        super().data_received(data)  # type: ignore[misc]

    def serving(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def _evict_idle(self) -> None:
        idle = [c for c in self.connections if c is not self and isinstance(c, IdleEviction) and not c.serving()]
        if idle:
            victim = min(idle, key=lambda connection: connection._last_heard)
            self.connections.discard(victim)  # at once: uvicorn counts them when this request's head is in
            victim.transport.close()


class GuardedHttpTools(IdleEviction, HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits()
        self._in_head = True
        self._head_bytes = 0
        self._timer: asyncio.TimerHandle | None = None

    def _arm(self, seconds: float, callback: Any) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _refuse(self, status: int, reason: str, message: str) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self.transport.write(_error(status, reason, message))
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.limits.header_timeout, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:  # checked before parsing: the parser would buffer it all
            end = data.find(b"\r\n\r\n")
            self._head_bytes += len(data) if end < 0 else end + 4
            if self._head_bytes > self.limits.max_header_bytes:
                self._refuse(
                    431,
                    "Request Header Fields Too Large",
                    f"the request head is larger than {self.limits.max_header_bytes} bytes",
                )
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._in_head:  # a keep-alive request: its head gets the full time too
            self._in_head, self._head_bytes = True, 0
            self._arm(self.limits.header_timeout, self._head_too_slow)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        super().on_headers_complete()
        self._arm(self.limits.body_timeout, self._body_too_slow)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def _head_too_slow(self) -> None:
        self._timer = None
        if self._in_head and self._head_bytes:
            self._refuse(
                408, "Request Timeout", f"the request head did not arrive within {self.limits.header_timeout:g} s"
            )
        elif not self.transport.is_closing():
            self.transport.close()  # said nothing at all

    def _body_too_slow(self) -> None:
        self._timer = None
        if self.cycle is not None and not self.cycle.response_complete and self.cycle.more_body:
            self.transport.close()  # the application sees http.disconnect
