"""TMF630's Error body for every 4xx and 5xx under `/tmf-api/`, whoever made it.

Errors are made all over the app in omnicart's one format (api/errors.py: handlers,
middleware refusals, the router's 404/405, Idempotency-Key replays); rather than teach
each of them a second format, `TmfErrors` rewrites the body of an error answer on a TMF
path on its way out (wire/tmf/common.py, `tmf_error`): the same code, message and details,
with TMF's `reason`, `status` (as text) and `@type`. It sits outside the status profile
(api/profiles.py), so the status it writes is the one sent, in either profile. Only
error answers on TMF paths are held; everything else streams through untouched.
"""

from __future__ import annotations

import msgspec
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omnicart.api.tmf import TMF_PREFIX
from omnicart.wire.tmf.common import tmf_error

_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode


def tmf_body(status: int, body: bytes) -> bytes:
    """omnicart's error body as TMF's Error (a body that is not one: only the status)."""
    try:
        document = _decode(body)
    except msgspec.DecodeError:
        document = None
    if not isinstance(document, dict):
        document = {}
    code = document.get("code")
    message = document.get("message")
    details = document.get("details")
    return _encode(
        tmf_error(
            status,
            code if isinstance(code, str) else f"OMNICART-REQUEST-0{status}",
            message if isinstance(message, str) else "",
            details if isinstance(details, dict) and details else None,
        )
    )


class TmfErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(TMF_PREFIX):
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def rewritten(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 400:
                held.append(message)
            elif held:
                held.append(message)
                if not message.get("more_body", False):
                    await self._send_error(held, send, scope["method"] == "HEAD")
            else:
                await send(message)

        await self.app(scope, receive, rewritten)

    @staticmethod
    async def _send_error(held: list[Message], send: Send, head: bool) -> None:
        start, *chunks = held
        body = tmf_body(start["status"], b"".join(chunk.get("body", b"") for chunk in chunks))
        headers = [
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() not in (b"content-length", b"content-type")
        ]
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})
