"""Validating a cart: every rule fires on a broken cart and clears once it is fixed."""

from __future__ import annotations

import pytest

from omnicart.domain.catalog import Catalog, ProductOffering
from omnicart.domain.context import CartLimits
from omnicart.domain.ids import is_valid_imei
from omnicart.domain.pricing import load_default_tax_table, price_cart
from omnicart.domain.rules import Code, validate_cart
from omnicart.domain.world import Holdings
from omnicart.wire.cart import Configuration, NameValue, ValidationMessage
from omnicart.wire.catalog import Eligibility
from tests.unit.conftest import configure_all

VALID_IMEI = "358073464620280"  # the carrier's example; its check digit is right
INVALID_IMEI = "358073464620281"


@pytest.fixture
def validate(catalog, cart_with, now):
    """The findings of validating a cart of these items: [(code, productOrderItemId)]."""

    def validate(*items, channel_id="IND", catalog=catalog, holdings=None, **limits):
        order = cart_with(*items, channel_id=channel_id)
        result = validate_cart(order, catalog, now, CartLimits(**limits), holdings=holdings)
        return [(_parameter(m, "code"), _parameter(m, "productOrderItemId")) for m in result.validationMessage]

    return validate


def _parameter(message: ValidationMessage, name: str) -> str | None:
    return next((p.value for p in message.parameter if p.name == name), None)


@pytest.fixture
def new_line(item):
    """A complete new line: plan, phone, eSIM and protection, all bundled under the plan."""
    return [
        item("Value Plus VL", id="line"),
        item("iPhone 16 128GB", id="phone", root="line"),
        item("eSIM", id="sim", root="line"),
        item("Protect Advantage for 1", id="protection", root="line"),
    ]


# -- the validation object --------------------------------------------------------------


def test_a_complete_line_is_valid_and_ready_to_submit(catalog, cart_with, now, new_line):
    validation = validate_cart(configure_all(cart_with(*new_line), catalog), catalog, now, CartLimits())
    assert (validation.status, validation.readyToSubmit, validation.validationMessage) == (
        "valid",
        True,
        [],
    )


def test_an_empty_cart_is_valid_but_not_ready_and_says_so(catalog, cart_with, now):
    validation = validate_cart(cart_with(), catalog, now, CartLimits())
    assert (validation.status, validation.readyToSubmit, validation.configuration) == (
        "valid",
        False,
        [],
    )
    assert validation.validationMessage == [
        ValidationMessage(
            text="the cart has no items yet",
            type="info",
            parameter=[NameValue("code", "CART_EMPTY")],
        )
    ]


def test_an_error_makes_the_cart_invalid_but_keeps_the_item(catalog, cart_with, now, item):
    order = cart_with(item("Mobile_Device_pkey00000_sku0000000", id="ghost"))
    validation = validate_cart(order, catalog, now, CartLimits())
    assert (validation.status, validation.readyToSubmit) == ("invalid", False)
    assert validation.validationMessage == [
        ValidationMessage(
            text="productOfferingId 'Mobile_Device_pkey00000_sku0000000' is not in the catalog",
            type="error",
            parameter=[
                NameValue("code", "OFFERING_NOT_FOUND"),
                NameValue("productOrderItemId", "ghost"),
            ],
        )
    ]
    assert [i.productOrderItemId for i in order.productOrderItem] == ["ghost"]


def test_terms_are_always_open_and_payment_is_required_when_something_is_due_today(catalog, cart_with, now, item):
    monthly_only = validate_cart(cart_with(item("Value Plus VL")), catalog, now, CartLimits())
    assert monthly_only.configuration == [
        Configuration(type="terms", status="pending", required=True),
        Configuration(type="payment", status="pending", required=False, postOrderConfigurable=True),
    ]
    with_sim = validate_cart(cart_with(item("Value Plus VL", id="l"), item("SIM card", root="l")), catalog, now)
    assert with_sim.configuration[1] == Configuration(type="payment", status="pending", required=True)


