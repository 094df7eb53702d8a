"""Reading a JSON request body safely: content type and size here, then syntax, shape and
limits in wire/decoding.py (shared with the client, so it imports no Starlette).

Every check fails with a clear error before anything reaches a use case, so a bad request
changes nothing.
"""

from __future__ import annotations

from typing import TypeVar

from starlette.requests import Request

from omnicart.wire.decoding import RequestLimits, decode
from omnicart.wire.errors import ApiError

T = TypeVar("T")


def _json_content_type(value: str) -> bool:
    media = value.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    # isascii: str.isdigit accepts "²" and "①", which int() refuses.
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
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
    return decode(body, schema, limits)
