"""What the OpenAPI document says a request body may hold, as the decoding enforces it
(wire/decoding.py, wire/limits.py), so that the document is the behaviour both ways: what
it allows is accepted, what it forbids is refused.

- Unknown fields: the decoding never refuses one (`set_aside` keeps it in an Open object's
  `extra` and echoes it, or drops it, and the answer warns about it), so every object a
  request can hold allows additional properties, whatever msgspec says of a struct that
  forbids them at the Python level. Their values may be any JSON within the limits below,
  which JSON Schema cannot bind to values of any type at any depth without a recursive
  schema that makes every generated test of the document many times longer.
- The limits of docs/limits.md bind every string and field name of a body, modelled or
  not (`maxLength`, no NUL character, not the reserved `extra` name), and the lists the
  decoding counts by name (`LIST_LIMITS`: `maxItems`), with the values this service is
  configured with. The nesting depth limit (32) has no JSON Schema keyword.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import msgspec

from omnicart.wire.limits import LIST_LIMITS, RequestLimits, body_limits
from omnicart.wire.open import EXTRA

REF_PREFIX = "#/components/schemas/"
NO_NUL = "^[^\\u0000]*$"
# Keywords whose values are schemas, or lists or maps of schemas.
_SCHEMA = ("items", "additionalProperties", "not", "contains", "propertyNames")
_SCHEMAS = ("anyOf", "oneOf", "allOf", "prefixItems")


def bound_requests(components: dict[str, Any], bodies: Mapping[Any, dict[str, Any]], limits: RequestLimits) -> None:
    """Every schema a request body reaches (`bodies`: body type → its schema, and the
    components they name), in place: unknown fields allowed, limits declared, and the
    groups of fields a body type requires one of (its `ONE_OF_REQUIRED`)."""
    bounded: set[str] = set()
    # A body type whose strings may be longer (`body_limits`) binds only what no other reaches.
    for kind, schema in sorted(bodies.items(), key=lambda body: getattr(body[0], "MAX_STRING_LENGTH", 0)):
        own = body_limits(kind, limits)
        reached = _reached(components, [schema]) - bounded
        bounded |= reached
        for each in [schema, *(components[name] for name in sorted(reached))]:
            _bound(each, own)
    for kind, schema in bodies.items():
        for path, groups in getattr(kind, "ONE_OF_REQUIRED", {}).items():
            _require_one_of(_resolved(components, schema), path, groups)
    for struct in _structs(bodies):
        properties = components.get(struct.__name__, {}).get("properties", {})
        for name in getattr(struct, "READ_ONLY", ()):
            if name in properties:
                # The service owns it: sent in a request, it is ignored (wire/decoding.py).
                properties[name] = {**properties[name], "readOnly": True}


def _structs(kinds: Iterable[Any]) -> Iterator[type]:
    """Every struct type the given types hold, at any depth."""
    seen: set[type] = set()
    pending: list[Any] = list(msgspec.inspect.multi_type_info(list(kinds)))
    while pending:
        info = pending.pop()
        if isinstance(info, msgspec.inspect.StructType):
            if info.cls in seen:
                continue
            seen.add(info.cls)
            yield info.cls
            pending.extend(field.type for field in info.fields)
        elif isinstance(info, msgspec.inspect.UnionType):
            pending.extend(info.types)
        elif isinstance(info, (msgspec.inspect.ListType, msgspec.inspect.DictType)):
            pending.extend([info.item_type] if isinstance(info, msgspec.inspect.ListType) else [info.value_type])


def _resolved(components: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return components[ref[len(REF_PREFIX) :]] if ref.startswith(REF_PREFIX) else schema


def _require_one_of(schema: dict[str, Any], path: str, groups: tuple[tuple[str, ...], ...]) -> None:
    """At least one field of each group: on the object itself ("") or on its property `path`."""
    rules = [{"anyOf": [{"required": [name]} for name in group]} for group in groups]
    if not path:
        schema["allOf"] = [*schema.get("allOf", ()), *rules]
    else:
        schema["properties"][path] = {"allOf": [schema["properties"][path], *rules]}


def _reached(components: dict[str, Any], roots: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    pending = [ref for root in roots for ref in _refs(root)]
    while pending:
        name = pending.pop()
        if name not in found and name in components:
            found.add(name)
            pending.extend(_refs(components[name]))
    return found


def _refs(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            yield ref[len(REF_PREFIX) :]
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _refs(value)


def _subschemas(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in _SCHEMA:
        if isinstance(schema.get(key), dict):
            yield schema[key]
    for key in _SCHEMAS:
        yield from (s for s in schema.get(key, ()) if isinstance(s, dict))
    yield from (s for s in schema.get("properties", {}).values() if isinstance(s, dict))


def _bound(schema: dict[str, Any], limits: RequestLimits) -> None:
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "string" in kinds and "enum" not in schema and "const" not in schema:
        schema["maxLength"] = min(schema.get("maxLength", limits.max_string_length), limits.max_string_length)
        if "pattern" not in schema and "format" not in schema:
            schema["pattern"] = NO_NUL
    if "object" in kinds or "properties" in schema:
        schema["propertyNames"] = _names(limits)
        schema["additionalProperties"] = True
        for name, prop in schema.get("properties", {}).items():
            setting = LIST_LIMITS.get(name)
            if setting is not None:
                _limit_list(prop, getattr(limits, setting))
    for child in _subschemas(schema):
        _bound(child, limits)


def _limit_list(schema: dict[str, Any], limit: int) -> None:
    for option in [schema, *schema.get("anyOf", ())]:
        if isinstance(option, dict) and option.get("type") == "array":
            option["maxItems"] = min(option.get("maxItems", limit), limit)


def _names(limits: RequestLimits) -> dict[str, Any]:
    return {"maxLength": limits.max_string_length, "pattern": NO_NUL, "not": {"const": EXTRA}}
