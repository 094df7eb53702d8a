"""The product catalog: what a partner may put in a cart, at what price, where and when.

The catalog is a JSON file; a sample ships as `omnicart/data/catalog.json`:

    {"currency": "USD",
     "productOffering": [
       {"id": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e",
        "productOfferingType": "Mobile_Offer",
        "name": "Value Plus VL",
        "prices": [{"name": "Value Plus VL", "priceType": "RC",
                    "recurringChargePeriod": "month", "amount": "60.99"}],
        "eligibility": {"channelIds": ["IND"], "customerTypes": ["Consumer"]},
        "validFor": {"startDateTime": "2023-05-18T00:00:00Z", "endDateTime": null}}]}

Optional per offering: `deviceType` (one of "Phone", "Tablet", "Watch", "Hotspot": the
kind of device it is, or is for; offers search filters on it) and, on a device,
`edModels` (the carrier's equipment model codes of that device, e.g. "iPh11PMA2161": a
customer bringing such a device names it as this offering; offers search's `BYOD`).

`priceType` is "NRC" (one-time) or "RC" (recurring, per "month"). Amounts are decimal
strings in the catalog's one `currency`, with at most two decimals; they become integer
cents and are never floats in any arithmetic. An empty eligibility list means "anyone";
a missing validFor bound means "open-ended". An offering with several prices charges all
of them (e.g. a down payment and a monthly installment).

A broken file is reported as a `CatalogError` naming the file, the JSON path of the bad
value (e.g. `productOffering[3].prices[0].amount`) or the line of a syntax error, and why.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from importlib.resources import files
from os import PathLike
from typing import Any, Literal, TypeVar, get_args

import msgspec

from omnicart.domain.delivery_methods import DELIVERY_METHOD, DELIVERY_METHODS
from omnicart.domain.file_problems import shape_problems
from omnicart.wire.catalog import Eligibility
from omnicart.wire.items import ProductOfferingTypeName, ProductOrderItem
from omnicart.wire.values import timestamp

PRODUCT_OFFERING_TYPES = frozenset(get_args(ProductOfferingTypeName))
PLAN = "Mobile_Offer"
DEVICE = "Mobile_Device"
PROTECTION = "Device_Protection"
ACTIVE_ARMOR = "Active_Armor"  # the carrier's add-on security service: charged monthly, nothing shipped
# The carrier shows both names for a line's plan (its offers search has groups `mobileOffer`
# and `mobilePlan`); omnicart counts them as one kind (`kind`).
PLANS = frozenset({PLAN, "Mobile_Plan"})
DEVICE_TYPES = ("Phone", "Tablet", "Watch", "Hotspot")

# Items with these actions keep, change or end a product the customer already has: they
# order nothing from the catalog, so they are neither priced nor checked against it.
# `modify` and `delete` are TMF622's (docs/decisions.md, "Item actions").
EXISTING_PRODUCT_ACTIONS = frozenset({"noChange", "modify", "terminate", "delete"})
# The actions that end an existing product: `delete` is TMF622's name of the carrier's `terminate`.
ENDING_ACTIONS = frozenset({"terminate", "delete"})


def orders_offering(item: ProductOrderItem) -> bool:
    """Whether the item asks for something from the catalog ("add", "swap;add", ...)."""
    return item.action not in EXISTING_PRODUCT_ACTIONS


def kind_of(productOfferingType: str | None) -> str | None:
    """What omnicart counts a productOfferingType as: a plan is a plan by either name."""
    return PLAN if productOfferingType in PLANS else productOfferingType


def is_byod(item: ProductOrderItem) -> bool:
    """A device the customer brings: its offering names the model, not something sold."""
    return (item.characteristic_value("isBYOD") or "").lower() == "true"


def offering_type(item: ProductOrderItem, offering: ProductOffering | None) -> str | None:
    """The item's productOfferingType as omnicart counts it, `offering` being the catalog's
    offering of its productOfferingId (None when the catalog has none)."""
    # The catalog knows best; an item for an existing product only states its own type.
    return offering.productOfferingType if offering else item.productOfferingType or None


class CatalogError(ValueError):
    """A problem in a catalog (or tax) data file, located as precisely as the file allows."""

    def __init__(self, file: str, reason: str, *, path: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.reason = reason
        self.path = path
        self.line = line
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {path}: {reason}" if path else f"{where}: {reason}")


# -- the offerings ----------------------------------------------------------------------


class _FileStruct(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Catalog data is immutable once loaded, and a misspelt field is an error rather than
    a silently ignored key (a typo in `endDateTime` would otherwise sell an offer forever).
    msgspec passes `frozen` on to subclasses; they repeat it for the type checker."""


