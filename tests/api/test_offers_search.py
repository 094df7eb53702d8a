"""The carrier's `POST /omni-svcs/v1/offers/search` (DF 1.0.0; issue 19; reference §4.2,
§5.5; docs/direct-fulfilment.md) over HTTP, on both stores: the sample catalog's
offerings in the carrier's price model, by group, customer type, device type, channel and
the customer's own device, as of the fake clock's day (2026-01-15)."""

from __future__ import annotations

import pytest

from tests.api.conftest import OFFERS_SEARCH, assert_error
from tests.carts import (
    ATTR_ONLY,
    BUSINESS_PLAN,
    CHARGER,
    ESIM,
    IPAD,
    IPHONE,
    IPHONE_11,
    PIXEL,
    PROTECT,
    SIM,
    VALUE_PLUS,
)

S25 = "Mobile_Device_pkey74120_sku2701846"
PREMIUM = "75c62382-0601-40a9-bc0b-05e7e153fa38"
STARTER = "0b690f7e-3f41-49bf-a6cf-6f65caa650ca"
INSURANCE = "9d2c7b41-5e60-4f18-b3a2-c1d0e9f8a7b6"
ACTIVE_ARMOR = "a3c6e9f2-1b4d-4e7a-8c0f-2d5e8b1a4c70"  # AT&T ActiveArmor, the carrier's Active_Armor
OTTERBOX = "Accessory_pkey90457_sku6612874"
FIBER = [f"7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a5{n}" for n in range(5)]
THE_CARRIERS_EXAMPLE = {
    "productOfferingTypeGroup": "mobileDevice",
    "customerType": "CONSUMER",
    "BYOD": {"edModels": "iPh11PMA2161"},
    "deviceType": ["Phone"],
}


def price(name: str, category: str, value: float, monthly: bool = False) -> dict:
    amount = {"dutyFreeAmount": {"unit": "USD", "value": value}}
    period = {"recurringChargePeriod": "month", "recurringChargePeriodLength": 1} if monthly else {}
    return {
        "name": name,
        "priceCategory": category,
        "priceType": "RC" if monthly else "NRC",
        **period,
        "role": "Price",
        "price": amount,
        "finalPrice": amount,
        "standalonePrice": amount,
        "taxIncluded": "Excluded",
    }


def option(offering_id: str, name: str, kind: str, prices: list[dict]) -> dict:
    return {"id": offering_id, "name": name, "productOfferingType": kind, "productOfferingPrice": prices}


PROTECTION_OPTIONS = {
    "name": "Device_Protection",
    "bundledProductOfferingOption": [
        option(
            PROTECT,
            "Protect Advantage for 1",
            "Device_Protection",
            [price("Protect Advantage for 1", "featureRC", 17.0, monthly=True)],
        ),
        option(
            INSURANCE, "Mobile Insurance", "Device_Protection", [price("Mobile Insurance", "featureRC", 11.0, True)]
        ),
    ],
}
SIM_OPTIONS = {
    "name": "SIM",
    "bundledProductOfferingOption": [
        option(SIM, "SIM card", "SIM", [price("SIM card", "equipmentNRC", 5.0)]),
        option(ESIM, "eSIM", "SIM", [price("eSIM", "equipmentNRC", 0.0)]),
    ],
}


