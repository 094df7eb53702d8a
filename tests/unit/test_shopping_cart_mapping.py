"""One cart, two shapes (domain/shopping_cart.py): each row is a carrier cart's document,
the ShoppingCart TMF663 shows of it, and the carrier's fields that ShoppingCart reads
back as (what a PATCH writes: parties, items, the cart's own fields). Literal documents
on both sides, written by hand from TMF663 v4 and the carrier's reference."""

from __future__ import annotations

import msgspec
import pytest

from omnicart.domain.shopping_cart import NotAShoppingCart, cart_fields, shopping_cart, tmf_path
from omnicart.wire.cart import ProductOrderView

HREF = "http://127.0.0.1:8000/tmf-api/shoppingCart/v4/shoppingCart/0c97aeef-f15f-11f1-a167-f365a2e4f056"
ID = "0c97aeef-f15f-11f1-a167-f365a2e4f056"
CHANNEL = {"id": "TMF663", "name": "TM Forum Shopping Cart API"}
ZERO = {"dutyFreeAmount": {"unit": "USD", "value": 0.0}, "taxIncludedAmount": {"unit": "USD", "value": 0.0}}


def carrier_cart(**fields):
    """A carrier cart's document, as stored (the fields every cart has, then `fields`)."""
    return {
        "id": ID,
        "version": 3,
        "state": "Draft",
        "creationDate": "2026-12-06T10:23:16.065Z",
        "lastUpdate": "2026-12-06T10:25:00.000Z",
        "channel": {"id": "IND", "name": "IND"},
        "validation": {"status": "valid", "readyToSubmit": False, "validationMessage": [], "configuration": []},
        "agreement": [],
        "payment": [],
        **fields,
    }


EMPTY = (
    carrier_cart(
        relatedParty=[],
        productOrderItem=[],
        orderTotalPrice=[
            {"name": "Due today", "priceType": "NRC", "price": ZERO, "finalPrice": ZERO, "taxIncluded": "Excluded"}
        ],
    ),
    {
        "id": ID,
        "href": HREF,
        "@type": "ShoppingCart",
        "validFor": {"startDateTime": "2026-12-06T10:23:16.065Z"},
        "relatedParty": [],
        "cartItem": [],
        "cartTotalPrice": [{"@type": "CartPrice", "name": "Due today", "priceType": "oneTime", "price": ZERO}],
    },
    {"channel": CHANNEL, "relatedParty": [], "items": []},
)

PHONE_LINE = [
    {
        "name": "Due today",
        "priceType": "NRC",
        "price": {
            "dutyFreeAmount": {"unit": "USD", "value": 1399.98},
            "taxIncludedAmount": {"unit": "USD", "value": 1521.78},
            "taxRate": 0.087,
        },
        "finalPrice": {
            "dutyFreeAmount": {"unit": "USD", "value": 1399.98},
            "taxIncludedAmount": {"unit": "USD", "value": 1521.78},
            "taxRate": 0.087,
        },
        "taxIncluded": "Excluded",
    },
    {
        "name": "Monthly recurring",
        "priceType": "RC",
        "recurringChargePeriod": "month",
        "recurringChargePeriodLength": 1,
        "price": {"dutyFreeAmount": {"unit": "USD", "value": 20.0}},
        "finalPrice": {"dutyFreeAmount": {"unit": "USD", "value": 20.0}},
        "taxIncluded": "Excluded",
    },
]