class OfferingPrice(_FileStruct, frozen=True):
    name: str
    priceType: Literal["NRC", "RC"]
    amount: Decimal
    recurringChargePeriod: Literal["month"] | None = None

    @property
    def cents(self) -> int:
        return int(self.amount.scaleb(2))


class ValidFor(_FileStruct, frozen=True):
    startDateTime: datetime | None = None
    endDateTime: datetime | None = None


class ProductOffering(_FileStruct, frozen=True):
    id: str
    productOfferingType: str
    name: str
    prices: list[OfferingPrice] = []
    eligibility: Eligibility = Eligibility()
    validFor: ValidFor = ValidFor()
    deviceType: str | None = None
    edModels: list[str] = []


class CatalogFile(_FileStruct, frozen=True):
    productOffering: list[ProductOffering]
    currency: str = "USD"


# -- the catalog ------------------------------------------------------------------------


def _delivery_offering(method_id: str, name: str, amount: Decimal) -> ProductOffering:
    return ProductOffering(
        id=method_id,
        productOfferingType=DELIVERY_METHOD,
        name=name,
        prices=[OfferingPrice(name=name, priceType="NRC", amount=amount)],
    )


# Every catalog sells the delivery methods, so that an item of type "Delivery_Method" can
# buy one; they are written once, in domain/delivery_methods.py.
DELIVERY_OFFERINGS = tuple(_delivery_offering(m.id, m.name, m.amount) for m in DELIVERY_METHODS)


class Catalog:
    def __init__(self, offerings: Iterable[ProductOffering], currency: str = "USD") -> None:
        self.currency = currency
        self._by_id = {offering.id: offering for offering in offerings}
        for method in DELIVERY_OFFERINGS:  # an operator's own offering of the same id comes first
            self._by_id.setdefault(method.id, method)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[ProductOffering]:
        return iter(self._by_id.values())

    def __contains__(self, offering_id: object) -> bool:
        return offering_id in self._by_id

    def get(self, offering_id: str | None) -> ProductOffering | None:
        return None if offering_id is None else self._by_id.get(offering_id)

    def offerings(self, productOfferingType: str | None = None) -> list[ProductOffering]:
        return [
            offering for offering in self._by_id.values() if productOfferingType in (None, offering.productOfferingType)
        ]

    def unsellable_reason(
        self,
        offering: ProductOffering,
        channel_id: str | None,
        at: datetime,
        customer_type: str | None = None,
    ) -> str | None:
        """Why the offering cannot be sold here and now, or None when it can."""
        start, end = offering.validFor.startDateTime, offering.validFor.endDateTime
        if start is not None and at < start:
            return f"is not on sale before {timestamp(start)}"
        if end is not None and at >= end:
            return f"is no longer on sale since {timestamp(end)}"
        rules = offering.eligibility
        if rules.channelIds and channel_id not in rules.channelIds:
            return f"is not sold in channel {channel_id!r}"
        # The carrier writes customer types both as "Consumer" and as "CONSUMER".
        allowed_types = {t.casefold() for t in rules.customerTypes}
        if allowed_types and (customer_type or "").casefold() not in allowed_types:
            return f"is not sold to customer type {customer_type!r}"
        return None

    def is_sellable(
        self,
        offering: ProductOffering,
        channel_id: str | None,
        at: datetime,
        customer_type: str | None = None,
    ) -> bool:
        return self.unsellable_reason(offering, channel_id, at, customer_type) is None


# -- reading and checking files ---------------------------------------------------------

T = TypeVar("T")

_AT_PATH = re.compile(r" - at `\$\.?(?P<path>.*)`$")
_AT_BYTE = re.compile(r" \(byte (?P<byte>\d+)\)$")


def decode_data_file(data: bytes, file: str, schema: type[T]) -> T:
    """Decode a JSON data file, turning msgspec's errors into a located CatalogError."""
    try:
        return msgspec.json.decode(data, type=schema)
    except msgspec.ValidationError as error:
        reason, path = _split(str(error), _AT_PATH, "path")
        raise CatalogError(file, reason, path=path or None) from None
    except msgspec.DecodeError as error:
        reason, byte = _split(str(error), _AT_BYTE, "byte")
        line = None if byte is None else data.count(b"\n", 0, int(byte)) + 1
        raise CatalogError(file, reason, line=line) from None


def _split(message: str, pattern: re.Pattern[str], group: str) -> tuple[str, str | None]:
    match = pattern.search(message)
    if match is None:
        return message, None
    return message[: match.start()], match[group]


def read_data_file(path: str | PathLike[str], schema: type[T]) -> T:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise CatalogError(str(path), error.strerror or str(error)) from None
    return decode_data_file(data, str(path), schema)


