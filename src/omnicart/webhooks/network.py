"""The only way deliveries reach the network: resolve, check, connect to what was checked.

httpx would resolve the callback's name itself, at connect time, after any check of ours:
a name answering a public address at the check and 127.0.0.1 at the connect (DNS
rebinding) would get through. So the connection pool is given a network backend that
resolves the name, refuses the connection unless *every* address is public
(domain/callbacks.py), and connects to that very address. TLS still runs against the
name (httpcore passes the origin host as SNI and for certificate checks). Proxies from
the environment are ignored: a proxy would connect on our behalf, unchecked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

from omnicart.domain.callbacks import Address, is_public


class AddressRefused(httpcore.ConnectError):
    """The callback's host resolves to an address deliveries must not reach."""


class CheckedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, *, allow_private: bool, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.allow_private = allow_private
        self.inner = inner or httpcore.AnyIOBackend()

    async def resolve(self, host: str, port: int, timeout: float | None) -> list[Address]:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP), timeout
            )
        except (OSError, TimeoutError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host!r}: {exc}") from exc
        addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos))
        # The message names no address: it reaches the partner (a hub's last error, the
        # console's ping), and the answers of our resolver are no business of theirs.
        if not self.allow_private and not all(is_public(a) for a in addresses):
            raise AddressRefused(f"{host!r} resolves to a non-public address")
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.resolve(host, port, timeout)
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise httpcore.ConnectError(f"cannot connect to {host!r}: {last}")

    async def connect_unix_socket(self, *args: object, **kwargs: object) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("deliveries never use unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a pool that connects only through CheckedBackend."""

    def __init__(self, *, allow_private: bool, limits: httpx.Limits | None = None) -> None:
        limits = limits or httpx.Limits(max_connections=100)
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=CheckedBackend(allow_private=allow_private),
        )
