"""Every validation code, written out by hand: the cart that gets it, the message's type,
and what the cart's validation says then (its configuration completed, so that
`readyToSubmit` turns on the messages alone).

Each row is a change a partner makes (or the clock, or the sandbox's protection verdict),
from a cart without the message to one with it, and is checked on every way a cart is
validated: `validate_cart` from scratch, `assess` with a new memo, and `assess` with the
memo of the cart before the change. Each way is compared with the row, never with another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import msgspec
import pytest

from omnicart.domain.assessment import CartMemo, assess
from omnicart.domain.cart import Cart
from omnicart.domain.context import CartLimits
from omnicart.domain.pricing import load_default_tax_table
from omnicart.domain.rules import Code, validate_cart
from omnicart.domain.world import Holdings
from omnicart.wire.cart import CreditDecision, RelatedParty, Validation
from omnicart.wire.items import ProductOrderItem
from tests.carts import MEMO
from tests.unit.conftest import NOW, configure_all

TAXES = load_default_tax_table()
VALID_IMEI = "358073464620280"
INVALID_IMEI = "358073464620281"
Items = Callable[..., ProductOrderItem]  # the `item` fixture: item("Value Plus VL", id="line")


@dataclass(frozen=True)
class Row:
    code: str
    type: str  # the message's
    status: str
    ready: bool
    about: str | None  # the productOrderItemId the message names (None: the whole cart)
    before: Callable[[Items], list[ProductOrderItem]]  # the cart's items before the change
    change: Callable[[Cart, Items], object] = lambda cart, item: None
    limits: CartLimits = field(default_factory=CartLimits)
    at: tuple[datetime, datetime] = (NOW, NOW)  # the moment before and after the change
    ineligible: tuple[bool, bool] = (False, False)  # the sandbox's protection verdict, likewise
    holdings: Holdings | None = None  # what the cart's customer holds, when the directory knows them


JORDAN = Holdings("jordan", frozenset({"47777581441708014"}), frozenset({"4690002221"}), frozenset({"556165899573"}))
# Jordan with both their lines: the phone line, and the fiber line (where their fiber is).
JORDAN_LINES = Holdings(
    "jordan",
    frozenset({"47777581441708014", "51000000000000001"}),
    frozenset({"4690002221", "4690002300"}),
    frozenset({"556165899573", "556165899574"}),
    {"47777581441708014": "4690002221", "51000000000000001": "4690002300"},
)
BYOD = {"isBYOD": "true", "IMEI": VALID_IMEI, "eSIM_Enabled": "true"}


def kept_line(item: Items, **fields) -> ProductOrderItem:
    """The bundle root of Jordan's phone line, kept as it is (the carrier's BYOD example)."""
    return item("Unlimited Starter SL", id="line", **{"action": "noChange", "subscriberNumber": "4690002221", **fields})


def new_line(item: Items) -> list[ProductOrderItem]:
    return [
        item("Value Plus VL", id="line"),
        item("iPhone 16 128GB", id="phone", root="line"),
        item("Protect Advantage for 1", id="care", root="line"),
    ]


ROWS = [
    Row(
        code="CART_EMPTY",
        type="info",
        status="valid",
        ready=False,
        about=None,
        before=lambda item: [item("eSIM", id="sim")],
        change=lambda cart, item: cart.remove_item("sim"),
    ),
    Row(
        code="TOO_MANY_ITEMS",
        type="error",
        status="invalid",
        ready=False,
        about=None,
        before=lambda item: [item("eSIM", id="sim-1"), item("eSIM", id="sim-2")],
        change=lambda cart, item: cart.add_items([item("eSIM", id="sim-3")], 200),
        limits=CartLimits(max_items=2),
    ),
    Row(
        code="QUANTITY_OUT_OF_RANGE",
        type="error",
        status="invalid",
        ready=False,
        about="sim",
        before=lambda item: [item("eSIM", id="sim")],
        change=lambda cart, item: cart.replace_item(item("eSIM", id="sim", quantity=11)),
    ),
    Row(
        code="ROOT_BUNDLE_NOT_FOUND",
        type="error",
        status="invalid",
        ready=False,
        about="sim",
        before=lambda item: [item("Value Plus VL", id="line"), item("eSIM", id="sim", root="line")],
        change=lambda cart, item: cart.replace_item(item("eSIM", id="sim", root="gone")),
    ),
    Row(
        code="EXISTING_PRODUCT_REQUIRED",
        type="error",
        status="invalid",
        ready=False,
        about="old",
        before=lambda item: [
            item(None, id="old", action="terminate", productOfferingType="Mobile_Device", product={"id": "1"})
        ],
        change=lambda cart, item: cart.replace_item(
            item(None, id="old", action="terminate", productOfferingType="Mobile_Device")
        ),
    ),
    Row(
        code="UNKNOWN_TO_CUSTOMER",
        type="error",
        status="invalid",
        ready=False,
        about="old",
        before=lambda item: [
            item(
                None,
                id="old",
                action="terminate",
                productOfferingType="Mobile_Device",
                product={"id": "47777581441708014"},
                subscriberNumber="4690002221",
            )
        ],
        # Someone else's phone: the id of a product Jordan does not have.
        change=lambda cart, item: cart.replace_item(
            item(
                None,
                id="old",
                action="terminate",
                productOfferingType="Mobile_Device",
                product={"id": "47777581441708099"},
                subscriberNumber="4690002221",
            )
        ),
        holdings=JORDAN,
    ),
    Row(
        code="OFFERING_NOT_FOUND",
        type="error",
        status="invalid",
        ready=False,
        about="x",
        before=lambda item: [item("eSIM", id="x")],
        change=lambda cart, item: cart.replace_item(item("no-such-offering", id="x")),
    ),
    Row(
        code="OFFERING_NOT_SELLABLE",
        type="error",
        status="invalid",
        ready=False,
        about="phone",
        before=lambda item: [item("iPhone 15 128GB", id="phone")],
        at=(datetime(2025, 9, 18, tzinfo=UTC), datetime(2025, 9, 19, tzinfo=UTC)),  # its last day, then none
    ),
    Row(
        code="BYOD_IMEI_MISSING",
        type="error",
        status="invalid",
        ready=False,
        about="own",
        before=lambda item: [item("iPhone 16 128GB", id="own", characteristics={"isBYOD": "true", "IMEI": VALID_IMEI})],
        change=lambda cart, item: cart.replace_item(
            item("iPhone 16 128GB", id="own", characteristics={"isBYOD": "true"})
        ),
    ),
    Row(
        code="BYOD_IMEI_INVALID",
        type="error",
        status="invalid",
        ready=False,
        about="own",
        before=lambda item: [item("iPhone 16 128GB", id="own", characteristics={"isBYOD": "true", "IMEI": VALID_IMEI})],
        change=lambda cart, item: cart.replace_item(
            item("iPhone 16 128GB", id="own", characteristics={"isBYOD": "true", "IMEI": INVALID_IMEI})
        ),
    ),
    Row(
        code="PROTECTION_WITHOUT_DEVICE",
        type="error",
        status="invalid",
        ready=False,
        about="care",
        before=new_line,
        change=lambda cart, item: cart.remove_item("phone"),
    ),
    Row(
        code="MULTIPLE_PLANS_ON_LINE",
        type="error",
        status="invalid",
        ready=False,
        about="new",
        before=lambda item: [
            item("Unlimited Starter SL", id="line", action="terminate", subscriberNumber="4690002221"),
            item("Unlimited Premium PL", id="new", root="line"),
        ],
        # The customer keeps the old plan after all: the new one is now the line's second.
        change=lambda cart, item: cart.replace_item(
            item("Unlimited Starter SL", id="line", action="noChange", subscriberNumber="4690002221")
        ),
    ),
    Row(
        code="PROTECTION_INELIGIBLE",
        type="error",
        status="invalid",
        ready=False,
        about="care",
        before=new_line,
        ineligible=(False, True),
    ),
    Row(
        code="PRODUCT_OFFERING_TYPE_MISMATCH",
        type="error",
        status="invalid",
        ready=False,
        about="plan",
        before=lambda item: [item("Value Plus VL", id="plan")],
        change=lambda cart, item: cart.replace_item(
            item("Value Plus VL", id="plan", productOfferingType="Mobile_Device")
        ),
    ),
    Row(
        code="UNKNOWN_FIELD",
        type="warning",
        status="valid",
        ready=True,
        about="sim",
        before=lambda item: [item("eSIM", id="sim")],
        change=lambda cart, item: cart.replace_item(
            msgspec.structs.replace(item("eSIM", id="sim"), extra={"characteristics": []})
        ),
    ),
    Row(
        code="CREDIT_RISK_BLOCKS_ORDER",
        type="error",
        status="invalid",
        ready=False,
        about=None,
        before=lambda item: [item("AT&T Fiber 300", id="fiber")],
        change=lambda cart, item: cart.record_credit(
            CreditDecision(
                creditRisk="Fraud Risk",
                unifiedCreditTransactionId="U35456657879",
                casApplicationId="602177078164",
                unifiedPolicyTransactionId="P20210818000068739",
                decisionDate="2026-01-15T12:00:00.000Z",
            )
        ),
    ),
    Row(
        code="ACTION_REASON_REQUIRED",
        type="error",
        status="invalid",
        ready=False,
        about="old",
        before=lambda item: [item(None, id="old", action="terminate", productOfferingType="SIM", product={"id": "1"})],
        # The reason code is kept, the memo left blank.
        change=lambda cart, item: cart.replace_item(
            item(
                None,
                id="old",
                action="terminate",
                productOfferingType="SIM",
                product={"id": "1"},
                actionReason={"name": "LC", "reasonText": " "},
            )
        ),
    ),
    Row(
        code="SWAP_WITHOUT_LINE",
        type="error",
        status="invalid",
        ready=False,
        about="own",
        before=lambda item: [
            kept_line(item),
            item("iPhone 16 128GB", id="own", root="line", action="swap;add", characteristics=BYOD),
        ],
        # The root now keeps the plan by its product id, and names no line any more.
        change=lambda cart, item: cart.replace_item(
            item("Unlimited Starter SL", id="line", action="noChange", product={"id": "47777581441708016"})
        ),
    ),
    Row(
        code="PRODUCT_NOT_ON_LINE",
        type="error",
        status="invalid",
        ready=False,
        about="old",
        before=lambda item: [
            kept_line(item),
            item(None, id="old", root="line", action="terminate", product={"id": "47777581441708014"}),
        ],
        # The bundle is now Jordan's fiber line: their phone is not on it.
        change=lambda cart, item: cart.replace_item(kept_line(item, subscriberNumber="4690002300")),
        holdings=JORDAN_LINES,
    ),
    Row(
        code="BOOLEAN_CHARACTERISTIC_INVALID",
        type="error",
        status="invalid",
        ready=False,
        about="own",
        before=lambda item: [item("iPhone 16 128GB", id="own", characteristics=BYOD)],
        change=lambda cart, item: cart.replace_item(
            item("iPhone 16 128GB", id="own", characteristics={**BYOD, "eSIM_Enabled": "yes"})
        ),
    ),
    Row(
        code="NOT_A_CARRIER_ACTION",
        type="warning",
        status="valid",
        ready=True,
        about="old",
        before=lambda item: [item(None, id="old", action="terminate", productOfferingType="SIM", product={"id": "1"})],
        # The same ending, in TMF622's word for it.
        change=lambda cart, item: cart.replace_item(
            item(None, id="old", action="delete", productOfferingType="SIM", product={"id": "1"}, actionReason=MEMO)
        ),
    ),
    Row(
        code="UNSEEN_PARTY_PAIR",
        type="warning",
        status="valid",
        ready=True,
        about=None,
        before=lambda item: [item("eSIM", id="sim")],
        # A customer named as the cart's owner: the carrier's pages show an individual as owner.
        change=lambda cart, item: cart.relatedParty.append(
            RelatedParty(id="3f7f9189-974e-4639-8343-4a1819a98c7e", role="owner", referredType="customer")
        ),
    ),
]


def test_every_code_has_a_row():
    codes = [
        "CART_EMPTY",
        "TOO_MANY_ITEMS",
        "QUANTITY_OUT_OF_RANGE",
        "ROOT_BUNDLE_NOT_FOUND",
        "EXISTING_PRODUCT_REQUIRED",
        "UNKNOWN_TO_CUSTOMER",
        "OFFERING_NOT_FOUND",
        "OFFERING_NOT_SELLABLE",
        "BYOD_IMEI_MISSING",
        "BYOD_IMEI_INVALID",
        "PROTECTION_WITHOUT_DEVICE",
        "MULTIPLE_PLANS_ON_LINE",
        "PROTECTION_INELIGIBLE",
        "PRODUCT_OFFERING_TYPE_MISMATCH",
        "UNKNOWN_FIELD",
        "CREDIT_RISK_BLOCKS_ORDER",
        "ACTION_REASON_REQUIRED",
        "SWAP_WITHOUT_LINE",
        "PRODUCT_NOT_ON_LINE",
        "BOOLEAN_CHARACTERISTIC_INVALID",
        "NOT_A_CARRIER_ACTION",
        "UNSEEN_PARTY_PAIR",
    ]
    assert sorted(code.value for code in Code) == sorted(codes)  # a new code needs a row
    assert [row.code for row in ROWS] == codes


def _found(validation: Validation) -> tuple[str, bool, list[tuple[str | None, str, str | None]]]:
    """(status, readyToSubmit, [(code, type, productOrderItemId) of every message])."""

    def parameter(message, name):
        return next((p.value for p in message.parameter if p.name == name), None)

    messages = [
        (parameter(m, "code"), m.type, parameter(m, "productOrderItemId")) for m in validation.validationMessage
    ]
    return validation.status, validation.readyToSubmit, messages


def _changed(row: Row, cart_with, item, catalog) -> Cart:
    cart = cart_with(*row.before(item))
    row.change(cart, item)
    return configure_all(cart, catalog)


def _assess(cart: Cart, catalog, memo: CartMemo, at: datetime, row: Row, ineligible: bool) -> Validation:
    assess(cart, catalog, TAXES, at, row.limits, memo, protection_ineligible=ineligible, holdings=row.holdings)
    return cart.validation


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.code)
def test_validate_cart(row, cart_with, item, catalog):
    cart = _changed(row, cart_with, item, catalog)
    validation = validate_cart(
        cart, catalog, row.at[1], row.limits, protection_ineligible=row.ineligible[1], holdings=row.holdings
    )
    assert _found(validation) == (row.status, row.ready, [(row.code, row.type, row.about)])


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.code)
def test_assess_with_a_new_memo(row, cart_with, item, catalog):
    cart = _changed(row, cart_with, item, catalog)
    validation = _assess(cart, catalog, CartMemo(), row.at[1], row, row.ineligible[1])
    assert _found(validation) == (row.status, row.ready, [(row.code, row.type, row.about)])


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.code)
def test_assess_with_the_memo_of_the_cart_before_the_change(row, cart_with, item, catalog):
    cart = cart_with(*row.before(item))
    memo = CartMemo()
    before = _assess(cart, catalog, memo, row.at[0], row, row.ineligible[0])
    assert _found(before)[2] == []  # the change is what brings the message
    row.change(cart, item)
    configure_all(cart, catalog)
    validation = _assess(cart, catalog, memo, row.at[1], row, row.ineligible[1])
    assert _found(validation) == (row.status, row.ready, [(row.code, row.type, row.about)])