def test_what_is_required_holds_ready_to_submit_back_until_complete(catalog, cart_with, now, new_line):
    from omnicart.wire.cart import AgreementRef, PaymentRef

    def check(order):
        validation = validate_cart(order, catalog, now, CartLimits())
        return validation.readyToSubmit, [(c.type, c.status) for c in validation.configuration]

    order = cart_with(*new_line)
    assert check(order) == (False, [("terms", "pending"), ("payment", "pending")])
    order.configure([PaymentRef(id="PM-1")], [])
    assert check(order) == (False, [("terms", "pending"), ("payment", "complete")])
    order.configure([], [AgreementRef("WCA"), AgreementRef("DP-TC")])  # a phone in installments needs IA too
    assert check(order) == (False, [("terms", "pending"), ("payment", "complete")])
    order.configure([], [AgreementRef("IA")])
    assert check(order) == (True, [("terms", "complete"), ("payment", "complete")])


def test_an_optional_step_does_not_hold_ready_to_submit_back(catalog, cart_with, now, item):
    from omnicart.wire.cart import AgreementRef

    order = cart_with(item("Value Plus VL"))
    order.configure([], [AgreementRef("WCA")])
    validation = validate_cart(order, catalog, now, CartLimits())
    assert validation.readyToSubmit and validation.configuration[1].status == "pending"


def test_the_carriers_byod_example_is_valid(catalog, cart_with, now, item):
    line = "10000001-3f41-49bf-a6cf-6f65caa650ca"
    order = cart_with(
        item(
            "0b690f7e-3f41-49bf-a6cf-6f65caa650ca",
            id=line,
            action="noChange",
            subscriberNumber="4690002221",
            billingAccount={"ratingType": "postpaid", "id": "556165899573"},
        ),
        item(
            None,
            root=line,
            action="terminate",
            productOfferingType="Mobile_Device",
            product={"id": "47777581441708014", "primaryProductId": "47777581441708014"},
        ),
        item(
            "Mobile_Device_pkey73001_sku2680262",
            root=line,
            action="swap;add",
            product={"place": [{"role": "PPU", "name": "ppuAddress", "id": "000011VYAA"}]},
            characteristics={"isBYOD": "true", "IMEI": VALID_IMEI, "eSIM_Enabled": "true"},
        ),
        item(
            None,
            root=line,
            action="terminate",
            productOfferingType="SIM",
            product={"id": "47777581441708015"},
        ),
    )
    configure_all(order, catalog)
    validation = validate_cart(order, catalog, now, CartLimits())
    assert (validation.status, validation.readyToSubmit, validation.validationMessage) == (
        "valid",
        True,
        [],
    )


# -- the rules: each fires, and clears when the cart is fixed ---------------------------


def test_offering_not_found_clears_with_a_catalog_offering(validate, item):
    assert validate(item("no-such-offering", id="x")) == [("OFFERING_NOT_FOUND", "x")]
    assert validate(item(None, id="x")) == [("OFFERING_NOT_FOUND", "x")]
    assert validate(item("Apple 20W USB-C Power Adapter", id="x")) == []


def test_an_existing_product_is_not_looked_up_in_the_catalog(validate, item):
    kept = item(
        "retired-plan",
        action="noChange",
        subscriberNumber="4690002221",
        productOfferingType="Mobile_Offer",
    )
    assert validate(kept) == []


def test_offering_not_sellable_after_its_valid_period(validate, item):
    assert validate(item("iPhone 15 128GB", id="x")) == [("OFFERING_NOT_SELLABLE", "x")]
    assert validate(item("iPhone 16 128GB", id="x")) == []


def test_offering_not_sellable_in_another_channel(validate, item):
    moto = item("moto g play 2024", id="x")
    assert validate(moto, channel_id="IND") == [("OFFERING_NOT_SELLABLE", "x")]
    assert validate(moto, channel_id="ATTR") == []


def test_offering_not_sellable_to_another_customer_type(validate, item, now):
    def plan_for(*types: str) -> Catalog:
        return Catalog(
            [
                ProductOffering(
                    id="plan",
                    productOfferingType="Mobile_Offer",
                    name="Plan",
                    eligibility=Eligibility(customerTypes=list(types)),
                )
            ]
        )

    # the cart's customer party has CustomerType "Consumer"
    assert validate(item("plan", id="x"), catalog=plan_for("Business")) == [("OFFERING_NOT_SELLABLE", "x")]
    assert validate(item("plan", id="x"), catalog=plan_for("CONSUMER")) == []


