"""Carts as partners build them and read them, shared by every tier that builds one: the
sample catalog's offerings (their prices written by hand), a whole new line, the bodies
that complete a cart's configuration, and readers of a cart's document (its validation
codes, its totals)."""

from __future__ import annotations

import json
from pathlib import Path

PIXEL = "Mobile_Device_pkey72544_sku2675503"  # 799.99 one-time
IPHONE = "Mobile_Device_pkey73001_sku2680262"  # 23.06 / month
VALUE_PLUS = "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"  # 60.99 / month, plans taxed 10 %
SIM = "SIM_pkey80001_sku6001001"  # 5.00 one-time
PROTECT = "4b9f1e2a-7c3d-4e8f-9a10-2b3c4d5e6f70"  # 17.00 / month, untaxed
CHARGER = "Accessory_pkey90011_sku6550021"  # 19.99 one-time
RETIRED = "Mobile_Device_pkey69030_sku2609415"  # validFor ended 2025-09-19
ATTR_ONLY = "Mobile_Device_pkey71002_sku2651180"  # channel ATTR only
IMEI = "358073464620280"  # the carrier's example IMEI (Luhn-valid)
MEMO = {"reasonText": "Memo text required if selected", "name": "LC"}  # the carrier's actionReason of a terminate
ESIM = "SIM_pkey80002_sku6001002"  # 0.00 one-time
IPHONE_11 = "Mobile_Device_pkey61020_sku2466713"  # 1099.00 one-time; equipment model iPh11PMA2161
IPAD = "Mobile_Device_pkey75210_sku2712209"  # 13.88 / month; a Tablet
BUSINESS_PLAN = "3e9a7c51-2d84-4b6f-9e1a-5c7d8f0b2a63"  # 50.00 / month; Business customers only

# An express-submit body that completes payment and every terms omnicart asks for.
COMPLETE = {"paymentMethods": [{"id": "paymentmethod_1"}], "terms": {"WCA": True, "DP-TC": True, "IA": True}}


def line(root: str = "line-1") -> list[dict]:
    """A new line: plan as bundle root, with a phone, a SIM and protection."""
    return [
        {
            "productOrderItemId": root,
            "action": "add",
            "productOfferingType": "Mobile_Offer",
            "productOfferingId": VALUE_PLUS,
        },
        {
            "productOrderItemId": f"{root}-phone",
            "action": "add",
            "productOfferingType": "Mobile_Device",
            "productOfferingId": PIXEL,
            "rootBundleProductOrderItemId": root,
        },
        {
            "productOrderItemId": f"{root}-sim",
            "action": "add",
            "productOfferingType": "SIM",
            "productOfferingId": SIM,
            "rootBundleProductOrderItemId": root,
        },
        {
            "productOrderItemId": f"{root}-protect",
            "action": "add",
            "productOfferingType": "Device_Protection",
            "productOfferingId": PROTECT,
            "rootBundleProductOrderItemId": root,
        },
    ]


def byod_items() -> list[dict]:
    """The carrier's BYOD Add Items example, as shipped for the OpenAPI document and the
    README (`examples/byod-items.json`): Jordan's line 4690002221 kept, its phone and SIM
    ended, the customer's own iPhone 16 swapped in."""
    path = Path(__file__).parents[1] / "src" / "omnicart" / "data" / "examples" / "byod-items.json"
    items: list[dict] = json.loads(path.read_text())["items"]
    return items


def add_a_line(root: str = "line-1") -> list[dict]:
    """The direct-fulfilment add-a-line order: a plan as bundle root, an iPhone 16 in
    monthly installments and a SIM card (both to deliver)."""
    plan, _, sim, _ = line(root)
    phone = {
        "productOrderItemId": f"{root}-phone",
        "action": "add",
        "productOfferingType": "Mobile_Device",
        "productOfferingId": IPHONE,
        "rootBundleProductOrderItemId": root,
    }
    return [plan, phone, sim]


def payment_request(cart_id: str, *, consent: bool = True, **fields) -> dict:
    """The carrier's payment-methods example (§4.3) for a cart."""
    method = {
        "id": "paymentmethod_1",
        "amount": 1,
        "accountNumber": "123454",
        "savePaymentProfile": True,
        "storeTermsConditionConsent": consent,
        "tncId": "111",
        "customerAgreement": "TC20180810",
        "cartId": cart_id,
        "profileName": "23-7995788593397",
        "encPaymentMethod": "<encrypted_payment_method>",
        "paySource": {"sourceSystem": "RTB", "sourceLocation": "XX", "sourceUser": "IDP"},
        **fields,
    }
    return {"paymentMethods": [method]}


def codes(cart: dict) -> list[tuple[str, str | None]]:
    """(code, productOrderItemId) of every error message of the cart's validation."""
    found = []
    for message in cart["validation"]["validationMessage"]:
        if message["type"] != "error":
            continue
        params = {p["name"]: p["value"] for p in message["parameter"]}
        found.append((params["code"], params.get("productOrderItemId")))
    return found


def messages(cart: dict) -> list[tuple[str, str, str | None]]:
    """(code, type, productOrderItemId) of every message of the cart's validation."""
    found = []
    for message in cart["validation"]["validationMessage"]:
        params = {p["name"]: p["value"] for p in message["parameter"]}
        found.append((params["code"], message["type"], params.get("productOrderItemId")))
    return found


def total(cart: dict, price_type: str) -> tuple[float, float]:
    """The cart's total of one price type: (duty free, tax included)."""
    (entry,) = [p for p in cart["orderTotalPrice"] if p["priceType"] == price_type]
    return entry["price"]["dutyFreeAmount"]["value"], entry["price"]["taxIncludedAmount"]["value"]
