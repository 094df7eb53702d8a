"""Every shape problem of a JSON data file, not just the first.

msgspec stops decoding at the first value of the wrong shape. Someone fixing a catalog or
a world file wants the whole list at once (`omnicart catalog validate`), so after a failed
decode the file is walked again: each struct field and list element is converted on its
own, and a problem is reported where it sits. The walk only runs after msgspec refused the
file, and msgspec stays the judge of what is valid; the walk only says where."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from typing import Any

import msgspec

_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")


def shape_problems(data: bytes, schema: Any) -> list[tuple[str, str]]:
    """(JSON path, reason) for every value of `data` that does not fit `schema`; empty
    when the file is not JSON at all (its decode error says where)."""
    try:
        value = msgspec.json.decode(data)
    except msgspec.DecodeError:
        return []
    return list(_walk(value, schema, ""))


def _walk(value: Any, type_: Any, at: str) -> Iterator[tuple[str, str]]:
    try:
        msgspec.convert(value, type_)
        return
    except msgspec.ValidationError as error:
        refusal = str(error)
    inside = list(_inside(value, type_, at))
    if inside:
        yield from inside
        return
    match = _AT.search(refusal)
    if match is None:
        yield at or "$", refusal
    else:
        yield _join(at, match["path"]) or "$", refusal[: match.start()]


def _inside(value: Any, type_: Any, at: str) -> Iterator[tuple[str, str]]:
    """The problems of `value`'s parts, when `type_` has parts and `value` is their container."""
    if isinstance(type_, type) and issubclass(type_, msgspec.Struct) and isinstance(value, dict):
        yield from _struct(value, type_, at)
    elif typing.get_origin(type_) in (list, tuple, frozenset, set) and isinstance(value, list):
        (element, *_) = typing.get_args(type_) or (Any,)
        for index, item in enumerate(value):
            yield from _walk(item, element, f"{at}[{index}]")
    elif typing.get_origin(type_) in (typing.Union, types.UnionType) and value is not None:
        # The one arm a JSON object or array can be; scalars are judged as a whole.
        arms = [arm for arm in typing.get_args(type_) if _container_fits(arm, value)]
        if len(arms) == 1:
            yield from _inside(value, arms[0], at)


def _struct(value: dict[str, Any], type_: type[msgspec.Struct], at: str) -> Iterator[tuple[str, str]]:
    """In the file's order, then the fields it lacks."""
    fields = {field.encode_name: field for field in msgspec.structs.fields(type_)}
    for name, part in value.items():
        if name in fields:
            yield from _walk(part, fields[name].type, _join(at, f".{name}"))
        elif type_.__struct_config__.forbid_unknown_fields:
            yield at or "$", f"Object contains unknown field `{name}`"
    for name, field in fields.items():
        if field.required and name not in value:
            yield at or "$", f"Object missing required field `{name}`"


def _container_fits(arm: Any, value: Any) -> bool:
    if isinstance(value, dict):
        return isinstance(arm, type) and issubclass(arm, msgspec.Struct)
    if isinstance(value, list):
        return typing.get_origin(arm) in (list, tuple, frozenset, set)
    return False


def _join(at: str, suffix: str) -> str:
    return f"{at}{suffix}".removeprefix(".")
