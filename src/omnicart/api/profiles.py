"""Status-code profiles: omnicart's own, or the carrier's (`OMNICART_PROFILE=carrier`).

The carrier answers success with 200 (Create Cart too), input errors with 400 and
business-rule rejections with 500 and its `EXTSALESOPS-…` codes (reference §7). omnicart
answers 201, 413/415/422 and 422. A partner whose retry and alerting logic must match the
carrier's runs the sandbox with the carrier's profile. Bodies are the same in both (the
error body's `status` is the status sent).

The whole difference is `Profile.status`, one table plus one rule, applied in one place:
`ProfiledSend`, which the edge (api/edge.py) puts on every answer's way out (handler
answers, the edge's refusals and Idempotency-Key replays alike, which are stored in
omnicart's statuses). The OpenAPI document (api/openapi.py) and the table of every answer
in docs/profiles.md (api/answers.py) are derived from the same `Profile.status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import msgspec
from starlette.types import Message, Send

from omnicart.domain.errors import CartNotReady

ProfileName = Literal["omnicart", "carrier"]
PROFILES: tuple[ProfileName, ...] = ("omnicart", "carrier")

# A business-rule rejection: a 422 carrying one of the carrier's codes (the order system's
# rejections, EXTSALESOPS-CART_CREATE-OAV-00NN, also from the mock-scenarios cart_rejected
# and submit_rejected) or one of omnicart's own business-rule codes (the cart is not ready
# to submit). Any other 422 is an input error: a body over a limit, a reused key.
REJECTION_STATUS = 422
CARRIER_PREFIX = "EXTSALESOPS-"
OWN_REJECTIONS = frozenset({CartNotReady.code})


def is_rejection(status: int, code: str | None) -> bool:
    return (
        status == REJECTION_STATUS and code is not None and (code.startswith(CARRIER_PREFIX) or code in OWN_REJECTIONS)
    )


@dataclass(frozen=True)
class Profile:
    name: ProfileName
    statuses: Mapping[int, int] = field(default_factory=dict)  # omnicart's status -> this profile's
    rejection: int = REJECTION_STATUS  # the status of a business-rule rejection

    def status(self, status: int, code: str | None = None) -> int:
        """The status this profile answers for omnicart's `status` (with error `code`)."""
        if is_rejection(status, code):
            return self.rejection
        return self.statuses.get(status, status)


OMNICART = Profile("omnicart")
CARRIER = Profile(
    "carrier",
    statuses={
        201: 200,  # success is 200, Create Cart and listener registration too (Location still sent)
        413: 400,  # input errors are 400: a body over the size limit,
        415: 400,  # a body that is not JSON,
        422: 400,  # a request over a configured limit, an Idempotency-Key reused for another request
        502: 500,  # a downstream failure (the carrier's error tables: 500 with its code)
    },
    rejection=500,
)
BY_NAME: Mapping[str, Profile] = {p.name: p for p in (OMNICART, CARRIER)}


def profile_named(name: str) -> Profile:
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"OMNICART_PROFILE must be one of {', '.join(PROFILES)}, got {name!r}") from None


# Statuses whose mapping may depend on the error code, so the body must be read.
_BY_CODE = frozenset({REJECTION_STATUS})
_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode


class ProfiledSend:
    """Sends every answer of one request with the profile's status (and, for an error, the
    same status in its body). Nothing is buffered unless the status depends on the error code."""

    def __init__(self, profile: Profile, send: Send) -> None:
        self.profile = profile
        self.send = send
        self.held: list[Message] = []

    async def __call__(self, message: Message) -> None:
        held, send = self.held, self.send
        if message["type"] == "http.response.start":
            if message["status"] in _BY_CODE:
                held.append(message)
                return
            status = self.profile.status(message["status"])
            if status != message["status"]:
                if status >= 400:
                    held.append({**message, "status": status})
                    return
                message = {**message, "status": status}
            await send(message)
        elif held:
            held.append(message)
            if not message.get("more_body", False):
                await self._send_error(held, send)
        else:
            await send(message)

    async def _send_error(self, held: list[Message], send: Send) -> None:
        start, *chunks = held
        body = b"".join(chunk.get("body", b"") for chunk in chunks)
        try:
            document = _decode(body)
        except msgspec.DecodeError:
            document = None
        status = start["status"]
        if isinstance(document, dict):
            status = self.profile.status(status, document.get("code"))
            if "status" in document:
                document["status"] = status
                body = _encode(document)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


__all__ = ["CARRIER", "OMNICART", "Profile", "ProfiledSend", "is_rejection", "profile_named"]
