"""What answers without credentials: access tokens, probes, metrics, the API's documentation."""

from __future__ import annotations

from typing import Any

from omnicart.api import (
    docs,
    health,
    index,
    metrics,
    oauth,
)
from omnicart.api.operation import (
    UNAVAILABLE,
    Answer,
    Body,
    Operation,
)
from omnicart.wire.index import Index
from omnicart.wire.tokens import AccessToken, TokenError, TokenRequest

PUBLIC: tuple[Operation, ...] = (
    Operation(
        "GET",
        "/",
        index.index,
        "index",
        "Where to go next: links to the carts, the documentation, this document, the console and the"
        " probes. In sandbox mode a browser (Accept: text/html first) is redirected to the console.",
        scope=None,
        answer=Answer(200, "The links", Index),
        errors={303: "Sandbox mode and a browser: See Other, the console"},
        extension=True,
    ),
    Operation(
        "POST",
        "/oauth/token",
        oauth.token,
        "issueAccessToken",
        "OAuth2 client credentials: an API key in, a short-lived access token out",
        scope=None,
        body=Body(TokenRequest, media_types=("application/x-www-form-urlencoded",)),
        answer=Answer(200, "Access token", AccessToken),
        errors={
            400: "RFC 6749 §5.2 error (invalid_request, unsupported_grant_type, invalid_scope)",
            401: "invalid_client: unknown client or wrong secret",
        },
        error_type=TokenError,
        extension=True,
    ),
    Operation(
        "GET",
        "/health",
        health.health,
        "health",
        "Liveness",
        scope=None,
        answer=Answer(200, "Alive", health.Probe),
        extension=True,
    ),
    Operation(
        "GET",
        "/ready",
        health.ready,
        "ready",
        "Readiness: the store answers",
        scope=None,
        answer=Answer(200, "Ready", health.Probe),
        errors={503: UNAVAILABLE},
        extension=True,
    ),
    Operation(
        "GET",
        "/metrics",
        metrics.scrape,
        "metrics",
        "Prometheus metrics (the list is in the project's metrics documentation); with "
        "OMNICART_METRICS_TOKEN set, that bearer token is required",
        scope=None,
        answer=Answer(200, "The metrics, in Prometheus' text format", str, "text/plain"),
        errors={401: "OMNICART_METRICS_TOKEN is set and this request does not carry it"},
        extension=True,
    ),
    Operation(
        "GET",
        "/openapi.json",
        docs.openapi,
        "openapi",
        "This document",
        scope=None,
        answer=Answer(200, "The OpenAPI 3.1 document", dict[str, Any]),
        extension=True,
    ),
    Operation(
        "GET",
        "/docs",
        docs.page,
        "docs",
        "Interactive documentation of this API",
        scope=None,
        answer=Answer(200, "The page", str, "text/html"),
        extension=True,
    ),
    Operation(
        "GET",
        "/docs/init.js",
        docs.init_script,
        "docsScript",
        "The documentation page's script",
        scope=None,
        answer=Answer(200, "The script", str, "text/javascript"),
        extension=True,
    ),
)
