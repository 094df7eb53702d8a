"""Checking an event delivery in the partner's receiver: the server's own check
(wire/signing.py), and the envelope decoded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from omnicart.wire.signing import SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, verify


class WebhookError(Exception):
    """A delivery whose signature does not check: not from omnicart, altered, or too old."""


def verify_webhook(
    secret: str,
    body: bytes,
    signature: str | Mapping[str, str],
    *,
    tolerance: float = SIGNATURE_TOLERANCE_SECONDS,
    now: float | None = None,
) -> dict[str, Any]:
    """The event envelope of a delivery (`eventId`, `eventType`, `eventTime`, `event`) once
    its signature checks, else WebhookError. `signature`: the X-Omnicart-Signature header,
    or all the request's headers. `body`: the raw bytes as received, before any parsing.

    >>> from omnicart.wire.signing import sign
    >>> body = b'{"eventId": "e1", "eventType": "ShoppingCartCreateEvent", "event": {}}'
    >>> verify_webhook("whsec_x", body, {"x-omnicart-signature": sign("whsec_x", body)})["eventType"]
    'ShoppingCartCreateEvent'
    >>> verify_webhook("whsec_x", body, sign("another secret", body))
    Traceback (most recent call last):
    omnicart.client.webhooks.WebhookError: the signature does not match this body and secret, or is too old
    """
    if not isinstance(signature, str):
        found = next((value for name, value in signature.items() if name.lower() == SIGNATURE_HEADER.lower()), None)
        if found is None:
            raise WebhookError(f"no {SIGNATURE_HEADER} header")
        signature = found
    if not verify(secret, signature, body, now=now, tolerance=tolerance):
        raise WebhookError("the signature does not match this body and secret, or is too old")
    envelope: dict[str, Any] = msgspec.json.decode(body)
    return envelope
