"""JSON bytes into omnicart's msgspec structs: syntax, shape, the limits of wire/limits.py,
and the unknown fields of Open objects kept in their `extra`; an error explained with its
path (and, for a closed set, the values it accepts).

One decoding for both ends of the wire: the server reads requests with it (api/requests.py
adds the HTTP checks) and omnicart.client reads answers with it, so a struct means the same
thing on both sides. Nothing but msgspec here: the client must install without a server.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from omnicart.wire.errors import INVALID_CART_REQUEST, ApiError, invalid_field
from omnicart.wire.limits import MAX_DEPTH, RequestLimits, check_limits, may_exceed_limits
from omnicart.wire.notices import Notice, note_unknown, read_aliases
from omnicart.wire.open import EXTRA, Open

T = TypeVar("T")

_parse = msgspec.json.Decoder().decode
_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]+)`(?: - at `\$(?P<at>[^`]*)`)?")
_AT = re.compile(r"^(?P<reason>.*?) - at `\$(?P<at>[^`]*)`$")


def decode(
    body: bytes,
    schema: type[T],
    limits: RequestLimits | None,
    *,
    answer: bool = False,
    notices: list[Notice] | None = None,
) -> T:
    """JSON bytes as `schema`, checked against the limits; unknown fields of Open objects
    are kept in their `extra`.

    The usual request (no unknown field, nothing near a limit) is decoded by msgspec in
    one native call. Anything else (an unknown field, a type error to explain, a float
    that is an integer) takes the long way: parse, check limits, set unknown fields
    aside, convert, and explain the first error with its path.

    `answer`: the body is the server's answer, read by the client: no limits (None), the
    fields the service owns (`READ_ONLY`, e.g. itemPrice) are kept, and `schema` may be a
    list of structs.

    `notices`: where to note what the partner should hear of (`Notice`). A schema that
    drops unknown fields silently somewhere (no forbid_unknown_fields) then takes the long
    way, so that none goes unnoted.
    """
    if (limits is None or not may_exceed_limits(body, limits)) and (
        notices is None or _natively_decodable(schema, body)
    ):
        try:
            return _decoder(schema).decode(body)
        except msgspec.ValidationError:
            pass
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:  # invalid UTF-8 in a string: the latter
            raise _malformed(exc, body) from None
    try:
        raw = _parse(body)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise _malformed(exc, body) from None
    if not isinstance(raw, dict) and not answer:
        raise invalid_field("$", f"the body must be a JSON object, got {_kind(raw)}")
    if limits is not None:
        check_limits(raw, limits)
    return convert(raw, schema, answer=answer, notices=notices)


_AT_BYTE = re.compile(r"\s*\(byte (\d+)\)$")


def _malformed(exc: Exception, body: bytes) -> ApiError:
    """Malformed JSON, an input error, with where it is: `details.errors[0]` has `line` and
    `column` (from 1, the column in characters) and `offset` (in bytes, from 0), where
    the parser could tell (not for nesting too deep to parse)."""
    if not body.strip():
        empty = "the request body is empty"
        return ApiError(400, INVALID_CART_REQUEST, empty, {"errors": [{"field": "$", "reason": empty}]})
    reason = str(exc).removeprefix("JSON is malformed: ")
    offset: int | None = None
    if isinstance(exc, UnicodeDecodeError):
        reason = "the body is not UTF-8"
        try:
            body.decode()
        except UnicodeDecodeError as found:
            offset = found.start
    elif isinstance(exc, RecursionError):
        reason = f"nesting too deep to parse (at most {MAX_DEPTH} levels are allowed)"
    elif (at := _AT_BYTE.search(reason)) is not None:
        offset = int(at[1])
        reason = reason[: at.start()]
    elif "truncated" in reason:
        offset = len(body)
        reason = "the JSON ends too early (truncated)"
    entry: dict[str, Any] = {"field": "$", "reason": reason}
    if offset is not None:
        line_start = body.rfind(b"\n", 0, offset) + 1
        line = body.count(b"\n", 0, offset) + 1
        column = len(body[line_start:offset].decode(errors="replace")) + 1
        entry.update(line=line, column=column, offset=offset)
        reason = f"{reason} at line {line}, column {column} (byte {offset})"
    return ApiError(400, INVALID_CART_REQUEST, f"malformed JSON: {reason}", {"errors": [entry]})


_decoders: dict[Any, Any] = {}


def _decoder(schema: type[T]) -> msgspec.json.Decoder[T]:
    decoder: msgspec.json.Decoder[T] | None = _decoders.get(schema)
    if decoder is None:
        decoder = _decoders[schema] = msgspec.json.Decoder(schema)
    return decoder


def convert(raw: Any, schema: type[T], *, answer: bool = False, notices: list[Notice] | None = None) -> T:
    """A parsed JSON object as `schema` (unknown fields set aside first, in place)."""
    if isinstance(schema, type) and issubclass(schema, msgspec.Struct):
        if not answer and isinstance(raw, dict):
            read_aliases(raw, getattr(schema, "ALIASES", {}), notices)
        set_aside(raw, schema, keep_read_only=answer, notices=notices)
    elif answer and typing.get_origin(schema) is list and isinstance(raw, list):
        (item,) = typing.get_args(schema)
        if isinstance(item, type) and issubclass(item, msgspec.Struct):
            for entry in raw:
                if isinstance(entry, dict):
                    set_aside(entry, item, keep_read_only=True)
    try:
        return msgspec.convert(raw, schema)
    except msgspec.ValidationError as exc:
        if "got `float`" not in str(exc):
            raise validation_error(str(exc), schema) from None
    whole_numbers(raw)
    try:
        return msgspec.convert(raw, schema)
    except msgspec.ValidationError as exc:
        raise validation_error(str(exc), schema) from None


@dataclass(frozen=True)
class _Shape:
    """What `set_aside` needs to know of a struct type: its wire field names, whether it
    keeps unknown fields, the fields it ignores, and which fields hold structs."""

    known: frozenset[str]
    keeps_unknown: bool
    forbids_unknown: bool  # msgspec refuses them: a native decode never drops one silently
    read_only: frozenset[str]
    children: tuple[tuple[str, bool, type], ...]  # (field, holds a list, struct type)


@functools.cache
def _shape(schema: type) -> _Shape:
    info = msgspec.inspect.type_info(schema)
    assert isinstance(info, msgspec.inspect.StructType)
    children = []
    for field in info.fields:
        found = _struct_in(field.type)
        if found is not None:
            children.append((field.encode_name, *found))
    return _Shape(
        known=frozenset(f.encode_name for f in info.fields) - {EXTRA},
        keeps_unknown=issubclass(schema, Open),
        forbids_unknown=bool(info.forbid_unknown_fields),
        read_only=getattr(schema, "READ_ONLY", frozenset()),
        children=tuple(children),
    )


def _natively_decodable(schema: Any, body: bytes) -> bool:
    """Whether msgspec's native decode of `body` means what the long way means when what
    the partner sent must be noted: it can then neither drop an unknown field silently
    nor keep a field the service owns. True when no struct of `schema` could do either,
    or when the body holds none of the field names leading to one (`_escapes`: the bytes
    `"itemPrice"` appear nowhere in a Create Cart body that sends no item price; without
    a backslash, no key can spell a name otherwise)."""
    if not isinstance(schema, type) or not issubclass(schema, msgspec.Struct):
        return False  # e.g. list[Struct], read by the client: never noted
    escapes = _escapes(schema)
    if escapes is None:
        return False
    return not escapes or (b"\\" not in body and not any(name in body for name in escapes))


@functools.cache
def _escapes(schema: type) -> tuple[bytes, ...] | None:
    """The quoted field names, at any depth of `schema`, through which a body reaches a
    field the service owns (`READ_ONLY`, set aside by the long way) or a struct that drops
    unknown fields (no forbid_unknown_fields); None when `schema` itself drops them."""
    shape = _shape(schema)
    if not shape.forbids_unknown:
        return None
    found = {f'"{name}"'.encode() for name in shape.read_only & shape.known}
    for name, _, child in shape.children:
        below = _escapes(child)
        if below is None:
            found.add(f'"{name}"'.encode())
        else:
            found.update(below)
    return tuple(sorted(found))


def _struct_in(kind: msgspec.inspect.Type) -> tuple[bool, type] | None:
    """(in a list?, struct type) when a field holds a struct or a list of structs."""
    if isinstance(kind, msgspec.inspect.UnionType):
        for option in kind.types:
            found = _struct_in(option)
            if found is not None:
                return found
    elif isinstance(kind, msgspec.inspect.StructType):
        return False, kind.cls
    elif isinstance(kind, msgspec.inspect.ListType) and isinstance(kind.item_type, msgspec.inspect.StructType):
        return True, kind.item_type.cls
    return None


def set_aside(
    raw: dict[str, Any],
    schema: type,
    *,
    keep_read_only: bool = False,
    notices: list[Notice] | None = None,
    path: str = "",
) -> None:
    """Move the fields `schema` does not model into its `extra` (dropped where the type
    keeps none, or the service owns the field), at every level, in place. An answer read
    by the client keeps the fields the service owns (`keep_read_only`). `notices`: each
    unknown field at the top, and each dropped deeper down, noted with its path (one kept
    deeper down is echoed, and an item's is a validation warning: rules.UNKNOWN_FIELD)."""
    shape = _shape(schema)
    read_only = frozenset() if keep_read_only else shape.read_only
    unknown = [name for name in raw if name not in shape.known or name in read_only]
    if unknown:
        extra = {name: raw.pop(name) for name in unknown}
        kept = {name: value for name, value in extra.items() if name not in read_only}
        if kept and shape.keeps_unknown:
            raw[EXTRA] = kept
        if notices is not None:
            note_unknown(notices, unknown, shape.known - read_only, shape.keeps_unknown, read_only, path)
    for name, many, child in shape.children:
        value = raw.get(name)
        where = f"{path}.{name}" if path else name
        if many and isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, dict):
                    set_aside(entry, child, keep_read_only=keep_read_only, notices=notices, path=f"{where}[{index}]")
        elif isinstance(value, dict):
            set_aside(value, child, keep_read_only=keep_read_only, notices=notices, path=where)


