"""What a handler needs besides its body: who calls, the query, the paths of the
operation table, and the use cases it calls, typed (the app's state itself: runtime.py)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from omnicart.api.responses import base_url
from omnicart.domain.credentials import Principal
from omnicart.runtime import services_of
from omnicart.services.carts import CartService
from omnicart.services.credit import CreditService
from omnicart.services.customers import CustomerService
from omnicart.services.direct_fulfilment import DirectFulfilment
from omnicart.services.offers import OfferSearch
from omnicart.services.orders import OrderService
from omnicart.services.qualification import QualificationService

PARTNER_KEY = "omnicart.partner"  # the partner of the principal, for handlers and the access log
PRINCIPAL_KEY = "omnicart.principal"
QUERY_KEY = "omnicart.query"


def partner_of(request: Request) -> str:
    """The partner the request acts for, set by authentication at the edge."""
    partner: str = request.scope[PARTNER_KEY]
    return partner


def principal_of(request: Request) -> Principal:
    """The authenticated caller: partner, granted scopes, which credential."""
    principal: Principal = request.scope[PRINCIPAL_KEY]
    return principal


def carts_of(request: Request) -> CartService:
    return services_of(request.scope).carts


def orders_of(request: Request) -> OrderService:
    return services_of(request.scope).orders


def customers_of(request: Request) -> CustomerService:
    return services_of(request.scope).customers


def qualification_of(request: Request) -> QualificationService:
    return services_of(request.scope).qualification


def credit_of(request: Request) -> CreditService:
    return services_of(request.scope).credit


def offers_of(request: Request) -> OfferSearch:
    return services_of(request.scope).offers


def direct_fulfilment_of(request: Request) -> DirectFulfilment:
    return services_of(request.scope).direct_fulfilment


def query_of(request: Request) -> Any:
    """The query string as the operation's query struct (api/queries.py), decoded and
    checked by the dispatcher before the handler runs."""
    return request.scope[QUERY_KEY]


def url_of(request: Request, operation_id: str, **params: str) -> str:
    """The absolute URL of an operation of the table (api/operations/), where the service
    is reached (`base_url`): every resource's href and Location,
    e.g. `url_of(request, "getCart", cartId=cart.id)`."""
    template: str = request.app.state.paths[operation_id]
    return base_url(request) + template.format_map(params)