def test_protection_without_device_clears_with_a_device_in_its_bundle(validate, item):
    protection = item("Protect Advantage for 1", id="p", root="line")
    plan = item("Value Plus VL", id="line")
    assert validate(plan, protection) == [("PROTECTION_WITHOUT_DEVICE", "p")]
    assert validate(plan, protection, item("Google Pixel 9 128GB", root="line")) == []


def test_protection_is_not_covered_by_a_device_of_another_line_or_one_being_terminated(validate, item):
    protection = item("Protect Advantage for 1", id="p", root="line-1")
    lines = [item("Value Plus VL", id="line-1"), item("Value Plus VL", id="line-2")]
    other_line = item("Google Pixel 9 128GB", root="line-2")
    leaving = item(
        None,
        root="line-1",
        action="terminate",
        productOfferingType="Mobile_Device",
        product={"id": "1"},
    )
    assert validate(*lines, protection, other_line, leaving) == [("PROTECTION_WITHOUT_DEVICE", "p")]


def test_protection_of_the_customers_own_device_names_its_imei(validate, item):
    assert validate(item("Mobile Insurance", id="p")) == [("PROTECTION_WITHOUT_DEVICE", "p")]
    assert validate(item("Mobile Insurance", id="p", characteristics={"IMEI": VALID_IMEI})) == []
    assert validate(item("Mobile Insurance", id="p", characteristics={"IMEI": INVALID_IMEI})) == [
        ("BYOD_IMEI_INVALID", "p")
    ]


def test_the_carriers_protection_ineligibility_flags_every_protection_item(catalog, cart_with, now, new_line, item):
    # Only the sandbox scenario protection_ineligible asks for it (docs/sandbox.md).
    leaving = item(None, id="old", action="terminate", productOfferingType="Device_Protection", product={"id": "1"})
    order = configure_all(cart_with(*new_line, leaving), catalog)
    assert validate_cart(order, catalog, now, CartLimits()).readyToSubmit
    flagged = validate_cart(order, catalog, now, CartLimits(), protection_ineligible=True)
    assert [(_parameter(m, "code"), _parameter(m, "productOrderItemId")) for m in flagged.validationMessage] == [
        ("PROTECTION_INELIGIBLE", "protection")
    ]
    assert (flagged.status, flagged.readyToSubmit) == ("invalid", False)


def test_a_second_plan_on_a_line_is_flagged_and_the_first_kept(validate, item):
    first = item("Value Plus VL", id="line")
    second = item("Unlimited Premium PL", id="2nd", root="line")
    assert validate(first, second) == [("MULTIPLE_PLANS_ON_LINE", "2nd")]
    assert validate(first, item("Unlimited Premium PL", id="other-line")) == []


def test_a_kept_plan_counts_on_its_line_and_a_terminated_one_does_not(validate, item):
    old = item("Unlimited Starter SL", id="line", action="noChange", subscriberNumber="4690002221")
    new = item("Unlimited Premium PL", id="new", root="line")
    assert validate(old, new) == [("MULTIPLE_PLANS_ON_LINE", "new")]
    leaving = item("Unlimited Starter SL", id="line", action="terminate", subscriberNumber="4690002221")
    assert validate(leaving, new) == []


def test_a_byod_device_needs_an_imei(validate, item):
    assert validate(item("iPhone 16 128GB", id="d", characteristics={"isBYOD": "true"})) == [("BYOD_IMEI_MISSING", "d")]
    fixed = item("iPhone 16 128GB", id="d", characteristics={"isBYOD": "true", "IMEI": VALID_IMEI})
    assert validate(fixed) == []


@pytest.mark.parametrize("imei", [INVALID_IMEI, "35807346462028", "3580734646202800", "35807346462028X"])
def test_a_byod_device_needs_a_15_digit_imei_with_a_valid_check_digit(validate, item, imei):
    device = item("iPhone 16 128GB", id="d", characteristics={"isBYOD": "true", "IMEI": imei})
    assert validate(device) == [("BYOD_IMEI_INVALID", "d")]


