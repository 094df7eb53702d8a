"""Reading the `mock-scenario` header: names, parameters, defaults and refusals."""

from __future__ import annotations

import pytest

from omnicart.domain.scenarios import ACCEPTED, SCENARIOS, ScenarioError, acting_on, parse


def test_no_scenario_is_the_empty_header():
    scenarios = parse(" ")
    assert not scenarios
    assert (scenarios.rejection, scenarios.fulfilment, scenarios.response_delay) == (None, None, None)
    assert scenarios.unavailable_retry_after is None and not scenarios.protection_ineligible


def test_several_scenarios_with_parameters_case_and_spaces_aside():
    scenarios = parse(" Slow_Response; DELAY = 2.5 ,fulfilment_fails;after=5, protection_ineligible")
    assert [s.name for s in scenarios.scenarios] == ["slow_response", "fulfilment_fails", "protection_ineligible"]
    assert scenarios.response_delay == 2.5
    assert str(scenarios.fulfilment) == "fulfilment_fails;after=5"
    assert scenarios.protection_ineligible
    assert str(scenarios) == "slow_response;delay=2.5, fulfilment_fails;after=5, protection_ineligible"


@pytest.mark.parametrize(("header", "expected"), [
    ("submit_rejected", ("EXTSALESOPS-CART_CREATE-OAV-0013", "the customer already has a pending order")),
    ("submit_rejected;reason=0003", ("EXTSALESOPS-CART_CREATE-OAV-0003", "the customer's account has past due balances")),  # noqa: E501
])  # fmt: skip
def test_a_rejection_uses_the_carriers_codes(header, expected):
    assert parse(header).rejection == expected


def test_defaults():
    assert parse("slow_response").response_delay == 5.0
    assert parse("transient_503").unavailable_retry_after == 1
    assert parse("transient_503;retry_after=30").unavailable_retry_after == 30
    assert parse("fulfilment_fails").fulfilment.seconds("after") is None


@pytest.mark.parametrize(("header", "complaint"), [
    ("submit_rejectd", "unknown mock-scenario 'submit_rejectd'"),
    ("submit_rejected;reason=0042", "reason must be one of 0003"),
    ("fulfilment_fails;after", "unknown parameter 'after'"),
    ("fulfilment_fails;after=soon", "from 0.001 to 86400"),
    ("fulfilment_fails;after=nan", "from 0.001 to 86400"),
    ("fulfilment_fails;after=0", "from 0.001 to 86400"),
    ("fallout;after=3", "unknown parameter 'after=3' (parameters: none)"),
    ("slow_response;delay=121", "from 0 to 120"),
    ("fallout, fallout", "named twice"),
    ("fallout, partial", "at most one fulfilment outcome"),
])  # fmt: skip
def test_a_bad_header_is_refused_saying_why(header, complaint):
    with pytest.raises(ScenarioError) as refused:
        parse(header)
    assert complaint in str(refused.value)


# docs/sandbox.md, "Scenarios", in its order; and the carrier's own values it accepts too.
SCENARIO_NAMES = [
    "submit_rejected",
    "cart_rejected",
    "fulfilment_fails",
    "order_held",
    "fallout",
    "partial",
    "protection_ineligible",
    "slow_response",
    "transient_503",
    "address_not_found",
    "address_not_eligible",
    "customer_not_found",
    "auth_failed",
    "credit_risk",
    "no_appointment_slots",
    "downstream_failure",
]
ACCEPTED_NAMES = [*SCENARIO_NAMES, "ATTR_Cart_Initialization", "aia_with_only_baseOffer"]


def test_the_list_is_the_documented_one():
    assert list(SCENARIOS) == SCENARIO_NAMES


CARRIERS = ["ATTR_Cart_Initialization", "aia_with_only_baseOffer"]
ANYWHERE = ["slow_response", "transient_503"]
# What docs/sandbox.md's "on" column says, by operationId (the OpenAPI's enum per operation).
ACTING_ON = {
    "createCart": ["cart_rejected", *ANYWHERE, *CARRIERS],
    "addItemsToCart": ["cart_rejected", *ANYWHERE, *CARRIERS],
    "createOrder": ["cart_rejected", *ANYWHERE, *CARRIERS],
    "addOrderItems": ["cart_rejected", *ANYWHERE, *CARRIERS],
    "expressSubmit": [
        "submit_rejected",
        "fulfilment_fails",
        "order_held",
        "fallout",
        "partial",
        "protection_ineligible",
        *ANYWHERE,
        "no_appointment_slots",
        *CARRIERS,
    ],
    "getCheckoutConfigurableOptions": [
        "protection_ineligible",
        *ANYWHERE,
        "no_appointment_slots",
        "downstream_failure",
        *CARRIERS,
    ],
    "checkServiceQualification": [
        *ANYWHERE,
        "address_not_found",
        "address_not_eligible",
        "downstream_failure",
        *CARRIERS,
    ],
    "searchCustomers": [*ANYWHERE, "customer_not_found", "downstream_failure", *CARRIERS],
    "authenticateCustomer": [*ANYWHERE, "customer_not_found", "auth_failed", "downstream_failure", *CARRIERS],
    "creditApplication": [*ANYWHERE, "credit_risk", "downstream_failure", *CARRIERS],
    "getCart": [*ANYWHERE, *CARRIERS],
}


@pytest.mark.parametrize("operation", list(ACTING_ON))
def test_the_scenarios_acting_on_each_operation(operation):
    assert list(acting_on(operation)) == ACTING_ON[operation]


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("ATTR_Cart_Initialization", "ATTR_Cart_Initialization"),
        ("attr_cart_initialization", "ATTR_Cart_Initialization"),
        ("aia_with_only_baseOffer, slow_response;delay=1", "aia_with_only_baseOffer"),
    ],
)
def test_the_carriers_own_values_are_accepted_as_the_happy_path(header, name):
    scenarios = parse(header)
    assert scenarios.scenarios[0].name == name
    assert (scenarios.rejection, scenarios.fulfilment, scenarios.protection_ineligible) == (None, None, False)
    assert scenarios.unavailable_retry_after is None


def test_an_unknown_value_lists_every_accepted_one():
    with pytest.raises(ScenarioError) as refused:
        parse("ATTR_Cart_Initialisation")
    assert str(refused.value).endswith("accepted: " + ", ".join(ACCEPTED_NAMES))
    assert list(ACCEPTED) == ACCEPTED_NAMES


def test_a_carrier_value_takes_no_parameters():
    with pytest.raises(ScenarioError):
        parse("ATTR_Cart_Initialization;x=1")
