"""TMF630's attribute filters, run in the store: a cart found by its id (TMF663's `?id=`
and `?href=`), an order by its submission instant with each bound inclusive or not
(TMF622's `orderDate`, `.gt`, `.gte`, `.lt`, `.lte`). Another owner's carts and orders
are neither found nor counted."""

from __future__ import annotations

from datetime import timedelta

from omnicart.store import CartFilter, OrderFilter
from tests.contract.conftest import add, make_cart
from tests.contract.test_order_store import AT, placed

A, B = "partner-a", "partner-b"
MS = timedelta(milliseconds=1)


class TestCartById:
    async def test_the_cart_with_that_id_alone_is_found_and_counted(self, store):
        wanted, other = make_cart(owner=A), make_cart(owner=A)
        await add(store, wanted)
        await add(store, other)
        page, total = await store.find_carts(A, CartFilter(cart_id=wanted.id), 10, 0)
        assert ([found.id for found in page], total) == ([wanted.id], 1)

    async def test_an_unknown_id_finds_nothing(self, store):
        await add(store, make_cart(owner=A))
        assert await store.find_carts(A, CartFilter(cart_id="0c97aeef-f15f-11f1-a167-f365a2e4f056"), 10, 0) == ([], 0)

    async def test_another_owners_cart_is_not_found_by_its_id(self, store):
        cart = make_cart(owner=A)
        await add(store, cart)
        assert await store.find_carts(B, CartFilter(cart_id=cart.id), 10, 0) == ([], 0)


class TestOrderBySubmission:
    """The order below was submitted at 12:00:00.123 (AT); each row: the filter, found or not."""

    CASES = [
        ({"submitted_after": AT - MS}, True),
        ({"submitted_after": AT}, False),  # .gt: strictly after
        ({"submitted_through": AT}, True),  # .lte: the instant itself is in
        ({"submitted_through": AT - MS}, False),
        ({"submitted_from": AT}, True),  # .gte
        ({"submitted_to": AT}, False),  # .lt
        ({"submitted_from": AT, "submitted_through": AT}, True),  # the exact instant: orderDate=
        ({"submitted_after": AT - MS, "submitted_to": AT + MS}, True),
    ]

    async def test_each_bound_is_inclusive_or_exclusive_as_named(self, store):
        order = await placed(store, owner=A)
        for bounds, found in self.CASES:
            page, total = await store.find_orders(A, OrderFilter(**bounds), 10, 0)
            assert (page == [order], total) == (found, 1 if found else 0), bounds

    async def test_another_owners_order_is_neither_found_nor_counted(self, store):
        await placed(store, owner=A)
        bounds = OrderFilter(submitted_after=AT - MS, submitted_through=AT)
        assert await store.find_orders(B, bounds, 10, 0) == ([], 0)
