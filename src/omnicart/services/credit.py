"""The credit application use case (`POST /omni-svcs/v1/credit-application`, fiber change
order; domain/credit.py says what it means): assess the cart's customer with the credit
bureau and record the decision on the cart.

The providers are asked before the cart is written, never inside the write (a write may
be prepared again and must not wait on anyone): the cart is checked first (there, a
draft, at the version the client holds), then its customer is looked up in the customer
directory and assessed by the credit bureau, then the decision is recorded as a cart
change (version + 1) committed with the cart's change event, the decision's own event
(`CreditDecisionCreateEvent`) and the answer for an Idempotency-Key. Should the cart have
changed meanwhile, the write checks it again.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from omnicart.domain import credit
from omnicart.domain.cart import Cart
from omnicart.domain.errors import CreditApplicantUnknown, DownstreamFailure
from omnicart.domain.events import Event, credit_event
from omnicart.domain.scenarios import NO_SCENARIOS, MockScenarios
from omnicart.providers import Providers
from omnicart.providers.interface import CreditCheck
from omnicart.services.answers import RenderedCart
from omnicart.services.carts import CartService
from omnicart.services.idempotency import Reply
from omnicart.wire.credit import CreditApplicationRequest

_encode = msgspec.json.Encoder().encode


def _check(request: CreditApplicationRequest) -> CreditCheck:
    """What the bureau is told of the applicant: their birthdate and first legal id."""
    info = request.userInfo
    if not info:
        return CreditCheck()
    legal = info.legalId[0] if info.legalId else None
    return CreditCheck(
        birthdate=info.birthdate or None,
        identification_type=legal.identificationType if legal else None,
        identification_id=legal.identificationId if legal else None,
    )


class CreditService:
    def __init__(self, carts: CartService, providers: Providers) -> None:
        self.carts = carts
        self.providers = providers

    async def apply(
        self,
        owner: str,
        request: CreditApplicationRequest,
        *,
        scenarios: MockScenarios = NO_SCENARIOS,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> tuple[bytes, RenderedCart]:
        """The carrier's answer (encoded once: the same bytes are answered and replayed)
        and the cart as the decision left it. In the sandbox, the scenario
        `credit_risk;class=…` decides the class instead of the bureau."""
        bureau = self.providers.credit_bureau()
        directory = self.providers.customer_directory()
        cart = await self.carts.get_cart(owner, request.cartId)
        cart.ensure_modifiable()
        cart.check_version(if_match)
        customer_id = credit.applicant(cart)
        customer = await directory.get(customer_id)
        if customer is None:
            raise CreditApplicantUnknown(customer_id)
        risk = scenarios.credit_risk or await bureau.assess(customer, _check(request))
        if not credit.is_risk_class(risk):
            raise DownstreamFailure("credit bureau", f"it answered {risk!r}, which is not a credit risk class")
        decision = credit.decide(
            risk,
            self.carts.clock(),
            unified_credit_transaction_id=request.unifiedCreditTransactionId or None,
            cas_application_id=request.casApplicationId or None,
        )
        answer = _encode(credit.answer(decision))

        def events(changed: Cart, now: datetime) -> list[Event]:
            return [credit_event(owner, credit.snapshot(changed, customer_id, decision), now)]

        # A cart change like any other, committed with the decision's own event; the request
        # is answered (and replayed) with the decision, not the cart.
        rendered = await self.carts.change(
            owner,
            cart.id,
            if_match,
            lambda changed: changed.record_credit(decision),
            reply,
            answer=lambda _: answer,
            events=events,
        )
        return answer, rendered
