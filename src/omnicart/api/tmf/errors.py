"""TMF630's Error body for every 4xx and 5xx under `/tmf-api/`, whoever made it.

Errors are made all over the app in omnicart's one format (api/errors.py: handlers,
middleware refusals, the router's 404/405, Idempotency-Key replays); rather than teach
each of them a second format, `TmfErrorSend` rewrites the body of an error answer on a TMF
path on its way out (wire/tmf/common.py, `tmf_error`): the same code, message and details,
with TMF's `reason`, `status` (as text) and `@type`. It sits outside the status profile
(api/profiles.py), so the status it writes is the one sent, in either profile. Only
error answers on TMF paths are held; everything else streams through untouched.
"""

from __future__ import annotations

import msgspec
from starlette.types import Message, Scope, Send

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


class TmfErrorSend:
    """The way out of a request on a TMF path (api/edge.py puts it after the status
    profile and before the answer leaves): an error answer is held until its body is
    whole, then sent as TMF's Error; anything else streams through untouched."""

    __slots__ = ("head", "held", "send")

    def __init__(self, send: Send, scope: Scope) -> None:
        self.send = send
        self.head = scope["method"] == "HEAD"
        self.held: list[Message] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] >= 400:
            self.held.append(message)
        elif self.held:
            self.held.append(message)
            if not message.get("more_body", False):
                await self._send_error()
        else:
            await self.send(message)

    async def _send_error(self) -> None:
        start, *chunks = self.held
        body = tmf_body(start["status"], b"".join(chunk.get("body", b"") for chunk in chunks))
        headers = [
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() not in (b"content-length", b"content-type")
        ]
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await self.send({**start, "headers": headers})
        await self.send({"type": "http.response.body", "body": b"" if self.head else body})


def is_tmf(scope: Scope) -> bool:
    return bool(scope["path"].startswith(TMF_PREFIX))
