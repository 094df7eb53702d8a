"""Customers on the wire: the carrier's `POST /omni-svcs/v1/customers/search` (fiber move
order, v1.0.0) and `POST /omni-svcs/v1/customer/auth` (fiber move order v1.0.2; the
add-a-line direct-fulfillment solution's v1.0.0 takes the same body), their requests and
their answers.

The carrier's pages show search's body `{serviceType, pageSize, pageOffset}` and its
answer's outline `{totalCount, pageInfo{pageSize, pageOffset}, individuals[{id, givenName,
familyName, …, accounts[…]}]}`; the filters and what an individual and an account hold
beyond that are omnicart's own, named as the carrier names the same things elsewhere
(customer auth's body, the cart item's `billingAccount`, `subscriberNumber`, `product`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.values import NonEmpty

ServiceType = Literal["FIBER", "WIRELESS"]

# A North American number as people write it: 2145550101, 214-555-0101, (214) 555-0101,
# +1 214 555 0101. The customer directory compares its ten digits.
PHONE_PATTERN = r"^(\+?1[ .-]?)?(\([0-9]{3}\)|[0-9]{3})[ .-]?[0-9]{3}[ .-]?[0-9]{4}$"
Phone = Annotated[str, Meta(pattern=PHONE_PATTERN, examples=["2145550101"])]
Email = Annotated[str, Meta(pattern=r"^[^@\s]+@[^@\s]+$", examples=["jordan.rivera@example.com"])]
BillingAccountNumber = Annotated[str, Meta(pattern=r"^[0-9]{1,20}$", examples=["556165899573"])]
SubscriberNumber = Annotated[str, Meta(pattern=r"^[0-9]{10}$", examples=["4690002221"])]

# omnicart's own filters of customers/search (the carrier's pages show none): each one given
# must match; names and e-mail addresses are compared without case.
GivenNameFilter = Annotated[NonEmpty, Meta(description="omnicart's own filter: customers of this given name")]
FamilyNameFilter = Annotated[NonEmpty, Meta(description="omnicart's own filter: customers of this family name")]
EmailFilter = Annotated[Email, Meta(description="omnicart's own filter: the customer of this e-mail address")]
PhoneFilter = Annotated[Phone, Meta(description="omnicart's own filter: the customer of this phone number")]
AccountFilter = Annotated[
    BillingAccountNumber, Meta(description="omnicart's own filter: the customer of this billing account")
]
LineFilter = Annotated[SubscriberNumber, Meta(description="omnicart's own filter: the customer of this line")]
AddressFilter = Annotated[
    NonEmpty, Meta(description="omnicart's own filter: customers with an account at this service address id")
]


# -- customers/search ---------------------------------------------------------------------------


class CustomerSearchRequest(msgspec.Struct, kw_only=True):
    """`POST /omni-svcs/v1/customers/search`: a page of the customers with an account of
    `serviceType` matching every filter given. `pageOffset` is the 1-based number of the
    page (`pageSize` customers each), as in the carrier's example `pageSize` 5, `pageOffset` 1."""

    serviceType: ServiceType
    pageSize: Annotated[int, Meta(ge=1, le=100, description="Customers per page (default 20)")] = 20
    pageOffset: Annotated[int, Meta(ge=1, le=1_000_000, description="The page, from 1 (default 1)")] = 1
    givenName: GivenNameFilter | UnsetType = UNSET
    familyName: FamilyNameFilter | UnsetType = UNSET
    email: EmailFilter | UnsetType = UNSET
    canBeReachedNumber: PhoneFilter | UnsetType = UNSET
    billingAccountNumber: AccountFilter | UnsetType = UNSET
    subscriberNumber: LineFilter | UnsetType = UNSET
    serviceAddressId: AddressFilter | UnsetType = UNSET


class PageInfo(msgspec.Struct):
    pageSize: int
    pageOffset: int


class ExistingProductView(msgspec.Struct):
    """A product the customer has on a line, by the id a cart item acts on it with
    (`product.id` of an item with action `noChange`, `terminate` or `swap;add`)."""

    id: str
    productOfferingType: str
    productOfferingId: str
    name: str


