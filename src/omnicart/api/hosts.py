"""OMNICART_ALLOWED_HOSTS: which Host headers omnicart answers to.

Without OMNICART_PUBLIC_BASE_URL, `href` and `Location` are built from the request's Host
(api/responses.py `base_url`), as is Starlette's trailing-slash redirect: a forged Host would
be reflected into them (cache poisoning, links to an attacker's host). So every request's
Host is checked first, before routing; any other answers 400 without echoing it.
Default: the loopback names, plus the host of OMNICART_PUBLIC_BASE_URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from omnicart.api.errors import error_response

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def default_allowed_hosts(public_base_url: str | None) -> tuple[str, ...]:
    hosts = list(LOOPBACK_HOSTS)
    if public_base_url:
        host = urlsplit(public_base_url).hostname
        if host:
            hosts.append(host)
    return tuple(hosts)


def host_name(value: str) -> str | None:
    """The name in a Host header (port and IPv6 brackets off, lower case); None when it is
    not a well-formed host[:port]."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdecimal() and rest[1:].isascii())):
            return None
        return name
    name, colon, port = value.partition(":")
    if colon and not (port.isascii() and port.isdecimal()):
        return None
    return name.rstrip(".") or None


class AllowedHosts:
    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.any = "*" in hosts
        self.exact = frozenset(h.lower() for h in hosts if not h.startswith("*."))
        self.suffixes = tuple(h.lower()[1:] for h in hosts if h.startswith("*."))  # "*.example.com"

    def allowed(self, host: str | None) -> bool:
        return host is not None and (self.any or host in self.exact or host.endswith(self.suffixes or ("\0",)))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            values = [v for k, v in scope["headers"] if k == b"host"]
            host = host_name(values[0].decode("latin-1")) if len(values) == 1 else None
            if not self.allowed(host):
                await error_response(
                    400,
                    "OMNICART-REQUEST-0400-HOST",
                    "the Host header names a host this service does not answer to (OMNICART_ALLOWED_HOSTS)",
                )(scope, receive, send)
                return
        await self.app(scope, receive, send)
