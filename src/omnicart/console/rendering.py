"""Pages out of the templates of this package: one Jinja environment, autoescaped, so
whatever a partner sent (ids, names, characteristics) is shown as text, never as markup;
and one Content-Security-Policy that would refuse an inline script if one slipped through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from omnicart.console.session import PREFIX, csrf_token, keep_csrf_cookie
from omnicart.domain.credentials import Principal
from omnicart.runtime import settings_of
from omnicart.store import TOTAL_COUNTED

PAGE_SIZE = 20
LAST_PAGE = 10_000  # a list goes no further: a larger ?page= asks for this one
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

HERE = Path(__file__).parent
templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
templates.globals["total_counted"] = TOTAL_COUNTED  # a list's total above it is "more than"


def render(
    request: Request, template: str, status: int = 200, principal: Principal | None = None, **context: Any
) -> HTMLResponse:
    html = templates.get_template(template).render(
        request=request,
        partner=principal.partner if principal else None,
        sandbox=settings_of(request.scope).sandbox,
        csrf=csrf_token(request),
        **context,
    )
    response = HTMLResponse(html, status_code=status, headers={"content-security-policy": CSP})
    keep_csrf_cookie(response, request)
    return response


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(PREFIX + path, status_code=303)


def page_number(request: Request) -> int:
    """The list page asked for (?page=, from 1): anything else is the first page."""
    raw = request.query_params.get("page", "1")
    if not (raw.isascii() and raw.isdigit()):  # isdigit alone takes "²", which int() refuses
        return 1
    digits = raw.lstrip("0")
    # More digits than the last page has is past it; int() would refuse over 4,300 of them.
    return LAST_PAGE if len(digits) > len(str(LAST_PAGE)) else max(1, min(int(digits or "0"), LAST_PAGE))
