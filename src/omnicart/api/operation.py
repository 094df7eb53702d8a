"""What an operation of the API is, as the table (api/operations/) declares it: its
method, path and handler, its body and answer, the errors it can answer and where they
come from, its scope and headers; and the headers and descriptions several operations
share, because the same code answers them.

An error status an operation can answer is declared where it comes from: the handler's own
in `errors`, with a description about that operation; those a request header can cause
with the header (`If-Match` → 412); 401/403/429 follow from `scope`; the 400 for a bad
query string from `query`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field
from importlib.resources import files
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api import queries
from omnicart.api.idempotency import MAX_KEY_LENGTH
from omnicart.api.negotiation import negotiated
from omnicart.store import TOTAL_COUNTED
from omnicart.wire.cart import ProductOrderView
from omnicart.wire.errors import INVALID_CART_REQUEST, REQUIRED_FIELDS_MISSING, Error

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Header:
    name: str
    description: str
    answers: Mapping[int, str] = field(default_factory=dict)  # statuses the header can cause
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    sandbox_only: bool = False  # read in sandbox mode only: documented there only


@dataclass(frozen=True)
class Body:
    type: Any  # a msgspec type: its JSON schema documents the body
    required: bool = True
    media_types: tuple[str, ...] = ("application/json",)
    examples: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # OpenAPI Example Objects


def example(name: str) -> Any:
    """A request example shipped with the package (omnicart/data/examples/NAME.json)."""
    return json.loads((files("omnicart") / "data" / "examples" / f"{name}.json").read_text())


@dataclass(frozen=True)
class InputCodes:
    """The codes of a 400 for a bad body, which the carrier's error tables give per
    solution: required fields missing, and every other input problem."""

    missing: str
    invalid: str


# Create Cart's and Add Items' (reference §7.2); the body decoding raises these, and
# `routing.handle` answers an operation's own instead.
CART_INPUT = InputCodes(REQUIRED_FIELDS_MISSING, INVALID_CART_REQUEST)


@dataclass(frozen=True)
class Answer:
    """The success answer."""

    status: int
    description: str
    type: Any = None  # a msgspec type, None: no body
    media_type: str = "application/json"
    headers: tuple[Header, ...] = ()
    # TMF630's 206 Partial Content, the same body and headers: when the list answers it (None: never).
    partial: str | None = None


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: Handler
    id: str
    summary: str
    _: KW_ONLY
    scope: str | None  # None: public, answers without credentials
    answer: Answer
    errors: Mapping[int, str] = field(default_factory=dict)
    body: Body | None = None
    query: type[queries.Query] = queries.Query
    headers: tuple[Header, ...] = ()
    extension: bool = False  # not in the carrier's API: x-omnicart-extension
    error_type: type = Error
    # Statuses whose body is one of several types (each a msgspec type), not `error_type`.
    error_bodies: Mapping[int, tuple[Any, ...]] = field(default_factory=dict)
    # Business-rule rejections, by the carrier's code: 422 in omnicart's profile, 500 in
    # the carrier's (api/profiles.py).
    rejections: Mapping[str, str] = field(default_factory=dict)
    input_codes: InputCodes = CART_INPUT
    # What the operation asks of a provider (providers/): without one configured it answers
    # 501 ProviderMissing; when it fails, 502 (500 in the carrier's profile) with the
    # carrier's code for that downstream system, `downstream`. The sandbox's mock-scenario
    # `downstream_failure` makes it fail on demand.
    provider: str | None = None
    downstream: str | None = None

    @property
    def negotiated(self) -> bool:
        """Whether a request whose Accept rules out the answer's media type gets a 406."""
        return negotiated(self.path)


# -- headers ---------------------------------------------------------------------------

ETAG = Header("ETag", "The cart's version in quotes; send it back in If-Match")
LOCATION = Header("Location", "The URL of what was created")
WARNING = Header(
    "Warning",
    'omnicart\'s own: what the body had that was not used, one RFC 7234 warning each (`299 - "text"`, '
    "comma-separated, at most 10 and a count of the rest): an unknown field (with the closest known name, "
    '"did you mean"), a field the service owns (ignored), a field read under another name (Create Cart\'s '
    "`productOrderItem`, read as `items`). Absent when everything was used",
)
RESULT_COUNT = Header("X-Result-Count", "How many entries this answer holds", schema={"type": "integer"})
TOTAL_COUNT = Header(
    "X-Total-Count",
    f"How many entries match the filters in all (every page); counted up to {TOTAL_COUNTED:,}, and"
    " absent when more match (follow Link rel=next instead)",
    schema={"type": "integer", "maximum": TOTAL_COUNTED},
)
LINK = Header(
    "Link",
    'RFC 8288 links to the next and the previous page with the same filters (rel="next", '
    'rel="prev"), each only when there is such a page',
)

