"""The HTTP helpers every resource shares: where the service is reached, answers encoded
by msgspec, and a rendered answer sent as it was rendered."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import msgspec
from msgspec import UNSET
from starlette.requests import Request
from starlette.responses import Response

from omnicart.domain.representation import list_document
from omnicart.runtime import base_url_of

_encoder = msgspec.json.Encoder()


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _encoder.encode(content)


def base_url(request: Request) -> str:
    """Where the service is reached: the configured public URL, else the request's Host."""
    return base_url_of(request.scope)


def respond(rendered: tuple[int, list[tuple[str, str]], bytes]) -> Response:
    """(status, headers, body), as rendered once for the answer and an idempotent replay."""
    status, headers, body = rendered
    return Response(body, status_code=status, headers=dict(headers))


def given(value: Any) -> Any:
    return None if value is UNSET else value


def page_response(
    request: Request, offset: int, limit: int, documents: list[tuple[bytes, str, str]], total: int | None
) -> Response:
    """A page of a list: the (wire document, id, href) of each entry as one JSON array
    (`list_document`), with `page_headers`."""
    return Response(
        list_document(documents),
        media_type="application/json",
        headers=page_headers(request, offset, limit, len(documents), total),
    )


def page_headers(request: Request, offset: int, limit: int, shown: int, total: int | None) -> dict[str, str]:
    """X-Result-Count, X-Total-Count (only when counted: None is more than the store counts)
    and, where there is such a page, a Link (RFC 8288) to the next and the previous page
    with the same filters. Uncounted, a full page has a next one: at worst it is empty."""
    headers = {"X-Result-Count": str(shown)}
    if total is not None:
        headers["X-Total-Count"] = str(total)
    pairs = [(name, value) for name, value in request.query_params.multi_items() if name not in ("offset", "limit")]
    url = base_url(request) + request.scope["path"]

    def link(to: int, rel: str) -> str:
        return f'<{url}?{urlencode([*pairs, ("limit", str(limit)), ("offset", str(to))])}>; rel="{rel}"'

    links = []
    if offset + shown < total if total is not None else shown == limit:
        links.append(link(offset + shown, "next"))
    if offset > 0:
        links.append(link(max(0, offset - limit), "prev"))
    if links:
        headers["Link"] = ", ".join(links)
    return headers
