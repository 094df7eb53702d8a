"""The HTTP/1.1 protocol omnicart serves with: uvicorn's httptools protocol, plus the
limits uvicorn does not have (docs/security.md, "Connections").

- **Header size** (`OMNICART_MAX_HEADER_BYTES`, 16 KiB): the bytes of each request head,
  from the end of the previous request (so empty lines before it count) to the blank line
  that ends it, however the reads split it; past it: 431 and the connection is closed,
  before the parser holds more. httptools has no limit of its own and buffers an
  unterminated header for ever (issue 11: four 40 MB headers grew a worker by 150 MB);
  h11's `max_incomplete_event_size` bounds only a head still incomplete, so a whole
  120 KB head in one read passes it, and h11 is the slower parser. So the parser is fed
  in pieces that end where a request's state can change (docs/limits.md, "Request
  heads"): a head at its blank line, a body at its Content-Length or, chunked, at each
  blank line (a chunked body ends with one); every byte fed while a head is read counts.
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
from typing import Any, cast

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


BLANK_LINE = b"\r\n\r\n"  # ends a head, and a chunked body (llhttp takes no bare LF)


def _body_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    """The bytes of the request's body by its headers (the parser has checked them): None
    when chunked, 0 without Content-Length."""
    lengths = [value for name, value in headers if name == b"content-length"]
    if any(name == b"transfer-encoding" for name, _ in headers):
        return None
    return int(lengths[0]) if lengths else 0


class GuardedHttpTools(IdleEviction, HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits()
        self._in_head = True  # from the end of the previous request to the end of this head
        self._head_bytes = 0
        self._body_left: int | None = None  # of the body being read; None: chunked
        self._tail = b""  # the last 3 bytes fed: a blank line may straddle two reads
        self._refusal: bytes | None = None  # to send once the requests read before it are answered
        self._timer: asyncio.TimerHandle | None = None

    def _arm(self, seconds: float, callback: Any) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _refuse(self, status: int, reason: str, message: str) -> None:
        """Answer `status` and close; after the answers to requests read before this one
        (pipelined), which are answered first, in order. Nothing more is read."""
        self._disarm()
        self._refusal = _error(status, reason, message)
        if self.pipeline or (self.cycle is not None and not self.cycle.response_complete):
            self.flow.pause_reading()
        else:
            self._send_refusal()

    def _send_refusal(self) -> None:
        if self._refusal is not None and not self.transport.is_closing():
            self.transport.write(self._refusal)
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._refusal is not None and not self.pipeline:
            self._send_refusal()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.limits.header_timeout, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        start, end = 0, len(data)
        while start < end and self._refusal is None and not self.transport.is_closing():
            cut = self._next_cut(data, start)
            if self._in_head:  # counted before parsing: the parser would buffer it all
                self._head_bytes += cut - start
                if self._head_bytes > self.limits.max_header_bytes:
                    self._refuse(
                        431,
                        "Request Header Fields Too Large",
                        f"the request head is larger than {self.limits.max_header_bytes} bytes",
                    )
                    return
            elif self._body_left is not None:
                self._body_left -= cut - start
            self._tail = (self._tail + data[max(start, cut - 3) : cut])[-3:]
            # A view, not a copy: uvicorn hands it to the parser alone, which takes any buffer.
            piece = data if cut - start == end else cast(bytes, memoryview(data)[start:cut])
            super().data_received(piece)
            start = cut
        self._await_the_rest()

    def _await_the_rest(self) -> None:
        """A deadline for what this read left unfinished: a head begun (a keep-alive
        request's first bytes), or a body. Set once the read is fed, not per phase: a request
        that arrives whole in one read, the usual one, costs no timer at all."""
        if self._timer is not None or self._refusal is not None or self.transport.is_closing():
            return
        if self._in_head and self._head_bytes:
            self._arm(self.limits.header_timeout, self._head_too_slow)
        elif not self._in_head:
            self._arm(self.limits.body_timeout, self._body_too_slow)

    def _next_cut(self, data: bytes, start: int) -> int:
        """Where the next piece to feed ends: where the parser may move from a head to a body
        or from one request to the next, so that each piece is all head or all not."""
        if not self._in_head and self._body_left:
            return min(len(data), start + self._body_left)
        for taken in (1, 2, 3):  # a blank line begun in the previous piece
            if (self._tail + data[start : start + taken]).endswith(BLANK_LINE):
                return start + taken
        found = data.find(BLANK_LINE, start)
        return len(data) if found < 0 else found + len(BLANK_LINE)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        super().on_headers_complete()
        self._body_left = _body_length(self.headers)

    def on_message_complete(self) -> None:
        self._disarm()
        self._in_head, self._head_bytes = True, 0
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
