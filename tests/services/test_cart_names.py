"""A cart of the older "order" flavour (`order/create`) has two names: its UUID and its
customer order id. Every use case takes either, and the order it becomes keeps the name."""

from __future__ import annotations

import re

import pytest

from omnicart.domain.errors import CartNotFound
from omnicart.domain.order import Order
from tests.carts import COMPLETE, line
from tests.credentials import PARTNER
from tests.services.conftest import deliver, document, items, read, seed, submission

NAME = re.compile(r"^\d{2}-\d{14}$")  # the carrier's customer order id, as omnicart draws it


@pytest.fixture
async def named(carts) -> dict:
    return document(await carts.create_cart(PARTNER, seed(), named=True))


async def test_a_named_cart_carries_its_name_from_birth(named):
    assert NAME.match(named["customerOrderId"])
    assert named["state"] == "Draft"


async def test_a_cart_made_the_newer_way_has_no_name_until_submitted(cart):
    assert "customerOrderId" not in cart


async def test_every_use_case_takes_either_name(carts, named):
    name = named["customerOrderId"]
    assert await read(carts, name) == named
    changed = document(await carts.add_items(PARTNER, name, items(*line())))
    assert changed["id"] == named["id"] and changed["version"] == 2
    assert await read(carts, named["id"]) == changed
    assert (await carts.get_cart(PARTNER, name)).id == named["id"]


async def test_the_order_keeps_the_name(carts, orders, services, named):
    name = named["customerOrderId"]
    await carts.add_items(PARTNER, name, items(*line()))
    # A cart of the "order" flavour delivers its phone and SIM as the partner chose
    # (direct fulfilment: docs/direct-fulfilment.md).
    await deliver(services, name, "line-1-phone", "line-1-sim")
    order, _ = await orders.submit(PARTNER, name, submission(COMPLETE))
    assert isinstance(order, Order)
    assert (order.customerOrderId, order.cartId) == (name, named["id"])


@pytest.mark.parametrize("name", ["25-00000000000000", "not-a-name", "25-1234", ""])
async def test_a_name_that_is_no_cart_of_the_partner_is_not_found(carts, named, name):
    with pytest.raises(CartNotFound):
        await carts.read_cart(PARTNER, name)


async def test_another_partner_cannot_use_the_name(carts, named):
    with pytest.raises(CartNotFound):
        await carts.read_cart("someone-else", named["customerOrderId"])
