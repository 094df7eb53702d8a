"""Objects a partner sends: the fields omnicart models, and room for the ones it does not.

The carrier's partners send more than any schema lists, and what they send must come back
as sent. Every object of the partner's (the cart, its channel, each party, each item and
what is nested in them) is an `Open` struct: its modelled fields are typed, and whatever
else the object held is kept in `extra`, here and nowhere else.

`extra` is UNSET unless there is something in it, so a struct without unknown fields
encodes to exactly its wire shape in one native msgspec call. Its encoded name, EXTRA,
is reserved: a request that uses it as a field name anywhere is refused, so it can never
be mistaken for a partner's field, and its presence in an encoding is a byte search away
(`has_extra`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

EXTRA = "__extra__"
_EXTRA_KEY = b'"__extra__":'


class Open(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    extra: dict[str, Any] | UnsetType = msgspec.field(default=UNSET, name=EXTRA)


def has_extra(encoded: bytes) -> bool:
    """Whether an encoding of Open structs holds unknown fields anywhere."""
    return _EXTRA_KEY in encoded


def flatten(value: Any) -> Any:
    """Builtins (from `msgspec.to_builtins`) with every `extra` merged into its object, in
    place: the wire shape, unknown fields after the modelled ones, as they were sent."""
    if isinstance(value, dict):
        extra = value.pop(EXTRA, None)
        for child in value.values():
            flatten(child)
        if extra:
            value.update(extra)
    elif isinstance(value, list):
        for child in value:
            flatten(child)
    return value


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The known field a partner most likely meant by `name`, if one is close: the same
    name in another case (`relatedparty`), a near spelling (`characteristics`), or a known
    name inside it (`cartItems`)."""
    known = list(known)
    by_key = {field.lower(): field for field in known}
    key = name.lower()
    if key in by_key:
        return by_key[key]
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.75)
    if close:
        return by_key[close[0]]
    inside = [field for field in known if len(field) >= 4 and field.lower() in key]
    return max(inside, key=len) if inside else None