def test_the_luhn_check_digit():
    assert is_valid_imei(VALID_IMEI)
    assert is_valid_imei("490154203237518")  # the textbook example
    assert not is_valid_imei(INVALID_IMEI)
    assert not is_valid_imei("٣٥٨٠٧٣٤٦٤٦٢٠٢٨٠")  # digits, but not ASCII ones


@pytest.mark.parametrize("quantity", [0, -1, 11])
def test_quantity_out_of_range(validate, item, quantity):
    assert validate(item("eSIM", id="s", quantity=quantity)) == [("QUANTITY_OUT_OF_RANGE", "s")]


def test_quantity_in_range_and_the_limit_is_configurable(validate, item):
    assert validate(item("eSIM", quantity=10)) == []
    assert validate(item("eSIM", id="s", quantity=3), max_quantity=2) == [("QUANTITY_OUT_OF_RANGE", "s")]


def test_too_many_items_is_one_message_for_the_cart(validate, item):
    three = [item("eSIM") for _ in range(3)]
    assert validate(*three, max_items=2) == [("TOO_MANY_ITEMS", None)]
    assert validate(*three, max_items=3) == []


@pytest.mark.parametrize("action", ["terminate", "noChange"])
def test_an_existing_product_must_be_named(validate, item, action):
    device = {"action": action, "productOfferingType": "Mobile_Device"}
    assert validate(item(None, id="x", **device)) == [("EXISTING_PRODUCT_REQUIRED", "x")]
    assert validate(item(None, product={"id": "47777581441708014"}, **device)) == []
    assert validate(item(None, subscriberNumber="4690002221", **device)) == []


# What the seed customer (Jordan Rivera, data/world.json) holds, as the directory says.
JORDAN = Holdings(
    "3f7f9189-974e-4639-8343-4a1819a98c7e",
    frozenset({"47777581441708014", "47777581441708015"}),
    frozenset({"4690002221"}),
    frozenset({"556165899573"}),
)
OLD_PHONE = {"action": "terminate", "productOfferingType": "Mobile_Device"}


@pytest.mark.parametrize(("named", "found"), [
    ({"product": {"id": "47777581441708014"}}, []),
    ({"product": {"id": "47777581441708014"}, "subscriberNumber": "4690002221",
      "billingAccount": {"id": "556165899573", "ratingType": "postpaid"}}, []),
    ({"product": {"id": "47777581441708099"}}, [("UNKNOWN_TO_CUSTOMER", "x")]),  # not theirs
    ({"subscriberNumber": "4690009999"}, [("UNKNOWN_TO_CUSTOMER", "x")]),
    ({"product": {"id": "47777581441708014"}, "billingAccount": {"id": "556165899575"}},
     [("UNKNOWN_TO_CUSTOMER", "x")]),  # Morgan's account
])  # fmt: skip
def test_an_item_acting_on_what_the_customer_has_must_name_theirs(validate, item, named, found):
    assert validate(item(None, id="x", **OLD_PHONE, **named), holdings=JORDAN) == found


def test_a_customer_the_directory_does_not_know_is_not_checked(validate, item):
    assert validate(item(None, id="x", **OLD_PHONE, product={"id": "47777581441708099"})) == []


def test_a_new_item_may_name_the_customers_line_but_no_other(validate, item):
    assert (
        validate(
            item("Protect Advantage for 1", subscriberNumber="4690002221", characteristics={"IMEI": "358073464620280"}),
            holdings=JORDAN,
        )
        == []
    )
    assert validate(
        item(
            "Protect Advantage for 1",
            id="p",
            subscriberNumber="2145550192",
            characteristics={"IMEI": "358073464620280"},
        ),
        holdings=JORDAN,
    ) == [("UNKNOWN_TO_CUSTOMER", "p")]


# -- BYOD: a device of the customer's own swapped into their existing line ---------------

