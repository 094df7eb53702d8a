"""The sandbox's providers: every answer comes from the sandbox world (domain/world.py,
`omnicart/data/world.json` or OMNICART_WORLD), deterministically. This module is also the
worked example of docs/providers.md: a provider is a few async methods in domain terms.
"""

from __future__ import annotations

from omnicart.domain.world import Appointments, Customer, ServiceAddress, World
from omnicart.providers.interface import (
    AddressQuery,
    Credential,
    CreditCheck,
    CustomerQuery,
    Providers,
)


class WorldAddresses:
    def __init__(self, world: World) -> None:
        self.world = world

    async def find(self, query: AddressQuery) -> ServiceAddress | None:
        return self.world.find_address(query.address_line1, query.postcode, query.city, query.state)

    async def get(self, address_id: str) -> ServiceAddress | None:
        return self.world.address(address_id)


def _matches(customer: Customer, query: CustomerQuery) -> bool:
    def same(wanted: str | None, value: str) -> bool:
        return wanted is None or wanted.casefold() == value.casefold()

    if not (
        query.customer_id in (None, customer.id)
        and same(query.given_name, customer.givenName)
        and same(query.family_name, customer.familyName)
        and same(query.email, customer.email)
        and same(query.phone, customer.canBeReachedNumber)
    ):
        return False
    accounts = [
        account
        for account in customer.accounts
        if same(query.service_type, account.serviceType)
        and same(query.billing_account_number, account.billingAccountNumber)
        and same(query.service_address_id, account.serviceAddressId)
        and (
            query.subscriber_number is None
            or any(line.subscriberNumber == query.subscriber_number for line in account.lines)
        )
    ]
    return bool(accounts)


class WorldCustomers:
    def __init__(self, world: World) -> None:
        self.world = world

    async def search(self, query: CustomerQuery, offset: int, limit: int) -> tuple[list[Customer], int]:
        found = [customer for customer in self.world.customers if _matches(customer, query)]
        return found[offset : offset + limit], len(found)

    async def get(self, customer_id: str) -> Customer | None:
        return self.world.customer(customer_id)

    async def authenticate(self, customer: Customer, credentials: list[Credential]) -> bool:
        failing = self.world.failingCredentials
        refused = {"passcode": failing.passcode, "otp": failing.otp, "last4SSN": failing.last4SSN}
        return all(credential.value not in refused.get(credential.kind, ()) for credential in credentials)


class WorldCredit:
    async def assess(self, customer: Customer, check: CreditCheck) -> str:
        return customer.creditRisk


class WorldScheduling:
    def __init__(self, world: World) -> None:
        self.world = world

    async def appointments(self, address: ServiceAddress) -> Appointments:
        return self.world.appointments


def sandbox_providers(world: World) -> Providers:
    return Providers(
        "sandbox",
        addresses=WorldAddresses(world),
        customers=WorldCustomers(world),
        credit=WorldCredit(),
        scheduling=WorldScheduling(world),
    )
