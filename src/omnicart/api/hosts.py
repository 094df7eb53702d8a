"""OMNICART_ALLOWED_HOSTS: which Host headers omnicart answers to, ports included.

Without OMNICART_PUBLIC_BASE_URL, `href` and `Location` are built from the request's Host
(api/responses.py `base_url`), as is Starlette's trailing-slash redirect: a forged Host
would be reflected into them (cache poisoning, links to an attacker's host or port). So
every request's Host is checked first, before routing; any other answers 400 without
echoing it.

An entry is a name (`api.example.com`, `*.example.com` for its subdomains), optionally
with a port (`api.example.com:8443`); `*` allows any host. A name without a port allows
the Host without a port, with the scheme's default port (80, 443) or with the port the
server listens on — no other: a port a client made up is not reflected into links.
Default: the loopback names, plus the host (and port) of OMNICART_PUBLIC_BASE_URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import Scope

from omnicart.api.errors import error_response

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
DEFAULT_PORTS = {"http": 80, "https": 443}
# The answers kept for Host values already judged: clients send a handful, and judging
# one again costs more than the rest of the check. Bounded, so made-up Hosts fill nothing.
KEPT_ANSWERS = 256


def default_allowed_hosts(public_base_url: str | None) -> tuple[str, ...]:
    hosts = list(LOOPBACK_HOSTS)
    if public_base_url:
        parts = urlsplit(public_base_url)
        if parts.hostname:
            hosts.append(parts.netloc.rpartition("@")[2] if parts.port else parts.hostname)
    return tuple(hosts)


def host_and_port(value: str, *, entry: bool = False) -> tuple[str, int | None] | None:
    """The name (IPv6 brackets off, lower case, without its one trailing dot) and the port
    of a Host header (or of an `entry` of OMNICART_ALLOWED_HOSTS, which may be a bare IPv6
    address); None when it is not a well-formed host[:port]."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] if rest else None
    elif entry and value.count(":") > 1:
        name, port = value, None
    else:
        name, colon, port_text = value.partition(":")
        port = port_text if colon else None
        name = name[:-1] if name.endswith(".") else name
    if port is not None and not (port.isascii() and port.isdecimal() and 0 < int(port) < 65536):
        return None
    if "" in name.split("."):  # empty labels: `a..b`, `.a`, nothing at all
        return None
    return name, None if port is None else int(port)


class AllowedHosts:
    def __init__(self, hosts: tuple[str, ...]) -> None:
        self.any = "*" in hosts
        self.answers: dict[tuple[bytes, str | None, int | None], bool] = {}  # (Host, scheme, port) -> allowed
        self.exact: set[tuple[str, int | None]] = set()
        self.suffixes: set[tuple[str, int | None]] = set()  # "*.example.com": (".example.com", port)
        for entry in hosts:
            if entry == "*":
                continue
            wildcard = entry.startswith("*.")
            parsed = host_and_port(entry[2:] if wildcard else entry, entry=True)
            if parsed is None:
                raise ValueError(f"OMNICART_ALLOWED_HOSTS: {entry!r} is not a host or host:port")
            if wildcard:
                self.suffixes.add(("." + parsed[0], parsed[1]))
            else:
                self.exact.add(parsed)

    def allowed(self, host: tuple[str, int | None] | None, scope: Scope) -> bool:
        if self.any:
            return True
        if host is None:
            return False
        name, port = host
        # A name allowed without a port is allowed with the usual ones too.
        usual = port is None or port in (DEFAULT_PORTS.get(scope.get("scheme", "")), _listening_port(scope))
        ports = {port, None} if usual else {port}
        if any((name, p) in self.exact for p in ports):
            return True
        return any(name.endswith(suffix) and p in ports for suffix, p in self.suffixes)

    def answered(self, scope: Scope) -> bool:
        """`allowed` for the request's one Host header, as judged the first time it was seen
        (with the same scheme and listening port, the other things the judgement reads)."""
        values = [v for k, v in scope["headers"] if k == b"host"]
        if len(values) != 1:
            return self.allowed(None, scope)
        seen = (values[0], scope.get("scheme"), _listening_port(scope))
        allowed = self.answers.get(seen)
        if allowed is None:
            allowed = self.allowed(host_and_port(values[0].decode("latin-1")), scope)
            if len(self.answers) < KEPT_ANSWERS:
                self.answers[seen] = allowed
        return allowed

    def refusal(self, scope: Scope) -> Response | None:
        """The 400 for a request whose Host this service does not answer to; else None."""
        if self.answered(scope):
            return None
        return error_response(
            400,
            "OMNICART-REQUEST-0400-HOST",
            "the Host header names a host or port this service does not answer to"
            " (OMNICART_ALLOWED_HOSTS takes host:port; or set OMNICART_PUBLIC_BASE_URL)",
        )


def _listening_port(scope: Scope) -> int | None:
    server = scope.get("server")
    return int(server[1]) if server and server[1] is not None else None
