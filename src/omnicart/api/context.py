"""What a handler needs from the request besides its body: who calls, and the use cases."""

from __future__ import annotations

from starlette.requests import Request

from omnicart.domain.credentials import Principal
from omnicart.services import CartService

PARTNER_KEY = "omnicart.partner"  # the partner of the principal, for handlers and the access log
PRINCIPAL_KEY = "omnicart.principal"


def partner_of(request: Request) -> str:
    """The partner the request acts for, set by the authentication middleware."""
    return request.scope[PARTNER_KEY]


def service_of(request: Request) -> CartService:
    return request.app.state.service


def principal_of(request: Request) -> Principal:
    """The authenticated caller: partner, granted scopes, which credential."""
    return request.scope[PRINCIPAL_KEY]