def whole_numbers(value: Any) -> None:
    """Every float of a parsed body that is a whole number becomes an int, in place: JSON
    has one number type, and 2.0 is the integer 2 (as JSON Schema says too)."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        if isinstance(child, float) and child.is_integer() and abs(child) < 2**53:
            value[key] = int(child)
        else:
            whole_numbers(child)


def validation_error(message: str, schema: Any = None) -> ApiError:
    missing = _MISSING.match(message)
    if missing:
        return invalid_field(_join(missing["at"] or "", missing["name"]), "is required", missing=True)
    located = _AT.match(message)
    if located:
        path = _join(located["at"], "")
        reason = located["reason"]
        accepted = _accepted_values(schema, path) if schema is not None else None
        if accepted:
            reason = f"{reason}; accepted values: {listing(accepted)}"
        return invalid_field(path, reason)
    return invalid_field("$", message)


_INDEX = re.compile(r"\[\d+\]")


def listing(values: Iterable[Any]) -> str:
    """Values for a reason's text, e.g. `add, noChange, terminate`; an empty string is shown
    as `""`, so that no reason ends in what reads as an empty list."""
    return ", ".join(str(value) if value != "" else '""' for value in values)


def _accepted_values(schema: Any, path: str) -> tuple[Any, ...] | None:
    """The values a closed set (Literals, enums) at `path` of `schema` accepts; None when
    the field also takes values of an open type (`ItemId | Literal[""]`: any item id), whose
    literals alone would be a wrong list of what it accepts."""
    kind: Any = msgspec.inspect.type_info(schema)
    for name in filter(None, _INDEX.sub("", path).split(".")):
        kind = _unwrap(kind)
        if not isinstance(kind, msgspec.inspect.StructType):
            return None
        kind = next((f.type for f in kind.fields if f.encode_name == name), None)
        if kind is None:
            return None
    values: list[Any] = []
    for option in kind.types if isinstance(kind, msgspec.inspect.UnionType) else (kind,):
        if isinstance(option, msgspec.inspect.Metadata):  # a closed set with its description
            option = option.type
        if isinstance(option, msgspec.inspect.LiteralType):
            values += option.values
        elif isinstance(option, msgspec.inspect.EnumType):
            values += (member.value for member in option.cls)
        elif not isinstance(option, msgspec.inspect.NoneType):
            return None
    return tuple(values) or None


def _unwrap(kind: Any) -> Any:
    """A struct (or list of structs) inside optional and list wrappers."""
    while True:
        if isinstance(kind, msgspec.inspect.UnionType):
            wrapped = (msgspec.inspect.StructType, msgspec.inspect.ListType)
            kind = next((t for t in kind.types if isinstance(t, wrapped)), kind)
            if isinstance(kind, msgspec.inspect.UnionType):
                return kind
        elif isinstance(kind, msgspec.inspect.ListType):
            kind = kind.item_type
        else:
            return kind


def _join(path: str, name: str) -> str:
    path = path.lstrip(".")
    if not name:
        return path or "$"
    return f"{path}.{name}" if path else name


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")