IF_MATCH = Header(
    "If-Match",
    "ETag of the version the change is based on; a stale one answers 412",
    {412: "If-Match names a version that is no longer current (details.currentETag)"},
)
IF_NONE_MATCH = Header(
    "If-None-Match",
    "ETags the client holds; the current one answers 304",
    {304: "Not modified: If-None-Match names the current ETag"},
)
IDEMPOTENCY_KEY = Header(
    "Idempotency-Key",
    "A retry with the same key and body replays the first answer instead of acting twice",
    {
        400: "Idempotency-Key is not 1 to 255 printable ASCII characters",
        409: "A request with this Idempotency-Key is still being processed; retry after Retry-After seconds",
        413: "The body is larger than the configured limit",
        422: "This Idempotency-Key was already used for a different request",
    },
    # Printable ASCII; HTTP strips a header value's outer spaces, so none can start or end one.
    schema={
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[!-~]([ -~]*[!-~])?$",
    },
)
MOCK_SCENARIO = Header(
    "mock-scenario",
    "Sandbox mode only (this header is not in the document of a service outside sandbox mode, which "
    "ignores it): a canned unhappy path. The enum lists the scenarios that act on this operation by "
    "name; parameters (`fulfilment_fails;after=5`, `credit_risk;class=fraud_risk`) and several at once "
    "separated by commas are accepted too (docs/sandbox.md), and names are case-insensitive. An "
    "unknown value answers 400 listing the accepted ones.",
    {
        400: "Sandbox mode: a mock-scenario omnicart does not know (details.scenarios lists them)",
        503: "Sandbox mode: mock-scenario transient_503",
    },
    sandbox_only=True,
)
APPNAME = Header("appname", "The calling application (the carrier's header); accepted, not acted on")
IDP_UUID = Header(
    "idpctx-uuid", "The carrier's user id of the caller (its customer-UUID header); accepted, not acted on"
)
# The orders query's (BYOD solution): the carrier's tracing and routing headers.
IDP_TRACE_ID = Header("idp-trace-id", "The carrier's trace id of the call; accepted and logged, not acted on")
IDP_SESSION_ID = Header(
    "idpctx-session-id", "The carrier's session id of the caller; accepted, not acted on, not logged"
)
SERVICE_TYPE = Header(
    "serviceType", "The carrier's service type; accepted and logged, not acted on (filter with lineOfBusiness)"
)
TOPICS = Header("topics", "The carrier's topics; accepted and logged, not acted on")

# -- descriptions several operations share, because the same code answers them ------------

NOT_JSON = "Content-Type is not application/json"
TOO_LARGE = "The body is larger than the configured limit"
BAD_BODY = "Malformed JSON, wrong types or missing required fields (details.errors)"
OVER_LIMIT = "A configured limit is exceeded (details.errors names the field and the limit)"
UNAVAILABLE = "The store is temporarily unavailable; retry after Retry-After seconds"
NO_CART = "No such cart for this partner"
NO_ITEM = "No such cart for this partner, or no such item in it"
NO_ORDER = "No such order for this partner"
NO_LISTENER = "No such listener for this partner"
NO_PROVIDER = "No provider is configured for this (production mode without OMNICART_PROVIDERS): nothing is made up"
DOWNSTREAM = "The provider behind it failed or timed out (sandbox: mock-scenario downstream_failure)"
NOT_DRAFT = "The cart is no longer a draft"
BODY_ERRORS = {400: BAD_BODY, 413: TOO_LARGE, 415: NOT_JSON, 422: OVER_LIMIT}
# omnicart's own: bundles are trees of one level (domain/bundles.py).
NOT_A_TREE = ", or (omnicart's own) a bundle that is no tree: an item rooted in an item that has a root of its own"
ITEM_BODY_ERRORS = {**BODY_ERRORS, 400: BAD_BODY + NOT_A_TREE}  # a body that brings items

# The order system's validation rejections (reference §7.2, OAV-0003 to OAV-0015), where the
# carrier's code names them: at cart creation and item changes.
CART_REJECTIONS = {
    "EXTSALESOPS-CART_CREATE-OAV-00NN": "The order system's validation rejected the cart (details.reason); "
    "nothing is written. In the sandbox, mock-scenario cart_rejected;reason=00NN (NN: 03 to 15)",
}
CART = Answer(200, "The cart (a ProductOrder)", ProductOrderView, headers=(ETAG,))
# The carrier's calls (POST): what its callers send, and what omnicart adds to every POST.
CALL = (APPNAME, IDP_UUID, IDEMPOTENCY_KEY, MOCK_SCENARIO)
CHANGE = (APPNAME, IDP_UUID, IF_MATCH, IDEMPOTENCY_KEY, MOCK_SCENARIO)  # the carrier's cart changes (POST)
EXTENDED_CHANGE = (IF_MATCH, MOCK_SCENARIO)  # omnicart's, which are not POSTs
