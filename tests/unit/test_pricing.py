"""Pricing a cart: item prices, tax and totals, in exact cents.

Rates used here: 8.25 % by default, 10 % on plans, none on device protection.
Catalog prices: Value Plus VL 60.99/month, iPhone 16 128GB 23.06/month, Galaxy S25 100.00
down + 19.45/month, SIM card 5.00, eSIM 0.00, Protect Advantage for 1 17.00/month, Apple
20W adapter 19.99, OtterBox case 49.99.
"""

from __future__ import annotations

import json
from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnicart.domain.catalog import Catalog, CatalogError, OfferingPrice, ProductOffering
from omnicart.domain.pricing import (
    TaxTable,
    load_default_tax_table,
    load_tax_table,
    price_cart,
)
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.prices import Money, Price, PriceAmounts

TAXES = TaxTable(
    defaultRate=Decimal("0.0825"),
    byProductOfferingType={
        "Mobile_Offer": Decimal("0.10"),
        "Mobile_Plan": Decimal("0.10"),
        "Device_Protection": Decimal("0"),
    },
)


def usd(duty_free: float, tax_included: float, rate: float | None = None) -> PriceAmounts:
    return PriceAmounts(Money("USD", duty_free), Money("USD", tax_included), rate)


def amounts(price: Price) -> tuple[float, float]:
    return price.price.dutyFreeAmount.value, price.price.taxIncludedAmount.value


def totals(order) -> dict[str, tuple[float, float]]:
    return {p.name: amounts(p) for p in order.orderTotalPrice}


def cents(money: Money) -> int:
    return round(money.value * 100)


@pytest.fixture
def priced(catalog, cart_with):
    def priced(*items: ProductOrderItem, taxes: TaxTable = TAXES, catalog: Catalog = catalog):
        order = cart_with(*items)
        price_cart(order, catalog, taxes)
        return order

    return priced


# -- item prices ------------------------------------------------------------------------


def test_a_plan_is_priced_monthly_in_the_carriers_price_shape(priced, item):
    order = priced(item("Value Plus VL"))
    assert order.productOrderItem[0].itemPrice == [
        Price(
            name="Value Plus VL",
            priceType="RC",
            recurringChargePeriod="month",
            price=usd(60.99, 67.09, 0.10),  # 60.99 + 6.099 tax, rounded to 6.10
        )
    ]


def test_every_price_has_the_carriers_shape_on_the_wire(priced, item):
    [phone] = priced(item("Samsung Galaxy S25 128GB")).productOrderItem
    one_time, monthly = msgspec.to_builtins(phone.itemPrice)
    assert one_time["finalPrice"] == one_time["price"] and one_time["taxIncluded"] == "Excluded"
    assert "recurringChargePeriod" not in one_time and "recurringChargePeriodLength" not in one_time
    assert (monthly["recurringChargePeriod"], monthly["recurringChargePeriodLength"]) == ("month", 1)
    assert monthly["finalPrice"] == monthly["price"]


def test_a_price_stored_before_final_price_existed_reads_in_the_new_shape():
    old = {
        "name": "Monthly recurring",
        "priceType": "RC",
        "recurringChargePeriod": "month",
        "price": {"dutyFreeAmount": {"unit": "USD", "value": 1.5}},
    }
    price = msgspec.json.decode(msgspec.json.encode(old), type=Price)
    assert msgspec.to_builtins(price) == {
        **old,
        "recurringChargePeriodLength": 1,
        "finalPrice": old["price"],
        "taxIncluded": "Excluded",
    }


def test_a_device_with_a_down_payment_has_a_one_time_and_a_monthly_price(priced, item):
    [phone] = priced(item("Samsung Galaxy S25 128GB")).productOrderItem
    assert [(p.priceType, p.recurringChargePeriod or None, amounts(p)) for p in phone.itemPrice] == [
        ("NRC", None, (100.00, 108.25)),
        ("RC", "month", (19.45, 21.05)),  # 19.45 * 8.25 % = 1.604625 -> 1.60
    ]


def test_quantity_multiplies_the_price_before_tax(priced, item):
    [case] = priced(item("OtterBox Commuter Series Case for iPhone 16", quantity=2)).productOrderItem
    # 2 x 49.99 = 99.98; tax 8.248350 -> 8.25
    assert [amounts(p) for p in case.itemPrice] == [(99.98, 108.23)]


def test_tax_is_rounded_half_up_on_each_line(priced, item, cart_with):
    two_dollars = ProductOffering(
        id="sticker",
        productOfferingType="Accessory",
        name="Sticker",
        prices=[OfferingPrice(name="Sticker", priceType="NRC", amount=Decimal("2.00"))],
    )
    order = priced(
        item("sticker", productOfferingType="Accessory"),
        item("sticker", productOfferingType="Accessory"),
        catalog=Catalog([two_dollars]),
    )
    # 2.00 * 8.25 % = 0.165 -> 0.17 on each line; taxing the sum would give 0.33
    assert [amounts(i.itemPrice[0]) for i in order.productOrderItem] == [(2.00, 2.17)] * 2
    assert totals(order)["Due today"] == (4.00, 4.34)


def test_a_free_offering_is_priced_at_zero(priced, item):
    [esim] = priced(item("eSIM")).productOrderItem
    assert [amounts(p) for p in esim.itemPrice] == [(0.0, 0.0)]


