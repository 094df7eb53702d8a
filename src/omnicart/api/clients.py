"""Who is calling: the client's address and the scheme it used, worked out in one place.

The peer of the TCP connection is the client, unless it is one of the proxies named by
OMNICART_TRUSTED_PROXIES (addresses or networks; none by default). From a trusted proxy
only, `X-Forwarded-For` names the client: read from the right, the first address that is
not itself a trusted proxy (what a client writes to the left of it is not believed), and
`X-Forwarded-Proto` the scheme, if it is `http` or `https`. The answer replaces the
scope's `client` and `scheme`, so the rate limits of sign-in attempts, the access log and
the links built from the request (api/responses.py `base_url`) all see the same caller.

uvicorn's own proxy handling is off (cli.py): it trusts 127.0.0.1 by default, so any
process on the host could choose its address, and it passes `ws` on as an HTTP scheme.
"""

from __future__ import annotations

import ipaddress

from starlette.types import Scope

SCHEMES = ("http", "https")


class ClientAddress:
    """Called first by the edge (api/edge.py) on every HTTP request."""

    def __init__(self, proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> None:
        self.proxies = proxies

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def forwarded_for(self, values: list[bytes]) -> str | None:
        """The right-most address of X-Forwarded-For that is not a trusted proxy (the
        left-most when all are); None when the header is absent or an entry is not an address."""
        hops = [hop.strip() for value in values for hop in value.decode("latin-1").split(",")]
        client = None
        for hop in reversed(hops):
            try:
                client = str(ipaddress.ip_address(hop))
            except ValueError:
                return None
            if not self.trusted(client):
                break
        return client

    def resolve(self, scope: Scope) -> None:
        """Puts the client's address and scheme in the scope, when a trusted proxy names them."""
        peer = scope.get("client")
        if self.proxies and peer and self.trusted(peer[0]):
            forwarded = [value for name, value in scope["headers"] if name == b"x-forwarded-for"]
            client = self.forwarded_for(forwarded) if forwarded else None
            if client is not None:
                scope["client"] = (client, 0)
            protos = [value for name, value in scope["headers"] if name == b"x-forwarded-proto"]
            if protos:
                proto = protos[-1].decode("latin-1").split(",")[-1].strip().lower()
                if proto in SCHEMES:
                    scope["scheme"] = proto
