"""The domain of the direct-fulfilment add-a-line flow (docs/direct-fulfilment.md), pure:
what is delivered and how a choice is read (domain/delivery.py), what a choice costs
(domain/pricing.py), the configuration steps it completes (domain/configuration.py), the
customer's consent to the agreements (domain/agreements.py), what offers search finds
(domain/offers.py), and the catalog fields it reads (domain/catalog.py).

Prices of the sample catalog: iPhone 16 23.06/month, SIM card 5.00, eSIM 0.00, Value Plus
60.99/month; express shipping 14.99, taxed at the default 8.25 %.
"""

from __future__ import annotations

import json
from decimal import Decimal

import msgspec
import pytest

from omnicart.domain import agreements, offers
from omnicart.domain.catalog import CatalogError, parse_catalog
from omnicart.domain.delivery import select, ships
from omnicart.domain.errors import InvalidSelection
from omnicart.domain.pricing import TaxTable, price_cart
from omnicart.domain.rules import validate_cart
from omnicart.wire.cart import AgreementRef
from omnicart.wire.fulfilment import FulfillmentSelection, SelectedOption
from omnicart.wire.offers import OffersSearch
from omnicart.wire.orders import Terms
from omnicart.wire.terms import TermsConsent
from tests.unit.conftest import NOW

TAXES = TaxTable(defaultRate=Decimal("0.0825"), byProductOfferingType={"Mobile_Offer": Decimal("0.10")})


@pytest.fixture
def line(item, cart_with):
    """A new line: Value Plus (root), iPhone 16, SIM card."""

    def make(*, named: bool = False, sim: str = "SIM card"):
        cart = cart_with(
            item("Value Plus VL", id="line"),
            item("iPhone 16 128GB", id="phone", root="line"),
            item(sim, id="sim", root="line"),
        )
        if named:
            cart.customerOrderId = "26-12345678901234"
        return cart

    return make


def chosen(*choices: tuple[str, str], **product) -> list[SelectedOption]:
    raw = [{"productOrderItemId": i, "productOffering": {"id": m}, **product} for i, m in choices]
    return msgspec.convert({"selectedOptions": raw}, FulfillmentSelection).selectedOptions


def choose(cart, catalog, *choices: tuple[str, str], placeid: str | None = None, **product):
    cart.select_fulfillment(select(cart, catalog, chosen(*choices, **product), placeid))
    return cart


# -- what is delivered ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offering", "fields", "delivered"),
    [
        ("iPhone 16 128GB", {}, True),
        ("iPhone 16 128GB", {"characteristics": {"isBYOD": "true", "IMEI": "358073464620280"}}, False),
        ("iPhone 16 128GB", {"action": "terminate", "product": {"id": "47777581441708014"}}, False),
        ("SIM card", {}, True),
        ("eSIM", {}, True),
        ("Apple 20W USB-C Power Adapter", {}, True),
        ("Value Plus VL", {}, False),
        ("Protect Advantage for 1", {}, False),
        ("AT&T Fiber 300", {}, False),
    ],
    ids=["phone", "own-phone", "phone-ended", "sim", "esim", "accessory", "plan", "protection", "fiber"],
)
def test_what_is_delivered(item, catalog, offering, fields, delivered):
    made = item(offering, **fields)
    assert ships(made, catalog.get(made.offering_id)) is delivered


# -- reading a choice -----------------------------------------------------------------------


def test_a_choice_is_recorded_with_the_methods_name_and_where_it_goes(line, catalog):
    cart = choose(line(), catalog, ("phone", "express-shipping"), ("sim", "store-pickup"), placeid="P-1")
    assert msgspec.to_builtins(cart.fulfillment) == [
        {
            "productOrderItemId": "phone",
            "productOffering": {
                "id": "express-shipping",
                "name": "Express Shipping",
                "productOfferingType": "Delivery_Method",
            },
            "product": {"place": [{"id": "P-1", "role": "shippingAddress"}]},
            "itemPrice": [],
        },
        {
            "productOrderItemId": "sim",
            "productOffering": {
                "id": "store-pickup",
                "name": "Pick up in store",
                "productOfferingType": "Delivery_Method",
            },
            "product": {"place": [{"id": "G5MGG", "role": "store"}]},  # the cart's dealer location
            "itemPrice": [],
        },
    ]


