"""Callbacks never reach inside: every spelling of an internal address is refused at
registration, and names are checked again, by address, when a delivery connects."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from omnicart.domain.callbacks import check_callback
from omnicart.domain.errors import InvalidHub
from omnicart.webhooks.network import AddressRefused, CheckedBackend, CheckedTransport

# Each of these reached a listener on this host before (issue 11), or is another spelling
# of an internal address that the OS resolver or an HTTP client accepts.
LOOPBACK_SPELLINGS = [
    "http://2130706433/",
    "http://0x7f000001/",
    "http://127.1/",
    "http://0/",
    "http://017700000001/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://127.0.0.1./",
    "http://localhost./",
    "http://LOCALHOST/",
    "http://[::127.0.0.1]/",
    "http://127%2e0%2e0%2e1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]/",
    "http://[64:ff9b::127.0.0.1]/",
    "http://[2002:7f00:1::]/",
    "http://[::]/",
    "http://0.0.0.0/",
    "http://[::1%25lo]/",
    "http://127.0.0.1../",  # an empty label: some resolvers drop it
    "http://LocalHost../",
    "http://127.0.0.1.%2e/",
]
OTHER_INTERNAL = [
    "http://10.0.0.1/",
    "http://0x0a000001/",
    "http://172.16.0.1/",
    "http://192.168.0.1/",
    "http://169.254.169.254/",
    "http://0xa9fea9fe/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://100.64.0.1/",
    "http://intranet/",
    "http://db.internal/",
    "http://[fec0::1]/",  # site-local: `is_global` of Python 3.11 and 3.12 says global
    "http://[feff:ffff::1]/",
    "http://[3fff::1]/",  # documentation (RFC 9637)
    "http://[5f00::1]/",  # SRv6 segment identifiers
    "http://192.88.99.1/",  # 6to4 relay anycast, deprecated
    "http://[2001:db8::1]/",
    "http://192.0.2.1/",
]


@pytest.mark.parametrize("callback", LOOPBACK_SPELLINGS + OTHER_INTERNAL)
def test_every_spelling_of_an_internal_address_is_refused(callback):
    with pytest.raises(InvalidHub):
        check_callback(callback, allow_private=False)


@pytest.mark.parametrize(
    "callback",
    [
        "https://example.com:abc/",
        "https://example.com:99999/",
        "https://example.com:0/",
        "https://example.com:-1/",
        "http://[::1",
        "http://[::1]x/",
        "http://]/",
        "http://exa mple.com/",
        "http://example.com\\@evil/",
        "http://ex%61mple.com/",
        "http://café.example/",
        "http://1.2.3.4.5/",
        "http://hooks..example.com/",
        "http://.hooks.example.com/",
        "http://" + "a" * 2050,
    ],
)
def test_a_malformed_callback_is_refused_even_where_private_callbacks_are_allowed(callback):
    with pytest.raises(InvalidHub):
        check_callback(callback, allow_private=True)


@pytest.mark.parametrize(
    "callback",
    [
        "https://hooks.example.com/x",
        "https://hooks.example.com:8443/x?a=1",
        "http://93.184.216.34/",
        "http://[2606:4700:4700::1111]/",
        "https://hooks.example.com./x",
    ],
)
def test_public_callbacks_are_accepted(callback):
    assert check_callback(callback, allow_private=False) == callback


def test_private_callbacks_are_accepted_where_allowed():
    assert check_callback("http://127.0.0.1:8080/x", allow_private=True)
    assert check_callback("http://localhost:8080/x", allow_private=True)


@pytest.fixture
def listener():
    """A loopback socket that counts the connections it accepts."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    yield server
    server.close()


def _accepted(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except TimeoutError:
        return False
    return True


def test_a_name_resolving_to_an_internal_address_is_never_connected_to(listener, monkeypatch):
    """DNS rebinding: the name was public when registered; at delivery it answers 127.0.0.1."""
    port = listener.getsockname()[1]

    async def rebound(self, host, port, **kwargs):
        assert host == "hooks.example.com"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    async def post() -> None:
        monkeypatch.setattr(type(asyncio.get_running_loop()), "getaddrinfo", rebound)
        async with httpx.AsyncClient(transport=CheckedTransport(allow_private=False)) as client:
            await client.post(f"http://hooks.example.com:{port}/x", content=b"{}")

    with pytest.raises(httpx.ConnectError, match="non-public") as refused:
        asyncio.run(post())
    assert not _accepted(listener)
    # The refusal reaches the partner (a hub's last error, the console's ping): it names
    # the host the partner registered, never what our resolver answered for it.
    assert "127.0.0.1" not in str(refused.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f.1", "localhost"])
def test_the_backend_refuses_internal_addresses_in_any_spelling(host):
    async def connect() -> None:
        await CheckedBackend(allow_private=False).connect_tcp(host, 9)

    with pytest.raises(AddressRefused) as refused:
        asyncio.run(connect())
    assert str(refused.value) == f"{host!r} resolves to a non-public address"


@pytest.mark.parametrize("address", ["fec0::1", "3fff::1", "5f00::1", "::ffff:10.0.0.1", "64:ff9b::a00:1"])
def test_the_backend_refuses_names_resolving_to_non_global_addresses(address, monkeypatch):
    async def resolved(self, host, port, **kwargs):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]

    async def connect() -> None:
        monkeypatch.setattr(type(asyncio.get_running_loop()), "getaddrinfo", resolved)
        await CheckedBackend(allow_private=False).connect_tcp("hooks.example.com", 443)

    with pytest.raises(AddressRefused) as refused:
        asyncio.run(connect())
    assert address not in str(refused.value)


def test_the_backend_connects_to_the_checked_address_where_private_is_allowed(listener):
    async def connect() -> None:
        stream = await CheckedBackend(allow_private=True).connect_tcp("localhost", listener.getsockname()[1], 2)
        await stream.aclose()

    asyncio.run(connect())
    assert _accepted(listener)