@pytest.mark.parametrize(
    "fields",
    [
        {"action": "noChange", "subscriberNumber": "4690002221"},
        {"action": "terminate", "product": {"id": "47777581441708014"}},
        {"quantity": 0},
        {"characteristics": {"isBYOD": "true", "IMEI": "358073464620280"}},
        {"action": "swap;add", "characteristics": {"isBYOD": "true", "IMEI": "358073464620280"}},
    ],
    ids=["noChange", "terminate", "no quantity", "customer's own device", "customer's own device swapped in"],
)
def test_items_that_buy_nothing_cost_nothing(priced, item, fields):
    order = priced(item("iPhone 16 128GB", **fields))
    assert order.productOrderItem[0].itemPrice == []
    assert totals(order) == {"Due today": (0, 0), "Monthly recurring": (0, 0)}


def test_an_unknown_offering_has_no_price(priced, item):
    order = priced(item("Mobile_Device_pkey00000_sku0000000", productOfferingType="Mobile_Device"))
    assert order.productOrderItem[0].itemPrice == []


# -- totals -----------------------------------------------------------------------------


def test_totals_add_up_a_new_line_due_today_and_monthly(priced, item):
    order = priced(
        item("Value Plus VL", id="line"),  #         RC  60.99 -> 67.09
        item("iPhone 16 128GB", root="line"),  #     RC  23.06 -> 24.96 (1.90245)
        item("SIM card", root="line"),  #            NRC  5.00 ->  5.41 (0.4125)
        item("Protect Advantage for 1", root="line"),  # RC 17.00 -> 17.00
        item("Apple 20W USB-C Power Adapter", quantity=2),  # NRC 39.98 -> 43.28 (3.29835)
    )
    assert order.orderTotalPrice == [
        Price(name="Due today", priceType="NRC", price=usd(44.98, 48.69)),
        Price(
            name="Monthly recurring",
            priceType="RC",
            recurringChargePeriod="month",
            price=usd(101.05, 109.05),
        ),
    ]


def test_an_empty_cart_still_shows_both_totals_at_zero(priced):
    assert totals(priced()) == {"Due today": (0, 0), "Monthly recurring": (0, 0)}


def test_pricing_again_replaces_the_previous_prices(priced, item, catalog):
    order = priced(item("Value Plus VL"))
    first = msgspec.json.encode(order)
    price_cart(order, catalog, TAXES)
    assert msgspec.json.encode(order) == first


_actions = st.sampled_from(["add", "swap;add", "noChange", "terminate"])
_rates = st.decimals(min_value=0, max_value=Decimal("0.25"), places=4)


@given(
    picks=st.lists(st.tuples(st.integers(0, 14), _actions, st.integers(0, 12)), max_size=40),
    default_rate=_rates,
    plan_rate=_rates,
)
def test_totals_always_equal_the_sum_of_the_item_prices(catalog, cart_with, picks, default_rate, plan_rate):
    offerings = [*catalog, None]  # None: an offering the catalog does not know
    items = [
        ProductOrderItem(
            productOrderItemId=str(n),
            productOfferingId=offerings[i].id if offerings[i] else "unknown",
            action=action,
            quantity=quantity,
        )
        for n, (i, action, quantity) in enumerate(picks)
    ]
    order = cart_with(*items)
    taxes = TaxTable(defaultRate=default_rate, byProductOfferingType={"Mobile_Offer": plan_rate})
    price_cart(order, catalog, taxes)
    for total in order.orderTotalPrice:
        lines = [p for i in order.productOrderItem for p in i.itemPrice if p.priceType == total.priceType]
        duty_free = sum(cents(p.price.dutyFreeAmount) for p in lines)
        tax_included = sum(cents(p.price.taxIncludedAmount) for p in lines)
        assert cents(total.price.dutyFreeAmount) == duty_free
        assert cents(total.price.taxIncludedAmount) == tax_included
        assert tax_included >= duty_free
        # No alterations: every final price is its price, totals included.
        assert all(p.finalPrice == p.price and p.taxIncluded == "Excluded" for p in [*lines, total])


# -- the tax table ----------------------------------------------------------------------


def test_a_type_without_its_own_rate_pays_the_default(catalog):
    assert TAXES.rate_for("Mobile_Offer") == Decimal("0.10")
    assert TAXES.rate_for("Accessory") == Decimal("0.0825")


def test_the_shipped_tax_table_has_a_default_and_per_type_rates():
    assert load_default_tax_table() == TAXES


def test_a_tax_table_can_come_from_configuration():
    taxes = TaxTable.from_dict({"defaultRate": 0.07, "byProductOfferingType": {"SIM": "0"}})
    assert (taxes.rate_for("Accessory"), taxes.rate_for("SIM")) == (Decimal("0.07"), 0)
    with pytest.raises(msgspec.ValidationError, match="defaultRate: 7 is not a fraction"):
        TaxTable.from_dict({"defaultRate": 7})


def test_a_bad_tax_file_is_reported_with_file_path_and_reason(tmp_path):
    path = tmp_path / "tax.json"
    path.write_text(json.dumps({"defaultRate": "0.08", "byProductOfferingType": {"SIM": "x"}}))
    with pytest.raises(CatalogError) as caught:
        load_tax_table(path)
    # msgspec names a dict value by its dict, not by its key
    assert (caught.value.file, caught.value.path) == (str(path), "byProductOfferingType[...]")
    assert caught.value.reason == "Invalid decimal string"
