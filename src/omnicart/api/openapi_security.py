"""The access part of the OpenAPI document: security schemes, the scope each operation
requires and its 401/403/429 answers, the token endpoint. Derived from api/scopes.py,
the same declarations the guard enforces, so the document cannot drift from them."""

from __future__ import annotations

from typing import Any

from omnicart.api.oauth import PATH as TOKEN_PATH
from omnicart.api.scopes import is_public, required_scope
from omnicart.domain.credentials import SCOPE_DESCRIPTIONS

METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

ANSWERS = {
    "401": {"description": "Missing, invalid, expired or revoked credentials",
            "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}, "content": ERROR},
    "403": {"description": "The credential lacks the scope this operation requires",
            "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}, "content": ERROR},
    "429": {"description": "The partner's rate limit is exhausted; retry after Retry-After seconds",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": ERROR},
}

SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "An API key (`ock_<id>.<secret>`, from `omnicart keys create`) "
                              "or an access token from POST /oauth/token"},
    "oauth2": {"type": "oauth2", "flows": {"clientCredentials": {
        "tokenUrl": TOKEN_PATH, "scopes": dict(SCOPE_DESCRIPTIONS)}}},
}

TOKEN_OPERATION = {
    "post": {
        "operationId": "issueAccessToken", "x-omnicart-extension": True, "security": [],
        "summary": "OAuth2 client credentials: an API key in, a short-lived access token out",
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["grant_type"],
            "properties": {"grant_type": {"const": "client_credentials"},
                           "scope": {"type": "string", "description": "space-separated subset of the key's scopes"},
                           "client_id": {"type": "string"}, "client_secret": {"type": "string"}}}}}},
        "responses": {
            "200": {"description": "Access token", "content": {"application/json": {"schema": {
                "type": "object", "required": ["access_token", "token_type", "expires_in", "scope"],
                "properties": {"access_token": {"type": "string"}, "token_type": {"const": "Bearer"},
                               "expires_in": {"type": "integer"}, "scope": {"type": "string"}}}}}},
            "400": {"description": "RFC 6749 §5.2 error (invalid_request, unsupported_grant_type, invalid_scope)"},
            "401": {"description": "invalid_client"},
        },
    }
}


def describe_security(document: dict[str, Any]) -> dict[str, Any]:
    document.setdefault("components", {})["securitySchemes"] = SCHEMES
    document.setdefault("paths", {})[TOKEN_PATH] = TOKEN_OPERATION
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS or "security" in operation:
                continue
            if is_public(path):
                operation["security"] = []
                continue
            scope = required_scope(method.upper(), path)
            operation["security"] = [{"bearer": []}, {"oauth2": [scope]}]
            operation["x-required-scope"] = scope
            for status, answer in ANSWERS.items():
                operation.setdefault("responses", {}).setdefault(status, answer)
    return document