BYOD = {"isBYOD": "true", "IMEI": VALID_IMEI, "eSIM_Enabled": "true"}
# Jordan with both lines, and which line each product is on, as the directory says.
JORDAN_LINES = Holdings(
    "3f7f9189-974e-4639-8343-4a1819a98c7e",
    frozenset({"47777581441708014", "47777581441708015", "47777581441708016", "51000000000000001"}),
    frozenset({"4690002221", "4690002300"}),
    frozenset({"556165899573", "556165899574"}),
    {
        "47777581441708014": "4690002221",
        "47777581441708015": "4690002221",
        "47777581441708016": "4690002221",
        "51000000000000001": "4690002300",
    },
)


@pytest.mark.parametrize(
    ("reason", "found"),
    [
        ({"reasonText": "Memo text required if selected", "name": "LC"}, []),  # the carrier's example
        (None, [("ACTION_REASON_REQUIRED", "old")]),
        ({"name": "LC"}, [("ACTION_REASON_REQUIRED", "old")]),
        ({"reasonText": "customer brings their own phone"}, [("ACTION_REASON_REQUIRED", "old")]),
        ({"name": "LC", "reasonText": "   "}, [("ACTION_REASON_REQUIRED", "old")]),
        ({"name": "", "reasonText": "memo"}, [("ACTION_REASON_REQUIRED", "old")]),
    ],
    ids=["given", "none", "no memo", "no reason code", "blank memo", "blank reason code"],
)
def test_a_terminate_needs_its_reason_code_and_memo(validate, item, reason, found):
    old = item(None, id="old", action="terminate", productOfferingType="SIM", product={"id": "1"}, actionReason=reason)
    assert validate(old) == found


def test_the_missing_reason_is_named_in_the_message(catalog, cart_with, item, now):
    old = item(None, id="old", action="terminate", productOfferingType="SIM", product={"id": "1"}, actionReason=None)
    [message] = validate_cart(cart_with(old), catalog, now, CartLimits()).validationMessage
    assert message == ValidationMessage(
        text="action 'terminate' needs its actionReason: name and reasonText missing "
        '(the reason code, e.g. "LC", and its memo text)',
        type="error",
        parameter=[NameValue("code", "ACTION_REASON_REQUIRED"), NameValue("productOrderItemId", "old")],
    )


def test_only_a_terminate_needs_a_reason(validate, item):
    assert validate(item(None, action="noChange", productOfferingType="SIM", product={"id": "1"})) == []
    assert validate(item("Value Plus VL", id="line"), item("eSIM", root="line")) == []


def kept_line(item, **fields):
    """The bundle root of Jordan's phone line, kept as it is (the carrier's BYOD example)."""
    return item("Unlimited Starter SL", id="line", **{"action": "noChange", "subscriberNumber": "4690002221", **fields})


def own_phone(item, **fields):
    return item("iPhone 16 128GB", id="own", action="swap;add", characteristics=BYOD, **fields)


def test_a_swap_goes_into_an_existing_line(validate, item):
    assert validate(kept_line(item), own_phone(item, root="line")) == []
    # TMF622's `modify` keeps the line too; the carrier's pages show only `noChange`.
    assert validate(kept_line(item, action="modify"), own_phone(item, root="line")) == [
        ("NOT_A_CARRIER_ACTION", "line")
    ]


@pytest.mark.parametrize(
    "root",
    [
        {"action": "add"},  # a new line: nothing to swap
        {"action": "terminate"},  # a line that ends
        {"action": "noChange", "subscriberNumber": None, "product": {"id": "47777581441708016"}},  # no line named
    ],
    ids=["new line", "ended line", "no subscriberNumber"],
)
def test_a_swap_into_no_existing_line_is_an_error_on_the_swap(validate, item, root):
    assert validate(kept_line(item, **root), own_phone(item, root="line")) == [("SWAP_WITHOUT_LINE", "own")]


def test_a_swap_outside_any_bundle_is_an_error_and_one_under_a_missing_root_is_the_roots(validate, item):
    assert validate(own_phone(item)) == [("SWAP_WITHOUT_LINE", "own")]
    assert validate(own_phone(item, root="gone")) == [("ROOT_BUNDLE_NOT_FOUND", "own")]


