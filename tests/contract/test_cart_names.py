"""A cart's second name (its customer order id, given by the older `order/create`): found
by its owner, by nobody else, and never given to two carts, on every database."""

from __future__ import annotations

import pytest

from omnicart.store import DuplicateCustomerOrderId
from tests.contract.conftest import add, make_cart

NAME = "26-46236265737394"  # the carrier's BYOD order/create example


def named(owner: str, name: str = NAME):
    cart = make_cart(owner=owner)
    cart.customerOrderId = name
    return cart


async def test_the_owner_finds_the_cart_by_its_name(store):
    cart = named("partner-a")
    await add(store, cart)
    assert await store.cart_named("partner-a", NAME) == cart.id


async def test_another_owner_does_not(store):
    await add(store, named("partner-a"))
    assert await store.cart_named("partner-b", NAME) is None


async def test_a_cart_without_a_name_is_found_by_none(store):
    cart = make_cart(owner="partner-a")
    await add(store, cart)
    assert await store.cart_named("partner-a", NAME) is None
    assert await store.get("partner-a", cart.id) is not None


async def test_a_name_is_given_once(store):
    await add(store, named("partner-a"))
    with pytest.raises(DuplicateCustomerOrderId):
        await add(store, named("partner-b"))
    assert await store.cart_named("partner-b", NAME) is None
