"""Where omnicart may send a partner's events: callback URLs and the addresses behind them.

A callback is checked twice. At registration (`check_callback`): the URL must parse, with
an http(s) scheme and a valid port, and must not *spell* an internal address. The OS
resolver accepts many spellings of one address (`2130706433`, `0x7f.1`, `0177.0.0.1`,
`127.1`, `127.0.0.1.`, `[::ffff:127.0.0.1]`, …), so the host is read the way the resolver
reads it (inet_aton), not as a string. At delivery (webhooks/network.py): names are
resolved and every address is checked with `is_public` before connecting to exactly that
address, so a name that resolves to an internal address (or is re-pointed there after
registration: DNS rebinding) is never reached.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from omnicart.domain.errors import InvalidHub

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_CALLBACK_LENGTH = 2048
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Not global by IANA's special-purpose registries, yet global to the `is_global` of the
# Pythons omnicart runs on (3.11 and 3.12 count fec0::/10 as global, and know neither
# 3fff::/20 nor 5f00::/16), or internal to someone though global on paper.
_NOT_GLOBAL: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (
    ipaddress.IPv4Network("100.64.0.0/10"),  # carrier-grade NAT (RFC 6598)
    ipaddress.IPv4Network("192.88.99.0/24"),  # 6to4 relay anycast, deprecated (RFC 7526)
    ipaddress.IPv6Network("fec0::/10"),  # site-local, deprecated (RFC 3879)
    ipaddress.IPv6Network("3fff::/20"),  # documentation (RFC 9637)
    ipaddress.IPv6Network("5f00::/16"),  # SRv6 segment identifiers (RFC 9602)
)
# Host characters of a registered name (IDNA-encoded names included); anything else
# (percent-encoding, zone ids, spaces, backslashes) is refused rather than interpreted.
_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*$")
# host[:port] after the userinfo: brackets only around a whole IPv6 address, nothing after them but a port.
_NETLOC = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[^\[\]:@/]+)(?::[0-9]*)?$")
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


def is_public(address: Address) -> bool:
    """Whether `address` is on the public internet: `is_global`, and none of the ranges
    that are not (loopback, private, link-local, site-local, multicast, reserved,
    unspecified, shared, documentation…) nor an IPv6 form embedding such an IPv4 address
    (mapped, compatible, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and not is_public(embedded):
            return False
    if any(address in network for network in _NOT_GLOBAL):
        return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if int(address) >> 32 == 0 or address in _NAT64:  # ::a.b.c.d (deprecated) and NAT64
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def numeric_host(host: str) -> Address | None:
    """The address a host names when it is a number in any form the resolver accepts;
    None for a name. Raises ValueError for something that is neither. `host` is
    normalised (`normal_host`)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    labels = host.split(".")
    if not _NUMERIC_LABEL.fullmatch(labels[-1]):
        return None  # a name: the resolver would look it up
    try:  # every legacy form: 2130706433, 0x7f000001, 127.1, 0177.0.0.1, 0x7f.1, 0
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        raise ValueError(f"{host!r} is neither an address nor a name") from None


def normal_host(host: str) -> str:
    """The host as the resolver reads it: lower case, without the one trailing dot of a
    fully qualified name. Raises ValueError for an empty label (`127.0.0.1..`,
    `a..example.com`, `.example.com`): resolvers differ on those (some drop the empty
    label, so `127.0.0.1..` would reach 127.0.0.1), so none is let through to one. Names
    are ASCII: an internationalised name is registered in its IDNA (xn--) form."""
    name = host.lower()
    name = name[:-1] if name.endswith(".") else name
    if not name or "" in name.split("."):
        raise ValueError(f"{host!r} has an empty label")
    return name


def check_callback(callback: str, *, allow_private: bool) -> str:
    """A hub's callback: an absolute http(s) URL with a valid port, no credentials, and
    (unless `allow_private`) no host spelling an internal address."""
    if len(callback) > MAX_CALLBACK_LENGTH or not callback.isascii() or not callback.isprintable() or " " in callback:
        raise InvalidHub("callback", f"must be a URL of at most {MAX_CALLBACK_LENGTH} printable ASCII characters")
    try:
        parts = urlsplit(callback)
        port = parts.port  # ValueError for :abc and :99999
        host = parts.hostname
    except ValueError as exc:
        raise InvalidHub("callback", f"is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidHub("callback", "must be an absolute http:// or https:// URL")
    if not _NETLOC.fullmatch(parts.netloc.rpartition("@")[2]):
        raise InvalidHub("callback", "is not a valid URL: bad host or port")
    if port == 0 or (parts.netloc.endswith(":") and port is None):
        raise InvalidHub("callback", "must name a port between 1 and 65535 (or none)")
    if parts.username is not None or parts.password is not None:
        raise InvalidHub("callback", "must not carry credentials")
    try:
        name = normal_host(host)
        address = numeric_host(name)
    except ValueError as exc:
        raise InvalidHub("callback", str(exc)) from None
    if address is None and not _NAME.fullmatch(name):
        raise InvalidHub("callback", "the host must be an IP address or a DNS name (letters, digits, - and .)")
    if not allow_private:
        internal = (
            (not is_public(address))
            if address is not None
            else (name == "localhost" or name.endswith(_INTERNAL_SUFFIXES) or "." not in name)
        )
        if internal:
            raise InvalidHub(
                "callback", "must not point at a loopback, private or link-local (or otherwise reserved) address"
            )
    return callback
