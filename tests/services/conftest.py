"""Use-case tests: the services called directly, as the HTTP layer calls them, without
HTTP and without an app.

Each test gets the use cases as the app makes them (`runtime.make_services`, from the
app's default settings unless a module's `settings` fixture says otherwise) on a store of
its own: SQLite in memory, migrated as it opens and gone when the test ends, with one
fake clock for every service. A test here runs once, on that one store: there is no
"both stores" parametrisation, because that every store behaves alike is the contract
suite's job (tests/contract, on SQLite and PostgreSQL). What is about HTTP (statuses,
headers, error bodies, content negotiation, routing, access, Idempotency-Key and
If-Match on the wire, profiles, limits on the wire) stays in tests/api, with at least one
test over HTTP of every operation.

Inputs are what the HTTP layer's decoding makes of a body (`wire.decoding.convert`); a
cart is read as the partner reads it, its document (`document`: without `href`, which
is the HTTP layer's); refusals are the domain's errors, named by their codes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from omnicart.config import Settings
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog, load_default_catalog
from omnicart.domain.order import Order
from omnicart.domain.payment import register
from omnicart.domain.pricing import TaxTable, load_default_tax_table
from omnicart.domain.representation import encode_cart, order_document
from omnicart.providers import Providers, open_providers
from omnicart.runtime import Services, make_services
from omnicart.services.answers import RenderedCart
from omnicart.services.carts import CartService
from omnicart.services.orders import OrderService
from omnicart.store import EventFilter, OrderFilter, Store, open_store
from omnicart.wire.cart import CartCreate, ItemsAdd, PaymentRef
from omnicart.wire.decoding import convert
from omnicart.wire.fulfilment import FulfillmentSelection
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.orders import Submission
from omnicart.wire.payments import PaymentMethodsRequest
from tests.carts import line, payment_request
from tests.conftest import SEED_REQUEST, START, FakeClock
from tests.credentials import PARTNER

MEMORY = "sqlite:///:memory:"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_default_catalog()


@pytest.fixture(scope="session")
def taxes() -> TaxTable:
    return load_default_tax_table()


@pytest.fixture
def settings() -> Settings:
    """The app's defaults: not a sandbox, so no simulated fulfilment."""
    return Settings(database_url=MEMORY)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    store = await open_store(settings.database_url)
    yield store
    await store.close()


@pytest.fixture
def providers() -> Providers:
    """The sandbox world's: the fiber use cases act on its customers and addresses."""
    return open_providers("sandbox")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def services(
    store: Store, settings: Settings, catalog: Catalog, taxes: TaxTable, clock: FakeClock, providers: Providers
) -> AsyncIterator[Services]:
    services = make_services(store, settings, catalog=catalog, taxes=taxes, providers=providers)
    # Orders read the carts' clock.
    services.carts.clock = services.idempotency.clock = services.hubs.clock = services.dispatcher.clock = clock
    yield services
    await services.dispatcher.close()


@pytest.fixture
def carts(services: Services) -> CartService:
    return services.carts


@pytest.fixture
def orders(services: Services) -> OrderService:
    return services.orders


# -- what the use cases are given ------------------------------------------------------------


def seed(**fields: Any) -> CartCreate:
    """The seed request (tests/conftest.py) with `fields` (e.g. items), decoded."""
    return convert({**copy.deepcopy(SEED_REQUEST), **copy.deepcopy(fields)}, CartCreate)


def items(*raw: dict) -> list[ProductOrderItem]:
    """Items as the HTTP layer decodes them from a request's `items`."""
    return convert({"items": copy.deepcopy(list(raw))}, ItemsAdd).items


def submission(raw: dict | None = None) -> Submission:
    """Express submit's body, decoded (none: no body)."""
    return convert(copy.deepcopy(raw), Submission) if raw is not None else Submission()


async def pay(carts: CartService, cart_id: str, *, refs: list[PaymentRef] | None = None, **fields: Any) -> RenderedCart:
    """The carrier's payment-methods request (tests/carts.py) for the cart, as the HTTP
    layer hands it to the use case: the methods, and the reference of each (drawn as the
    HTTP layer draws them, unless given)."""
    methods = convert(payment_request(cart_id, **fields), PaymentMethodsRequest).paymentMethods
    return await carts.register_payment_methods(PARTNER, cart_id, methods, refs or register(methods))


async def deliver(services: Services, order_id: str, *item_ids: str, method: str = "standard-shipping") -> RenderedCart:
    """The direct-fulfilment choice of a delivery method (`method`) for each item named."""
    chosen = [{"productOrderItemId": item_id, "productOffering": {"id": method}} for item_id in item_ids]
    selection = convert({"selectedOptions": chosen}, FulfillmentSelection)
    return await services.direct_fulfilment.select_fulfillment(PARTNER, order_id, selection)


# -- what they answer --------------------------------------------------------------------------


def document(answer: RenderedCart | Cart | Order) -> dict:
    """A cart (as a use case answers it, or as checkout assessed it) or an order, as the
    partner reads it: without `href`, which is the HTTP layer's."""
    if isinstance(answer, RenderedCart):
        return json.loads(answer.wire)
    if isinstance(answer, Cart):
        return json.loads(encode_cart(answer)[1])
    return json.loads(order_document(answer, None))


async def read(carts: CartService, cart_id: str) -> dict:
    """The partner's cart as stored now."""
    return document(await carts.read_cart(PARTNER, cart_id))


async def placed(orders: OrderService, owner: str = PARTNER) -> list[Order]:
    """Every order of the partner, newest first."""
    return (await orders.find_orders(owner, OrderFilter(), limit=100, offset=0))[0]


async def outbox(store: Store, resource: str | None = None) -> list[tuple[str, dict]]:
    """(eventType, the event envelope) of the partner's events (about a `resource`, e.g.
    "productOrder", when given), oldest first."""
    records = reversed((await store.list_events(PARTNER, EventFilter(), 1_000, 0))[0])
    events = [(record.event_type, json.loads(record.payload)) for record in records]
    return [(kind, envelope) for kind, envelope in events if resource is None or resource in envelope["event"]]


async def advance(orders: OrderService, clock: FakeClock, seconds: float) -> int:
    """Move the clock and let the fulfilment simulator make what is due; how many orders changed."""
    return await orders.advance_due_orders(clock.advance(seconds))


# -- carts to start from -------------------------------------------------------------------------


@pytest.fixture
async def cart(carts: CartService) -> dict:
    """A freshly created draft cart, as the partner reads it."""
    return document(await carts.create_cart(PARTNER, seed()))


@pytest.fixture
async def ready_cart(carts: CartService) -> dict:
    """A draft cart holding a whole new line (plan, phone, SIM, protection), its payment
    and terms complete: ready to submit."""
    created = await carts.create_cart(PARTNER, seed(items=line()))
    ready = document(await pay(carts, created.id))
    assert ready["validation"]["readyToSubmit"], ready
    return ready
