"""Identifier formats of the carrier: time-based UUIDs (version 1) for carts and orders,
and customer order ids (`25-76826709685300`), the second name of a cart of the older
"order" flavour and the name of every order; and a device's IMEI."""

from __future__ import annotations

import re
import secrets
import uuid

_CUSTOMER_ORDER_ID = re.compile(r"\d{2}-\d{14,15}")


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


def is_customer_order_id(value: str) -> bool:
    """Whether `value` has the carrier's customer order id format: two digits, "-", 14 or
    15 digits (ASCII)."""
    return value.isascii() and _CUSTOMER_ORDER_ID.fullmatch(value) is not None


def is_valid_imei(imei: str) -> bool:
    """15 ASCII digits whose last is the Luhn check digit of the other 14."""
    if len(imei) != 15 or not (imei.isascii() and imei.isdigit()):
        return False
    total = 0
    for position, digit in enumerate(map(int, reversed(imei))):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
