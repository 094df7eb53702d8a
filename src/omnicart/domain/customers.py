"""Customers as the carrier's customers/search shows them: which of a customer's accounts
a search found, and each customer as an `individuals[]` entry of the answer, with their
accounts, service addresses, lines and existing products (so a partner finds what to
act on without reading the docs). Pure: the customers come from the customer directory
(providers/), the addresses from address validation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from omnicart.domain.world import Account, Customer, Line, ServiceAddress
from omnicart.wire.customers import (
    AccountServiceAddress,
    AccountView,
    ExistingProductView,
    Individual,
    LineView,
)

_NOT_DIGITS = re.compile(r"[^0-9]")


def national_number(phone: str) -> str:
    """A North American phone number as its ten digits: "+1 (214) 555-0101" → "2145550101"."""
    digits = _NOT_DIGITS.sub("", phone)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def page_start(page_size: int, page_number: int) -> int:
    """How many customers come before page `page_number` (1-based) of `page_size` each."""
    return (page_number - 1) * page_size


def accounts_found(
    customer: Customer,
    *,
    service_type: str | None = None,
    billing_account_number: str | None = None,
    subscriber_number: str | None = None,
    service_address_id: str | None = None,
) -> list[Account]:
    """The customer's accounts a search with these account criteria (None: any) found."""
    return [
        account
        for account in customer.accounts
        if service_type in (None, account.serviceType)
        and billing_account_number in (None, account.billingAccountNumber)
        and service_address_id in (None, account.serviceAddressId)
        and (subscriber_number is None or any(line.subscriberNumber == subscriber_number for line in account.lines))
    ]


def individual(customer: Customer, accounts: Iterable[Account], addresses: Mapping[str, ServiceAddress]) -> Individual:
    """The customer as customers/search answers them, with `accounts`; each account's
    service address in full when `addresses` knows it, else by its id alone."""
    return Individual(
        id=customer.id,
        givenName=customer.givenName,
        familyName=customer.familyName,
        email=customer.email,
        canBeReachedNumber=customer.canBeReachedNumber,
        customerType=customer.customerType,
        customerSubType=customer.customerSubType,
        accounts=[
            AccountView(
                billingAccountNumber=account.billingAccountNumber,
                ratingType=account.ratingType,
                serviceType=account.serviceType,
                serviceAddress=service_address(account.serviceAddressId, addresses.get(account.serviceAddressId)),
                lines=[_line(line) for line in account.lines],
            )
            for account in accounts
        ],
    )


def service_address(address_id: str, address: ServiceAddress | None) -> AccountServiceAddress:
    if address is None:
        return AccountServiceAddress(id=address_id)
    return AccountServiceAddress(
        id=address.id,
        streetNr=address.streetNr,
        streetName=address.streetName,
        streetType=address.streetType,
        addressLine1=address.addressLine1,
        city=address.city,
        stateOrProvince=address.stateOrProvince,
        postcode=address.postcode,
        postcodeExtension=address.postcodeExtension,
    )


def _line(line: Line) -> LineView:
    return LineView(
        subscriberNumber=line.subscriberNumber,
        products=[
            ExistingProductView(
                id=product.id,
                productOfferingType=product.productOfferingType,
                productOfferingId=product.productOfferingId,
                name=product.name,
            )
            for product in line.products
        ],
    )