def test_a_pick_up_needs_a_store(line, catalog):
    cart = line()
    cart.relatedParty = [p for p in cart.relatedParty if p.referredType != "dealerLocation"]
    with pytest.raises(InvalidSelection) as refused:
        select(cart, catalog, chosen(("phone", "store-pickup")), None)
    assert refused.value.details == {
        "errors": [
            {
                "field": "selectedOptions[0].product.place",
                "reason": 'a pick-up in store needs the store: a place of role "store"',
            }
        ]
    }
    store = {"product": {"place": [{"id": "D11211", "role": "store"}]}}
    (selection,) = select(cart, catalog, chosen(("phone", "store-pickup"), **store), None)
    assert msgspec.to_builtins(selection.product) == {"place": [{"id": "D11211", "role": "store"}]}


@pytest.mark.parametrize(
    ("choices", "field", "reason"),
    [
        (
            [("line-9", "standard-shipping")],
            "selectedOptions[0].productOrderItemId",
            "'line-9' is not an item of this order",
        ),
        (
            [("line", "standard-shipping")],
            "selectedOptions[0].productOrderItemId",
            "item 'line' has nothing to deliver (only a device, a SIM or an accessory the customer is sold is "
            "delivered)",
        ),
        (
            [("phone", "pigeon")],
            "selectedOptions[0].productOffering.id",
            "'pigeon' is no delivery method; one of standard-shipping, express-shipping, store-pickup",
        ),
        (
            [("sim", "standard-shipping"), ("sim", "store-pickup")],
            "selectedOptions[1].productOrderItemId",
            "item 'sim' is chosen for twice",
        ),
    ],
    ids=["unknown-item", "a-plan", "unknown-method", "twice"],
)
def test_a_choice_the_order_cannot_have_is_refused(line, catalog, choices, field, reason):
    with pytest.raises(InvalidSelection) as refused:
        select(line(), catalog, chosen(*choices), None)
    assert refused.value.code == "OMNICART-FULFILLMENT-0001"
    assert refused.value.details == {"errors": [{"field": field, "reason": reason}]}


def test_a_new_choice_replaces_the_old_and_removing_the_item_drops_it(line, catalog):
    cart = choose(line(), catalog, ("phone", "express-shipping"), ("sim", "standard-shipping"))
    choose(cart, catalog, ("phone", "standard-shipping"))
    assert [(s.productOrderItemId, s.productOffering.id) for s in cart.fulfillment] == [
        ("sim", "standard-shipping"),
        ("phone", "standard-shipping"),
    ]
    cart.remove_item("line")  # the whole bundle
    assert cart.fulfillment is msgspec.UNSET


# -- what it costs --------------------------------------------------------------------------


def test_a_chosen_delivery_is_priced_like_an_item_and_counts_towards_due_today(line, catalog):
    cart = choose(line(), catalog, ("phone", "express-shipping"), ("sim", "standard-shipping"))
    price_cart(cart, catalog, TAXES)
    express, standard = (s.itemPrice for s in cart.fulfillment)
    assert msgspec.to_builtins(express) == [
        {
            "name": "Express Shipping",
            "priceType": "NRC",
            "price": {
                "dutyFreeAmount": {"unit": "USD", "value": 14.99},
                "taxIncludedAmount": {"unit": "USD", "value": 16.23},  # 14.99 + 1.236675, rounded
                "taxRate": 0.0825,
            },
            "finalPrice": {
                "dutyFreeAmount": {"unit": "USD", "value": 14.99},
                "taxIncludedAmount": {"unit": "USD", "value": 16.23},
                "taxRate": 0.0825,
            },
            "taxIncluded": "Excluded",
        }
    ]
    assert [(p.price.dutyFreeAmount.value, p.price.taxIncludedAmount.value) for p in standard] == [(0.0, 0.0)]
    # SIM card 5.00 + 0.41 and express shipping 14.99 + 1.24.
    assert [(t.name, t.price.dutyFreeAmount.value, t.price.taxIncludedAmount.value) for t in cart.orderTotalPrice] == [
        ("Due today", 19.99, 21.64),
        ("Monthly recurring", 84.05, 92.05),
    ]


def test_delivery_is_taxed_at_the_tables_rate_for_delivery_methods(line, catalog):
    cart = choose(line(), catalog, ("phone", "express-shipping"))
    price_cart(cart, catalog, TaxTable(byProductOfferingType={"Delivery_Method": Decimal("0.05")}))
    assert cart.fulfillment[0].itemPrice[0].price.taxIncludedAmount.value == 15.74  # 14.99 + 0.7495