def test_a_swap_into_someone_elses_line_is_an_error_on_the_lines_root(validate, item):
    found = validate(kept_line(item, subscriberNumber="2145550192"), own_phone(item, root="line"), holdings=JORDAN)
    assert found == [("UNKNOWN_TO_CUSTOMER", "line")]


def test_what_a_swap_keeps_or_ends_must_be_on_its_line(validate, item):
    def ending(product_id, root="line", **fields):
        return item(None, id="old", root=root, action="terminate", productOfferingType="Mobile_Device",
                    product={"id": product_id}, **fields)  # fmt: skip

    line = kept_line(item)
    assert validate(line, own_phone(item, root="line"), ending("47777581441708014"), holdings=JORDAN_LINES) == []
    # Jordan's fiber is theirs, but on their other line:
    assert validate(line, ending("51000000000000001"), holdings=JORDAN_LINES) == [("PRODUCT_NOT_ON_LINE", "old")]
    # The item's own subscriberNumber says which line it acts on:
    assert validate(line, ending("51000000000000001", subscriberNumber="4690002300"), holdings=JORDAN_LINES) == []
    assert validate(ending("47777581441708014", None, subscriberNumber="4690002300"), holdings=JORDAN_LINES) == [
        ("PRODUCT_NOT_ON_LINE", "old")
    ]
    # Someone else's product is UNKNOWN_TO_CUSTOMER's alone; without the directory, nothing is known.
    assert validate(line, ending("47777581441708099"), holdings=JORDAN_LINES) == [("UNKNOWN_TO_CUSTOMER", "old")]
    assert validate(line, ending("51000000000000001")) == []


@pytest.mark.parametrize(
    ("characteristics", "found"),
    [
        ({}, [("BYOD_IMEI_MISSING", "own")]),
        ({"IMEI": INVALID_IMEI}, [("BYOD_IMEI_INVALID", "own")]),
        ({"IMEI": VALID_IMEI[:-1]}, [("BYOD_IMEI_INVALID", "own")]),
        ({"IMEI": VALID_IMEI}, []),
    ],
    ids=["none", "bad check digit", "14 digits", "valid"],
)
def test_the_imei_of_a_swapped_in_byod_phone_is_checked(validate, item, characteristics, found):
    phone = item("iPhone 16 128GB", id="own", root="line", action="swap;add",
                 characteristics={"isBYOD": "true", **characteristics})  # fmt: skip
    assert validate(kept_line(item), phone) == found


@pytest.mark.parametrize(
    ("name", "value", "found"),
    [
        ("eSIM_Enabled", "true", []),
        ("eSIM_Enabled", "false", []),
        ("eSIM_Enabled", "TRUE", []),  # as isBYOD is read: any case
        ("eSIM_Enabled", "yes", [("BOOLEAN_CHARACTERISTIC_INVALID", "own")]),
        ("eSIM_Enabled", "", [("BOOLEAN_CHARACTERISTIC_INVALID", "own")]),
        ("isBYOD", "1", [("BOOLEAN_CHARACTERISTIC_INVALID", "own")]),
        ("color", "blue", []),  # not a boolean of the carrier's
    ],
)
def test_a_boolean_characteristic_is_true_or_false(validate, item, name, value, found):
    assert validate(item("iPhone 16 128GB", id="own", characteristics={"IMEI": VALID_IMEI, name: value})) == found


def test_a_phone_the_customer_brings_need_not_be_on_sale_here_or_now(validate, item):
    brought = {"isBYOD": "true", "IMEI": VALID_IMEI}
    # No longer sold (since 2025-09-19), and sold to the ATTR channel only:
    assert validate(item("iPhone 15 128GB", id="old-model")) == [("OFFERING_NOT_SELLABLE", "old-model")]
    assert validate(item("iPhone 15 128GB", characteristics=brought)) == []
    assert validate(item("moto g play 2024", id="moto")) == [("OFFERING_NOT_SELLABLE", "moto")]
    assert validate(item("moto g play 2024", characteristics=brought)) == []
    # It still names a model of the catalog:
    assert validate(item("Mobile_Device_pkey00000_sku0000000", id="x", characteristics=brought)) == [
        ("OFFERING_NOT_FOUND", "x")
    ]


