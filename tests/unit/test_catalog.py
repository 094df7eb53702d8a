"""The product catalog: the shipped sample, lookups, sellability and file errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from omnicart.domain.catalog import (
    Catalog,
    CatalogError,
    ProductOffering,
    ValidFor,
    load_catalog,
    validate_catalog_file,
)
from omnicart.wire.catalog import Eligibility

SHIPPED = Path(__file__).parents[2] / "src" / "omnicart" / "data" / "catalog.json"


def offering(**overrides: Any) -> dict[str, Any]:
    """One valid offering as it is written in a catalog file."""
    return {
        "id": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e",
        "productOfferingType": "Mobile_Offer",
        "name": "Value Plus VL",
        "prices": [
            {
                "name": "Value Plus VL",
                "priceType": "RC",
                "recurringChargePeriod": "month",
                "amount": "60.99",
            }
        ],
        **overrides,
    }


@pytest.fixture
def write(tmp_path: Path):
    def write(content: dict[str, Any] | str) -> Path:
        path = tmp_path / "catalog.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
        return path

    return write


# -- the shipped sample catalog ---------------------------------------------------------


def test_the_shipped_catalog_has_no_problems():
    assert validate_catalog_file(SHIPPED) == []


def test_the_shipped_catalog_offers_every_kind_of_product(catalog):
    kinds = {o.productOfferingType for o in catalog}
    assert kinds == {
        "Mobile_Device",
        "Mobile_Offer",
        "SIM",
        "Active_Armor",
        "Delivery_Method",
        "Device_Protection",
        "Accessory",
        "Broadband_Offer",
    }


def test_value_plus_vl_costs_60_99_a_month_as_on_the_carriers_pages(catalog):
    plan = catalog.get("06c387fb-bfd5-4287-a1e8-b9da4c0be06e")
    assert plan is not None and plan.name == "Value Plus VL"
    [price] = plan.prices
    assert (price.priceType, price.recurringChargePeriod) == ("RC", "month")
    assert price.amount == Decimal("60.99") and price.cents == 6099


def test_the_carriers_device_key_names_a_phone(catalog):
    phone = catalog.get("Mobile_Device_pkey73001_sku2680262")
    assert phone is not None and phone.productOfferingType == "Mobile_Device"


def test_the_esim_is_free_and_the_physical_sim_is_not(catalog):
    prices = {o.name: [p.amount for p in o.prices] for o in catalog.offerings("SIM")}
    assert prices == {"SIM card": [Decimal("5.00")], "eSIM": [Decimal("0.00")]}


# -- lookups ----------------------------------------------------------------------------


def test_an_unknown_or_missing_id_finds_nothing(catalog):
    assert catalog.get("no-such-offering") is None
    assert catalog.get(None) is None
    assert "no-such-offering" not in catalog


def test_offerings_can_be_listed_by_type_or_all(catalog):
    plans = catalog.offerings("Mobile_Offer")
    assert {p.name for p in plans} == {
        "Unlimited Premium PL",
        "Unlimited Starter SL",
        "Value Plus VL",
        "Business Unlimited Starter",
    }
    assert len(catalog.offerings()) == len(catalog) == 26  # 22 of the file and ActiveArmor, 3 delivery methods


# -- sellability ------------------------------------------------------------------------


def test_an_offering_is_sellable_within_its_valid_period(catalog, now):
    phone = catalog.get("Mobile_Device_pkey73001_sku2680262")
    assert catalog.is_sellable(phone, "IND", now)
    assert not catalog.is_sellable(phone, "IND", datetime(2024, 9, 19, tzinfo=UTC))


def test_an_offering_whose_valid_period_ended_is_not_sellable(catalog, now):
    iphone_15 = catalog.get("Mobile_Device_pkey69030_sku2609415")
    end = iphone_15.validFor.endDateTime
    assert catalog.is_sellable(iphone_15, "IND", end - timedelta(seconds=1))
    assert not catalog.is_sellable(iphone_15, "IND", end)
    assert catalog.unsellable_reason(iphone_15, "IND", now) == ("is no longer on sale since 2025-09-19T00:00:00.000Z")


def test_an_offering_restricted_to_other_channels_is_not_sellable_here(catalog, now):
    moto = catalog.get("Mobile_Device_pkey71002_sku2651180")
    assert not catalog.is_sellable(moto, "IND", now)
    assert catalog.unsellable_reason(moto, "IND", now) == "is not sold in channel 'IND'"
    assert catalog.is_sellable(moto, "ATTR", now)


def test_an_offering_for_some_customer_types_needs_one_of_them(now):
    business = ProductOffering(
        id="biz-plan",
        productOfferingType="Mobile_Offer",
        name="Business Unlimited",
        eligibility=Eligibility(customerTypes=["Business"]),
        validFor=ValidFor(startDateTime=datetime(2024, 1, 1, tzinfo=UTC)),
    )
    catalog = Catalog([business])
    assert catalog.is_sellable(business, "IND", now, customer_type="BUSINESS")
    assert not catalog.is_sellable(business, "IND", now, customer_type="Consumer")
    assert not catalog.is_sellable(business, "IND", now)


# -- file errors: located by file, JSON path or line, and reason ------------------------


def test_a_loaded_file_becomes_a_catalog(write):
    catalog = load_catalog(write({"productOffering": [offering()]}))
    assert catalog.currency == "USD"
    assert [o.name for o in catalog] == ["Value Plus VL", "Standard Shipping", "Express Shipping", "Pick up in store"]


def test_a_syntax_error_is_reported_with_its_line(write):
    path = write('{\n  "productOffering": [\n    {"id": "x",}\n  ]\n}\n')
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    error = caught.value
    assert (error.file, error.line, error.path) == (str(path), 3, None)
    assert "malformed" in error.reason
    assert str(error).startswith(f"{path}:3: JSON is malformed")


def test_a_value_of_the_wrong_type_is_reported_with_its_json_path(write):
    price = {"name": "SIM card", "priceType": "NRC", "amount": True}
    path = write({"productOffering": [offering(), offering(id="sim", prices=[price])]})
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.path == "productOffering[1].prices[0].amount"
    assert caught.value.reason == "Expected `decimal`, got `bool`"
    assert str(caught.value) == (f"{path}: productOffering[1].prices[0].amount: Expected `decimal`, got `bool`")


def test_a_misspelt_field_is_an_error_not_a_silent_default(write):
    path = write({"productOffering": [offering(validFor={"endDatetime": "2025-01-01T00:00:00Z"})]})
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.path == "productOffering[0].validFor"
    assert "endDatetime" in caught.value.reason


def test_a_missing_file_is_reported(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(CatalogError) as caught:
        load_catalog(missing)
    assert caught.value.file == str(missing)
    assert validate_catalog_file(missing) == [f"{missing}: No such file or directory"]


def _price(**fields: str) -> dict[str, Any]:
    return {"prices": [{"name": "x", "priceType": "NRC", "amount": "4.99", **fields}]}


@pytest.mark.parametrize(
    ("bad", "path", "reason"),
    [
        pytest.param(
            offering(productOfferingType="Tablet"),
            "productOffering[1].productOfferingType",
            "unknown type 'Tablet'",
            id="unknown type",
        ),
        pytest.param(
            offering(**_price(amount="-5.00")),
            "productOffering[1].prices[0].amount",
            "-5.00 is negative",
            id="negative price",
        ),
        pytest.param(
            offering(**_price(amount="4.999")),
            "productOffering[1].prices[0].amount",
            "4.999 has more than two decimals",
            id="sub-cent price",
        ),
        pytest.param(
            offering(**_price(amount="NaN")),
            "productOffering[1].prices[0].amount",
            "NaN is not an amount",
            id="not a number",
        ),
        pytest.param(
            offering(**_price(priceType="RC")),
            "productOffering[1].prices[0].recurringChargePeriod",
            'a recurring ("RC") price needs "month"',
            id="RC without period",
        ),
        pytest.param(
            offering(**_price(recurringChargePeriod="month")),
            "productOffering[1].prices[0].recurringChargePeriod",
            'a one-time ("NRC") price has no period',
            id="NRC with period",
        ),
        pytest.param(
            offering(
                validFor={
                    "startDateTime": "2025-06-01T00:00:00Z",
                    "endDateTime": "2025-01-01T00:00:00Z",
                }
            ),
            "productOffering[1].validFor.endDateTime",
            "2025-01-01T00:00:00.000Z is not after startDateTime",
            id="end before start",
        ),
        pytest.param(
            offering(validFor={"startDateTime": "2025-06-01T00:00:00"}),
            "productOffering[1].validFor.startDateTime",
            "needs a time zone",
            id="no time zone",
        ),
    ],
)
def test_a_semantic_problem_is_reported_with_its_json_path(write, bad, path, reason):
    file = write({"productOffering": [offering(id="good"), {**bad, "id": "bad"}]})
    with pytest.raises(CatalogError) as caught:
        load_catalog(file)
    assert (caught.value.file, caught.value.path) == (str(file), path)
    assert caught.value.reason.startswith(reason)


def test_a_duplicate_id_is_reported_at_its_second_use(write):
    path = write({"productOffering": [offering(), offering(name="Value Plus VL again")]})
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.path == "productOffering[1].id"
    assert caught.value.reason == "duplicate id '06c387fb-bfd5-4287-a1e8-b9da4c0be06e'"


def test_validation_lists_every_problem_one_line_each(write):
    path = write(
        {
            "currency": "usd",
            "productOffering": [
                offering(productOfferingType="Tablet"),
                offering(prices=[{"name": "x", "priceType": "NRC", "amount": "-1"}]),
            ],
        }
    )
    assert validate_catalog_file(path) == [
        f"{path}: currency: 'usd' is not an ISO 4217 code such as 'USD'",
        f"{path}: productOffering[0].productOfferingType: unknown type 'Tablet'; expected one "
        "of Accessory, Active_Armor, Broadband_Offer, Delivery_Method, Device_Protection, Mobile_Device, "
        "Mobile_Offer, Mobile_Plan, SIM",
        f"{path}: productOffering[1].id: duplicate id '06c387fb-bfd5-4287-a1e8-b9da4c0be06e'",
        f"{path}: productOffering[1].prices[0].amount: -1 is negative",
    ]


def test_validation_lists_every_value_of_the_wrong_shape_not_just_the_first(write):
    """msgspec stops at the first; someone fixing a file wants all of them at once."""
    path = write(
        {
            "currency": 840,
            "productOffering": [
                offering(prices=[{"name": "x", "priceType": "MRC", "amount": "1"}]),
                offering(id="b", name=5),
                offering(id="c", colour="red"),
                {"productOfferingType": "SIM", "name": "SIM card", "prices": []},
            ],
        }
    )
    assert validate_catalog_file(path) == [
        f"{path}: currency: Expected `str`, got `int`",
        f"{path}: productOffering[0].prices[0].priceType: Invalid enum value 'MRC'",
        f"{path}: productOffering[1].name: Expected `str`, got `int`",
        f"{path}: productOffering[2]: Object contains unknown field `colour`",
        f"{path}: productOffering[3]: Object missing required field `id`",
    ]


def test_a_file_of_the_right_shape_has_no_shape_problems():
    from omnicart.domain.catalog import CatalogFile
    from omnicart.domain.file_problems import shape_problems

    assert shape_problems(SHIPPED.read_bytes(), CatalogFile) == []
