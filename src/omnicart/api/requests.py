"""Reading a JSON request body safely: content type and size here, then syntax, shape and
limits in wire/decoding.py and wire/limits.py (shared with the client, so they import no
Starlette).

Every check fails with a clear error before anything reaches a use case, so a bad request
changes nothing.
"""

from __future__ import annotations

import json
from typing import TypeVar

from starlette.requests import ClientDisconnect, Request
from starlette.types import Receive

from omnicart.wire.decoding import decode
from omnicart.wire.errors import ApiError
from omnicart.wire.limits import RequestLimits
from omnicart.wire.notices import Notice

T = TypeVar("T")
WARNINGS_KEY = "omnicart.warnings"
# The body, already read within the size limit by the edge (an Idempotency-Key's
# fingerprint needs it before the request runs): read once, checked once.
BODY_KEY = "omnicart.body"
# At most this many warnings in the header, each naming at most this many characters of its
# field: a body of ten thousand unknown fields must not make a header larger than the body.
MAX_WARNINGS = 10
MAX_WARNING_FIELD = 64


def _json_content_type(value: str) -> bool:
    media = value.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def read_body(request: Request, limit: int) -> bytes:
    read: bytes | None = request.scope.get(BODY_KEY)
    if read is None:
        return await read_within(request.receive, request.headers.get("content-length"), limit)
    if len(read) > limit:  # an operation whose own limit is under the service's (GraphQL)
        raise _too_large(limit)
    return read


async def read_within(receive: Receive, declared: str | None, limit: int) -> bytes:
    """The whole body; 413 as soon as its declared or its read size is over `limit`.
    A client that goes away mid-body raises ClientDisconnect: a partial body never runs."""
    # isascii: str.isdigit accepts "²" and "①", which int() refuses.
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "OMNICART-REQUEST-0001",
        f"request body is larger than the limit of {limit} bytes",
        {"limit": limit},
    )


async def decode_body(request: Request, schema: type[T], limits: RequestLimits, *, optional: bool = False) -> T:
    """The body, decoded once into `schema`. With `optional`, an empty body is `schema()`."""
    content_type = request.headers.get("content-type")
    body = await read_body(request, limits.max_body_bytes)
    if optional and not body.strip():
        return schema()
    if content_type is None or not _json_content_type(content_type):
        raise ApiError(
            415,
            "OMNICART-REQUEST-0002",
            f"content-type must be application/json, got {content_type or 'none'}",
        )
    notices: list[Notice] = []
    decoded = decode(body, schema, limits, notices=notices)
    if notices:
        request.scope[WARNINGS_KEY] = warning_header(notices)
    return decoded


def warning_header(notices: list[Notice]) -> str:
    """The notices as one `Warning` header (RFC 7234 §5.5, as Kubernetes sends its own):
    `299 - "text"` each, comma-separated; quotes, backslashes and anything outside
    printable ASCII escaped as in JSON, so no field name can break the header."""
    shown = [_quoted(notice) for notice in notices[:MAX_WARNINGS]]
    if len(notices) > MAX_WARNINGS:
        shown.append(_quoted(Notice("$", f"and {len(notices) - MAX_WARNINGS} more fields not used")))
    return ", ".join(f"299 - {text}" for text in shown)


def _quoted(notice: Notice) -> str:
    text = notice.text
    if len(notice.field) > MAX_WARNING_FIELD:
        text = text.replace(notice.field, notice.field[:MAX_WARNING_FIELD] + "…")
    return json.dumps(text, ensure_ascii=True)


def warnings_of(request: Request) -> str | None:
    """The `Warning` header this request's answer carries, if its body had something to say."""
    value: str | None = request.scope.get(WARNINGS_KEY)
    return value