FULL = (
    carrier_cart(
        relatedParty=[
            {"id": "G5MGG", "role": "partner", "referredType": "dealerLocation", "name": "RS and I Inc"},
            {"id": "cust-1", "role": "customer", "referredType": "customer", "href": "https://crm.example/cust-1"},
        ],
        productOrderItem=[
            {
                "productOrderItemId": "line-1",
                "action": "add",
                "quantity": 2,
                "productOfferingType": "Mobile_Device",
                "productOfferingId": "Mobile_Device_pkey73001_sku2680262",
                "rootBundleProductOrderItemId": "plan-1",
                "product": {"id": "p-1", "place": [{"id": "addr-1", "role": "shippingAddress"}]},
                "characteristic": [{"name": "color", "value": "Blue"}],
                "itemPrice": PHONE_LINE,
                "productOffering": {"name": "iPhone 15", "@referredType": "ProductOffering"},
            },
            {
                "productOrderItemId": "keep-1",
                "action": "noChange",
                "quantity": 1,
                "characteristic": [],
                "itemPrice": [],
            },
        ],
        orderTotalPrice=[],
        contactMedium=[{"mediumType": "email", "characteristic": {"emailAddress": "jordan@example.com"}}],
        **{"@baseType": "ShoppingCart", "@schemaLocation": "https://example.com/cart.json"},
    ),
    {
        "id": ID,
        "href": HREF,
        "@type": "ShoppingCart",
        "validFor": {"startDateTime": "2026-12-06T10:23:16.065Z"},
        "contactMedium": [{"mediumType": "email", "characteristic": {"emailAddress": "jordan@example.com"}}],
        "@baseType": "ShoppingCart",
        "@schemaLocation": "https://example.com/cart.json",
        "relatedParty": [
            {"id": "G5MGG", "role": "partner", "@referredType": "dealerLocation", "name": "RS and I Inc"},
            {"id": "cust-1", "role": "customer", "@referredType": "customer", "href": "https://crm.example/cust-1"},
        ],
        "cartItem": [
            {
                "id": "line-1",
                "@type": "CartItem",
                "action": "add",
                "quantity": 2,
                "productOffering": {
                    "id": "Mobile_Device_pkey73001_sku2680262",
                    "name": "iPhone 15",
                    "@referredType": "ProductOffering",
                },
                "product": {
                    "id": "p-1",
                    "place": [{"id": "addr-1", "role": "shippingAddress"}],
                    "productCharacteristic": [{"name": "color", "value": "Blue"}],
                },
                "itemPrice": [  # one of the two
                    {
                        "@type": "CartPrice",
                        "name": "Due today",
                        "priceType": "oneTime",
                        "price": {
                            "dutyFreeAmount": {"unit": "USD", "value": 699.99},
                            "taxIncludedAmount": {"unit": "USD", "value": 760.89},
                            "taxRate": 0.087,
                        },
                    },
                    {
                        "@type": "CartPrice",
                        "name": "Monthly recurring",
                        "priceType": "recurring",
                        "recurringChargePeriod": "month",
                        "price": {"dutyFreeAmount": {"unit": "USD", "value": 10.0}},
                    },
                ],
                "itemTotalPrice": [  # the line
                    {
                        "@type": "CartPrice",
                        "name": "Due today",
                        "priceType": "oneTime",
                        "price": {
                            "dutyFreeAmount": {"unit": "USD", "value": 1399.98},
                            "taxIncludedAmount": {"unit": "USD", "value": 1521.78},
                            "taxRate": 0.087,
                        },
                    },
                    {
                        "@type": "CartPrice",
                        "name": "Monthly recurring",
                        "priceType": "recurring",
                        "recurringChargePeriod": "month",
                        "price": {"dutyFreeAmount": {"unit": "USD", "value": 20.0}},
                    },
                ],
                "productOfferingType": "Mobile_Device",
                "rootBundleProductOrderItemId": "plan-1",
            },
            {
                "id": "keep-1",
                "@type": "CartItem",
                "action": "noChange",
                "quantity": 1,
                "itemPrice": [],
                "itemTotalPrice": [],
            },
        ],
        "cartTotalPrice": [],
    },
    {
        "channel": CHANNEL,  # a ShoppingCart has none: a PATCH keeps the cart's own
        "relatedParty": [
            {"id": "G5MGG", "role": "partner", "referredType": "dealerLocation", "name": "RS and I Inc"},
            {"id": "cust-1", "role": "customer", "referredType": "customer", "href": "https://crm.example/cust-1"},
        ],
        "items": [
            {
                "productOrderItemId": "line-1",
                "action": "add",
                "quantity": 2,
                "productOfferingId": "Mobile_Device_pkey73001_sku2680262",
                "productOffering": {"name": "iPhone 15", "@referredType": "ProductOffering"},
                "product": {"id": "p-1", "place": [{"id": "addr-1", "role": "shippingAddress"}]},
                "characteristic": [{"name": "color", "value": "Blue"}],
                "productOfferingType": "Mobile_Device",
                "rootBundleProductOrderItemId": "plan-1",
            },
            {"productOrderItemId": "keep-1", "action": "noChange", "quantity": 1},
        ],
        "contactMedium": [{"mediumType": "email", "characteristic": {"emailAddress": "jordan@example.com"}}],
        "@baseType": "ShoppingCart",
        "@schemaLocation": "https://example.com/cart.json",
    },
)


