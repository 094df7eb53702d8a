"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Literal

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import carts_of
from omnicart.api.responses import JSONResponse


class Probe(msgspec.Struct):
    status: Literal["ok", "ready"]


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> Response:
    # StoreUnavailable propagates to the error handler: 503 + Retry-After.
    await carts_of(request).store.ping()
    return JSONResponse({"status": "ready"})
