"""What omnicart asks of the systems around a carrier's order, and nothing more: the
provider interface behind the fiber endpoints. Each capability is a small protocol in the
domain's own terms (domain/world.py's addresses and customers); an operator plugs in
their own implementations through a Python entry point (docs/providers.md), and the
sandbox's are the worked example (providers/sandbox.py).

A capability left as None is one omnicart does not have: the use case raises
`ProviderMissing` (501), never answers made-up data. A provider that fails raises
`DownstreamFailure` (502; the carrier's 500) or lets its own error become one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from omnicart.domain.errors import ProviderMissing
from omnicart.domain.world import Appointments, Customer, ServiceAddress


@dataclass(frozen=True)
class AddressQuery:
    """An address as a partner writes it (service-qualification's geographicAddress)."""

    address_line1: str
    postcode: str
    city: str | None = None
    state: str | None = None


class AddressValidation(Protocol):
    """Finds service addresses and what can be sold at them."""

    async def find(self, query: AddressQuery) -> ServiceAddress | None:
        """The address the query names, None when there is none."""
        ...

    async def get(self, address_id: str) -> ServiceAddress | None: ...


@dataclass(frozen=True)
class CustomerQuery:
    """customers/search's criteria, and what customer/auth identifies a customer by: every
    one given must match (None: any). Names and e-mail addresses match without case; the
    phone is its ten digits; the account criteria match when one account has them all."""

    customer_id: str | None = None
    service_type: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    phone: str | None = None
    billing_account_number: str | None = None
    subscriber_number: str | None = None
    service_address_id: str | None = None


@dataclass(frozen=True)
class Credential:
    """One way a customer proves who they are (customer/auth): `kind` is "passcode",
    "otp" or "last4SSN"."""

    kind: str
    value: str


class CustomerDirectory(Protocol):
    async def search(self, query: CustomerQuery, offset: int, limit: int) -> tuple[list[Customer], int]:
        """A page of the customers matching `query` (in a stable order) and how many match."""
        ...

    async def get(self, customer_id: str) -> Customer | None: ...

    async def authenticate(self, customer: Customer, credentials: list[Credential]) -> bool:
        """Whether every credential given is right for the customer."""
        ...


@dataclass(frozen=True)
class CreditCheck:
    """What credit-application sends to the bureau about the applicant."""

    birthdate: date | None = None
    identification_type: str | None = None
    identification_id: str | None = None


class CreditBureau(Protocol):
    async def assess(self, customer: Customer, check: CreditCheck) -> str:
        """The carrier's risk class for the customer (domain.world.CREDIT_RISKS)."""
        ...


class Scheduling(Protocol):
    async def appointments(self, address: ServiceAddress) -> Appointments:
        """The technician windows and how many each takes a day at the address; what is
        already booked omnicart keeps itself (the store), so slots run out across workers."""
        ...


@dataclass(frozen=True)
class Providers:
    """The providers of one app. `name` is the entry point they came from."""

    name: str
    addresses: AddressValidation | None = None
    customers: CustomerDirectory | None = None
    credit: CreditBureau | None = None
    scheduling: Scheduling | None = None

    def address_validation(self) -> AddressValidation:
        if self.addresses is None:
            raise ProviderMissing("address validation")
        return self.addresses

    def customer_directory(self) -> CustomerDirectory:
        if self.customers is None:
            raise ProviderMissing("customer directory")
        return self.customers

    def credit_bureau(self) -> CreditBureau:
        if self.credit is None:
            raise ProviderMissing("credit bureau")
        return self.credit

    def scheduler(self) -> Scheduling:
        if self.scheduling is None:
            raise ProviderMissing("scheduling")
        return self.scheduling


NO_PROVIDERS = Providers("none")
