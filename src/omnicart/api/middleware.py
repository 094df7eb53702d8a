"""Pure ASGI middleware (no per-request task or body buffering): request ids, the
access log and the security headers every response carries; and the last line of the
error mapping for failures raised in middleware, outside Starlette's exception handlers
(idempotency keys and API keys are looked up in the store there): a store failure is a
503 with Retry-After, a client that went away is logged at info, anything else is a 500
in the one error format."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omnicart.api.errors import error_response, on_disconnect, store_unavailable
from omnicart.domain.errors import StoreUnavailable
from omnicart.logs import access, request_id

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


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode("latin-1")
        rid = offered if _VALID_ID.fullmatch(offered) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500
        started_response = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status = message["status"]
                started_response = True
                headers = list(message.get("headers", []))
                present = {name for name, _ in headers}
                headers.append((b"x-request-id", rid.encode()))
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        try:
            try:
                await self.app(scope, receive, send_with_headers)
            except StoreUnavailable as exc:
                if started_response:
                    raise
                await store_unavailable(exc)(scope, receive, send_with_headers)
            except ClientDisconnect:
                on_disconnect(scope)
                status = CLIENT_CLOSED
            except Exception:
                if started_response:
                    raise
                log.exception("unhandled error in middleware on %s %s", scope["method"], scope["path"])
                await error_response(
                    500, "OMNICART-INTERNAL-0500", "internal error; the request id identifies it in the logs"
                )(scope, receive, send_with_headers)
        finally:
            access.write(
                {
                    "request_id": rid,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "partner": scope.get("omnicart.partner"),
                    # Which key or token client: an id, never a secret.
                    "credential": getattr(scope.get("omnicart.principal"), "credential", None),
                }
            )
            request_id.reset(token)