def test_a_choice_whose_item_left_or_ships_no_more_is_not_charged(line, item, catalog):
    cart = choose(line(), catalog, ("phone", "express-shipping"), ("sim", "express-shipping"))
    cart.productOrderItem = [i for i in cart.productOrderItem if i.productOrderItemId != "sim"]
    price_cart(cart, catalog, TAXES)
    assert [len(s.itemPrice) for s in cart.fulfillment] == [1, 0]
    assert cart.orderTotalPrice[0].price.dutyFreeAmount.value == 14.99
    own = {"isBYOD": "true", "IMEI": "358073464620280"}  # the phone becomes the customer's own
    cart.replace_item(item("iPhone 16 128GB", id="phone", root="line", characteristics=own))
    price_cart(cart, catalog, TAXES)
    assert [len(s.itemPrice) for s in cart.fulfillment] == [0, 0]
    assert cart.orderTotalPrice[0].price.dutyFreeAmount.value == 0.0


# -- the configuration steps ----------------------------------------------------------------


def configuration(cart, catalog, now) -> list[tuple[str, str, bool, bool]]:
    validation = validate_cart(cart, catalog, now)
    return [(c.type, c.status, c.required, c.postOrderConfigurable) for c in validation.configuration]


def test_a_cart_of_the_order_flavour_shows_fulfilment_and_billing(line, catalog, now):
    assert configuration(line(named=True), catalog, now) == [
        ("terms", "pending", True, False),
        ("payment", "pending", True, False),  # the SIM card is due today
        ("fulfillment", "pending", True, False),
        ("billing", "pending", False, True),
    ]


def test_a_cart_of_the_newer_flavour_shows_them_only_once_recorded(line, catalog, now):
    assert [step[0] for step in configuration(line(), catalog, now)] == ["terms", "payment"]
    cart = choose(line(), catalog, ("phone", "standard-shipping"))
    assert configuration(cart, catalog, now)[2:] == [("fulfillment", "pending", True, False)]


def test_fulfilment_is_complete_once_every_delivered_item_has_a_method(line, catalog, now):
    cart = choose(line(named=True), catalog, ("phone", "standard-shipping"))
    assert configuration(cart, catalog, now)[2] == ("fulfillment", "pending", True, False)
    choose(cart, catalog, ("sim", "store-pickup"))
    assert configuration(cart, catalog, now)[2] == ("fulfillment", "complete", True, False)


def test_a_charged_delivery_makes_payment_due_today(line, catalog, now):
    cart = line(named=True, sim="eSIM")  # nothing one-time: payment may come after the order
    assert configuration(cart, catalog, now)[1] == ("payment", "pending", False, True)
    choose(cart, catalog, ("phone", "express-shipping"))
    assert configuration(cart, catalog, now)[1] == ("payment", "pending", True, False)


@pytest.mark.parametrize(
    ("enrollment", "payment", "status"),
    [
        (None, False, "pending"),
        ({"paperLess": "enrolled"}, False, "complete"),
        ({"autoPay": "notEnrolled"}, False, "complete"),
        ({"autoPay": "enrolled", "paymentProfileId": ""}, False, "pending"),
        ({"autoPay": "enrolled", "paymentProfileId": ""}, True, "complete"),
        ({"autoPay": "enrolled", "paymentProfileId": "PP-1"}, False, "complete"),
    ],
    ids=[
        "none",
        "paperless",
        "no-autopay",
        "autopay-nothing-to-charge",
        "autopay-the-carts-method",
        "autopay-a-profile",
    ],
)
def test_billing_is_complete_once_enrolled_with_something_for_autopay_to_charge(
    line, catalog, now, enrollment, payment, status
):
    from omnicart.wire.cart import Enrollment, PaymentRef

    cart = line(named=True)
    if enrollment is not None:
        cart.enroll(msgspec.convert(enrollment, Enrollment))
    if payment:
        cart.configure([PaymentRef(id="PM-1")], [])
    assert configuration(cart, catalog, now)[3] == ("billing", status, False, True)


def test_enrollment_merges_what_each_request_names(line):
    from omnicart.wire.cart import Enrollment

    cart = line()
    cart.enroll(Enrollment(autoPay="enrolled", paymentProfileId="PP-1"))
    cart.enroll(Enrollment(paperLess="enrolled"))
    cart.enroll(Enrollment(autoPay="notEnrolled"))
    assert msgspec.to_builtins(cart.enrollment) == {
        "autoPay": "notEnrolled",
        "paperLess": "enrolled",
        "paymentProfileId": "PP-1",
    }