def _errors(content: CatalogFile, file: str) -> list[CatalogError]:
    return [CatalogError(file, reason, path=path) for path, reason in _problems(content)]


def _problems(content: CatalogFile) -> Iterator[tuple[str, str]]:
    """(JSON path, reason) for every rule of the file that its schema cannot express."""
    if not re.fullmatch(r"[A-Z]{3}", content.currency):
        yield "currency", f"{content.currency!r} is not an ISO 4217 code such as 'USD'"
    seen: set[str] = set()
    for i, offering in enumerate(content.productOffering):
        at = f"productOffering[{i}]"
        if offering.id in seen:
            yield f"{at}.id", f"duplicate id {offering.id!r}"
        seen.add(offering.id)
        if offering.productOfferingType not in PRODUCT_OFFERING_TYPES:
            yield (
                f"{at}.productOfferingType",
                f"unknown type {offering.productOfferingType!r}; expected one of "
                + ", ".join(sorted(PRODUCT_OFFERING_TYPES)),
            )
        for j, price in enumerate(offering.prices):
            yield from _price_problems(price, f"{at}.prices[{j}]")
        yield from _device_problems(offering, at)
        yield from _period_problems(offering.validFor, f"{at}.validFor")


def _price_problems(price: OfferingPrice, at: str) -> Iterator[tuple[str, str]]:
    amount = price.amount
    if not amount.is_finite():
        yield f"{at}.amount", f"{amount} is not an amount"
    elif amount < 0:
        yield f"{at}.amount", f"{amount} is negative"
    elif amount.scaleb(2) != amount.scaleb(2).to_integral_value():
        yield f"{at}.amount", f"{amount} has more than two decimals"
    if price.priceType == "RC" and price.recurringChargePeriod is None:
        yield f"{at}.recurringChargePeriod", 'a recurring ("RC") price needs "month"'
    if price.priceType == "NRC" and price.recurringChargePeriod is not None:
        yield f"{at}.recurringChargePeriod", 'a one-time ("NRC") price has no period'


def _device_problems(offering: ProductOffering, at: str) -> Iterator[tuple[str, str]]:
    if offering.deviceType is not None and offering.deviceType not in DEVICE_TYPES:
        yield (
            f"{at}.deviceType",
            f"unknown device type {offering.deviceType!r}; expected one of " + ", ".join(DEVICE_TYPES),
        )
    if offering.edModels and offering.productOfferingType != DEVICE:
        yield f"{at}.edModels", f"only a {DEVICE} has equipment models"
    for k, model in enumerate(offering.edModels):
        if not model.strip():
            yield f"{at}.edModels[{k}]", "an empty model code"


def _period_problems(period: ValidFor, at: str) -> Iterator[tuple[str, str]]:
    start, end = period.startDateTime, period.endDateTime
    naive = False
    for name, moment in (("startDateTime", start), ("endDateTime", end)):
        if moment is not None and moment.tzinfo is None:
            naive = True
            yield f"{at}.{name}", "needs a time zone, e.g. 2025-01-01T00:00:00Z"
    if start and end and not naive and end <= start:
        yield f"{at}.endDateTime", f"{timestamp(end)} is not after startDateTime"


def parse_catalog(data: bytes, file: str = "<catalog>") -> Catalog:
    return _checked(decode_data_file(data, file, CatalogFile), file)


def load_catalog(path: str | PathLike[str]) -> Catalog:
    return _checked(read_data_file(path, CatalogFile), str(path))


def _checked(content: CatalogFile, file: str) -> Catalog:
    errors = _errors(content, file)
    if errors:
        raise errors[0]
    return Catalog(content.productOffering, content.currency)


@functools.cache
def load_default_catalog() -> Catalog:
    """The sample catalog shipped in the package (read once; a Catalog is never changed)."""
    resource = files("omnicart") / "data" / "catalog.json"
    return parse_catalog(resource.read_bytes(), "omnicart/data/catalog.json")


def validate_catalog_file(path: str | PathLike[str]) -> list[str]:
    """Every problem of a catalog file, one readable line each (`omnicart catalog validate`)."""
    try:
        content = read_data_file(path, CatalogFile)
    except CatalogError as error:
        return every_shape_problem(path, CatalogFile, error)
    return [str(error) for error in _errors(content, str(path))]


def every_shape_problem(path: str | PathLike[str], schema: type[Any], refusal: CatalogError) -> list[str]:
    """All the file's values of the wrong shape, each with its path, where the decode
    reported only its first; the decode's own refusal when the file is not JSON."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return [str(refusal)]
    found = shape_problems(data, schema)
    return [str(CatalogError(str(path), reason, path=at)) for at, reason in found] or [str(refusal)]
