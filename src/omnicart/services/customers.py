"""Use cases of customers: find them (customers/search) and authenticate them
(customer/auth), through the customer directory (providers/). Nothing is stored: a
search or an authentication changes nothing, in omnicart or at the provider.

Inputs are the carrier's requests as decoded (wire/customers.py); the rules the decoding
cannot check (customer/auth needs an identifier and a credential) answer the same input
error the decoding does. The sandbox's `mock-scenario` values act here:
`customer_not_found` (search finds nobody, auth knows no such customer) and
`auth_failed` (the credential is refused).
"""

from __future__ import annotations

from msgspec import UNSET, UnsetType

from omnicart.domain.customers import accounts_found, individual, national_number, page_start
from omnicart.domain.errors import CustomerNotFound
from omnicart.domain.scenarios import AUTH_FAILED, CUSTOMER_NOT_FOUND, NO_SCENARIOS, MockScenarios
from omnicart.domain.world import Account, Customer, ServiceAddress
from omnicart.providers.interface import Credential, CustomerDirectory, CustomerQuery, Providers
from omnicart.wire.customers import (
    CREDENTIALS,
    IDENTIFIERS,
    CustomerAuthRequest,
    CustomerAuthResult,
    CustomerSearchRequest,
    CustomerSearchResult,
    PageInfo,
)
from omnicart.wire.errors import invalid_field


def _given(value: str | UnsetType) -> str | None:
    return value if isinstance(value, str) else None


class CustomerService:
    def __init__(self, providers: Providers) -> None:
        self.providers = providers

    async def search(
        self, request: CustomerSearchRequest, scenarios: MockScenarios = NO_SCENARIOS
    ) -> CustomerSearchResult:
        """The page `request.pageOffset` (from 1) of the customers with an account of the
        service type that matches every filter; each with the accounts that matched."""
        directory = self.providers.customer_directory()
        page = PageInfo(request.pageSize, request.pageOffset)
        if scenarios.has(CUSTOMER_NOT_FOUND):
            return CustomerSearchResult(0, page, [])
        query = _search_query(request)
        found, total = await directory.search(query, page_start(request.pageSize, request.pageOffset), request.pageSize)
        shown = [(customer, _accounts_matching(customer, query)) for customer in found]
        addresses = await self._addresses({a.serviceAddressId for _, accounts in shown for a in accounts})
        return CustomerSearchResult(total, page, [individual(c, accounts, addresses) for c, accounts in shown])

    async def _addresses(self, ids: set[str]) -> dict[str, ServiceAddress]:
        """The service addresses by id, as address validation knows them. Without that
        provider a search still answers, with each address by its id alone."""
        validation = self.providers.addresses
        if validation is None:
            return {}
        found = {address_id: await validation.get(address_id) for address_id in sorted(ids)}
        return {address_id: address for address_id, address in found.items() if address is not None}

    async def authenticate(
        self, request: CustomerAuthRequest, scenarios: MockScenarios = NO_SCENARIOS
    ) -> CustomerAuthResult:
        """SUCCESS when the customer the request identifies is found and every credential
        given is right, FAILURE when one is not; CustomerNotFound when no customer matches
        the identifiers (and the other identity fields given)."""
        identity = _identity(request)
        credentials = _credentials(request)
        directory = self.providers.customer_directory()
        customer = None if scenarios.has(CUSTOMER_NOT_FOUND) else await _identified(directory, identity)
        if customer is None:
            raise CustomerNotFound()
        if scenarios.has(AUTH_FAILED):
            return CustomerAuthResult("FAILURE")
        right = await directory.authenticate(customer, credentials)
        return CustomerAuthResult("SUCCESS" if right else "FAILURE")


def _search_query(request: CustomerSearchRequest) -> CustomerQuery:
    phone = _given(request.canBeReachedNumber)
    return CustomerQuery(
        service_type=request.serviceType,
        given_name=_given(request.givenName),
        family_name=_given(request.familyName),
        email=_given(request.email),
        phone=national_number(phone) if phone else None,
        billing_account_number=_given(request.billingAccountNumber),
        subscriber_number=_given(request.subscriberNumber),
        service_address_id=_given(request.serviceAddressId),
    )


def _accounts_matching(customer: Customer, query: CustomerQuery) -> list[Account]:
    """The accounts a search shows: those its account criteria found, not every one."""
    return accounts_found(
        customer,
        service_type=query.service_type,
        billing_account_number=query.billing_account_number,
        subscriber_number=query.subscriber_number,
        service_address_id=query.service_address_id,
    )


async def _identified(directory: CustomerDirectory, identity: CustomerQuery) -> Customer | None:
    # The identifiers are unique (a customer's id, a billing account, a line): more than
    # one match would be the directory's inconsistency, and proves nobody.
    found, _ = await directory.search(identity, 0, 2)
    return found[0] if len(found) == 1 else None


def _identity(request: CustomerAuthRequest) -> CustomerQuery:
    if all(getattr(request, name) is UNSET for name in IDENTIFIERS):
        raise invalid_field("$", f"one of {', '.join(IDENTIFIERS)} is required to identify the customer", missing=True)
    phone = _given(request.canBeReachedNumber)
    return CustomerQuery(
        customer_id=_given(request.partnerCustomerUUID),
        given_name=_given(request.firstName),
        family_name=_given(request.lastName),
        email=_given(request.email),
        phone=national_number(phone) if phone else None,
        billing_account_number=_given(request.billingAccountNumber),
        subscriber_number=_given(request.subscriberNumber),
        service_address_id=_given(request.serviceAddressId),
    )


def _credentials(request: CustomerAuthRequest) -> list[Credential]:
    credentials = []
    if isinstance(request.passcode, str):
        credentials.append(Credential("passcode", request.passcode))
    if request.otp is not UNSET:
        credentials.append(Credential("otp", request.otp.pin))
    if isinstance(request.last4SSN, str):
        credentials.append(Credential("last4SSN", request.last4SSN))
    if not credentials:
        raise invalid_field("$", f"one of {', '.join(CREDENTIALS)} is required to authenticate", missing=True)
    return credentials
