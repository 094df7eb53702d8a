"""Query strings as msgspec structs: the parameters an operation takes, with their bounds
stated once, for the decoder and the OpenAPI document alike.

The dispatcher (api/routing.py) decodes the query string into the operation's struct
before the handler runs, and the handler reads it with `query_of(request)`. A parameter
the struct does not declare, one given twice, or a value outside its type answers 400
naming the parameter; the reason is written from the declared type, so the message states
the bounds the document does.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import msgspec
from msgspec import UNSET, Meta, UnsetType
from msgspec import inspect as mi

from omnicart.domain.catalog import PRODUCT_OFFERING_TYPES
from omnicart.domain.order import ORDER_STATES
from omnicart.wire.errors import INVALID_CART_REQUEST, ApiError

Q = TypeVar("Q", bound="Query")


class Query(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """No parameters at all; every query struct extends it."""


class Page(Query, frozen=True):
    limit: Annotated[int, Meta(ge=1, le=100, description="How many to answer")] = 20
    offset: Annotated[int, Meta(ge=0, le=1_000_000, description="How many to skip first")] = 0


# Built from the domain's own lists, so that a new state or offering type is accepted here
# and documented too (a type checker cannot follow a Literal built at run time).
if TYPE_CHECKING:
    OrderStateName = str
    CartStateName = str
    OfferingType = str
else:
    OrderStateName = Literal[tuple(sorted(state.value for state in ORDER_STATES))]
    OfferingType = Literal[tuple(sorted(PRODUCT_OFFERING_TYPES))]
    CartStateName = Literal["Draft", "Submitted"]


# An optional parameter is UNSET when absent, not None: a query string has no null, and in
# lax mode "null" would decode to None.
# An instant: ISO 8601 with its zone (2026-11-28T00:00:00Z); a range is [From, To).
Instant = Annotated[datetime, Meta(tz=True, extra_json_schema={"format": "date-time"})]


class OrdersQuery(Page, frozen=True):
    state: Annotated[OrderStateName, Meta(description="Only orders in this state")] | UnsetType = UNSET
    customerOrderId: (
        Annotated[str, Meta(min_length=1, max_length=64, description="Only the order with this customerOrderId")]
        | UnsetType
    ) = UNSET
    cartId: (
        Annotated[str, Meta(min_length=1, max_length=64, description="Only the order the cart with this id became")]
        | UnsetType
    ) = UNSET
    submittedFrom: (
        Annotated[
            Instant,
            Meta(
                description="Only orders submitted at or after this instant "
                "(ISO 8601 with a zone, e.g. 2026-11-28T00:00:00Z)"
            ),
        ]
        | UnsetType
    ) = UNSET
    submittedTo: (
        Annotated[Instant, Meta(description="Only orders submitted before this instant (exclusive)")] | UnsetType
    ) = UNSET


class CartsQuery(Page, frozen=True):
    state: Annotated[CartStateName, Meta(description="Only carts in this state")] | UnsetType = UNSET
    customerId: (
        Annotated[
            str,
            Meta(
                min_length=1,
                max_length=255,
                description='Only carts whose customer party (relatedParty with role "customer") has this id',
            ),
        ]
        | UnsetType
    ) = UNSET
    updatedFrom: (
        Annotated[Instant, Meta(description="Only carts last changed (lastUpdate) at or after this instant")]
        | UnsetType
    ) = UNSET
    updatedTo: (
        Annotated[Instant, Meta(description="Only carts last changed (lastUpdate) before this instant (exclusive)")]
        | UnsetType
    ) = UNSET


class OfferingsQuery(Query, frozen=True):
    type: Annotated[OfferingType, Meta(description="Only offerings of this productOfferingType")] | UnsetType = UNSET


def decode(kind: type[Q], pairs: list[tuple[str, str]]) -> Q:
    if not pairs:
        return kind()
    fields = _fields(kind)
    values: dict[str, Any] = {}
    seen: set[str] = set()
    errors: list[tuple[str, str]] = []
    for name, raw in pairs:
        if name not in fields:
            errors.append((name, f"is not a parameter of this operation; {_takes(fields)}"))
        elif name in seen:
            errors.append((name, "may be given once only"))
        else:
            target, expected, lax = fields[name]
            try:
                values[name] = msgspec.convert(raw, target, strict=not lax)
            except msgspec.ValidationError as exc:
                errors.append((name, f"must be {expected}" if expected else str(exc)))
        seen.add(name)
    if errors:
        raise ApiError(
            400,
            INVALID_CART_REQUEST,
            "invalid query: " + "; ".join(f"{name}: {reason}" for name, reason in errors),
            {"errors": [{"field": name, "reason": reason} for name, reason in errors]},
        )
    decoded: Q = msgspec.convert(values, kind)
    return decoded


@cache
def _fields(kind: type[Query]) -> dict[str, tuple[Any, str | None, bool]]:
    """Parameter name → (the type a value converts to, what that type accepts in words,
    whether the text converts laxly). Lax, "20" is 20; an instant is read strictly, as
    RFC 3339 text only: lax, msgspec would take a number for seconds since the epoch,
    which the parameters' documentation (ISO 8601) does not offer."""
    fields = {}
    for field in msgspec.structs.fields(kind):
        info = mi.type_info(field.type)
        fields[field.encode_name] = (field.type, _expected(info), not _is_instant(info))
    return fields


def _is_instant(info: mi.Type) -> bool:
    if isinstance(info, mi.Metadata):
        return _is_instant(info.type)
    if isinstance(info, mi.UnionType):
        return any(_is_instant(member) for member in info.types)
    return isinstance(info, mi.DateTimeType)


def _takes(fields: dict[str, Any]) -> str:
    return f"it takes {', '.join(fields)}" if fields else "it takes none"


def _expected(info: mi.Type) -> str | None:
    """What a type accepts, in words; None where msgspec's own message says it well enough."""
    if isinstance(info, mi.Metadata):
        return _expected(info.type)
    if isinstance(info, mi.DateTimeType):
        return "an instant in ISO 8601 with its zone, e.g. 2026-11-28T00:00:00Z"
    if isinstance(info, mi.LiteralType):
        return "one of " + ", ".join(map(str, info.values))
    if isinstance(info, mi.IntType):
        low = info.ge if info.gt is None else info.gt + 1
        high = info.le if info.lt is None else info.lt - 1
        if low is not None and high is not None:
            return f"an integer from {low} to {high}"
        if low is not None:
            return f"an integer of at least {low}"
        if high is not None:
            return f"an integer of at most {high}"
        return "an integer"
    return None
