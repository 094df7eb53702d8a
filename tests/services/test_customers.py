"""The customer use cases, called directly: search (pages, the accounts shown, addresses
from address validation when there is one) and auth (what the customer directory is
asked, what it answers, the mock scenarios), with the sandbox world and with providers of
the test's own. Over HTTP: tests/api/test_customers.py."""

from __future__ import annotations

import copy

import pytest
from msgspec import UNSET

from omnicart.domain.errors import CustomerNotFound, ProviderMissing
from omnicart.domain.scenarios import parse
from omnicart.domain.world import Customer, load_default_world
from omnicart.providers.interface import Credential, CustomerQuery, Providers
from omnicart.providers.sandbox import WorldCustomers
from omnicart.services.customers import CustomerService
from omnicart.wire.customers import CustomerAuthRequest, CustomerSearchRequest
from omnicart.wire.decoding import convert
from omnicart.wire.errors import ApiError
from tests.world import (
    AVERY,
    AVERY_FIBER_BAN,
    CASEY,
    JORDAN,
    JORDAN_FIBER_BAN,
    MORGAN,
    PACIFIC,
    PEACHTREE,
    TAYLOR,
)


def searching(**body) -> CustomerSearchRequest:
    return convert({"serviceType": "FIBER", **copy.deepcopy(body)}, CustomerSearchRequest)


def auth(**body) -> CustomerAuthRequest:
    return convert(copy.deepcopy(body), CustomerAuthRequest)


class TestSearch:
    async def test_a_page_of_customers_and_how_many_match_in_all(self, services):
        page = await services.customers.search(searching(pageSize=2, pageOffset=2))
        assert (page.totalCount, page.pageInfo.pageSize, page.pageInfo.pageOffset) == (5, 2, 2)
        assert [c.id for c in page.individuals] == [CASEY, TAYLOR]

    async def test_only_the_accounts_the_search_matched_are_shown(self, services):
        page = await services.customers.search(searching(serviceAddressId=PEACHTREE))
        assert [(c.id, [a.billingAccountNumber for a in c.accounts]) for c in page.individuals] == [
            (CASEY, ["556165899576"]),
            (AVERY, [AVERY_FIBER_BAN]),
        ]

    async def test_without_address_validation_an_address_is_shown_by_its_id(self):
        directory = WorldCustomers(load_default_world())
        page = await CustomerService(Providers("crm only", customers=directory)).search(
            searching(billingAccountNumber=JORDAN_FIBER_BAN)
        )
        (jordan,) = page.individuals
        assert [(a.serviceAddress.id, a.serviceAddress.city) for a in jordan.accounts] == [(PACIFIC, UNSET)]

    async def test_customer_not_found_answers_an_empty_page(self, services):
        page = await services.customers.search(searching(pageSize=5), parse("customer_not_found"))
        assert (page.totalCount, page.individuals, page.pageInfo.pageSize) == (0, [], 5)

    async def test_without_a_customer_directory_it_cannot_answer(self):
        with pytest.raises(ProviderMissing) as missing:
            await CustomerService(Providers("none")).search(searching())
        assert missing.value.details == {"provider": "customer directory"}


class Directory:
    """A customer directory that knows whom the test says and records what it is asked."""

    def __init__(self, *found: Customer, right: bool = True) -> None:
        self.found = list(found)
        self.right = right
        self.searched: list[CustomerQuery] = []
        self.presented: list[list[Credential]] = []

    async def search(self, query: CustomerQuery, offset: int, limit: int) -> tuple[list[Customer], int]:
        self.searched.append(query)
        return self.found[offset : offset + limit], len(self.found)

    async def get(self, customer_id: str) -> Customer | None:
        return next((c for c in self.found if c.id == customer_id), None)

    async def authenticate(self, customer: Customer, credentials: list[Credential]) -> bool:
        self.presented.append(credentials)
        return self.right


def customer(customer_id: str) -> Customer:
    found = load_default_world().customer(customer_id)
    assert found is not None
    return found


class TestAuth:
    async def test_the_directory_is_asked_for_the_identity_and_shown_every_credential(self):
        directory = Directory(customer(JORDAN))
        answer = await CustomerService(Providers("crm", customers=directory)).authenticate(
            auth(
                partnerCustomerUUID=JORDAN,
                firstName="Jordan",
                canBeReachedNumber="+1 (214) 555-0101",
                billingAccountNumber=JORDAN_FIBER_BAN,
                passcode="jwe",
                otp={"pin": "123456", "deliveryMethod": "SMS"},
                last4SSN="1234",
            )
        )
        assert answer.status == "SUCCESS"
        assert directory.searched == [
            CustomerQuery(
                customer_id=JORDAN, given_name="Jordan", phone="2145550101", billing_account_number=JORDAN_FIBER_BAN
            )
        ]
        assert directory.presented == [
            [Credential("passcode", "jwe"), Credential("otp", "123456"), Credential("last4SSN", "1234")]
        ]

    async def test_a_credential_the_directory_refuses_is_a_failure(self):
        service = CustomerService(Providers("crm", customers=Directory(customer(JORDAN), right=False)))
        assert (await service.authenticate(auth(partnerCustomerUUID=JORDAN, last4SSN="1234"))).status == "FAILURE"

    async def test_an_identity_that_matches_several_customers_proves_nobody(self):
        service = CustomerService(Providers("crm", customers=Directory(customer(JORDAN), customer(MORGAN))))
        with pytest.raises(CustomerNotFound):
            await service.authenticate(auth(billingAccountNumber=JORDAN_FIBER_BAN, last4SSN="1234"))

    @pytest.mark.parametrize(
        ("scenario", "outcome"),
        [("auth_failed", "FAILURE"), ("customer_not_found", None), ("slow_response", "SUCCESS")],
    )
    async def test_the_mock_scenarios(self, services, scenario, outcome):
        request = auth(partnerCustomerUUID=JORDAN, last4SSN="1234")
        if outcome is None:
            with pytest.raises(CustomerNotFound):
                await services.customers.authenticate(request, parse(scenario))
        else:
            assert (await services.customers.authenticate(request, parse(scenario))).status == outcome

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            ({"last4SSN": "1234"}, "one of partnerCustomerUUID, billingAccountNumber, subscriberNumber is required"),
            ({"partnerCustomerUUID": JORDAN}, "one of passcode, otp, last4SSN is required"),
        ],
    )
    async def test_an_identifier_and_a_credential_are_required_before_the_directory_is_asked(self, body, reason):
        directory = Directory(customer(JORDAN))
        with pytest.raises(ApiError) as refused:
            await CustomerService(Providers("crm", customers=directory)).authenticate(auth(**body))
        assert refused.value.status == 400 and reason in refused.value.message
        assert directory.searched == []
