"""OMNICART_ALLOWED_HOSTS: a forged Host is refused with 400 and never reflected into an
href, a Location or the trailing-slash redirect (issue 11)."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api import hosts
from omnicart.api.app import create_app
from tests.api.conftest import CARTS, assert_error
from tests.credentials import AUTH

EVIL = "evil.example"


@pytest.fixture
def app_without_test_host(settings, monkeypatch):
    monkeypatch.setattr(hosts, "LOOPBACK_HOSTS", ("localhost", "127.0.0.1", "::1"))  # the shipped default
    return lambda **changes: create_app(dataclasses.replace(settings, **changes))


@pytest.mark.parametrize(
    "host",
    [
        EVIL,
        f"{EVIL}:443",
        "localhost.evil.example",
        "127.0.0.1.evil.example",
        "[::1",
        "localhost:abc",
        "localhost:²",
        "",
        "localhost:8000",  # a port the server does not listen on (it listens on 80 here)
        "127.0.0.1:1",
        "localhost..",
        "localhost:0",
    ],
)
def test_another_host_is_refused_and_not_reflected(app_without_test_host, host, seed_request):
    with TestClient(app_without_test_host(), raise_server_exceptions=False, headers=AUTH) as client:
        paths = (CARTS, f"{CARTS}/", "/omni-svcs/v1/hub/", "/health")
        for method, path in [(m, p) for m in ("GET", "POST") for p in paths]:
            response = client.request(
                method, path, headers={"Host": host.encode()}, json=seed_request, follow_redirects=False
            )
            assert_error(response, 400, "OMNICART-REQUEST-0400-HOST")
            assert EVIL not in response.text and "location" not in response.headers


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST."])
def test_loopback_names_are_allowed_by_default_on_the_port_served(app_without_test_host, host, seed_request):
    with TestClient(
        app_without_test_host(), raise_server_exceptions=False, headers=AUTH, base_url="http://localhost:8000"
    ) as client:
        response = client.post(CARTS, json=seed_request, headers={"Host": host})
        assert response.status_code == 201, response.text
        assert response.headers["location"].startswith(f"http://{host}/")


def test_the_host_of_the_public_base_url_is_allowed_and_used(app_without_test_host, seed_request):
    app = app_without_test_host(public_base_url="https://carts.example.com")
    with TestClient(app, raise_server_exceptions=False, headers=AUTH, base_url="https://carts.example.com") as client:
        response = client.post(CARTS, json=seed_request)
        assert response.status_code == 201
        assert response.json()["href"].startswith("https://carts.example.com/")
        assert client.get(CARTS, headers={"Host": EVIL}).status_code == 400


@pytest.mark.parametrize(
    ("host", "status"), [("localhost", 200), ("localhost:443", 200), ("localhost:9443", 200), ("localhost:80", 400)]
)
def test_a_name_without_a_port_is_allowed_on_its_schemes_port_and_the_one_served(app_without_test_host, host, status):
    app = app_without_test_host()
    with TestClient(app, raise_server_exceptions=False, headers=AUTH, base_url="https://localhost:9443") as client:
        assert client.get(CARTS, headers={"Host": host}).status_code == status


def test_a_configured_port_is_allowed_and_reflected_no_other(app_without_test_host, seed_request):
    app = app_without_test_host(allowed_hosts=("api.partner.test:8443",))
    with TestClient(app, raise_server_exceptions=False, headers=AUTH) as client:
        created = client.post(CARTS, json=seed_request, headers={"Host": "api.partner.test:8443"})
        assert created.headers["location"].startswith("http://api.partner.test:8443/")
        for other in ("api.partner.test:8444", "api.partner.test", "api.partner.test:80"):
            assert_error(client.get(CARTS, headers={"Host": other}), 400, "OMNICART-REQUEST-0400-HOST")


def test_the_port_of_the_public_base_url_is_allowed(app_without_test_host):
    app = app_without_test_host(public_base_url="https://carts.example.com:8443/")
    with TestClient(app, raise_server_exceptions=False, headers=AUTH) as client:
        assert client.get(CARTS, headers={"Host": "carts.example.com:8443"}).status_code == 200
        assert client.get(CARTS, headers={"Host": "carts.example.com:9999"}).status_code == 400


def test_configured_hosts_replace_the_default(app_without_test_host):
    app = app_without_test_host(allowed_hosts=("*.example.com", "api.partner.test"))
    with TestClient(app, raise_server_exceptions=False, headers=AUTH) as client:
        assert client.get(CARTS, headers={"Host": "carts.example.com"}).status_code == 200
        assert client.get(CARTS, headers={"Host": "carts.example.com:80"}).status_code == 200
        assert client.get(CARTS, headers={"Host": "carts.example.com:8443"}).status_code == 400
        assert client.get(CARTS, headers={"Host": "api.partner.test"}).status_code == 200
        assert client.get(CARTS, headers={"Host": "api.partner.test:8443"}).status_code == 400
        assert client.get(CARTS, headers={"Host": "localhost"}).status_code == 400
        assert client.get(CARTS, headers={"Host": "example.com.evil.test"}).status_code == 400


def test_the_trailing_slash_redirect_keeps_an_allowed_host(client):
    response = client.get(f"{CARTS}/", follow_redirects=False)
    if response.status_code in (301, 307, 308):
        assert response.headers["location"].startswith("http://testserver/")


class TestJudgedOnce:
    """The edge keeps the answer for a Host it judged (api/hosts.py `answered`): the kept
    answer is the one judging it again would give, for the same scheme and server only."""

    ALLOWED = ("api.example.com", "*.example.org:8443")
    # Host, scheme, the server's address, allowed?
    CASES = [
        (b"api.example.com", "http", ("10.0.0.1", 8080), True),
        (b"api.example.com:8080", "http", ("10.0.0.1", 8080), True),  # the port it listens on
        (b"api.example.com:8080", "http", ("10.0.0.1", 9090), False),  # the same Host, another server
        (b"api.example.com:443", "https", ("10.0.0.1", 8080), True),
        (b"api.example.com:443", "http", ("10.0.0.1", 8080), False),  # the same Host, another scheme
        (b"shop.example.org:8443", "https", ("10.0.0.1", 8080), True),
        (b"shop.example.org", "https", ("10.0.0.1", 8080), False),
        (b"evil.example", "http", ("10.0.0.1", 8080), False),
        (b"API.example.com.", "http", ("10.0.0.1", 8080), True),
    ]

    @staticmethod
    def scope(host: bytes, scheme: str, server: tuple[str, int]) -> dict:
        return {"type": "http", "headers": [(b"host", host)], "scheme": scheme, "server": server}

    def test_a_kept_answer_is_the_answer_judged_afresh(self):
        judge = hosts.AllowedHosts(self.ALLOWED)
        expected = [allowed for *_, allowed in self.CASES]
        first = [judge.answered(self.scope(*case)) for *case, _ in self.CASES]
        again = [judge.answered(self.scope(*case)) for *case, _ in self.CASES]  # from what was kept
        afresh = [
            judge.allowed(hosts.host_and_port(host.decode()), self.scope(host, scheme, server))
            for host, scheme, server, _ in self.CASES
        ]
        assert first == again == afresh == expected
        assert len(judge.answers) == len(self.CASES)

    def test_made_up_hosts_fill_a_bounded_table_and_are_still_refused(self):
        judge = hosts.AllowedHosts(self.ALLOWED)
        made_up = [self.scope(f"h{n}.evil.example".encode(), "http", ("10.0.0.1", 8080)) for n in range(300)]
        assert [judge.answered(scope) for scope in made_up] == [False] * 300
        assert len(judge.answers) == 256
        assert judge.answered(self.scope(b"api.example.com", "http", ("10.0.0.1", 8080))) is True
