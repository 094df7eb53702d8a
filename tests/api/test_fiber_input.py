"""Hostile input to customers/search, customer/auth and service-qualification never reaches
a 5xx (the sandbox answers them, so a body that decodes reaches the world): raw bytes
and generated JSON, shaped like their requests, against each."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.api.sandbox import CUSTOMER_AUTH, QUALIFICATION, SEARCH
from tests.credentials import API_KEYS, AUTH, JWT_SECRET

PATHS = [SEARCH, CUSTOMER_AUTH, QUALIFICATION]


@pytest.fixture(scope="module")
def client(tmp_path_factory, sqlite_template):
    """One sandbox app for the module (the fuzzer makes many calls); SQLite, no rate limit."""
    path = tmp_path_factory.mktemp("fiber-input") / "omnicart.db"
    shutil.copy(sqlite_template, path)
    configured = Settings(
        database_url=f"sqlite:///{path}",
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        sandbox=True,
        rate_limit=None,
        fulfilment_poll_seconds=3600,
        webhook_poll_seconds=3600,
        purge_every_seconds=3600,
    )
    with TestClient(create_app(configured), raise_server_exceptions=False, headers=AUTH) as client:
        yield client


FIELDS = [
    "serviceType",
    "pageSize",
    "pageOffset",
    "givenName",
    "canBeReachedNumber",
    "billingAccountNumber",
    "subscriberNumber",
    "serviceAddressId",
    "partnerCustomerUUID",
    "otp",
    "pin",
    "passcode",
    "last4SSN",
    "geographicAddress",
    "postcode",
    "city",
    "addressCharacteristic",
    "name",
    "value",
    "channel",
    "id",
    "customerType",
    "offers",
    "productOfferingTypeGroup",
]
VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["FIBER", "addressLine1", "BBOffers", "208 S Akard St", "75202", "1234", "123456"])
)
DOCUMENTS = st.recursive(
    VALUES,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=14,
)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(path=st.sampled_from(PATHS), body=st.binary(max_size=200))
def test_raw_bytes_never_answer_a_5xx(client, path, body):
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code < 500, (path, body, response.text[:300])


@FUZZ
@given(path=st.sampled_from(PATHS), document=DOCUMENTS)
def test_generated_json_never_answers_a_5xx(client, path, document):
    response = client.post(path, json=document)
    assert response.status_code < 500, (path, document, response.text[:300])


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("number", ["18446744073709551616", "-18446744073709551616", "1e400", "1" * 400])
def test_numbers_beyond_any_type_are_a_400(client, path, number):
    body = f'{{"serviceType": "FIBER", "pageSize": {number}, "last4SSN": {number}, "geographicAddress": {number}}}'
    response = client.post(path, content=body.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
