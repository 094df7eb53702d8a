"""What a handler needs from the request besides its body: who calls, and the use cases."""

from __future__ import annotations

from starlette.requests import Request

from omnicart.services import CartService

PARTNER_KEY = "omnicart.partner"


def partner_of(request: Request) -> str:
    """The partner the request acts for, set by the authentication middleware."""
    return request.scope[PARTNER_KEY]


def service_of(request: Request) -> CartService:
    return request.app.state.service
