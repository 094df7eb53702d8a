"""A request body msgspec decodes in one native call means what the long way (parse,
limits, set aside, convert) means: the same struct, the same notices. The native call is
taken only when nothing in the body could be dropped or kept differently (issue 23)."""

from __future__ import annotations

import msgspec
import pytest

from omnicart.wire import decoding
from omnicart.wire.cart import CartCreate
from omnicart.wire.limits import RequestLimits
from omnicart.wire.notices import Notice

PARTY = b'"relatedParty": [{"referredType": "individual", "role": "owner", "id": "p1"}]'
OWNER = {"id": "p1", "role": "owner", "referredType": "individual"}
ITEM = {
    "productOrderItemId": "",
    "action": "add",
    "quantity": 1,
    "productOfferingId": "SIM_pkey80001_sku6001001",
    "characteristic": [],
    "itemPrice": [],
}

# body, native?, the decoded cart (as its JSON), the notices
CASES = {
    "one item": (
        b'{"channel": {"id": "IND"}, ' + PARTY + b', "items": [{"productOfferingId": "SIM_pkey80001_sku6001001"}]}',
        True,
        {"channel": {"id": "IND"}, "relatedParty": [OWNER], "items": [ITEM]},
        [],
    ),
    "an item price, the service's": (
        b'{"channel": {"id": "IND"}, '
        + PARTY
        + b', "items": [{"productOfferingId": "SIM_pkey80001_sku6001001", "itemPrice": [{"name": "x",'
        b' "priceType": "NRC", "price": {"dutyFreeAmount": {"unit": "USD", "value": 1}}}]}]}',
        False,
        {"channel": {"id": "IND"}, "relatedParty": [OWNER], "items": [ITEM]},
        [Notice("items[0].itemPrice", "`items[0].itemPrice` is the service's and was ignored")],
    ),
    "unknown fields, kept": (
        b'{"channel": {"id": "IND", "colour": "red"}, ' + PARTY + b', "note": 1}',
        False,
        {
            "channel": {"id": "IND", "__extra__": {"colour": "red"}},
            "relatedParty": [OWNER],
            "items": [],
            "__extra__": {"note": 1},
        },
        [Notice("note", "unknown field `note` was kept but not used")],
    ),
    "the name in a value": (
        b'{"channel": {"id": "IND", "name": "itemPrice"}, ' + PARTY + b"}",
        False,
        {"channel": {"id": "IND", "name": "itemPrice"}, "relatedParty": [OWNER], "items": []},
        [],
    ),
    "an escaped name": (
        b'{"channel": {"id": "IND"}, '
        + PARTY
        + b', "items": [{"productOfferingId": "SIM_pkey80001_sku6001001", "\\u0069temPrice": []}]}',
        False,
        {"channel": {"id": "IND"}, "relatedParty": [OWNER], "items": [ITEM]},
        [Notice("items[0].itemPrice", "`items[0].itemPrice` is the service's and was ignored")],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_native_decode_and_the_long_way_agree(case):
    body, _, cart, notices = CASES[case]
    native_notices: list[Notice] = []
    long_notices: list[Notice] = []
    decoded = decoding.decode(body, CartCreate, RequestLimits(), notices=native_notices)
    plain = decoding.convert(msgspec.json.decode(body), CartCreate, notices=long_notices)
    assert msgspec.json.decode(msgspec.json.encode(decoded)) == msgspec.json.decode(msgspec.json.encode(plain)) == cart
    assert native_notices == long_notices == notices


@pytest.mark.parametrize("case", list(CASES))
def test_only_a_body_that_reaches_nothing_the_long_way_treats_differently_is_native(case, monkeypatch):
    body, native, _, _ = CASES[case]
    taken: list[str] = []
    convert = decoding.convert

    def the_long_way(*args, **kwargs):
        taken.append("long")
        return convert(*args, **kwargs)

    monkeypatch.setattr(decoding, "convert", the_long_way)
    decoding.decode(body, CartCreate, RequestLimits(), notices=[])
    assert taken == ([] if native else ["long"])


def test_a_create_cart_body_escapes_the_native_decode_only_through_the_item_price():
    assert decoding._escapes(CartCreate) == (b'"itemPrice"',)
