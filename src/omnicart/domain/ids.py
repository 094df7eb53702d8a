"""Identifier formats of the carrier: time-based UUIDs (version 1) for carts and orders."""

from __future__ import annotations

import secrets
import uuid


def time_uuid() -> str:
    # A random node (multicast bit set, per RFC 4122 §4.5) instead of the host's MAC:
    # ids stay time-ordered like the carrier's without leaking which machine made them,
    # and workers on one host do not share a node.
    return str(uuid.uuid1(node=secrets.randbits(48) | 0x010000000000))


def is_time_uuid(value: str) -> bool:
    """Whether `value` can be an id this service issued (so others need no look-up)."""
    try:
        return uuid.UUID(value).version == 1 and len(value) == 36
    except ValueError:
        return False
