"""The sandbox world: the test customers, their accounts, lines and existing products, the
service addresses (some fiber-eligible, each with its offers) and the technician
appointment windows that the carrier's fiber and add-a-line endpoints act on in sandbox
mode. It is data, shipped as `omnicart/data/world.json` like the catalog, and read once;
a partner finds what is in it in docs/sandbox.md ("Test customers and addresses", made
from this file by `omnicart fixtures load`) or through the API itself (customers/search).

A file of one's own (`OMNICART_WORLD`) is checked as strictly as the catalog: unknown
fields, duplicate ids, an address or offering named but not defined are errors, located
by JSON path (`omnicart fixtures validate FILE`).

The world is the sandbox's, not omnicart's truth about anyone: outside the sandbox the
same questions go to a provider (providers/), and there is no world at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from importlib.resources import files
from os import PathLike
from typing import Literal

import msgspec

from omnicart.domain.catalog import (
    Catalog,
    CatalogError,
    decode_data_file,
    every_shape_problem,
    load_default_catalog,
    read_data_file,
)
from omnicart.wire.cart import CreditRisk

BROADBAND = "Broadband_Offer"

# The carrier's credit risk classes (credit-application `creditRisk`, a wire type): the
# last three block further progress of the order (reference §4.3).
CREDIT_RISKS: tuple[CreditRisk, ...] = ("LOW", "MEDIUM", "HIGH", "Fraud Risk", "Abusive Risk", "Analyst Review")
BLOCKING_RISKS: frozenset[str] = frozenset({"Fraud Risk", "Abusive Risk", "Analyst Review"})

ServiceType = Literal["FIBER", "WIRELESS"]
Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS: tuple[Weekday, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _Data(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """World data is immutable once loaded, and a misspelt field is an error."""


class FiberAvailability(_Data, frozen=True, kw_only=True):
    eligible: bool
    offers: list[str] = []  # catalog offering ids sold at the address
    reason: str | None = None  # why not, when not eligible


class ServiceAddress(_Data, frozen=True, kw_only=True):
    id: str
    streetNr: str
    streetName: str
    streetType: str
    city: str
    stateOrProvince: str
    postcode: str
    postcodeExtension: str = ""
    fiber: FiberAvailability

    @property
    def addressLine1(self) -> str:
        return f"{self.streetNr} {self.streetName} {self.streetType}"

    @property
    def eligible_for_fiber(self) -> bool:
        return self.fiber.eligible


class ExistingProduct(_Data, frozen=True, kw_only=True):
    id: str
    productOfferingType: str
    productOfferingId: str
    name: str


class Line(_Data, frozen=True, kw_only=True):
    subscriberNumber: str
    products: list[ExistingProduct]


class Account(_Data, frozen=True, kw_only=True):
    billingAccountNumber: str
    ratingType: Literal["postpaid", "prepaid"] = "postpaid"
    serviceType: ServiceType
    serviceAddressId: str
    lines: list[Line]


class Customer(_Data, frozen=True, kw_only=True):
    id: str
    givenName: str
    familyName: str
    email: str
    canBeReachedNumber: str
    customerType: str = "Consumer"
    customerSubType: str = "Individual"
    creditRisk: CreditRisk = "LOW"
    accounts: list[Account]

    def lines(self) -> Iterator[tuple[Account, Line]]:
        for account in self.accounts:
            for line in account.lines:
                yield account, line

    def products(self) -> Iterator[tuple[Account, Line, ExistingProduct]]:
        for account, line in self.lines():
            for product in line.products:
                yield account, line, product

    def holdings(self) -> Holdings:
        return Holdings(
            self.id,
            frozenset(product.id for _, _, product in self.products()),
            frozenset(line.subscriberNumber for _, line in self.lines()),
            frozenset(account.billingAccountNumber for account in self.accounts),
            {product.id: line.subscriberNumber for _, line, product in self.products()},
        )


@dataclass(frozen=True)
class Holdings:
    """What a customer has, as a cart's validation checks items against it: an item that
    acts on an existing product, line or account must name one of theirs."""

    customer_id: str
    products: frozenset[str]
    subscriber_numbers: frozenset[str]
    billing_accounts: frozenset[str]
    # The line (subscriber number) each product is on, where the directory says: a swap
    # acts on one line, so what it keeps or ends must be on that line (PRODUCT_NOT_ON_LINE).
    line_of: Mapping[str, str] = field(default_factory=dict, hash=False)


class FailingCredentials(_Data, frozen=True, kw_only=True):
    """The credential values customer auth refuses in the sandbox; any other well-formed
    value of a known customer succeeds (as card sandboxes accept any CVC)."""

    passcode: list[str] = []
    otp: list[str] = []
    last4SSN: list[str] = []


class AppointmentWindow(_Data, frozen=True, kw_only=True):
    id: str
    start: time
    end: time
    technicians: int  # how many appointments the window takes per day


class Appointments(_Data, frozen=True, kw_only=True):
    days: int = 14  # how far ahead slots are offered, from tomorrow
    closedWeekdays: list[Weekday] = []
    windows: list[AppointmentWindow] = []

    def open_on(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] not in self.closedWeekdays


class World(_Data, frozen=True, kw_only=True, dict=True):  # dict: room for the cached look-ups
    description: str = ""
    addresses: list[ServiceAddress] = []
    customers: list[Customer] = []
    failingCredentials: FailingCredentials = FailingCredentials()
    appointments: Appointments = Appointments()

    @functools.cached_property
    def _addresses(self) -> dict[str, ServiceAddress]:
        return {address.id: address for address in self.addresses}

    @functools.cached_property
    def _customers(self) -> dict[str, Customer]:
        return {customer.id: customer for customer in self.customers}

    def address(self, address_id: str) -> ServiceAddress | None:
        return self._addresses.get(address_id)

    def customer(self, customer_id: str) -> Customer | None:
        return self._customers.get(customer_id)

    def find_address(
        self, address_line1: str, postcode: str, city: str | None = None, state: str | None = None
    ) -> ServiceAddress | None:
        """The address written this way, compared as people write addresses: case,
        spacing and punctuation do not matter, a ZIP+4 matches its ZIP."""
        wanted_line = _plain(address_line1)
        wanted_zip = postcode.strip()[:5]
        for address in self.addresses:
            if _plain(address.addressLine1) != wanted_line or address.postcode != wanted_zip:
                continue
            if city and _plain(city) != _plain(address.city):
                continue
            if state and _plain(state) != _plain(address.stateOrProvince):
                continue
            return address
        return None

    def owner_of_account(self, billing_account_number: str) -> Customer | None:
        return next(
            (c for c in self.customers for a in c.accounts if a.billingAccountNumber == billing_account_number), None
        )

    def owner_of_line(self, subscriber_number: str) -> Customer | None:
        return next(
            (c for c in self.customers for _, line in c.lines() if line.subscriberNumber == subscriber_number), None
        )


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


# -- reading and checking files ---------------------------------------------------------


def problems(world: World, catalog: Catalog) -> Iterator[tuple[str, str]]:
    """(JSON path, reason) for every rule of a world file its schema cannot express."""
    address_ids: set[str] = set()
    for i, address in enumerate(world.addresses):
        at = f"addresses[{i}]"
        if address.id in address_ids:
            yield f"{at}.id", f"duplicate address id {address.id!r}"
        address_ids.add(address.id)
        if not re.fullmatch(r"\d{5}", address.postcode):
            yield f"{at}.postcode", f"{address.postcode!r} is not a 5-digit ZIP code"
        for j, offer in enumerate(address.fiber.offers):
            offering = catalog.get(offer)
            if offering is None:
                yield f"{at}.fiber.offers[{j}]", f"no offering {offer!r} in the catalog"
            elif offering.productOfferingType != BROADBAND:
                yield f"{at}.fiber.offers[{j}]", f"{offer!r} is a {offering.productOfferingType}, not a {BROADBAND}"
        if address.fiber.eligible and not address.fiber.offers:
            yield f"{at}.fiber.offers", "a fiber-eligible address needs at least one offer"
        if not address.fiber.eligible and address.fiber.offers:
            yield f"{at}.fiber.offers", "an address that is not fiber-eligible sells no fiber offers"
    yield from _customer_problems(world, address_ids)
    yield from _appointment_problems(world.appointments)


def _customer_problems(world: World, address_ids: set[str]) -> Iterator[tuple[str, str]]:
    seen: dict[str, set[str]] = {"customer": set(), "billing account": set(), "subscriber": set(), "product": set()}

    def duplicate(kind: str, value: str) -> bool:
        found = value in seen[kind]
        seen[kind].add(value)
        return found

    for i, customer in enumerate(world.customers):
        at = f"customers[{i}]"
        if duplicate("customer", customer.id):
            yield f"{at}.id", f"duplicate customer id {customer.id!r}"
        for j, account in enumerate(customer.accounts):
            at_account = f"{at}.accounts[{j}]"
            if duplicate("billing account", account.billingAccountNumber):
                yield f"{at_account}.billingAccountNumber", f"duplicate {account.billingAccountNumber!r}"
            if account.serviceAddressId not in address_ids:
                yield f"{at_account}.serviceAddressId", f"no address {account.serviceAddressId!r} in the world"
            for k, line in enumerate(account.lines):
                at_line = f"{at_account}.lines[{k}]"
                if not re.fullmatch(r"\d{10}", line.subscriberNumber):
                    yield f"{at_line}.subscriberNumber", f"{line.subscriberNumber!r} is not a 10-digit number"
                elif duplicate("subscriber", line.subscriberNumber):
                    yield f"{at_line}.subscriberNumber", f"duplicate {line.subscriberNumber!r}"
                for m, product in enumerate(line.products):
                    if duplicate("product", product.id):
                        yield f"{at_line}.products[{m}].id", f"duplicate product id {product.id!r}"


def _appointment_problems(appointments: Appointments) -> Iterator[tuple[str, str]]:
    if not 1 <= appointments.days <= 90:
        yield "appointments.days", f"{appointments.days} is not from 1 to 90"
    ids: set[str] = set()
    for i, window in enumerate(appointments.windows):
        at = f"appointments.windows[{i}]"
        if window.id in ids:
            yield f"{at}.id", f"duplicate window id {window.id!r}"
        ids.add(window.id)
        if not re.fullmatch(r"[A-Z0-9]{1,8}", window.id):
            yield f"{at}.id", f"{window.id!r} is not 1 to 8 capital letters or digits"
        if window.end <= window.start:
            yield f"{at}.end", f"{window.end} is not after start"
        if window.technicians < 1:
            yield f"{at}.technicians", "a window takes at least one appointment a day"


def _checked(world: World, file: str, catalog: Catalog) -> World:
    found = [CatalogError(file, reason, path=path) for path, reason in problems(world, catalog)]
    if found:
        raise found[0]
    return world


def parse_world(data: bytes, file: str = "<world>", catalog: Catalog | None = None) -> World:
    return _checked(decode_data_file(data, file, World), file, catalog or load_default_catalog())


def load_world(path: str | PathLike[str], catalog: Catalog | None = None) -> World:
    return _checked(read_data_file(path, World), str(path), catalog or load_default_catalog())


def validate_world_file(path: str | PathLike[str], catalog: Catalog | None = None) -> list[str]:
    """Every problem of a world file, one readable line each (`omnicart fixtures validate`)."""
    try:
        world = read_data_file(path, World)
    except CatalogError as error:
        return every_shape_problem(path, World, error)
    return [str(CatalogError(str(path), r, path=p)) for p, r in problems(world, catalog or load_default_catalog())]


@functools.cache
def load_default_world() -> World:
    """The sandbox world shipped in the package (read once; a World is never changed)."""
    resource = files("omnicart") / "data" / "world.json"
    return parse_world(resource.read_bytes(), "omnicart/data/world.json")
