"""What the OpenAPI document explains besides its shapes: a tag and a description for
every operation (`operations`), a description for every schema property (`properties`, `schemas`),
request and answer examples (omnicart/data/openapi/examples.json, made by
scripts/openapi_examples.py from a sandbox flow), each closed set of values a named schema
(so a generated client has one distinct type per set, not `Status1`, `Status2`…), and the
item merge patch's body schema.

Kept apart from the shapes (api/openapi.py, the wire structs), which it only annotates:
`explain` runs once the document is built.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib.resources import files
from typing import Any

from omnicart.api.openapi_docs.operations import OPERATIONS, ORDER_ID, ORDERS_PATH, PATH_PARAMETERS, TAGS, TMF_IDS
from omnicart.api.openapi_docs.schemas import SCHEMAS, description

REF = "#/components/schemas/"
ITEM_PATCH = "ProductOrderItemPatch"
PATCHED = "ProductOrderItem"
ITEM_ID = "productOrderItemId"


def explain(document: dict[str, Any]) -> None:
    """Annotate a built document in place."""
    schemas = document["components"]["schemas"]
    name_enums(schemas)
    describe_properties(schemas)
    schemas[ITEM_PATCH] = item_patch(schemas[PATCHED])
    document["tags"] = [{"name": name, "description": text} for name, text in TAGS.items()]
    for path, item in document["paths"].items():
        for parameter in item.get("parameters", []):
            parameter["description"] = _path_parameter(path, parameter["name"])
        for method, operation in item.items():
            if method != "parameters":
                _explain_operation(operation)


def _path_parameter(path: str, name: str) -> str:
    if name == "orderId" and path.startswith(ORDERS_PATH):
        return ORDER_ID
    for start, text in TMF_IDS.items():
        if path.startswith(start):
            return text
    if name == "id" and path.startswith("/tmf-api/shoppingCart/v4/hub/"):
        return PATH_PARAMETERS["tmf663 hub id"]
    if name == "id" and path.startswith("/tmf-api/shoppingCart/"):
        return PATH_PARAMETERS["tmf663 id"]
    return PATH_PARAMETERS[name]


@cache
def examples() -> dict[str, dict[str, Any]]:
    """Operation id -> {"request": body, "answer": body}, as the sandbox answered them."""
    return _data("examples.json")


@cache
def carrier_answers() -> dict[str, dict[str, Any]]:
    """Operation id -> an Example Object of the carrier's own answer, where the reference shows one
    that is the whole answer (Create Cart's `{"id": …}` is not: omnicart answers the cart)."""
    return _data("carrier-answers.json")


def _data(name: str) -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = json.loads((files("omnicart") / "data" / "openapi" / name).read_text())
    return loaded


def _explain_operation(operation: dict[str, Any]) -> None:
    operation_id = operation["operationId"]
    if operation_id in OPERATIONS:
        tag, text = OPERATIONS[operation_id]
        operation["tags"] = [tag]
        operation["description"] = text
    found = examples().get(operation_id, {})
    if operation_id == "patchCartItem":
        for media in operation["requestBody"]["content"].values():
            media["schema"] = {"$ref": REF + ITEM_PATCH}
    body = operation.get("requestBody")
    if body is not None and "request" in found:
        for media in body["content"].values():
            media.setdefault("examples", {})
            if not media["examples"]:
                media["examples"]["sandbox"] = {"summary": "A request the sandbox answered", "value": found["request"]}
    if "answer" in found:
        success = next(r for status, r in operation["responses"].items() if status.startswith("2"))
        for media in success.get("content", {}).values():
            summary = found.get("summary", "The sandbox's answer")
            media["examples"] = {"sandbox": {"summary": summary, "value": copy.deepcopy(found["answer"])}}
            if operation_id in carrier_answers():
                media["examples"] = {"carrier": copy.deepcopy(carrier_answers()[operation_id]), **media["examples"]}


def describe_properties(schemas: dict[str, Any]) -> None:
    """Each property's description from `properties`, unless the struct already says one."""
    for name, schema in schemas.items():
        if name in SCHEMAS:
            schema.setdefault("description", SCHEMAS[name])
        for prop, prop_schema in schema.get("properties", {}).items():
            text = description(name, prop)
            if text is not None and "description" not in prop_schema:
                prop_schema["description"] = text


def name_enums(schemas: dict[str, Any]) -> None:
    """Every closed set of values inline in a property becomes a schema of its own, named
    after the property (`Action`), or after the schema and the property
    (`ProductOrderItemAction`) when that name is taken or the property's sets differ."""
    found: list[tuple[str, str, Any, Any]] = []  # schema, property, where the enum sits: container, key
    for name, schema in list(schemas.items()):
        properties = schema.get("properties", {})
        for prop in properties:
            found += [(name, prop, holder, key) for holder, key in _enum_places(properties, prop)]
    sets: dict[str, set[str]] = {}
    for _, prop, holder, key in found:
        sets.setdefault(prop, set()).add(_key(holder[key]))
    named: dict[tuple[str, str], str] = {}
    users: dict[str, tuple[str, list[str]]] = {}  # named set -> its property, the schemas using it
    for name, prop, holder, key in found:
        values = _key(holder[key])
        if (prop, values) not in named:
            choice = _title(prop) if len(sets[prop]) == 1 else name + _title(prop)
            if choice in schemas:
                choice = name + _title(prop)
            named[(prop, values)] = choice
            schemas[choice] = _enum_part(holder[key])
            users[choice] = (prop, [])
        users[named[(prop, values)]][1].append(name)
        rest = {k: v for k, v in holder[key].items() if k not in _ENUM_KEYS}
        holder[key] = {"$ref": REF + named[(prop, values)], **rest}
    for choice, (prop, names) in users.items():
        schemas[choice] = {"description": f"The values of `{prop}` in {', '.join(names)}", **schemas[choice]}


_ENUM_KEYS = ("type", "enum")


def _enum_part(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: schema[k] for k in _ENUM_KEYS if k in schema}


def _key(schema: dict[str, Any]) -> str:
    return json.dumps(_enum_part(schema), sort_keys=True)


def _enum_places(properties: dict[str, Any], prop: str) -> list[tuple[Any, Any]]:
    """Where in a property's schema an inline enum sits: (its container, its key). The
    empty string allowed beside a pattern (`{"enum": [""]}`) is no set of values."""
    schema = properties[prop]
    places: list[tuple[Any, Any]] = [(properties, prop)] if _is_set(schema) else []
    if _is_set(schema.get("items", {})):
        places.append((schema, "items"))
    places += [(schema["anyOf"], i) for i, option in enumerate(schema.get("anyOf", [])) if _is_set(option)]
    return places


def _is_set(schema: dict[str, Any]) -> bool:
    return "enum" in schema and schema["enum"] != [""]


def _title(prop: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in prop.split("_"))


def item_patch(item: dict[str, Any]) -> dict[str, Any]:
    """A JSON merge patch (RFC 7396) of an item: any of its fields, null removing one. A
    field absent from a patch is left as it is, so the item's defaults say nothing here."""
    patch: dict[str, Any] = {
        "title": ITEM_PATCH,
        "description": "omnicart's own: a JSON merge patch (RFC 7396) of a ProductOrderItem. Fields given replace "
        "the item's, null removes one; the merged item must be a valid ProductOrderItem, and "
        "productOrderItemId cannot change.",
        "type": "object",
        "properties": {prop: _removable(schema) for prop, schema in item.get("properties", {}).items()},
    }
    # The item's id names the item: given, it must be the path's itemId; it is never removed.
    patch["properties"][ITEM_ID] = {
        **_without_default(item["properties"][ITEM_ID]),
        "description": "The item's productOrderItemId (itemId of the path), if given: it cannot change",
    }
    if "additionalProperties" in item:
        patch["additionalProperties"] = item["additionalProperties"]
    return patch


def _removable(schema: dict[str, Any]) -> dict[str, Any]:
    options = [_without_default(option) for option in schema.get("anyOf", [])]
    if not options:
        options = [_without_default({k: v for k, v in schema.items() if k != "description"})]
    if NULL not in options:
        options.append(NULL)
    removable: dict[str, Any] = {"anyOf": options}
    if "description" in schema:
        removable["description"] = schema["description"]
    return removable


NULL = {"type": "null"}


def _without_default(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != "default"}