def test_the_root_bundle_must_be_an_item_of_the_cart(validate, item):
    assert validate(item("eSIM", id="s", root="gone")) == [("ROOT_BUNDLE_NOT_FOUND", "s")]
    assert validate(item("Value Plus VL", id="line"), item("eSIM", root="line")) == []


def test_every_rule_has_a_stable_code():
    assert {code.value for code in Code} == {
        "CART_EMPTY", "TOO_MANY_ITEMS", "QUANTITY_OUT_OF_RANGE", "ROOT_BUNDLE_NOT_FOUND",
        "EXISTING_PRODUCT_REQUIRED", "OFFERING_NOT_FOUND", "OFFERING_NOT_SELLABLE",
        "BYOD_IMEI_MISSING", "BYOD_IMEI_INVALID", "PROTECTION_WITHOUT_DEVICE",
        "MULTIPLE_PLANS_ON_LINE", "PROTECTION_INELIGIBLE", "PRODUCT_OFFERING_TYPE_MISMATCH", "UNKNOWN_FIELD",
        "UNKNOWN_TO_CUSTOMER", "CREDIT_RISK_BLOCKS_ORDER", "ACTION_REASON_REQUIRED", "SWAP_WITHOUT_LINE",
        "PRODUCT_NOT_ON_LINE", "BOOLEAN_CHARACTERISTIC_INVALID", "NOT_A_CARRIER_ACTION", "UNSEEN_PARTY_PAIR",
    }  # fmt: skip


def test_the_type_an_item_states_must_be_its_offerings(validate, item):
    assert validate(item("Value Plus VL", id="p", productOfferingType="Mobile_Device")) == [
        ("PRODUCT_OFFERING_TYPE_MISMATCH", "p")
    ]
    assert validate(item("Value Plus VL", id="p", productOfferingType="Mobile_Offer")) == []
    # An item for an existing product orders nothing from the catalog: its type is its own.
    assert (
        validate(
            item(
                "Value Plus VL", action="terminate", subscriberNumber="4690002221", productOfferingType="Mobile_Device"
            )
        )
        == []
    )


def test_an_unknown_item_field_is_a_warning_naming_it(catalog, cart_with, item, now):
    order = cart_with(item("eSIM", id="s"))
    order.productOrderItem[0].extra = {"characteristics": [], "giftWrap": True}
    validation = validate_cart(order, catalog, now, CartLimits())
    assert validation.status == "valid"
    found = [(m.type, _parameter(m, "field"), _parameter(m, "didYouMean")) for m in validation.validationMessage]
    assert found == [("warning", "characteristics", "characteristic"), ("warning", "giftWrap", None)]


# -- speed ------------------------------------------------------------------------------


def test_a_full_cart_asks_the_catalog_a_bounded_number_of_times(catalog, cart_with, item, now, monkeypatch):
    # Work per item, not per pair of items: 200 items (40 lines of 5) cost a few catalog
    # look-ups each and one sellability verdict per offering. How fast that is, is for
    # bench/ to measure, not a test (bench/profile.py).
    new_lines = [
        [
            item("Value Plus VL", id=f"line-{n}"),
            item("iPhone 16 128GB", root=f"line-{n}"),
            item("SIM card", root=f"line-{n}"),
            item("Protect Advantage for 1", root=f"line-{n}"),
            item("OtterBox Commuter Series Case for iPhone 16", root=f"line-{n}"),
        ]
        for n in range(40)
    ]
    order = configure_all(cart_with(*(i for line in new_lines for i in line)), catalog)
    taxes = load_default_tax_table()
    asked = {"get": 0, "unsellable_reason": 0}
    for name in asked:
        original = getattr(catalog, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            asked[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(catalog, name, counted)
    price_cart(order, catalog, taxes)
    order.validation = validate_cart(order, catalog, now, CartLimits())
    assert len(order.productOrderItem) == 200 and order.validation.readyToSubmit
    assert asked["get"] <= 3 * 200  # pricing, the rules' facts, the terms: each once per item
    assert asked["unsellable_reason"] == 5  # one verdict per offering of the cart
