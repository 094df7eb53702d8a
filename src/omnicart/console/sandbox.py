"""Sandbox only: a cart submitted from its page with a mock-scenario, to watch the order
it becomes go through the scenario's states."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.console.rendering import redirect
from omnicart.console.session import Forbidden, needs, principal_of, read_form
from omnicart.domain.credentials import ORDERS_SUBMIT
from omnicart.domain.payment import register
from omnicart.domain.scenarios import ScenarioError, parse
from omnicart.runtime import services_of, settings_of
from omnicart.wire.cart import State
from omnicart.wire.orders import Submission
from omnicart.wire.payments import PaymentMethod


def chosen_scenario(form: dict[str, str]) -> str:
    """The mock-scenario header the form stands for: the scenario chosen in the list and
    its parameters as typed (`after=5`, or several: `after=5;…`)."""
    name, parameters = form.get("scenario", "").strip(), form.get("parameters", "").strip().lstrip(";")
    return f"{name};{parameters}" if name and parameters else name


async def submit(request: Request) -> Response:
    """Express submit with a mock-scenario, then watch the order."""
    principal = principal_of(request)
    needs(principal, ORDERS_SUBMIT)
    form = await read_form(request)
    if not settings_of(request.scope).sandbox:
        raise Forbidden("mock scenarios run in sandbox mode only")
    try:
        scenarios = parse(chosen_scenario(form))
    except ScenarioError as exc:
        raise Forbidden(str(exc)) from exc
    services, cart_id = services_of(request.scope), request.path_params["cartId"]
    # A rehearsal: the console stands in for the customer, who pays and accepts the terms.
    methods = [PaymentMethod(cartId=cart_id, id="console", storeTermsConditionConsent=True)]
    cart = await services.carts.get_cart(principal.partner, cart_id)
    if cart.state is State.DRAFT:
        await services.carts.register_payment_methods(principal.partner, cart_id, methods, register(methods))
    order, _ = await services.orders.submit(principal.partner, cart_id, Submission(), scenarios=scenarios)
    return redirect(f"/orders/{order.id}")
