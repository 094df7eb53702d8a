"""The OpenAPI document as served, and a self-hosted interactive page for it (no CDN: the
service may run offline)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

ASSETS = "/docs/static"

PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>omnicart API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>"""

INIT = "window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});"
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"


async def openapi(request: Request) -> Response:
    # Encoded once per app, at the first request (api/app.py; api/openapi.py builds it
    # from the operation table).
    return Response(request.app.state.openapi(), media_type="application/json")


async def page(request: Request) -> Response:
    return HTMLResponse(PAGE, headers={"content-security-policy": CSP})


async def init_script(request: Request) -> Response:
    return Response(INIT, media_type="text/javascript", headers={"content-security-policy": CSP})


assets = Mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-static")
