"""The OpenAPI 3.1 document, derived from the operation table (api/operations/) and the
msgspec types it names, so it cannot drift from what the service does."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from starlette.routing import compile_path

from omnicart import __version__
from omnicart.api import oauth
from omnicart.api.answers import coded, error_sources
from omnicart.api.openapi_docs import explain
from omnicart.api.operation import ETAG, MOCK_SCENARIO, WARNING, Header, Operation
from omnicart.api.profiles import OMNICART, Profile
from omnicart.api.profiles import REJECTION_STATUS as REJECTION
from omnicart.api.request_schemas import bound_requests
from omnicart.domain import scenarios
from omnicart.domain.credentials import SCOPE_DESCRIPTIONS
from omnicart.wire.limits import RequestLimits
from omnicart.wire.open import EXTRA

REF = "#/components/schemas/{name}"
JSON = "application/json"

RETRY_AFTER = Header("Retry-After", "Seconds to wait before retrying", schema={"type": "integer"})
CHALLENGE = Header("WWW-Authenticate", "The authentication challenge (RFC 6750, or Basic for the token endpoint)")
# Headers the API sends with a status whichever operation answers it.
STATUS_HEADERS = {
    304: (ETAG,),
    401: (CHALLENGE,),
    403: (CHALLENGE,),
    412: (ETAG,),
    429: (RETRY_AFTER,),
    503: (RETRY_AFTER,),
}


def open_objects(components: dict[str, Any]) -> None:
    """Objects that keep unknown fields say so (`additionalProperties`), and their
    internal room for them (wire/open.py) is not part of the contract."""
    for schema in components.values():
        properties = schema.get("properties", {})
        if EXTRA in properties:
            del properties[EXTRA]
            schema["additionalProperties"] = True


def build_document(
    operations: Iterable[Operation],
    profile: Profile = OMNICART,
    *,
    sandbox: bool = False,
    limits: RequestLimits | None = None,
) -> dict[str, Any]:
    """The document of the service as it answers in `profile` (its statuses), in sandbox
    mode or not (anonymous calls, mock-scenario), with its configured request `limits`."""
    operations = list(operations)
    types = _types(operations)
    schemas, components = msgspec.json.schema_components(types, ref_template=REF)
    open_objects(components)
    _drop_unsendable_defaults(components)
    schema_of = dict(zip(types, schemas, strict=True))
    # A body's own copy where it is not a component (a dict's schema may be an answer's too).
    bodies = {op.body.type: _own(schema_of[op.body.type]) for op in operations if op.body is not None}
    json_bodies = {op.body.type: bodies[op.body.type] for op in operations if op.body and JSON in op.body.media_types}
    bound_requests(components, json_bodies, limits or RequestLimits())
    schema_of = {**schema_of, **{("body", kind): schema for kind, schema in bodies.items()}}
    paths: dict[str, Any] = {}
    for operation in operations:
        item = paths.setdefault(operation.path, _path_item(operation.path))
        item[operation.method.lower()] = _operation(operation, schema_of, components, profile, sandbox)
    for operation in operations:  # their properties became parameters
        components.pop(operation.query.__name__, None)
    token_url = next(op.path for op in operations if op.handler is oauth.token)
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "omnicart: omni-svcs partner cart API",
            "version": __version__,
            "description": "Paths, bodies and errors of the carrier's omni-svcs cart API. "
            "Operations marked x-omnicart-extension are omnicart's additions. "
            + (
                "Sandbox mode: credentials are optional (a call without them acts for the sandbox partner) "
                "and every /omni-svcs request honours the mock-scenario header. "
                if sandbox
                else ""
            )
            + f"Status codes are those of the '{profile.name}' profile (OMNICART_PROFILE).",
        },
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": _security_schemes(token_url)},
    }
    explain(document)  # descriptions, tags and examples (api/openapi_docs/)
    return document


def _drop_unsendable_defaults(components: dict[str, Any]) -> None:
    """A default that stands for "absent" (`productOrderItemId: ""`: one is drawn) is no
    value a client may send, and a schema whose default breaks its own rules is invalid:
    the property stays optional, without the default."""
    for schema in components.values():
        for prop in schema.get("properties", {}).values():
            if prop.get("default") == "" and prop.get("minLength", 0) > 0:
                del prop["default"]


def _own(schema: dict[str, Any]) -> dict[str, Any]:
    return schema if "$ref" in schema else copy.deepcopy(schema)


def _types(operations: list[Operation]) -> list[Any]:
    """Every msgspec type the document names, each once, in a stable order."""
    found: dict[Any, None] = {}
    for op in operations:
        bodies = [kind for kinds in op.error_bodies.values() for kind in kinds]
        for kind in (op.body and op.body.type, op.answer.type, op.error_type, op.query, *bodies):
            if kind is not None:
                found.setdefault(kind)
    return list(found)


def _path_item(path: str) -> dict[str, Any]:
    names = compile_path(path)[2]
    if not names:
        return {}
    return {"parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names]}


def _operation(
    op: Operation, schema_of: dict[Any, Any], components: dict[str, Any], profile: Profile, sandbox: bool
) -> dict[str, Any]:
    document: dict[str, Any] = {"operationId": op.id, "summary": op.summary}
    if op.extension:
        document["x-omnicart-extension"] = True
    header_parameters = [_header(h, op) for h in op.headers if sandbox or not h.sandbox_only]
    parameters = _query_parameters(components[op.query.__name__]) + header_parameters
    if parameters:
        document["parameters"] = parameters
    if op.body is not None:
        document["requestBody"] = {
            "required": op.body.required,
            "content": {
                media: _media(schema_of["body", op.body.type], op.body.examples) for media in op.body.media_types
            },
        }
    answer = op.answer
    success: dict[str, Any] = {"description": answer.description}
    if answer.type is not None:
        success["content"] = {answer.media_type: {"schema": schema_of[answer.type]}}
    answered = (*answer.headers, WARNING) if op.body is not None else answer.headers
    if answered:
        success["headers"] = _headers(answered)
    document["responses"] = {str(profile.status(answer.status)): success}
    if answer.partial is not None:
        document["responses"]["206"] = {**success, "description": answer.partial}
    for status, description in sorted(_errors(op, profile).items()):
        response: dict[str, Any] = {"description": description}
        if status in op.error_bodies:
            bodies = {"anyOf": [schema_of[kind] for kind in op.error_bodies[status]]}
            response["content"] = {"application/json": {"schema": bodies}}
        elif status >= 400:
            response["content"] = {"application/json": {"schema": schema_of[op.error_type]}}
        if status in STATUS_HEADERS:
            response["headers"] = _headers(STATUS_HEADERS[status])
        document["responses"][str(status)] = response
    if op.scope is None:
        document["security"] = []
    else:
        # In sandbox mode a call without credentials acts for the sandbox partner ({}: none
        # needed); credentials that are sent are still checked.
        document["security"] = [*([{}] if sandbox else []), {"bearer": []}, {"oauth2": [op.scope]}]
        document["x-required-scope"] = op.scope
    return document


def _media(schema: dict[str, Any], examples: Mapping[str, Any]) -> dict[str, Any]:
    return {"schema": schema, "examples": dict(examples)} if examples else {"schema": schema}


def _errors(op: Operation, profile: Profile = OMNICART) -> dict[int, str]:
    """Every status but the success one, in `profile`, with what it means for this
    operation (several meanings of one status as a list)."""
    found: dict[int, list[str]] = {}
    answers = [(profile.status(status), d) for source in error_sources(op) for status, d in source.items()]
    answers += [(profile.status(REJECTION, code), f"`{code}`: {d}") for code, d in op.rejections.items()]
    answers += [(profile.status(o.status, o.code), f"`{o.code}`: {o.description}") for o in coded(op)]
    for status, description in answers:
        said = found.setdefault(status, [])
        if description not in said:
            said.append(description)
    return {status: said[0] if len(said) == 1 else "\n".join(f"- {d}" for d in said) for status, said in found.items()}


def _query_parameters(schema: dict[str, Any]) -> list[dict[str, Any]]:
    parameters = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        parameter = {"name": name, "in": "query", "required": name in schema.get("required", ())}
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        parameters.append({**parameter, "schema": prop})
    return parameters


def _header(header: Header, op: Operation) -> dict[str, Any]:
    schema = dict(header.schema)
    if header is MOCK_SCENARIO:
        # Every value is accepted on every operation (the partner kit's marker sends one
        # scenario with each call), and the empty value, which names none; the description
        # says which act on this one.
        schema["enum"] = [*scenarios.ACCEPTED, ""]
        acting = ", ".join(f"`{name}`" for name in scenarios.acting_on(op.id))
        description = f"{header.description} Acting on this operation: {acting}; any other is accepted and ignored."
    else:
        description = header.description
    return {
        "name": header.name,
        "in": "header",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _headers(headers: Iterable[Header]) -> dict[str, Any]:
    return {h.name: {"description": h.description, "schema": dict(h.schema)} for h in headers}


def _security_schemes(token_url: str) -> dict[str, Any]:
    return {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (`ock_<id>.<secret>`, from `omnicart keys create`) "
            "or an access token from POST " + token_url,
        },
        "oauth2": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": dict(SCOPE_DESCRIPTIONS)}},
        },
    }
