"""Sandbox mock scenarios: the unhappy paths a partner can ask for with the `mock-scenario`
request header, as the carrier's own sandbox switches to canned behaviour with it.

This module is the one list of scenarios, their parameters and the operations each acts
on (`Spec.on`, by operationId; `acting_on(operation_id)` gives an operation's values, for
the OpenAPI document's enum), and the parser of the header. What each scenario does is
done where that behaviour belongs: the cart and submit rejections in the cart and submit
use cases, the validation finding in the submit and checkout use cases, the fulfilment
outcomes in domain/fulfilment.py, the slow and unavailable answers in the
HTTP layer (api/scenarios.py). docs/sandbox.md documents them for partners.

The carrier's own mock-mode values (`CARRIER_SCENARIOS`, e.g. `ATTR_Cart_Initialization`,
named on its pages) are accepted too: omnicart has no equivalent of the canned data they
pick, so they run the happy path (and say so in the docs), rather than fail a partner who
copies the carrier's header.

Header syntax: one scenario or several separated by commas, each a name with optional
`;key=value` parameters, e.g. `mock-scenario: fulfilment_fails;after=5` or
`mock-scenario: slow_response;delay=2, order_held`. Names and keys are case-insensitive.
An unknown name, an unknown or out-of-range parameter, a scenario named twice or two
fulfilment outcomes at once are refused (ScenarioError), so a typo never silently runs
the happy path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SUBMIT_REJECTED = "submit_rejected"
# The order system's validation (OAV) at cart creation and item changes, where the
# carrier's code names it (EXTSALESOPS-CART_CREATE-OAV-…).
CART_REJECTED = "cart_rejected"
FULFILMENT_FAILS = "fulfilment_fails"
ORDER_HELD = "order_held"
FALLOUT = "fallout"
PARTIAL = "partial"
PROTECTION_INELIGIBLE = "protection_ineligible"
SLOW_RESPONSE = "slow_response"
TRANSIENT_503 = "transient_503"
# The fiber move / change flow's outcomes (docs/sandbox.md, "Test customers and addresses"
# gives the sandbox data that leads to most of them too).
ADDRESS_NOT_FOUND = "address_not_found"
ADDRESS_NOT_ELIGIBLE = "address_not_eligible"
CUSTOMER_NOT_FOUND = "customer_not_found"
AUTH_FAILED = "auth_failed"
CREDIT_RISK = "credit_risk"
NO_APPOINTMENT_SLOTS = "no_appointment_slots"
DOWNSTREAM_FAILURE = "downstream_failure"

# `credit_risk;class=…`: the header's spelling of each of the carrier's risk classes.
CREDIT_CLASSES: Mapping[str, str] = {
    "low": "LOW",
    "medium": "MEDIUM",
    "high": "HIGH",
    "fraud_risk": "Fraud Risk",
    "abusive_risk": "Abusive Risk",
    "analyst_review": "Analyst Review",
}

# The carrier's order-validation rejections (its error tables, HTTP 500 there), by number:
# `submit_rejected;reason=0003` (or `cart_rejected;reason=0003`) rejects with
# EXTSALESOPS-CART_CREATE-OAV-0003.
REJECTIONS: Mapping[str, str] = {
    "0003": "the customer's account has past due balances",
    "0004": "the order is not allowed for the customer type",
    "0005": "the address is in a connected community",
    "0006": "the account is voluntarily suspended",
    "0007": "the address is an instantON address",
    "0008": "the account has ACP/ACCESS benefits",
    "0009": "the address is out of region",
    "0010": "the account is on a unified billing account",
    "0011": "the account has ineligible contracted products",
    "0012": "the account has multiple products",
    "0013": "the customer already has a pending order",
    "0014": "the reason code is not allowed for the action",
    "0015": "the account is suspended or cancelled",
}
DEFAULT_REJECTION = "0013"
REJECTION_PREFIX = "EXTSALESOPS-CART_CREATE-OAV-"


@dataclass(frozen=True)
class Parameter:
    """A numeric parameter in seconds, or (with `choices`) one of a fixed set of values."""

    low: float = 0.0
    high: float = 0.0
    choices: tuple[str, ...] = ()

    def parse(self, scenario: str, key: str, raw: str) -> float | str:
        if self.choices:
            chosen = next((choice for choice in self.choices if choice.lower() == raw.lower()), None)
            if chosen is None:
                raise ScenarioError(f"{scenario}: {key} must be one of {', '.join(self.choices)}")
            return chosen
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not self.low <= value <= self.high:  # also refuses nan
            raise ScenarioError(f"{scenario}: {key} must be a number of seconds from {self.low:g} to {self.high:g}")
        return value


# The operations (the OpenAPI's operationIds) a scenario acts on; EVERY: any operation under
# /omni-svcs/. The header is accepted on any operation, and acts only on these.
EVERY: tuple[str, ...] = ()
CART_CHANGES = ("createCart", "addItemsToCart", "createOrder", "addOrderItems")
SUBMIT = ("expressSubmit",)
CHECKOUT = ("getCheckoutConfigurableOptions",)


@dataclass(frozen=True)
class Spec:
    summary: str
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    on: tuple[str, ...] = EVERY


_REASON = {"reason": Parameter(choices=tuple(REJECTIONS))}

SCENARIOS: Mapping[str, Spec] = {
    SUBMIT_REJECTED: Spec(
        "express-submit is rejected by the order system: 422 EXTSALESOPS-CART_CREATE-OAV-<reason>",
        _REASON,
        SUBMIT,
    ),
    CART_REJECTED: Spec(
        "Create Cart or Add Items is rejected by the order system: 422 EXTSALESOPS-CART_CREATE-OAV-<reason>;"
        " nothing is written",
        _REASON,
        CART_CHANGES,
    ),
    FULFILMENT_FAILS: Spec(
        "the order fails (Failed) `after` seconds after submission", {"after": Parameter(0.001, 86_400)}, SUBMIT
    ),
    ORDER_HELD: Spec(
        "the order is acknowledged, then Held; released `release` seconds later if given",
        {"release": Parameter(0.001, 86_400)},
        SUBMIT,
    ),
    FALLOUT: Spec("the order is acknowledged, taken in progress, then falls out (Fallout)", on=SUBMIT),
    PARTIAL: Spec("the order is acknowledged, taken in progress, then only partly completed (Partial)", on=SUBMIT),
    PROTECTION_INELIGIBLE: Spec(
        "checkout and express-submit find every device protection item ineligible (not ready to submit)",
        on=CHECKOUT + SUBMIT,
    ),
    SLOW_RESPONSE: Spec(
        "the answer is held back `delay` seconds (default 5); the work is done at once", {"delay": Parameter(0, 120)}
    ),
    TRANSIENT_503: Spec(
        "503 with Retry-After (`retry_after` seconds, default 1); nothing is changed",
        {"retry_after": Parameter(1, 3600)},
    ),
    ADDRESS_NOT_FOUND: Spec("service-qualification finds no such address", on=("checkServiceQualification",)),
    ADDRESS_NOT_ELIGIBLE: Spec(
        "service-qualification finds the address but no fiber service there", on=("checkServiceQualification",)
    ),
    CUSTOMER_NOT_FOUND: Spec(
        "customers/search finds nobody and customer/auth knows no such customer",
        on=("searchCustomers", "authenticateCustomer"),
    ),
    AUTH_FAILED: Spec(
        "customer/auth refuses the credential (a wrong passcode, OTP or last 4 of the SSN)",
        on=("authenticateCustomer",),
    ),
    CREDIT_RISK: Spec(
        "credit-application answers the risk class `class` (default fraud_risk) whoever the customer is",
        {"class": Parameter(choices=tuple(CREDIT_CLASSES))},
        ("creditApplication",),
    ),
    NO_APPOINTMENT_SLOTS: Spec(
        "checkout offers no appointment dates, and express-submit cannot book the one it names", on=CHECKOUT + SUBMIT
    ),
    DOWNSTREAM_FAILURE: Spec(
        "the provider behind the operation fails (service-qualification, customers/search, customer/auth, "
        "credit-application, checkout): 502 (500 in the carrier's profile) with the carrier's code for it",
        on=(
            "checkServiceQualification",
            "searchCustomers",
            "authenticateCustomer",
            "creditApplication",
            "getCheckoutConfigurableOptions",
        ),
    ),
}

# The carrier's mock-scenario values its pages name (spec/att-omni-reference.md §4.4,
# spec/cart-api.md §6): accepted, with no parameters, as the happy path.
CARRIER_SCENARIOS: Mapping[str, str] = {
    "ATTR_Cart_Initialization": "the carrier's mock cart initialization: the happy path in omnicart",
    "aia_with_only_baseOffer": "the carrier's mock cart with only a base offer: the happy path in omnicart",
}
_CARRIER_BY_KEY = {name.lower(): name for name in CARRIER_SCENARIOS}
# Every value the header accepts, in the order the 400 lists them.
ACCEPTED: tuple[str, ...] = (*SCENARIOS, *CARRIER_SCENARIOS)


def acting_on(operation_id: str) -> tuple[str, ...]:
    """The scenarios that act on an operation (its `mock-scenario` values that do
    something there), then the carrier's own values, which are accepted everywhere."""
    own = (name for name, spec in SCENARIOS.items() if not spec.on or operation_id in spec.on)
    return (*own, *CARRIER_SCENARIOS)


