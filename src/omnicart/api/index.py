"""`GET /`: an index of the service instead of a bare 404. JSON links for a program; in
sandbox mode a browser (which asks for HTML first) is sent on to the console, the page a
person trying the sandbox wants."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from omnicart import __version__
from omnicart.api.responses import JSONResponse, base_url
from omnicart.runtime import settings_of
from omnicart.wire.index import Index, Links

CONSOLE = "/console/"


async def index(request: Request) -> Response:
    base = base_url(request)
    if settings_of(request.scope).sandbox and _wants_html(request.headers.get("accept", "")):
        return RedirectResponse(base + CONSOLE, status_code=303)
    links = Links(
        carts=f"{base}/omni-svcs/v1/carts",
        docs=f"{base}/docs",
        openapi=f"{base}/openapi.json",
        console=base + CONSOLE,
        health=f"{base}/health",
        ready=f"{base}/ready",
    )
    return JSONResponse(Index("omnicart", __version__, settings_of(request.scope).sandbox, links))


def _wants_html(accept: str) -> bool:
    """Whether text/html comes before any JSON type in Accept, as browsers send it."""
    for part in accept.split(","):
        media = part.split(";", 1)[0].strip().lower()
        if media == "text/html":
            return True
        if media in ("application/json", "*/*", "application/*"):
            return False
    return False
