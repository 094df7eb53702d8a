"""The carrier's orders query in the domain (domain/order_query.py, domain/order_keys.py):
what its filter means, what an order is filed under, and how an order reads in its answer
where the API tests do not go (docs/orders-query.md has the mapping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from omnicart.domain.order import PlannedStep, place_order
from omnicart.domain.order_keys import billing_accounts, line_of_business
from omnicart.domain.order_query import (
    FilterError,
    OrdersFilter,
    Wanted,
    order_dates,
    page_info,
    queried_order,
    wanted,
)
from omnicart.wire.cart import State, Validation
from omnicart.wire.orders import Submission
from omnicart.wire.prices import Money, Price, PriceAmounts

AT = datetime(2026, 1, 15, 12, 0, 0, 250000, tzinfo=UTC)
ORDER_UUID = "dea79fb0-21c4-11f1-8527-67c36c11d002"


def utc(*day: int) -> datetime:
    return datetime(*day, tzinfo=UTC)


class TestOrderDates:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2026-01-15", (utc(2026, 1, 15), utc(2026, 1, 16))),
            ("2026-01-15/2026-01-15", (utc(2026, 1, 15), utc(2026, 1, 16))),
            ("2026-01-31/2026-02-02", (utc(2026, 1, 31), utc(2026, 2, 3))),
            ("2026-01-15/..", (utc(2026, 1, 15), None)),
            ("../2026-01-15", (None, utc(2026, 1, 16))),
            ("9999-12-31", (utc(9999, 12, 31), None)),
        ],
    )
    def test_a_day_or_the_days_of_an_interval_both_ends_included(self, text, expected):
        assert order_dates(text) == expected

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("2026-1-15", "must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)"),
            ("20260115", "must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)"),
            ("2026-01-15T00:00:00Z", "must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)"),
            ("..", "must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)"),
            ("2026-01-15/", "must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)"),
            (
                "2026-01-15/2026-01-16/2026-01-17",
                "must be a day (YYYY-MM-DD) or an interval of days (YYYY-MM-DD/YYYY-MM-DD)",
            ),
            ("../..", "must have at least one end"),
            ("2026-01-16/2026-01-15", "ends (2026-01-15) before it starts (2026-01-16)"),
        ],
    )
    def test_anything_else_is_refused_saying_why(self, text, reason):
        with pytest.raises(FilterError) as refused:
            order_dates(text)
        assert (refused.value.field, refused.value.reason) == ("orderDate", reason)


class TestWanted:
    def test_nothing_given_is_the_first_page_of_twenty(self):
        assert wanted(OrdersFilter()) == Wanted(limit=20, offset=0)

    def test_an_order_id_is_a_uuid_or_a_customer_order_id(self):
        assert wanted(OrdersFilter(orderId=ORDER_UUID)) == Wanted(order_id=ORDER_UUID)
        assert wanted(OrdersFilter(orderId="26-00000000000001")) == Wanted(customer_order_id="26-00000000000001")

    def test_every_condition_in_the_stores_terms(self):
        given = OrdersFilter(
            orderId="26-00000000000001",
            accountNumber="556165899573",
            orderDate="2026-01-15",
            lineOfBusiness="Fiber",
            limit=100,
            offset=1_000_000,
        )
        assert wanted(given) == Wanted(
            customer_order_id="26-00000000000001",
            account_number="556165899573",
            line_of_business="FIBER",
            submitted_from=utc(2026, 1, 15),
            submitted_to=utc(2026, 1, 16),
            limit=100,
            offset=1_000_000,
        )

    @pytest.mark.parametrize(
        ("given", "field"),
        [
            (OrdersFilter(limit=0), "limit"),
            (OrdersFilter(limit=101), "limit"),
            (OrdersFilter(offset=-1), "offset"),
            (OrdersFilter(offset=1_000_001), "offset"),
            (OrdersFilter(lineOfBusiness="WIRELINE"), "lineOfBusiness"),
            (OrdersFilter(orderId="x" * 65), "orderId"),
            (OrdersFilter(accountNumber=""), "accountNumber"),
        ],
    )
    def test_a_value_out_of_bounds_is_refused(self, given, field):
        with pytest.raises(FilterError) as refused:
            wanted(given)
        assert refused.value.field == field


class TestFiling:
    def test_an_order_is_fiber_as_soon_as_one_item_is(self, cart_with, item, catalog):
        assert line_of_business(cart_with(item("Value Plus VL"), item("AT&T Fiber 300")), catalog) == "FIBER"
        assert line_of_business(cart_with(item("Value Plus VL"), item("SIM card")), catalog) == "WIRELESS"
        assert line_of_business(cart_with(), catalog) == "WIRELESS"

    def test_the_catalog_says_what_an_offering_is_the_item_what_it_acts_on(self, cart_with, item, catalog):
        unstated = item("AT&T Fiber 300", productOfferingType=None)
        assert line_of_business(cart_with(unstated), catalog) == "FIBER"
        assert line_of_business(cart_with(unstated)) == "WIRELESS", "without the catalog, only what is stated"
        existing = item(None, action="terminate", productOfferingType="Broadband_Offer")
        assert line_of_business(cart_with(existing), catalog) == "FIBER"

    def test_the_accounts_are_those_the_items_name_each_once(self, cart_with, item):
        cart = cart_with(
            item("Value Plus VL", billingAccount={"id": "556165899573"}),
            item("SIM card"),
            item("AT&T Fiber 300", billingAccount={"id": "556165899574"}),
            item("Mobile Insurance", billingAccount={"id": "556165899573"}),
        )
        assert billing_accounts(cart) == ["556165899573", "556165899574"]


def placed(cart):
    cart.validation = Validation(readyToSubmit=True)
    return place_order(
        "partner-a", cart, at=AT, customer_order_id="26-00000000000001", submission=Submission(), plan=[]
    )


class TestTheAnswer:
    def test_items_under_a_root_the_order_lacks_are_a_product_of_their_own(self, cart_with, item, catalog):
        cart = cart_with(
            item("SIM card", id="sim", root="gone"),
            item("Value Plus VL", id="line", subscriberNumber="4690002221"),
            item("Google Pixel 9 128GB", id="phone", root="gone", subscriberNumber="4690009999"),
        )
        products = queried_order(placed(cart), catalog).products
        assert [([line.name for line in p.lines], [i.productOrderItemId for i in p.items]) for p in products] == [
            (["4690009999"], ["sim", "phone"]),
            (["4690002221"], ["line"]),
        ]

    def test_a_line_without_number_or_catalog_offering_has_no_name(self, cart_with, item, catalog):
        cart = cart_with(item("retired-offering", id="line", productOfferingType="Mobile_Offer"))
        assert [p.lines[0].name for p in queried_order(placed(cart), catalog).products] == [None]

    def test_totals_without_tax_included_amounts_count_as_they_are(self, cart_with, catalog):
        order = placed(cart_with())
        order.cart.orderTotalPrice = [
            Price(name="Due today", priceType="NRC", price=PriceAmounts(Money("USD", 10.1))),
            Price(name="Monthly recurring", priceType="RC", price=PriceAmounts(Money("USD", 0.2))),
        ]
        price = queried_order(order, catalog).orderPrice
        assert (price.total, price.dueToday, price.monthlyRecurring, price.unit) == (10.3, 10.1, 0.2, "USD")

    def test_the_point_of_no_return_is_the_first_final_state_reached_or_planned(self, cart_with, catalog):
        order = placed(cart_with())
        assert queried_order(order, catalog).pointOfNoReturnDate is None
        order.plan = [
            PlannedStep(State.ACKNOWLEDGED, AT + timedelta(seconds=5)),
            PlannedStep(State.FAILED, AT + timedelta(seconds=9)),
        ]
        assert queried_order(order, catalog).pointOfNoReturnDate == "2026-01-15T12:00:09.250Z"
        order.move_to(State.ACKNOWLEDGED, AT + timedelta(seconds=1))
        order.move_to(State.IN_PROGRESS, AT + timedelta(seconds=2))
        order.move_to(State.FALLOUT, AT + timedelta(seconds=3))
        order.move_to(State.CANCELLED, AT + timedelta(seconds=4))
        answer = queried_order(order, catalog)
        assert answer.pointOfNoReturnDate == "2026-01-15T12:00:04.250Z"
        assert [(e.errorInfo, e.state, e.date) for e in answer.orderErrorInfoList] == [
            ("the order is Fallout", "Fallout", "2026-01-15T12:00:03.250Z")
        ]
        assert (answer.revision, answer.canceledDate) == ("5", "2026-01-15T12:00:04.250Z")

    def test_an_order_placed_before_its_line_of_business_was_kept_gets_it_from_the_catalog(
        self, cart_with, item, catalog
    ):
        order = placed(cart_with(item("AT&T Fiber 300", productOfferingType=None)))
        assert order.lineOfBusiness == "WIRELESS", "place_order without the catalog's word"
        order.lineOfBusiness = None
        assert queried_order(order, catalog).lineOfBusiness == "FIBER"


@pytest.mark.parametrize(
    ("total", "limit", "offset", "expected"),
    [(0, 20, 0, (0, 20, 1)), (45, 20, 40, (45, 20, 3)), (45, 20, 50, (45, 20, 3)), (None, 100, 100, (None, 100, 2))],
)
def test_page_info_counts_pages_from_one(total, limit, offset, expected):
    info = page_info(total, limit, offset)
    assert (info.totalCount, info.pageSize, info.pageNumber) == expected