class LineView(msgspec.Struct):
    subscriberNumber: str
    products: list[ExistingProductView]


class AccountServiceAddress(msgspec.Struct):
    """Where the account is served. `id` is what service-qualification answers as
    `validGeographicAddress.id` and a cart item's `product.place[].id` names; the rest is
    there when the address validation provider knows the address (always in the sandbox)."""

    id: str
    streetNr: str | UnsetType = UNSET
    streetName: str | UnsetType = UNSET
    streetType: str | UnsetType = UNSET
    addressLine1: str | UnsetType = UNSET
    city: str | UnsetType = UNSET
    stateOrProvince: str | UnsetType = UNSET
    postcode: str | UnsetType = UNSET
    postcodeExtension: str | UnsetType = UNSET


class AccountView(msgspec.Struct):
    billingAccountNumber: str
    ratingType: str
    serviceType: ServiceType
    serviceAddress: AccountServiceAddress
    lines: list[LineView]


class Individual(msgspec.Struct):
    """A customer found, with the accounts of theirs the search matched."""

    id: str
    givenName: str
    familyName: str
    email: str
    canBeReachedNumber: str
    customerType: str
    customerSubType: str
    accounts: list[AccountView]


class CustomerSearchResult(msgspec.Struct):
    """How many customers match in all, the page asked for, and its customers."""

    totalCount: int
    pageInfo: PageInfo
    individuals: list[Individual]


# -- customer/auth --------------------------------------------------------------------------------


class Otp(msgspec.Struct, kw_only=True):
    """A one-time PIN the customer received (`deliveryMethod`, e.g. "SMS", as sent)."""

    pin: Annotated[str, Meta(pattern=r"^[0-9]{6}$", description="Six digits", examples=["123456"])]
    deliveryMethod: NonEmpty | UnsetType = UNSET


IDENTIFIERS = ("partnerCustomerUUID", "billingAccountNumber", "subscriberNumber")
CREDENTIALS = ("passcode", "otp", "last4SSN")


class CustomerAuthRequest(msgspec.Struct, kw_only=True):
    """`POST /omni-svcs/v1/customer/auth`: who the customer is (`partnerCustomerUUID`, the
    customer's id, or a `billingAccountNumber` or `subscriberNumber` of theirs; the other
    identity fields, when given, must match too) and at least one credential (`passcode`,
    `otp`, `last4SSN`), each of which must be right."""

    partnerCustomerUUID: Annotated[str, Meta(min_length=1, description="The customer's id")] | UnsetType = UNSET
    firstName: NonEmpty | UnsetType = UNSET
    lastName: NonEmpty | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    canBeReachedNumber: Phone | UnsetType = UNSET
    subscriberNumber: SubscriberNumber | UnsetType = UNSET
    serviceAddressId: NonEmpty | UnsetType = UNSET
    billingAccountNumber: BillingAccountNumber | UnsetType = UNSET
    otp: Otp | UnsetType = UNSET
    passcode: (
        Annotated[str, Meta(min_length=1, description="The customer's passcode, encrypted (JWE compact serialization)")]
        | UnsetType
    ) = UNSET
    last4SSN: Annotated[str, Meta(pattern=r"^[0-9]{4}$", description="The last four digits of the SSN")] | UnsetType = (
        UNSET
    )

    # Groups of fields of which at least one is required (by path; "" the request itself):
    # the use case refuses without, and the OpenAPI document says so (api/request_schemas.py).
    ONE_OF_REQUIRED: ClassVar[Mapping[str, tuple[tuple[str, ...], ...]]] = {"": (IDENTIFIERS, CREDENTIALS)}


AuthStatus = Literal["SUCCESS", "FAILURE"]


class CustomerAuthResult(msgspec.Struct):
    """The carrier's `{"status": "SUCCESS"}`; a credential that is not right answers
    `"FAILURE"` (omnicart's word: the carrier's pages show only the success)."""

    status: AuthStatus
