"""TMF630's query conventions, for every TMF facade's list and read:

- `?fields=a,b`: a projection; `id`, `href` and `@type` are always kept (a dotted name,
  `a.b`, keeps the whole top-level `a`);
- attribute filters: `?id=`, `?href=` (the resource it names), and, where a resource has
  them, `?state=` and `?orderDate=` with `.gt`, `.gte`, `.lt`, `.lte` (declared by the
  facade's query struct, `DatedQuery`), run in the store;
- `offset`/`limit` with `X-Result-Count`, `X-Total-Count` (and a `Link` to the next and
  previous page, omnicart's own), and 206 Partial Content when the answer is not the
  whole collection.

An unknown parameter, or a bad value, is a 400 in the TMF Error body, as on the carrier
paths (api/queries.py decodes the structs below).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.queries import Instant, Page, Query
from omnicart.api.responses import page_headers

ALWAYS_KEPT = frozenset({"id", "href", "@type"})
PARTIAL_CONTENT = 206
# What a list's 206 means, for the OpenAPI document (api/operation.py, `Answer.partial`).
PARTIAL_PAGE = (
    "Partial Content (TMF630): a page that is not the whole collection (an offset, or more entries than the page holds)"
)

FieldList = Annotated[
    str,
    Meta(
        pattern=r"^[A-Za-z@][\w@.]*(,[A-Za-z@][\w@.]*)*$",
        description="Only these attributes of each entry (comma-separated; id, href and @type are always kept)",
    ),
]
Text = Annotated[str, Meta(min_length=1, max_length=2048)]


class TmfQuery(Page, frozen=True):
    """A TMF list's parameters: paging, projection, and the filters every resource has."""

    fields: FieldList | UnsetType = UNSET
    id: Annotated[Text, Meta(description="Only the entry with this id")] | UnsetType = UNSET
    href: Annotated[Text, Meta(description="Only the entry this href names")] | UnsetType = UNSET


class ReadQuery(Query, frozen=True):
    """A TMF read's parameters: the projection only."""

    fields: FieldList | UnsetType = UNSET


# The instants of TMF630's filters on `orderDate`: ISO 8601 with a zone.
ExactDate = Annotated[Instant, Meta(description="Only entries of exactly this orderDate (ISO 8601 with a zone)")]
AfterDate = Annotated[Instant, Meta(description="Only entries whose orderDate is after this instant")]
FromDate = Annotated[Instant, Meta(description="Only entries whose orderDate is at or after this instant")]
BeforeDate = Annotated[Instant, Meta(description="Only entries whose orderDate is before this instant")]
ThroughDate = Annotated[Instant, Meta(description="Only entries whose orderDate is at or before this instant")]


class DatedQuery(TmfQuery, frozen=True):
    """A TMF list of a resource with a state and an order date (TMF622's productOrder):
    the exact match and TMF630's four bounds of `orderDate`. A facade narrows `state` to
    its own values by subclassing."""

    state: Annotated[Text, Meta(description="Only entries in this state")] | UnsetType = UNSET
    orderDate: ExactDate | UnsetType = UNSET
    orderDate_gt: AfterDate | UnsetType = msgspec.field(default=UNSET, name="orderDate.gt")
    orderDate_gte: FromDate | UnsetType = msgspec.field(default=UNSET, name="orderDate.gte")
    orderDate_lt: BeforeDate | UnsetType = msgspec.field(default=UNSET, name="orderDate.lt")
    orderDate_lte: ThroughDate | UnsetType = msgspec.field(default=UNSET, name="orderDate.lte")


def order_date_bounds(query: DatedQuery) -> dict[str, datetime]:
    """`orderDate` and its bounds as the store's OrderFilter names them (store/values.py):
    `submitted_from` (>=), `submitted_after` (>), `submitted_to` (<), `submitted_through`
    (<=); the exact match is both inclusive bounds at once."""
    given = {
        "submitted_from": query.orderDate_gte,
        "submitted_after": query.orderDate_gt,
        "submitted_to": query.orderDate_lt,
        "submitted_through": query.orderDate_lte,
    }
    bounds = {name: value for name, value in given.items() if isinstance(value, datetime)}
    if isinstance(query.orderDate, datetime):
        exact = query.orderDate
        bounds["submitted_from"] = max(bounds.get("submitted_from", exact), exact)
        bounds["submitted_through"] = min(bounds.get("submitted_through", exact), exact)
    return bounds


NOTHING = object()  # an id no resource has: the filters contradict each other


def wanted_id(query: TmfQuery, href_of: Any) -> str | object | None:
    """The id `?id=` and `?href=` ask for: None when neither is given, NOTHING when they
    name different resources or the href is none of this collection's. `href_of(id)` is
    the resource's absolute href."""
    ids: set[str] = set()
    if isinstance(query.id, str):
        ids.add(query.id)
    if isinstance(query.href, str):
        prefix = href_of("")
        named = query.href[len(prefix) :]
        if not query.href.startswith(prefix) or not named or "/" in named:
            return NOTHING
        ids.add(named)
    if not ids:
        return None
    return ids.pop() if len(ids) == 1 else NOTHING


def field_names(fields: str | UnsetType) -> frozenset[str] | None:
    """The top-level attributes `?fields=` keeps (None: all)."""
    if not isinstance(fields, str):
        return None
    return ALWAYS_KEPT | {name.split(".", 1)[0] for name in fields.split(",")}


_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode


def project(document: bytes, kept: frozenset[str] | None) -> bytes:
    """The encoded document with only the `kept` attributes (None: as it is)."""
    if kept is None:
        return document
    whole: dict[str, Any] = _decode(document)
    return _encode({name: value for name, value in whole.items() if name in kept})


def tmf_page(request: Request, query: TmfQuery, documents: list[bytes], total: int | None) -> Response:
    """A page of a TMF list: the documents projected, the paging headers, and 206 when the
    page is not the whole collection (TMF630: a partial answer), else 200."""
    kept = field_names(query.fields)
    shown = len(documents)
    whole = query.offset == 0 and total is not None and shown == total
    return Response(
        b"[" + b",".join(project(document, kept) for document in documents) + b"]",
        status_code=200 if whole else PARTIAL_CONTENT,
        media_type="application/json",
        headers=page_headers(request, query.offset, query.limit, shown, total),
    )
