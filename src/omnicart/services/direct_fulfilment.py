"""Use cases of the carrier's direct-fulfilment add-a-line solution (DF 1.0.0, reference
§4.2; docs/direct-fulfilment.md), on the order's cart, named by either of its names (its
customer order id, as these calls name it, or its id):

- the delivery options of its physical items, and the choice of one per item;
- the agreements it needs, and the customer's consent to them;
- billing enrollment (AutoPay, paperless).

Reads re-price and re-validate the cart as of now and change nothing, as checkout does;
every choice is a cart change like any other (CartService.change: version + 1, its event,
an Idempotency-Key's reply), answered with what the carrier answers, made of the changed
cart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import msgspec
from msgspec import UNSET

from omnicart.domain import agreements, delivery
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog
from omnicart.domain.checkout import item_options, terms_for
from omnicart.domain.errors import TermsRefused
from omnicart.domain.representation import encode_cart
from omnicart.services.answers import RenderedCart
from omnicart.services.carts import CartService
from omnicart.services.idempotency import Reply
from omnicart.wire.billing import BillingRequest, BillingResult
from omnicart.wire.cart import Enrollment, SelectedFulfillment
from omnicart.wire.fulfilment import (
    FulfillmentOptionsView,
    FulfillmentSelection,
    FulfillmentSelectionResult,
    OptionGroup,
    SelectedOptionStatus,
)
from omnicart.wire.terms import Agreement, TermsConsent, TermsConsentResult, TermsError

_encode = msgspec.json.Encoder().encode


class DirectFulfilment:
    def __init__(self, carts: CartService) -> None:
        self.carts = carts

    @property
    def catalog(self) -> Catalog:
        return self.carts.catalog

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.carts.clock

    async def current(self, owner: str, order_id: str) -> Cart:
        """The order's draft cart, re-priced and re-validated as of now, not stored."""
        cart = await self.carts.get_cart(owner, order_id)
        cart.ensure_modifiable()
        self.carts.assess(cart, self.clock(), holdings=await self.carts.holdings_for(cart))
        return cart

    # -- fulfilment ----------------------------------------------------------------------

    async def fulfillment_options(self, owner: str, order_id: str, placeid: str | None) -> FulfillmentOptionsView:
        cart = await self.current(owner, order_id)
        options = item_options(cart, self.catalog, self.clock().date(), placeid)
        return FulfillmentOptionsView([OptionGroup(options)] if options else [], cart.validation)

    async def select_fulfillment(
        self,
        owner: str,
        order_id: str,
        selection: FulfillmentSelection,
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> RenderedCart:
        """Record a delivery method per item named; answered with the choices as recorded."""
        chosen: list[SelectedFulfillment] = []

        def change(cart: Cart) -> None:
            chosen[:] = delivery.select(cart, self.catalog, selection.selectedOptions, selection.placeid or None)
            cart.select_fulfillment(chosen)

        def answer(cart: Cart) -> bytes:
            statuses = [SelectedOptionStatus(s.productOrderItemId, s.productOffering, s.product) for s in chosen]
            return _encode(FulfillmentSelectionResult(statuses))

        return await self.carts.change(owner, order_id, if_match, change, reply, answer=answer)

    # -- terms ---------------------------------------------------------------------------

    async def terms(self, owner: str, order_id: str) -> list[Agreement]:
        cart = await self.current(owner, order_id)
        return [agreements.agreement(terms) for terms in terms_for(cart, self.catalog)]

    async def accept_terms(
        self,
        owner: str,
        order_id: str,
        consent: TermsConsent,
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> RenderedCart:
        """Record the agreements accepted; answered with the order's validation and, when
        an agreement is not offered (nothing is recorded, no change is made) or one it
        needs is still missing, the carrier's error block."""
        errors: list[TermsError | None] = [None]

        def change(cart: Cart) -> None:
            read = agreements.consent(terms_for(cart, self.catalog), consent.agreements, cart.agreement)
            if read.refused:
                raise TermsRefused(read.refused)
            cart.configure([], read.accepted)
            errors[0] = read.error

        def answer(cart: Cart) -> bytes:
            return _encode(TermsConsentResult(cart.validation, errors[0] or UNSET))

        try:
            return await self.carts.change(owner, order_id, if_match, change, reply, answer=answer)
        except TermsRefused as refused:
            cart = await self.current(owner, order_id)
            missing = agreements.consent(terms_for(cart, self.catalog), (), cart.agreement).missing
            body = _encode(TermsConsentResult(cart.validation, TermsError(errorList=[*refused.entries, *missing])))
            return RenderedCart(cart.id, cart.version, encode_cart(cart)[1], cart.name, body)

    # -- billing -------------------------------------------------------------------------

    async def update_billing(
        self,
        owner: str,
        order_id: str,
        billing: BillingRequest,
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> RenderedCart:
        """Record AutoPay and paperless enrollment; answered with the enrollment recorded
        and the order's validation."""

        def answer(cart: Cart) -> bytes:
            enrollment = cart.enrollment or Enrollment()
            return _encode(BillingResult("success", enrollment, cart.validation))

        return await self.carts.change(
            owner, order_id, if_match, lambda cart: cart.enroll(billing.enrollment), reply, answer=answer
        )
