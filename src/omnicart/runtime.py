"""What a running app holds — its settings and its use cases — and how the HTTP layers
(api/, console/) reach them from a request's ASGI scope.

The app factory (api/app.py) makes the use cases when the app starts (they need the
store: `make_services`, the one place that says how settings configure them; the
use-case tests build theirs here too) and keeps them here; nothing reaches `app.state`
by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from omnicart.access import AccessService, SignInAttempts
from omnicart.config import Settings
from omnicart.domain.catalog import Catalog
from omnicart.domain.fulfilment import FulfilmentPolicy
from omnicart.domain.pricing import TaxTable
from omnicart.providers import Providers
from omnicart.services.appointments import AppointmentService
from omnicart.services.carts import CartService
from omnicart.services.credit import CreditService
from omnicart.services.customers import CustomerService
from omnicart.services.direct_fulfilment import DirectFulfilment
from omnicart.services.holdings import CustomerHoldings
from omnicart.services.idempotency import IdempotencyService
from omnicart.services.offers import OfferSearch
from omnicart.services.order_query import OrderQueryService
from omnicart.services.orders import OrderService
from omnicart.services.product_orders import ProductOrders
from omnicart.services.qualification import QualificationService
from omnicart.store import Store
from omnicart.webhooks import Dispatcher, HubService, RetryPolicy


@dataclass(frozen=True)
class Services:
    """The use cases of one app, made when it starts."""

    carts: CartService
    orders: OrderService
    product_orders: ProductOrders  # TMF622's view of the same orders
    order_query: OrderQueryService
    idempotency: IdempotencyService
    access: AccessService
    hubs: HubService
    dispatcher: Dispatcher
    providers: Providers
    customers: CustomerService
    qualification: QualificationService
    credit: CreditService
    offers: OfferSearch
    direct_fulfilment: DirectFulfilment


def make_services(
    store: Store, settings: Settings, *, catalog: Catalog, taxes: TaxTable, providers: Providers
) -> Services:
    """The use cases of one app on `store`, configured by `settings`, with `providers`
    (providers.open_providers(settings.providers_name, settings.world_path))."""
    carts = CartService(
        store,
        catalog=catalog,
        taxes=taxes,
        limits=settings.limits,
        cart_ttl=settings.cart_ttl or None,
        cache_items=settings.cart_cache_items,
        max_drafts=settings.max_draft_carts_per_partner,
        holdings=None if providers.customers is None else CustomerHoldings(providers.customers),
    )
    fulfilment = FulfilmentPolicy(timedelta(seconds=settings.fulfilment_step_seconds), settings.fulfilment_failure_rate)
    orders = OrderService(
        store,
        carts,
        appointments=AppointmentService(store, providers, catalog),
        policy=fulfilment,
        simulate=settings.fulfilment_enabled,
    )
    return Services(
        carts=carts,
        orders=orders,
        product_orders=ProductOrders(orders),
        order_query=OrderQueryService(store, catalog, providers),
        idempotency=IdempotencyService(
            store, retention=settings.idempotency_retention, max_keys=settings.max_idempotency_keys_per_partner
        ),
        access=AccessService(store, settings),
        hubs=HubService(
            store,
            allow_private_callbacks=settings.private_callbacks_allowed,
            max_hubs=settings.max_hubs_per_partner,
        ),
        dispatcher=Dispatcher(
            store,
            retry=RetryPolicy(
                base=timedelta(seconds=settings.webhook_retry_base_seconds),
                cap=timedelta(seconds=settings.webhook_retry_cap_seconds),
                max_attempts=settings.webhook_max_attempts,
            ),
            timeout=settings.webhook_timeout_seconds,
            concurrency=settings.webhook_concurrency,
            partner_concurrency=settings.webhook_partner_concurrency,
            allow_private=settings.private_callbacks_allowed,
        ),
        providers=providers,
        customers=CustomerService(providers),
        qualification=QualificationService(providers, catalog),
        credit=CreditService(carts, providers),
        offers=OfferSearch(carts),
        direct_fulfilment=DirectFulfilment(carts),
    )


def _state(scope: Any) -> Any:
    return scope["app"].state


def settings_of(scope: Any) -> Settings:
    settings: Settings = _state(scope).settings
    return settings


def base_url_of(scope: Any) -> str:
    """Where the service is reached, for absolute hrefs (the API's and the console's): the
    configured public URL, else the request's scheme and Host."""
    base = settings_of(scope).public_base_url
    if base is None:
        host = next((value for name, value in scope["headers"] if name == b"host"), b"").decode("latin-1")
        base = f"{scope['scheme']}://{host or '{}:{}'.format(*scope['server'])}"
    return base.rstrip("/")


def services_of(scope: Any) -> Services:
    services: Services = _state(scope).services
    return services


def sign_in_attempts_of(scope: Any) -> SignInAttempts:
    """The buckets of tries at a secret, shared by /oauth/token and the console's sign-in."""
    attempts: SignInAttempts = _state(scope).sign_in_attempts
    return attempts


def client_address(scope: Any) -> str:
    """The caller's address: the peer's, or the one a trusted proxy forwarded (the app's
    api/clients.py works it out first); "-" when the server gives none."""
    client = scope.get("client")
    return str(client[0]) if client else "-"
