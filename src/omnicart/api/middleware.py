"""What the edge (api/edge.py) does around every request: its request id, the security
headers every response carries, the access log line; and the last line of the error
mapping for failures raised at the edge, outside the operations' error handlers
(idempotency keys and API keys are looked up in the store there): a store failure is a
503 with Retry-After, anything else is a 500 in the one error format (a client that went
away is the edge's to log, at info)."""

from __future__ import annotations

import logging
import random
import re
from typing import Any

from starlette.responses import Response
from starlette.types import Message, Scope

from omnicart.api.errors import error_response, store_unavailable
from omnicart.domain.errors import StoreUnavailable

log = logging.getLogger("omnicart.api")
CLIENT_CLOSED = 499  # nginx's status for "the client closed the connection": access log only

_VALID_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"strict-transport-security", b"max-age=31536000"),
]


def request_id_of(scope: Scope) -> str:
    """The caller's X-Request-Id when it is a sane one, else a new one: 128 random bits in
    hex, from the process's own generator (a uuid4 asks the kernel each time; a request id
    need only be unique, not unguessable; `random` reseeds in a forked worker)."""
    offered = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode("latin-1")
    return offered if _VALID_ID.fullmatch(offered) else f"{random.getrandbits(128):032x}"


def with_headers(message: Message, rid: bytes) -> Message:
    """The response's start with its request id and the security headers it does not set."""
    headers = list(message.get("headers", []))
    present = {name for name, _ in headers}
    headers.append((b"x-request-id", rid))
    headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
    return {**message, "headers": headers}


def failure_answer(exc: Exception, scope: Scope) -> Response:
    """The answer to a failure raised at the edge before any answer started (call it in the
    `except` block: an unexpected one is logged with its traceback)."""
    if isinstance(exc, StoreUnavailable):
        return store_unavailable(exc)
    log.exception("unhandled error in middleware on %s %s", scope["method"], scope["path"])
    return error_response(500, "OMNICART-INTERNAL-0500", "internal error; the request id identifies it in the logs")


def access_entry(scope: Scope, rid: str, status: int, seconds: float) -> dict[str, Any]:
    return {
        "request_id": rid,
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "partner": scope.get("omnicart.partner"),
        # Which key or token client: an id, never a secret.
        "credential": getattr(scope.get("omnicart.principal"), "credential", None),
    }
