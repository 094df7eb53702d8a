"""schemathesis against the served OpenAPI document: no input the schema allows (and
none it forbids) gets a 5xx, and every answer conforms to the document."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.live import LiveServer

pytestmark = pytest.mark.slow

# What uvicorn answers, before the app sees anything, to bytes that are not an HTTP request.
NOT_HTTP = "Invalid HTTP request received."


@pytest.fixture(scope="module")
def served_schema(request, tmp_path_factory):
    database = (
        request.getfixturevalue("postgres_database")
        if request.param == "postgres"
        else (f"sqlite:///{tmp_path_factory.mktemp('schema')}/omnicart.db")
    )
    # The sandbox world's providers (outside sandbox mode, so mock-scenario stays ignored):
    # the fiber operations answer data, not 501 for a provider missing.
    env = {"OMNICART_PROVIDERS": "sandbox"}
    with LiveServer(database, workers=1, env=env, log=tmp_path_factory.mktemp("log") / "server.log") as server:
        yield schemathesis.openapi.from_url(f"{server.url}/openapi.json", headers=server.headers)


schema = schemathesis.pytest.from_fixture("served_schema")


@pytest.mark.parametrize("served_schema", ["sqlite", "postgres"], indirect=True, scope="module")
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_promises(case):
    response = case.call()
    if response.status_code == 400 and response.text == NOT_HTTP:
        # Negative generation can make a request that is not HTTP at all (a header name
        # holding `;`): the HTTP server refuses it before the app, in plain text. No
        # document of the API can describe that answer, so only its status is checked.
        return
    # Every check but "schema-valid data is accepted": the documented input limits
    # (docs/limits.md: string lengths, NUL characters, nesting, list sizes) also bind the
    # free-form fields partners may add, which a JSON schema of open objects cannot say.
    case.validate_response(response, excluded_checks=[checks.positive_data_acceptance])
