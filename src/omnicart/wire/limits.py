"""The limits a request body is held to (docs/limits.md): `RequestLimits`, their settings
(OMNICART_*), and `check_limits`, the one walk of a parsed body that enforces them
(string lengths, list lengths by field name in `LIST_LIMITS`, nesting depth, NUL
characters, the reserved `extra` name). Decoding (wire/decoding.py) applies them; the
OpenAPI document declares the same numbers (api/request_schemas.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from omnicart.wire.errors import ApiError, invalid_field
from omnicart.wire.open import EXTRA

EXTRA_BYTES = EXTRA.encode()


@dataclass(frozen=True)
class RequestLimits:
    """Input limits; each is documented in docs/limits.md and configurable (OMNICART_*)."""

    max_body_bytes: int = 1024 * 1024
    max_items_per_cart: int = 200
    max_items_per_request: int = 100
    max_quantity: int = 10
    max_extensions: int = 50
    max_related_parties: int = 20
    max_string_length: int = 1024


def body_limits(schema: type, limits: RequestLimits) -> RequestLimits:
    """The limits a body of `schema` is held to: a body type whose strings may be longer
    says so (`MAX_STRING_LENGTH`, the orders query's GraphQL document)."""
    longest = getattr(schema, "MAX_STRING_LENGTH", 0)
    if longest <= limits.max_string_length:
        return limits
    return dataclasses.replace(limits, max_string_length=longest)


MAX_DEPTH = 32


def may_exceed_limits(body: bytes, limits: RequestLimits) -> bool:
    """Whether the body could break a limit at all, judged from its bytes alone.

    Most requests are small: no string in them can be longer than the longest run of
    bytes between two quotes, no list can have more entries than the body has objects,
    no nesting can be deeper than its brackets. Only when these bounds do not rule a
    limit out is the decoded document walked.
    """
    if b"\\" in body or EXTRA_BYTES in body:  # an escape (\u0000, \") makes the byte bounds unreliable
        return True
    if len(body) > limits.max_string_length and max(map(len, body.split(b'"'))) > limits.max_string_length:
        return True
    objects = body.count(b"{")
    smallest_list_limit = min(limits.max_extensions, limits.max_related_parties, limits.max_items_per_request)
    return objects > smallest_list_limit or objects + body.count(b"[") > MAX_DEPTH


def check_limits(raw: Any, limits: RequestLimits) -> None:
    """Walk the whole document once, modelled fields and unknown ones alike."""
    stack: list[tuple[Any, str, int]] = [(raw, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _limit(path, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(value, str):
            if len(value) > limits.max_string_length:
                raise _limit(path, f"longer than {limits.max_string_length} characters")
            if "\x00" in value:
                raise invalid_field(path or "$", "must not contain NUL characters")
        elif isinstance(value, dict):
            for key, child in value.items():
                if len(key) > limits.max_string_length:
                    raise _limit(path or "$", f"a field name is longer than {limits.max_string_length} characters")
                if "\x00" in key:
                    raise invalid_field(path or "$", "field names must not contain NUL characters")
                if key == EXTRA:
                    raise invalid_field(f"{path}.{key}" if path else key, "is a reserved field name")
                child_path = f"{path}.{key}" if path else key
                if isinstance(child, list):
                    _check_list_length(key, child, child_path, limits)
                stack.append((child, child_path, depth + 1))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                stack.append((child, f"{path}[{index}]", depth + 1))


# The lists whose length is limited, wherever in a body a field of that name holds one,
# and the setting that limits it (the OpenAPI document declares them as maxItems).
LIST_LIMITS = {
    "extensions": "max_extensions",
    "relatedParty": "max_related_parties",
    "items": "max_items_per_request",
    "characteristic": "max_extensions",
}


def _check_list_length(key: str, value: list[Any], path: str, limits: RequestLimits) -> None:
    setting = LIST_LIMITS.get(key)
    if setting is None:
        return
    limit = getattr(limits, setting)
    if len(value) > limit:
        raise _limit(path, f"holds {len(value)} entries; at most {limit} are allowed")


def _limit(path: str, reason: str) -> ApiError:
    return ApiError(
        422,
        "OMNICART-LIMIT-0001",
        f"request exceeds a limit: {path or '$'}: {reason}",
        {"errors": [{"field": path or "$", "reason": reason}]},
    )
