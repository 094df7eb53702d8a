"""`GET /` is an index, not a bare 404; a sandbox speaks of its generated token secret
only when it issues a token."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.api.conftest import sandbox_settings
from tests.credentials import API_KEYS, KEY

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SECRET_WARNING = "OMNICART_JWT_SECRET"


def app_client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), base_url="http://localhost")


@pytest.fixture
def sandbox() -> Settings:
    return sandbox_settings("sqlite:///:memory:")


@pytest.fixture
def production() -> Settings:
    return Settings(database_url="sqlite:///:memory:", api_keys=API_KEYS, jwt_secret="s" * 32)


class TestTheIndex:
    def test_a_program_gets_the_links_as_json_without_credentials(self, production):
        with app_client(production) as client:
            index = client.get("/", headers={"accept": "application/json"})
        assert index.status_code == 200
        assert index.headers["content-type"] == "application/json"
        body = index.json()
        assert body["name"] == "omnicart" and body["sandbox"] is False
        assert body["links"] == {
            "carts": "http://localhost/omni-svcs/v1/carts",
            "docs": "http://localhost/docs",
            "openapi": "http://localhost/openapi.json",
            "console": "http://localhost/console/",
            "health": "http://localhost/health",
            "ready": "http://localhost/ready",
        }

    @pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/html"])
    def test_json_unless_html_comes_first(self, sandbox, accept):
        with app_client(sandbox) as client:
            index = client.get("/", headers={"accept": accept} if accept else {}, follow_redirects=False)
        assert index.status_code == 200 and index.json()["sandbox"] is True

    def test_a_browser_is_sent_to_the_console_in_sandbox_mode(self, sandbox):
        with app_client(sandbox) as client:
            index = client.get("/", headers={"accept": BROWSER}, follow_redirects=False)
        assert (index.status_code, index.headers["location"]) == (303, "http://localhost/console/")

    def test_a_browser_gets_the_links_outside_sandbox_mode(self, production):
        with app_client(production) as client:
            index = client.get("/", headers={"accept": BROWSER}, follow_redirects=False)
        assert index.status_code == 200 and index.json()["links"]["console"] == "http://localhost/console/"

    def test_other_methods_are_not_allowed(self, production):
        with app_client(production) as client:
            refused = client.post("/")
        assert refused.status_code == 405 and set(refused.headers["allow"].split(", ")) == {"GET", "HEAD"}


class TestTheGeneratedTokenSecret:
    def test_a_sandbox_that_issues_no_token_does_not_warn(self, sandbox, caplog):
        with (
            caplog.at_level(logging.WARNING, logger="omnicart"),
            app_client(dataclasses.replace(sandbox, jwt_secret=None)) as client,
        ):
            assert client.get("/").status_code == 200
        assert not [r for r in caplog.records if SECRET_WARNING in r.getMessage()]

    def test_its_first_token_warns_once(self, sandbox, caplog):
        unset = dataclasses.replace(sandbox, jwt_secret=None)
        with caplog.at_level(logging.WARNING, logger="omnicart"), app_client(unset) as client:
            for _ in range(2):
                issued = client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=("partner-a", KEY))
                assert issued.status_code == 200, issued.text
        warnings = [r for r in caplog.records if SECRET_WARNING in r.getMessage()]
        assert len(warnings) == 1 and "issued an access token" in warnings[0].getMessage()

    def test_outside_the_sandbox_it_warns_at_start(self, production, caplog):
        with (
            caplog.at_level(logging.WARNING, logger="omnicart"),
            app_client(dataclasses.replace(production, jwt_secret=None)),
        ):
            pass
        assert [r for r in caplog.records if SECRET_WARNING in r.getMessage()]
