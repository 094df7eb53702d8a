"""omnicart.client's calls of the fiber move flow's first steps (customers/search,
customer/auth, service-qualification) against a live `omnicart serve --sandbox`, on each
store: answers decoded into the server's wire structs, errors as OmnicartError."""

from __future__ import annotations

import asyncio

import pytest

from omnicart.client import AsyncClient, OmnicartError
from omnicart.wire.customers import CustomerAuthResult, CustomerSearchResult
from omnicart.wire.decoding import convert
from omnicart.wire.qualification import ServiceQualificationRequest, ServiceQualificationResult
from tests.credentials import KEY
from tests.world import (
    AKARD,
    FAILING_LAST4SSN,
    JORDAN,
    JORDAN_FIBER_BAN,
    JORDAN_WIRELESS_LINE,
    MORGAN,
    OFFERS_AT,
    PACIFIC,
    UNKNOWN_CUSTOMER,
    WITH_FIBER,
    qualification_request,
)

# The server tests/kit/conftest.py starts for this module runs with:
SERVER_ENV = {"OMNICART_SANDBOX": "1", "OMNICART_FULFILMENT": "off"}


def test_search_customers_pages_and_filters(api):
    page = api.search_customers(page_size=2, page_offset=1)
    assert isinstance(page, CustomerSearchResult)
    assert (page.totalCount, [c.id for c in page.individuals]) == (len(WITH_FIBER), [JORDAN, MORGAN])
    (jordan,) = api.search_customers("WIRELESS", subscriberNumber=JORDAN_WIRELESS_LINE).individuals
    assert jordan.id == JORDAN and jordan.accounts[0].serviceAddress.id == PACIFIC
    assert api.search_customers(scenario="customer_not_found").individuals == []
    with pytest.raises(OmnicartError) as bad:
        api.search_customers(page_size=0)
    assert (bad.value.status, bad.value.code) == (400, "OMNICART-CUSTOMER-0002")


def test_authenticate_customer(api):
    answer = api.authenticate_customer({"billingAccountNumber": JORDAN_FIBER_BAN, "last4SSN": "1234"})
    assert answer == CustomerAuthResult("SUCCESS")
    assert api.authenticate_customer({"partnerCustomerUUID": JORDAN, "last4SSN": FAILING_LAST4SSN}).status == "FAILURE"
    with pytest.raises(OmnicartError) as unknown:
        api.authenticate_customer({"partnerCustomerUUID": UNKNOWN_CUSTOMER, "last4SSN": "1234"})
    assert (unknown.value.status, unknown.value.code) == (404, "OMNICART-CUSTOMER-0404")


def test_qualify_service_with_a_dict_or_the_request_struct(api):
    answer = api.qualify_service(qualification_request())
    assert isinstance(answer, ServiceQualificationResult)
    assert answer.addressValidation.validGeographicAddress.id == AKARD
    assert [offer.id for offer in answer.offers] == OFFERS_AT[AKARD]
    assert answer.offers[0].productOfferingPrice[0].price.dutyFreeAmount.value == 55.0
    assert api.qualify_service(convert(qualification_request(), ServiceQualificationRequest)) == answer
    with pytest.raises(OmnicartError) as failed:
        api.qualify_service(qualification_request(), scenario="downstream_failure")
    assert (failed.value.status, failed.value.code) == (502, "EXTSALESOPS-OFFERS-CPOPOFFER-0002")


def test_async_client(server):
    async def run() -> None:
        async with AsyncClient(server.url, api_key=KEY) as api:
            page = await api.search_customers(billingAccountNumber=JORDAN_FIBER_BAN)
            assert [c.id for c in page.individuals] == [JORDAN]
            auth = await api.authenticate_customer({"partnerCustomerUUID": JORDAN, "otp": {"pin": "123456"}})
            assert auth.status == "SUCCESS"
            answer = await api.qualify_service(qualification_request())
            assert [offer.id for offer in answer.offers] == OFFERS_AT[AKARD]

    asyncio.run(run())
