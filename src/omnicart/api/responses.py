"""The HTTP helpers every resource shares: where the service is reached, answers encoded
by msgspec, and a rendered answer sent as it was rendered."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import settings_of

_encoder = msgspec.json.Encoder()


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _encoder.encode(content)


def base_url(request: Request) -> str:
    """Where the service is reached: the configured public URL, else the request's Host."""
    base = settings_of(request.scope).public_base_url
    if base is None:
        # Built from the scope directly: `request.url` parses a whole URL per call.
        host = request.headers.get("host") or "{}:{}".format(*request.scope["server"])
        base = f"{request.scope['scheme']}://{host}"
    return base.rstrip("/")


def respond(rendered: tuple[int, list[tuple[str, str]], bytes]) -> Response:
    """(status, headers, body), as rendered once for the answer and an idempotent replay."""
    status, headers, body = rendered
    return Response(body, status_code=status, headers=dict(headers))