# Scenarios that decide how fulfilment ends: at most one per order.
FULFILMENT_OUTCOMES = frozenset({FULFILMENT_FAILS, ORDER_HELD, FALLOUT, PARTIAL})
DEFAULT_DELAY = 5.0
DEFAULT_RETRY_AFTER = 1


class ScenarioError(ValueError):
    """A `mock-scenario` header that names no known scenario or has bad parameters."""


@dataclass(frozen=True)
class Scenario:
    name: str
    params: Mapping[str, float | str] = field(default_factory=dict)

    def __str__(self) -> str:
        return ";".join([self.name, *(f"{k}={_text(v)}" for k, v in self.params.items())])

    def seconds(self, key: str) -> float | None:
        value = self.params.get(key)
        return None if value is None else float(value)


def _text(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:g}"


@dataclass(frozen=True)
class MockScenarios:
    """The scenarios one request asked for (none outside sandbox mode)."""

    scenarios: tuple[Scenario, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.scenarios)

    def __str__(self) -> str:
        return ", ".join(map(str, self.scenarios))

    def get(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)

    @property
    def rejection(self) -> tuple[str, str] | None:
        """The carrier's code and reason express-submit is rejected with, if it is."""
        return self._rejection(SUBMIT_REJECTED)

    @property
    def cart_rejection(self) -> tuple[str, str] | None:
        """The carrier's code and reason Create Cart and Add Items are rejected with, if they are."""
        return self._rejection(CART_REJECTED)

    def _rejection(self, name: str) -> tuple[str, str] | None:
        scenario = self.get(name)
        if scenario is None:
            return None
        number = str(scenario.params.get("reason", DEFAULT_REJECTION))
        return f"{REJECTION_PREFIX}{number}", REJECTIONS[number]

    @property
    def protection_ineligible(self) -> bool:
        return self.get(PROTECTION_INELIGIBLE) is not None

    @property
    def credit_risk(self) -> str | None:
        """The carrier's risk class credit-application must answer, if the request says."""
        scenario = self.get(CREDIT_RISK)
        if scenario is None:
            return None
        return CREDIT_CLASSES[str(scenario.params.get("class", "fraud_risk"))]

    def has(self, name: str) -> bool:
        return self.get(name) is not None

    @property
    def fulfilment(self) -> Scenario | None:
        return next((s for s in self.scenarios if s.name in FULFILMENT_OUTCOMES), None)

    @property
    def response_delay(self) -> float | None:
        scenario = self.get(SLOW_RESPONSE)
        if scenario is None:
            return None
        delay = scenario.seconds("delay")
        return DEFAULT_DELAY if delay is None else delay

    @property
    def unavailable_retry_after(self) -> int | None:
        scenario = self.get(TRANSIENT_503)
        if scenario is None:
            return None
        retry_after = scenario.seconds("retry_after")
        return DEFAULT_RETRY_AFTER if retry_after is None else round(retry_after)


