"""Property-based: random sequences of item operations on a stored cart keep its
invariants — totals equal the sum of item prices, versions only grow (by one per
accepted change, not at all for a refused one), no orphan items, the stored cart is the
cart the service answered."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from omnicart.domain.cart import Cart
from omnicart.domain.errors import DomainError
from omnicart.services.carts import CartService
from omnicart.store import open_store
from omnicart.wire.cart import CartCreate, Channel
from omnicart.wire.items import ProductOrderItem

OFFERINGS = [
    "Mobile_Device_pkey72544_sku2675503",
    "Mobile_Device_pkey74120_sku2701846",
    "06c387fb-bfd5-4287-a1e8-b9da4c0be06e",
    "SIM_pkey80001_sku6001001",
    "4b9f1e2a-7c3d-4e8f-9a10-2b3c4d5e6f70",
    "Accessory_pkey90011_sku6550021",
    "unknown-offering",
]
ACTIONS = ["add", "add", "swap;add", "noChange", "terminate"]


def cents(value: float) -> int:
    return round(value * 100)


def check_totals(cart: Cart) -> None:
    for total in cart.orderTotalPrice:
        lines = [p for i in cart.productOrderItem for p in i.itemPrice if p.priceType == total.priceType]
        assert cents(total.price.dutyFreeAmount.value) == sum(cents(p.price.dutyFreeAmount.value) for p in lines)
        assert cents(total.price.taxIncludedAmount.value) == sum(cents(p.price.taxIncludedAmount.value) for p in lines)


class CartOperations(RuleBasedStateMachine):
    loop: asyncio.AbstractEventLoop
    service: CartService

    def __init__(self) -> None:
        super().__init__()
        created = self.run(self.service.create_cart("owner", CartCreate(channel=Channel(id="IND"), relatedParty=[])))
        self.cart = self.run(self.service.get_cart("owner", created.id))
        self.version = 1
        self.serial = 0

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def attempt(self, coroutine) -> None:
        """Run a change; a refused one must leave the cart exactly as it was."""
        before = self.cart
        try:
            rendered = self.run(coroutine)
        except DomainError:
            assert self.run(self.service.get_cart("owner", before.id)) == before
            return
        self.cart = self.run(self.service.get_cart("owner", before.id))
        # The store holds what the service answered, byte for byte (these carts carry no
        # unknown fields, so the answer is the stored document as it is).
        stored = self.run(self.service.store.read("owner", before.id))
        assert rendered.wire == stored.doc
        self.version += 1
        assert self.cart.version == rendered.version == self.version

    @rule(
        offering=st.sampled_from(OFFERINGS),
        action=st.sampled_from(ACTIONS),
        quantity=st.integers(1, 12),
        count=st.integers(1, 3),
        data=st.data(),
    )
    def add(self, offering, action, quantity, count, data):
        roots = [i.productOrderItemId for i in self.cart.productOrderItem if not i.rootBundleProductOrderItemId]
        items = []
        for _ in range(count):
            self.serial += 1
            root = data.draw(st.sampled_from([None, *roots]))
            items.append(
                ProductOrderItem(
                    productOrderItemId=f"i{self.serial}",
                    action=action,
                    quantity=quantity,
                    productOfferingId=offering,
                    rootBundleProductOrderItemId=root,
                )
            )
        self.attempt(self.service.add_items("owner", self.cart.id, items))

    @precondition(lambda self: self.cart.productOrderItem)
    @rule(data=st.data(), quantity=st.integers(1, 12))
    def change_quantity(self, data, quantity):
        item = data.draw(st.sampled_from(self.cart.productOrderItem))
        self.attempt(
            self.service.update_item(
                "owner",
                self.cart.id,
                item.productOrderItemId,
                lambda current: ProductOrderItem(
                    **{**{f: getattr(current, f) for f in current.__struct_fields__}, "quantity": quantity}
                ),
            )
        )

    @precondition(lambda self: self.cart.productOrderItem)
    @rule(data=st.data())
    def remove(self, data):
        item = data.draw(st.sampled_from(self.cart.productOrderItem))
        self.attempt(self.service.remove_item("owner", self.cart.id, item.productOrderItemId))

    @rule()
    def remove_unknown(self):
        self.attempt(self.service.remove_item("owner", self.cart.id, "never-added"))

    @rule(stale=st.integers(0, 3))
    def change_with_a_stale_version(self, stale):
        if_match = f'"{self.version - 1 - stale}"'
        self.attempt(self.service.add_items("owner", self.cart.id, [], if_match=if_match))

    @invariant()
    def totals_equal_the_sum_of_item_prices(self):
        check_totals(self.cart)

    @invariant()
    def no_orphans_and_unique_ids(self):
        ids = [i.productOrderItemId for i in self.cart.productOrderItem]
        assert len(ids) == len(set(ids))
        assert all(
            i.rootBundleProductOrderItemId in ids for i in self.cart.productOrderItem if i.rootBundleProductOrderItemId
        )

    @invariant()
    def the_store_holds_what_the_service_answered(self):
        assert self.run(self.service.get_cart("owner", self.cart.id)) == self.cart


def test_random_operation_sequences_keep_the_cart_invariants(database_url):
    loop = asyncio.new_event_loop()
    store = loop.run_until_complete(open_store(database_url, pool_size=2))
    try:
        CartOperations.loop = loop
        CartOperations.service = CartService(store, clock=lambda: datetime.now(UTC))
        run_state_machine_as_test(
            CartOperations,
            settings=settings(
                max_examples=25, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
            ),
        )
    finally:
        loop.run_until_complete(store.close())
        loop.close()