# -- consent to the agreements ----------------------------------------------------------------

WCA = Terms("WCA", "Wireless Customer Agreement", "2025-06", "…")
IA = Terms("IA", "Installment Agreement", "2024-09", "…")


def consent_to(*sent: dict, before: tuple[AgreementRef, ...] = ()) -> agreements.Consent:
    named = msgspec.convert({"agreements": list(sent)}, TermsConsent).agreements
    return agreements.consent([WCA, IA], named, before)


def codes(entries) -> list[tuple[str, str]]:
    return [(e.errorCode, e.name) for e in entries]


def test_every_agreement_named_is_accepted():
    read = consent_to({"name": "Wireless Customer Agreement"}, {"name": "IA"})
    assert read.accepted == [
        AgreementRef("WCA", "Wireless Customer Agreement", "2025-06"),
        AgreementRef("IA", "Installment Agreement", "2024-09"),
    ]
    assert (read.refused, read.missing, read.error) == ([], [], None)


def test_one_still_missing_is_said_and_one_accepted_before_is_not_missing():
    read = consent_to({"name": "x", "extensions": [{"name": "id", "value": "WCA"}]})
    assert [a.id for a in read.accepted] == ["WCA"]
    assert codes(read.missing) == [("EXPECTED_TERMS_MISSING", "Installment Agreement")]
    assert consent_to({"name": "WCA"}, before=(AgreementRef("IA"),)).missing == []


def test_one_not_offered_refuses_the_whole_consent():
    read = consent_to(
        {"name": "WCA"}, {"name": "DP-TC"}, {"name": "IA", "extensions": [{"name": "version", "value": "1"}]}
    )
    assert read.accepted == []
    assert codes(read.refused) == [("INVALID_TERMS_EXIST", "DP-TC"), ("INVALID_TERMS_EXIST", "IA")]
    assert codes(read.missing) == [
        ("EXPECTED_TERMS_MISSING", "Wireless Customer Agreement"),
        ("EXPECTED_TERMS_MISSING", "Installment Agreement"),
    ]
    assert read.error is not None and read.error.errorDescription == "Validation Failure"
    assert [e.errorMessage for e in read.refused] == [
        "DP-TC: is not an agreement this order needs",
        "IA: version '1' is not the one offered (2024-09)",
    ]


def test_an_agreement_shows_its_id_version_and_text_as_extensions():
    assert msgspec.to_builtins(agreements.agreement(IA)) == {
        "name": "Installment Agreement",
        "extensions": [
            {"name": "id", "value": "IA"},
            {"name": "version", "value": "2024-09"},
            {"name": "required", "value": "true"},
            {"name": "text", "value": "…"},
        ],
    }


# -- what offers search finds -----------------------------------------------------------------

SMALL = {
    "productOffering": [
        {
            "id": "phone",
            "productOfferingType": "Mobile_Device",
            "name": "Phone",
            "deviceType": "Phone",
            "edModels": ["P1"],
            "prices": [{"name": "Phone", "priceType": "NRC", "amount": "100.00"}],
        },
        {"id": "watch", "productOfferingType": "Mobile_Device", "name": "Watch", "deviceType": "Watch"},
        {
            "id": "plan",
            "productOfferingType": "Mobile_Offer",
            "name": "Plan",
            "prices": [{"name": "Plan", "priceType": "RC", "recurringChargePeriod": "month", "amount": "10.50"}],
        },
        {
            "id": "pro",
            "productOfferingType": "Mobile_Offer",
            "name": "Pro",
            "eligibility": {"customerTypes": ["Business"]},
        },
        {
            "id": "old",
            "productOfferingType": "Mobile_Offer",
            "name": "Old",
            "validFor": {"endDateTime": "2025-01-01T00:00:00Z"},
        },
        {"id": "kiosk", "productOfferingType": "SIM", "name": "Kiosk SIM", "eligibility": {"channelIds": ["KIOSK"]}},
        {"id": "protect", "productOfferingType": "Device_Protection", "name": "Protect"},
    ]
}