@pytest.mark.parametrize(("carrier", "tmf", "read_back"), [EMPTY, FULL], ids=["empty", "full"])
class TestBothWays:
    def test_the_carrier_cart_as_a_shopping_cart(self, carrier, tmf, read_back):
        assert shopping_cart(carrier, HREF) == tmf

    def test_the_shopping_cart_read_back_as_the_carrier_carts_fields(self, carrier, tmf, read_back):
        assert cart_fields(tmf) == read_back


# A ShoppingCart a client sends (create's body, a PATCH's merged document) → Create Cart's fields.
SENT = {
    "the CTK's empty cart": ({}, {"channel": CHANNEL, "relatedParty": [], "items": []}),
    "what the service owns is not read": (
        {
            "id": "mine",
            "href": "http://elsewhere/x",
            "validFor": {"startDateTime": "2020-01-01T00:00:00Z"},
            "cartTotalPrice": [{"name": "free"}],
            "@type": "ShoppingCart",
            "state": "Submitted",
            "version": 99,
            "cartItem": [{"id": "1", "@type": "CartItem", "itemPrice": [{"name": "x"}], "itemTotalPrice": []}],
        },
        {"channel": CHANNEL, "relatedParty": [], "items": [{"productOrderItemId": "1"}]},
    ),
    "a sub-class's @type is the client's own, kept": (
        {"@type": "FiberCart", "cartItem": [{"@type": "FiberItem", "quantity": 1}]},
        {
            "channel": CHANNEL,
            "relatedParty": [],
            "items": [{"@type": "FiberItem", "quantity": 1}],
            "@type": "FiberCart",
        },
    ),
    "a channel sent is the cart's channel": (
        {"channel": {"id": "IND"}},
        {"channel": {"id": "IND"}, "relatedParty": [], "items": []},
    ),
    "an item without an id gets one when added": (
        {"cartItem": [{"productOffering": {"id": "Mobile_Plan_1"}, "action": "add"}]},
        {"channel": CHANNEL, "relatedParty": [], "items": [{"productOfferingId": "Mobile_Plan_1", "action": "add"}]},
    ),
}


@pytest.mark.parametrize(("sent", "fields"), list(SENT.values()), ids=list(SENT))
def test_a_shopping_cart_sent_as_the_carrier_carts_fields(sent, fields):
    assert cart_fields(sent) == fields


@pytest.mark.parametrize(
    ("sent", "field", "reason"),
    [
        ({"cartItem": {"id": "1"}}, "cartItem", "must be an array"),
        ({"cartItem": ["1"]}, "cartItem[0]", "must be an object"),
        ({"relatedParty": [{"id": "a"}, 7]}, "relatedParty[1]", "must be an object"),
        ({"cartItem": [{}, {"productOffering": "Mobile_Plan_1"}]}, "cartItem[1].productOffering", "must be an object"),
        ({"cartItem": [{"product": []}]}, "cartItem[0].product", "must be an object"),
    ],
)
def test_a_shape_tmf663_does_not_have_names_where_it_is(sent, field, reason):
    with pytest.raises(NotAShoppingCart) as refused:
        cart_fields(sent)
    assert (refused.value.field, refused.value.reason) == (field, reason)


@pytest.mark.parametrize(
    ("carrier", "tmf"),
    [
        ("items[2].quantity", "cartItem[2].quantity"),
        ("items[0].productOfferingId", "cartItem[0].productOffering.id"),
        ("items[0].productOrderItemId", "cartItem[0].id"),
        ("items[1].characteristic[0].value", "cartItem[1].product.productCharacteristic[0].value"),
        ("relatedParty[0].referredType", "relatedParty[0].@referredType"),
        ("relatedParty[0].role", "relatedParty[0].role"),
        ("items", "cartItem"),
    ],
)
def test_a_problem_found_in_the_carrier_cart_is_named_in_tmf663s_words(carrier, tmf):
    assert tmf_path(carrier) == tmf


def test_every_field_of_the_carrier_cart_is_mapped_or_the_carriers_own():
    """A field the carrier's cart gets one day is not shown on TMF663 by accident: the
    ShoppingCart of a cart holding every field shows only TMF663's and the cart's own."""
    every = {field.encode_name: "x" for field in msgspec.structs.fields(ProductOrderView)}
    every |= {"id": ID, "creationDate": "2026-12-06T10:23:16.065Z", "relatedParty": [], "productOrderItem": []}
    every |= {"orderTotalPrice": [], "contactMedium": []}
    del every["__extra__"]
    assert set(shopping_cart(every, HREF)) == {
        "id",
        "href",
        "@type",
        "validFor",
        "relatedParty",
        "cartItem",
        "cartTotalPrice",
        "contactMedium",
    }