@pytest.fixture
def search(client, clock):
    def run(**body) -> list[dict]:
        response = client.post(OFFERS_SEARCH, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    return run


def ids(found: list[dict]) -> list[str]:
    return [offering["id"] for offering in found]


class TestOffersSearch:
    def test_the_carriers_example_finds_the_customers_own_device(self, search):
        assert search(**THE_CARRIERS_EXAMPLE) == [
            {
                "id": IPHONE_11,
                "name": "iPhone 11 Pro Max 64GB",
                "productOfferingType": "Mobile_Device",
                "productOfferingPrice": [price("iPhone 11 Pro Max 64GB full retail price", "equipmentNRC", 1099.0)],
                "bundledProductOffering": [PROTECTION_OPTIONS],
            }
        ]

    def test_a_plan_is_priced_before_tax_and_nests_its_sims(self, search):
        (value_plus,) = [o for o in search(productOfferingTypeGroup="mobilePlan") if o["id"] == VALUE_PLUS]
        assert value_plus == {
            "id": VALUE_PLUS,
            "name": "Value Plus VL",
            "productOfferingType": "Mobile_Offer",
            "productOfferingPrice": [price("Value Plus VL", "serviceRC", 60.99, monthly=True)],
            "bundledProductOffering": [SIM_OPTIONS],
        }

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"productOfferingTypeGroup": "mobileDevice"}, [IPHONE, S25, PIXEL, IPHONE_11, IPAD]),
            ({"productOfferingTypeGroup": "mobileDevice", "deviceType": ["Phone"]}, [IPHONE, S25, PIXEL, IPHONE_11]),
            ({"productOfferingTypeGroup": "mobileDevice", "deviceType": ["Tablet", "Watch"]}, [IPAD]),
            (
                {"productOfferingTypeGroup": "mobileDevice", "deviceType": ["Phone"], "channel": {"id": "ATTR"}},
                [IPHONE, S25, PIXEL, ATTR_ONLY, IPHONE_11],
            ),
            ({"productOfferingTypeGroup": "mobilePlan"}, [PREMIUM, STARTER, VALUE_PLUS]),
            ({"productOfferingTypeGroup": "mobilePlan", "customerType": "CONSUMER"}, [PREMIUM, STARTER, VALUE_PLUS]),
            (
                {"productOfferingTypeGroup": "mobilePlan", "customerType": "business"},
                [PREMIUM, STARTER, VALUE_PLUS, BUSINESS_PLAN],
            ),
            (
                {"productOfferingTypeGroup": "mobileOffer", "deviceType": ["Phone"]},
                [PREMIUM, STARTER, VALUE_PLUS, SIM, ESIM, PROTECT, INSURANCE, ACTIVE_ARMOR, CHARGER, OTTERBOX],
            ),
            ({"productOfferingTypeGroup": "BBOffers", "customerType": "CONSUMER"}, FIBER),
            ({**THE_CARRIERS_EXAMPLE, "deviceType": ["Tablet"]}, []),
            ({**THE_CARRIERS_EXAMPLE, "BYOD": {"edModels": ["nokia3310", "iPh11PMA2161"]}}, [IPHONE_11]),
            ({**THE_CARRIERS_EXAMPLE, "BYOD": {"edModels": "nokia3310"}}, []),
            (
                {"productOfferingTypeGroup": "mobilePlan", "BYOD": {"edModels": "iPh11PMA2161"}},
                [PREMIUM, STARTER, VALUE_PLUS],
            ),
            ({"productOfferingTypeGroup": "mobilePlan", "BYOD": {"edModels": "nokia3310"}}, []),
        ],
        ids=[
            "devices",
            "phones",
            "tablets-or-watches",
            "phones-in-channel-ATTR",
            "plans",
            "consumer-plans",
            "business-plans",
            "mobile-offers",
            "broadband",
            "the-example-as-a-tablet",
            "one-of-two-models",
            "an-unknown-model",
            "plans-for-a-known-device",
            "plans-for-an-unknown-device",
        ],
    )
    def test_what_each_search_finds(self, search, body, expected):
        assert ids(search(**body)) == expected

    @pytest.mark.parametrize(
        ("body", "code", "field"),
        [
            ({}, "EXTSALESOPS-OFFERS-0003", "productOfferingTypeGroup"),
            ({"customerType": "CONSUMER"}, "EXTSALESOPS-OFFERS-0003", "productOfferingTypeGroup"),
            ({"productOfferingTypeGroup": "tablets"}, "EXTSALESOPS-OFFERS-CPOPOFFER-0001", "productOfferingTypeGroup"),
            (
                {"productOfferingTypeGroup": "mobileDevice", "deviceType": "Phone"},
                "EXTSALESOPS-OFFERS-CPOPOFFER-0001",
                "deviceType",
            ),
            (
                {"productOfferingTypeGroup": "mobileDevice", "deviceType": []},
                "EXTSALESOPS-OFFERS-CPOPOFFER-0001",
                "deviceType",
            ),
            ({"productOfferingTypeGroup": "mobileDevice", "BYOD": {}}, "EXTSALESOPS-OFFERS-0003", "BYOD.edModels"),
            (
                {"productOfferingTypeGroup": "mobileDevice", "BYOD": {"edModels": 42}},
                "EXTSALESOPS-OFFERS-CPOPOFFER-0001",
                "BYOD.edModels",
            ),
            ({"productOfferingTypeGroup": "mobileDevice", "channel": {}}, "EXTSALESOPS-OFFERS-0003", "channel.id"),
        ],
        ids=[
            "empty",
            "no-group",
            "unknown-group",
            "deviceType-not-a-list",
            "no-deviceType",
            "BYOD-without-models",
            "a-model-not-a-string",
            "a-channel-without-id",
        ],
    )
    def test_bad_bodies_answer_400_with_the_carriers_offers_codes(self, client, body, code, field):
        assert_error(client.post(OFFERS_SEARCH, json=body), 400, code, field)
