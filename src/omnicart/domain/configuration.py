"""The configuration steps of a cart's validation (`validation.configuration[]`, the
carrier's validation object, reference §5.6): what must be done before the order can be
placed, each `pending` or `complete`.

What is `required` holds `readyToSubmit` back until it is complete (docs/decisions.md,
"Configuration"): the cart never says "ready" while it says something is missing.
  * `terms`: required; complete once the customer accepted every terms and conditions
    the cart needs now (checkout's `termsAndConditions`, recorded in `agreement[]`): a
    change that needs new terms (protection added) makes it pending again.
  * `payment`: required when something is due today (a one-time charge), otherwise
    optional and `postOrderConfigurable` (e.g. AutoPay for the monthly bill); complete
    once a payment method is registered (`payment[]`).
Both are completed by `POST /omni-svcs/v1/payment-methods` (terms with
`storeTermsConditionConsent`) or by express submit's own body; terms also by the
direct-fulfilment `POST /omni-svcs/v1/order/{orderId}/terms`.
  * `appointment`: required of a cart that orders fiber (domain/appointments.py); the
    technician's visit, which only express submit books (its `appointment`), so a
    draft's step is always pending (`complete_step` completes it at submit).
  * `credit`: only on a cart that orders fiber (a `Broadband_Offer` item), required;
    complete once a credit application's decision is recorded on the cart
    (`creditDecision`, `POST /omni-svcs/v1/credit-application`, domain/credit.py),
    whatever its class: a class that blocks the order is an error of its own.
The direct-fulfilment steps (docs/direct-fulfilment.md) show on a cart of the "order"
flavour (made by `order/create`, named from birth), and on any cart that has them
recorded:
  * `fulfillment`: required when the cart ships something (domain/delivery.py);
    complete once every shipped item has a delivery method chosen
    (`POST /omni-svcs/v1/order/{orderId}/fulfillment`).
  * `billing`: optional and `postOrderConfigurable` (AutoPay and paperless can be
    chosen later); complete once billing enrollment is recorded
    (`POST /omni-svcs/v1/order/{orderId}/billing`) and, when AutoPay is enrolled, it has
    something to charge (a `paymentProfileId`, or a payment method of the cart).
An empty cart has no steps.
"""

from __future__ import annotations

import msgspec

from omnicart.domain.cart import Cart
from omnicart.domain.delivery_methods import delivery_method
from omnicart.wire.cart import Configuration, Validation
from omnicart.wire.orders import Terms


def configuration_steps(
    order: Cart,
    terms: list[Terms],
    due_today: bool,
    shipped: set[str],
    needs_credit: bool = False,
    installs: bool = False,
) -> list[Configuration]:
    """The steps of a cart with items: `terms` it needs now, whether something is `due_today`,
    the items it ships, whether it needs a credit decision and whether a technician installs
    something (fiber)."""
    steps = _steps(order, terms, due_today or _delivery_due(order, shipped), shipped, needs_credit)
    if installs:
        steps.append(Configuration(type="appointment", status="pending", required=True))
    return steps


def ready(valid: bool, has_items: bool, steps: list[Configuration]) -> bool:
    return valid and has_items and all(step.status == "complete" for step in steps if step.required)


def complete_step(validation: Validation, step_type: str) -> Validation:
    """The validation with the configuration step `step_type` complete (a step express
    submit completes under the cart's lock: the appointment it books), and ready to
    submit when nothing else holds the cart back."""
    steps = [
        Configuration(step.type, "complete", step.required, step.postOrderConfigurable)
        if step.type == step_type
        else step
        for step in validation.configuration
    ]
    has_items = bool(steps)  # a cart with items has steps; an empty one none
    return msgspec.structs.replace(
        validation,
        configuration=steps,
        readyToSubmit=ready(validation.status == "valid", has_items, steps),
    )


def _steps(
    order: Cart, terms: list[Terms], due_today: bool, shipped: set[str], needs_credit: bool = False
) -> list[Configuration]:
    accepted = {agreement.id for agreement in order.agreement}
    terms_done = all(t.id in accepted for t in terms if t.required)
    steps = [
        Configuration(type="terms", status="complete" if terms_done else "pending", required=True),
        Configuration(
            type="payment",
            status="complete" if order.payment else "pending",
            required=due_today,
            postOrderConfigurable=not due_today,
        ),
        *_direct_fulfilment_steps(order, shipped),
    ]
    if needs_credit:
        steps.append(
            Configuration(type="credit", status="complete" if order.creditDecision else "pending", required=True)
        )
    return steps


def _direct_fulfilment_steps(order: Cart, shipped: set[str]) -> list[Configuration]:
    """`fulfillment` and `billing`, where they show (see this module's docstring)."""
    named = order.name is not None
    steps = []
    chosen = {selection.productOrderItemId for selection in order.fulfillment or ()}
    if shipped and (named or chosen):
        done = shipped <= chosen
        steps.append(Configuration(type="fulfillment", status="complete" if done else "pending", required=True))
    if named or order.enrollment:
        steps.append(
            Configuration(
                type="billing",
                status="complete" if _billing_complete(order) else "pending",
                required=False,
                postOrderConfigurable=True,
            )
        )
    return steps


def _billing_complete(order: Cart) -> bool:
    enrollment = order.enrollment
    if not enrollment:
        return False
    return enrollment.autoPay != "enrolled" or bool(enrollment.paymentProfileId or order.payment)


def _delivery_due(order: Cart, shipped: set[str]) -> bool:
    """Whether a delivery chosen for a shipped item charges something today."""
    for selection in order.fulfillment or ():
        method = delivery_method(selection.productOffering.id)
        if method is not None and method.cents > 0 and selection.productOrderItemId in shipped:
            return True
    return False