def found(**wanted) -> list[str]:
    catalog = parse_catalog(json.dumps(SMALL).encode())
    return [o.id for o in offers.search(catalog, msgspec.convert(wanted, OffersSearch), NOW)]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ({"productOfferingTypeGroup": "mobileDevice"}, ["phone", "watch"]),
        ({"productOfferingTypeGroup": "mobileDevice", "deviceType": ["Watch"]}, ["watch"]),
        ({"productOfferingTypeGroup": "mobilePlan"}, ["plan"]),
        ({"productOfferingTypeGroup": "mobilePlan", "customerType": "BUSINESS"}, ["plan", "pro"]),
        ({"productOfferingTypeGroup": "mobileOffer"}, ["plan", "protect"]),
        ({"productOfferingTypeGroup": "mobileOffer", "channel": {"id": "KIOSK"}}, ["plan", "kiosk", "protect"]),
        ({"productOfferingTypeGroup": "mobileDevice", "BYOD": {"edModels": "P1"}}, ["phone"]),
        ({"productOfferingTypeGroup": "mobilePlan", "BYOD": {"edModels": ["X", "P1"]}}, ["plan"]),
        ({"productOfferingTypeGroup": "mobilePlan", "BYOD": {"edModels": "X"}}, []),
        ({"productOfferingTypeGroup": "BBOffers"}, []),
    ],
    ids=[
        "devices",
        "watches",
        "plans",
        "business-plans",
        "mobile-offers",
        "in-a-channel",
        "own-device",
        "plans-for-own-device",
        "unknown-device",
        "no-broadband",
    ],
)
def test_what_offers_search_finds(wanted, expected):
    assert found(**wanted) == expected


def test_an_offering_in_the_carriers_shape_nests_what_is_sold_with_it():
    catalog = parse_catalog(json.dumps(SMALL).encode())
    (phone,) = offers.search(catalog, OffersSearch("mobileDevice", deviceType=["Phone"]), NOW)
    assert msgspec.to_builtins(phone) == {
        "id": "phone",
        "name": "Phone",
        "productOfferingType": "Mobile_Device",
        "productOfferingPrice": [
            {
                "name": "Phone",
                "priceCategory": "equipmentNRC",
                "priceType": "NRC",
                "role": "Price",
                "price": {"dutyFreeAmount": {"unit": "USD", "value": 100.0}},
                "finalPrice": {"dutyFreeAmount": {"unit": "USD", "value": 100.0}},
                "standalonePrice": {"dutyFreeAmount": {"unit": "USD", "value": 100.0}},
                "taxIncluded": "Excluded",
            }
        ],
        "bundledProductOffering": [
            {
                "name": "Device_Protection",
                "bundledProductOfferingOption": [
                    {
                        "id": "protect",
                        "name": "Protect",
                        "productOfferingType": "Device_Protection",
                        "productOfferingPrice": [],
                    }
                ],
            }
        ],
    }
    (plan,) = offers.search(catalog, OffersSearch("mobilePlan"), NOW)
    assert "bundledProductOffering" not in msgspec.to_builtins(plan), "no SIM is sold without a channel"
    assert msgspec.to_builtins(plan.productOfferingPrice[0])["priceCategory"] == "serviceRC"
    assert msgspec.to_builtins(plan.productOfferingPrice[0])["recurringChargePeriodLength"] == 1


# -- the catalog's fields for it --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "path", "reason"),
    [
        (
            {"deviceType": "Toaster"},
            "deviceType",
            "unknown device type 'Toaster'; expected one of Phone, Tablet, Watch, Hotspot",
        ),
        ({"productOfferingType": "SIM", "edModels": ["P1"]}, "edModels", "only a Mobile_Device has equipment models"),
        ({"edModels": [" "]}, "edModels[0]", "an empty model code"),
    ],
    ids=["unknown-device-type", "models-on-a-sim", "blank-model"],
)
def test_the_catalog_checks_device_types_and_models(fields, path, reason):
    offering = {"id": "d", "productOfferingType": "Mobile_Device", "name": "D", **fields}
    with pytest.raises(CatalogError) as error:
        parse_catalog(json.dumps({"productOffering": [offering]}).encode(), "c.json")
    assert (error.value.path, error.value.reason) == (f"productOffering[0].{path}", reason)


def test_the_sandbox_page_lists_every_device_with_its_type_and_models(catalog):
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "sandbox.md").read_text()
    for offering in catalog.offerings("Mobile_Device"):
        models = ", ".join(f"`{model}`" for model in offering.edModels)
        assert f"| `{offering.id}` | {offering.name} | {offering.deviceType} | {models} |" in page, offering.id
