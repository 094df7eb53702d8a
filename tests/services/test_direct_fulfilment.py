"""The direct-fulfilment use cases (services/direct_fulfilment.py, services/offers.py)
called directly, on SQLite in memory: what each reads and changes of the order's cart,
the events of its changes, and what the clock decides. Over HTTP:
tests/api/test_direct_fulfilment.py and its siblings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from omnicart.domain.errors import CartNotFound, CartNotModifiable, InvalidSelection
from omnicart.wire.billing import BillingRequest
from omnicart.wire.decoding import convert
from omnicart.wire.offers import OffersSearch
from omnicart.wire.terms import TermsConsent
from tests.carts import COMPLETE, IPHONE, add_a_line
from tests.credentials import PARTNER
from tests.services.conftest import deliver, document, outbox, read, seed, submission


@pytest.fixture
def df(services):
    return services.direct_fulfilment


@pytest.fixture
async def order(carts) -> dict:
    """A named order (as `order/create` makes one) with a new line to deliver."""
    made = await carts.create_cart(PARTNER, seed(items=add_a_line()), named=True)
    return document(made)


def consent(*names: str) -> TermsConsent:
    return convert({"agreements": [{"name": name} for name in names]}, TermsConsent)


async def test_reading_options_and_terms_changes_nothing_and_follows_the_clock(carts, df, order, clock):
    name = order["customerOrderId"]
    options = await df.fulfillment_options(PARTNER, name, None)
    (phone, sim) = options.selectedOptions[0].options
    assert (phone.productOrderItemId, sim.productOrderItemId) == ("line-1-phone", "line-1-sim")
    assert [str(o.dates.deliveryDates.dateFrom) for o in phone.fulfillmentOptions] == [
        "2026-01-18",
        "2026-01-17",
        "2026-01-16",
    ]
    clock.advance(86_400)
    later = await df.fulfillment_options(PARTNER, name, None)
    assert str(later.selectedOptions[0].options[0].fulfillmentOptions[0].dates.deliveryDates.dateFrom) == "2026-01-19"
    assert [a.name for a in await df.terms(PARTNER, name)] == ["Wireless Customer Agreement", "Installment Agreement"]
    assert await read(carts, name) == order


async def test_each_choice_is_a_cart_change_with_its_event(services, df, order, store):
    name = order["customerOrderId"]
    before = len(await outbox(store))
    await deliver(services, name, "line-1-phone", method="express-shipping")
    await df.accept_terms(PARTNER, name, consent("WCA", "IA"))
    await df.update_billing(PARTNER, name, convert({"enrollment": {"paperLess": "enrolled"}}, BillingRequest))
    events = (await outbox(store))[before:]
    assert [kind for kind, _ in events] == ["ShoppingCartAttributeValueChangeEvent"] * 3
    last = events[-1][1]["event"]["shoppingCart"]
    assert last["version"] == order["version"] + 3
    assert last["fulfillment"][0]["productOffering"]["id"] == "express-shipping"
    assert last["enrollment"] == {"paperLess": "enrolled"}
    assert [a["id"] for a in last["agreement"]] == ["WCA", "IA"]


async def test_a_refused_consent_records_nothing_and_makes_no_event(carts, df, order, store):
    name = order["customerOrderId"]
    before = len(await outbox(store))
    answered = await df.accept_terms(PARTNER, name, consent("WCA", "Device Protection Terms and Conditions"))
    assert answered.version == order["version"]
    assert b'"INVALID_TERMS_EXIST"' in answered.answer
    assert await read(carts, name) == order
    assert len(await outbox(store)) == before


async def test_a_refused_choice_records_nothing(carts, services, order):
    with pytest.raises(InvalidSelection):
        await deliver(services, order["customerOrderId"], "line-1", method="standard-shipping")
    assert await read(carts, order["id"]) == order


async def test_the_order_ready_and_submitted_keeps_what_was_chosen(carts, orders, services, df, order):
    name = order["customerOrderId"]
    await deliver(services, name, "line-1-phone", "line-1-sim")
    await df.update_billing(PARTNER, name, convert({"enrollment": {"autoPay": "enrolled"}}, BillingRequest))
    placed, _ = await orders.submit(PARTNER, name, submission(COMPLETE))  # payment and terms in the body
    shown = document(placed)
    assert [f["productOrderItemId"] for f in shown["fulfillment"]] == ["line-1-phone", "line-1-sim"]
    assert shown["enrollment"] == {"autoPay": "enrolled"}
    assert [a["id"] for a in shown["agreement"]] == ["WCA", "IA"]
    with pytest.raises(CartNotModifiable):
        await df.fulfillment_options(PARTNER, name, None)
    with pytest.raises(CartNotModifiable):
        await deliver(services, name, "line-1-phone")


async def test_another_partners_order_is_not_found(df, order):
    with pytest.raises(CartNotFound):
        await df.terms("partner-b", order["customerOrderId"])
    with pytest.raises(CartNotFound):
        await df.accept_terms("partner-b", order["customerOrderId"], consent("WCA"))


async def test_a_cart_of_the_newer_flavour_can_choose_too(carts, services):
    made = document(await carts.create_cart(PARTNER, seed(items=add_a_line())))
    assert [c["type"] for c in made["validation"]["configuration"]] == ["terms", "payment"]
    chosen = document(await deliver(services, made["id"], "line-1-phone"))
    assert chosen["version"] == 2  # answered with the cart's version; the body is the carrier's
    cart = await read(carts, made["id"])
    assert [(c["type"], c["status"]) for c in cart["validation"]["configuration"]] == [
        ("terms", "pending"),
        ("payment", "pending"),
        ("fulfillment", "pending"),
    ]


async def test_offers_search_finds_what_is_on_sale_that_day(services, clock):
    wanted = convert({"productOfferingTypeGroup": "mobileDevice"}, OffersSearch)
    assert IPHONE in {o.id for o in services.offers.search(wanted)}
    clock.now = datetime(2024, 9, 1, tzinfo=UTC)  # before the iPhone 16 went on sale
    assert IPHONE not in {o.id for o in services.offers.search(wanted)}
