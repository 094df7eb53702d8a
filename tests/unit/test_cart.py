"""The cart's own rules: versions, modifiability, items and bundles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from omnicart.domain.cart import Cart
from omnicart.domain.errors import (
    CartNotModifiable,
    DuplicateItemId,
    ItemNotFound,
    LimitExceeded,
    PreconditionFailed,
)
from omnicart.wire.cart import Channel, State
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.values import timestamp

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def draft(*items: ProductOrderItem, version: int = 1) -> Cart:
    return Cart(
        id="c1",
        version=version,
        state=State.DRAFT,
        creationDate=timestamp(NOW),
        lastUpdate=timestamp(NOW),
        channel=Channel(id="IND"),
        relatedParty=[],
        productOrderItem=list(items),
    )


def item(item_id: str, root: str | None = None) -> ProductOrderItem:
    return ProductOrderItem(productOrderItemId=item_id, rootBundleProductOrderItemId=root)


class TestVersions:
    def test_the_etag_is_the_quoted_version(self):
        assert draft(version=7).etag == '"7"'

    @pytest.mark.parametrize("if_match", [None, "*", '"3"', 'W/"3"', '"1", "3"'])
    def test_a_current_or_absent_if_match_passes(self, if_match):
        draft(version=3).check_version(if_match)

    @pytest.mark.parametrize("if_match", ['"2"', "3", '"4", "5"'])
    def test_a_stale_if_match_is_refused_with_the_current_etag(self, if_match):
        with pytest.raises(PreconditionFailed) as refused:
            draft(version=3).check_version(if_match)
        assert refused.value.current_etag == '"3"'

    def test_touch_bumps_the_version_and_last_update(self):
        cart = draft()
        later = NOW.replace(hour=1)
        cart.touch(later)
        assert (cart.version, cart.lastUpdate) == (2, "2026-11-28T01:00:00.000Z")


class TestItems:
    def test_items_are_appended_in_order(self):
        cart = draft(item("a"))
        cart.add_items([item("b"), item("c")], max_items=10)
        assert [i.productOrderItemId for i in cart.productOrderItem] == ["a", "b", "c"]

    @pytest.mark.parametrize("new", [[item("a")], [item("b"), item("b")]])
    def test_an_item_id_is_unique_in_the_cart(self, new):
        cart = draft(item("a"))
        with pytest.raises(DuplicateItemId):
            cart.add_items(new, max_items=10)
        assert len(cart.productOrderItem) == 1

    def test_the_cart_refuses_more_items_than_its_limit(self):
        cart = draft(item("a"))
        with pytest.raises(LimitExceeded):
            cart.add_items([item("b"), item("c")], max_items=2)

    def test_removing_a_bundle_root_removes_its_bundle(self):
        cart = draft(item("root"), item("phone", "root"), item("sim", "root"), item("other"))
        assert cart.remove_item("root") == ["phone", "root", "sim"]
        assert [i.productOrderItemId for i in cart.productOrderItem] == ["other"]

    def test_removing_a_child_keeps_the_rest_of_the_bundle(self):
        cart = draft(item("root"), item("phone", "root"))
        cart.remove_item("phone")
        assert [i.productOrderItemId for i in cart.productOrderItem] == ["root"]

    def test_an_unknown_item_is_not_found(self):
        with pytest.raises(ItemNotFound):
            draft().remove_item("nope")

    def test_a_submitted_cart_cannot_change(self):
        cart = draft(item("a"))
        cart.state = State.SUBMITTED
        for change in (
            lambda: cart.add_items([item("b")], 10),
            lambda: cart.remove_item("a"),
            lambda: cart.replace_item(item("a")),
        ):
            with pytest.raises(CartNotModifiable):
                change()


class TestRevise:
    """A whole document's change (TMF663's PATCH): parties, items and own fields at once."""

    def test_an_unchanged_item_stays_the_very_item_it_was_priced_as(self):
        kept = item("a")
        kept.itemPrice = []
        cart = draft(kept, item("b"))
        cart.revise([], [item("a"), ProductOrderItem(productOrderItemId="b", quantity=3)], {}, max_items=10)
        assert cart.productOrderItem[0] is kept
        assert cart.productOrderItem[1] is not None and cart.productOrderItem[1].quantity == 3

    def test_items_left_out_are_removed_and_new_ones_get_an_id(self):
        cart = draft(item("a"), item("b"))
        cart.revise([], [item("b"), ProductOrderItem()], {}, max_items=10)
        kept, added = cart.productOrderItem
        assert kept.productOrderItemId == "b" and added.productOrderItemId

    def test_parties_and_own_fields_are_replaced(self):
        from omnicart.wire.cart import RelatedParty

        cart = draft()
        cart.extra = {"note": "old"}
        party = RelatedParty(id="c-1", role="customer", referredType="individual")
        cart.revise([party], [], {"contactMedium": []}, max_items=10)
        assert (cart.relatedParty, cart.extra) == ([party], {"contactMedium": []})

    def test_two_items_of_one_id_are_refused(self):
        with pytest.raises(DuplicateItemId):
            draft().revise([], [item("a"), item("a")], {}, max_items=10)

    def test_more_items_than_the_limit_are_refused(self):
        with pytest.raises(LimitExceeded):
            draft().revise([], [item("a"), item("b")], {}, max_items=1)

    def test_a_submitted_cart_cannot_be_revised(self):
        cart = draft(item("a"))
        cart.state = State.SUBMITTED
        with pytest.raises(CartNotModifiable):
            cart.revise([], [], {}, max_items=10)