NO_SCENARIOS = MockScenarios()
_HAPPY_PATH = Spec("the happy path")


def parse(header: str) -> MockScenarios:
    scenarios: list[Scenario] = []
    for part in header.split(","):
        if not part.strip():
            continue
        name, *pairs = (piece.strip() for piece in part.split(";"))
        name = name.lower()
        carrier = _CARRIER_BY_KEY.get(name)
        if carrier is not None:
            name = carrier
        spec = SCENARIOS.get(name) if carrier is None else _HAPPY_PATH
        if spec is None:
            raise ScenarioError(f"unknown mock-scenario {name!r}; accepted: {', '.join(ACCEPTED)}")
        if any(s.name == name for s in scenarios):
            raise ScenarioError(f"mock-scenario {name!r} is named twice")
        params: dict[str, float | str] = {}
        for pair in filter(None, pairs):
            key, sep, raw = (piece.strip() for piece in pair.partition("="))
            key = key.lower()
            if not sep or key not in spec.parameters:
                known = ", ".join(spec.parameters) or "none"
                raise ScenarioError(f"{name}: unknown parameter {pair!r} (parameters: {known})")
            params[key] = spec.parameters[key].parse(name, key, raw)
        scenarios.append(Scenario(name, params))
    outcomes = [s.name for s in scenarios if s.name in FULFILMENT_OUTCOMES]
    if len(outcomes) > 1:
        raise ScenarioError(f"at most one fulfilment outcome per order, got {', '.join(outcomes)}")
    return MockScenarios(tuple(scenarios))
