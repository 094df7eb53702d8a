"""The calls from a ready cart to an order and after, `Client`'s and `AsyncClient`'s
(composed in client/sync.py and client/aio.py, whose docstring names what the examples
use): checkout, payment, terms, billing, submission, then reading, querying and cancelling
orders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

from omnicart.client import calls
from omnicart.client.base import AsyncSends, IfMatch, Sends
from omnicart.client.shapes import (
    AgreementConsentDict,
    EnrollmentDict,
    PaymentMethodsDict,
    SubmissionDict,
)
from omnicart.wire.billing import BillingResult
from omnicart.wire.cart import Enrollment
from omnicart.wire.order_query import GraphQLResponse
from omnicart.wire.orders import CheckoutView, OrderView, Submission, SubmittedOrder
from omnicart.wire.payments import PaymentMethodsRequest, PaymentMethodsResult
from omnicart.wire.terms import AgreementConsent, TermsConsentResult, TermsView


class OrderingCalls(Sends):
    """From checkout to a submitted order, and the orders after."""

    # -- to the order -------------------------------------------------------------------

    def checkout(
        self, cart_id: str, *, fulfillment_address_id: str | None = None, scenario: str | None = None
    ) -> CheckoutView:
        """The cart's checkout configuration: totals, the terms to accept, what is still
        pending; a fiber cart's technician slots (`appointmentDates`) at its service address,
        or at `fulfillment_address_id` (a move). Changes nothing. Raises OmnicartError 404.

        >>> found = api.checkout(api.add_items(cart.id, LINE).id)
        >>> found.validation.readyToSubmit, [terms.id for terms in found.termsAndConditions]
        (False, ['WCA'])
        """
        return self.send(calls.checkout(cart_id, fulfillment_address_id), scenario)

    def payment_methods(
        self, request: PaymentMethodsRequest | PaymentMethodsDict, *, scenario: str | None = None
    ) -> PaymentMethodsResult:
        """Register payment methods (the whole body: `{"paymentMethods": [{..., "cartId": …}]}`),
        with the customer's consent to the terms (`storeTermsConditionConsent`): completes
        the cart's payment and terms steps. Raises TypeError for a list where the body
        belongs; OmnicartError 400, 404 (no such cart).

        >>> api.add_items(cart.id, LINE).validation.readyToSubmit
        False
        >>> method = {"id": "pm-1", "cartId": cart.id, "storeTermsConditionConsent": True}
        >>> api.payment_methods({"paymentMethods": [method]})
        PaymentMethodsResult(status='success', paymentMethodId='PM-...', paymentProfileId='')
        >>> api.get_cart(cart.id).validation.readyToSubmit
        True
        """
        return self.send(calls.payment_methods(request), scenario)

    def terms(self, order_id: str, *, scenario: str | None = None) -> TermsView:
        """The agreements the order needs now. Changes nothing. Raises OmnicartError 404.

        >>> [agreement.name for agreement in api.terms(api.add_items(cart.id, LINE).id).agreements]
        ['Wireless Customer Agreement']
        """
        return self.send(calls.terms(order_id), scenario)

    def accept_terms(
        self,
        order_id: str,
        agreements: Sequence[AgreementConsent | AgreementConsentDict],
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> TermsConsentResult:
        """Record the customer's consent to the agreements (as `terms()` named them); the
        answer's `error` says what is wrong, if anything. Raises OmnicartError 400, 404, 412.

        >>> api.add_items(cart.id, LINE).version
        2
        >>> accepted = api.accept_terms(cart.id, [{"name": "Wireless Customer Agreement"}])
        >>> [(step.type, step.status) for step in accepted.validation.configuration if step.type == "terms"]
        [('terms', 'complete')]
        """
        return self.send(calls.accept_terms(order_id, agreements, if_match), scenario)

    def update_billing(
        self,
        order_id: str,
        enrollment: Enrollment | EnrollmentDict,
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> BillingResult:
        """AutoPay and paperless enrollment (`enrollment`: the object, not the
        `{"enrollment": …}` body). Raises TypeError for the body; OmnicartError 400, 404, 412.

        >>> api.update_billing(cart.id, {"autoPay": "enrolled", "paperLess": "enrolled"}).enrollment
        Enrollment(autoPay='enrolled', paperLess='enrolled', paymentProfileId=UNSET)
        """
        return self.send(calls.update_billing(order_id, enrollment, if_match), scenario)

    def express_submit(
        self,
        cart_id: str,
        submission: Submission | SubmissionDict | None = None,
        *,
        appointment: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> SubmittedOrder:
        """Submit the cart as an order (`submission`: the carrier's optional body);
        `appointment`: the slot id a fiber cart books, from checkout's `appointmentDates`.
        Submitting again answers the same order. Raises OmnicartError 404, 412, 422 (not
        ready: `details` shows the steps still pending).

        >>> api.add_items(cart.id, LINE).version
        2
        >>> api.express_submit(cart.id)
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 422 ...: ... is not ready to submit: terms is required ...
        >>> method = {"id": "pm-1", "cartId": cart.id, "storeTermsConditionConsent": True}
        >>> api.payment_methods({"paymentMethods": [method]}).status
        'success'
        >>> order = api.express_submit(cart.id)
        >>> order.state, order.customerOrderId
        ('Submitted', '26-...')
        """
        return self.send(calls.express_submit(cart_id, submission, if_match, appointment), scenario)

    # -- orders -------------------------------------------------------------------------

    def get_order(self, order_id: str, *, scenario: str | None = None) -> OrderView:
        """The order (by its id) as it is now. Raises OmnicartError 404.

        >>> api.get_order("no-such-order")
        Traceback (most recent call last):
        omnicart.client.core.OmnicartError: 404 ...
        """
        return self.send(calls.get_order(order_id), scenario)

    def orders(self, *, scenario: str | None = None, **filters: str) -> Iterator[OrderView]:
        """Every order of the partner (`state=` to filter), newest first, page after page.
        Raises OmnicartError 400 (an unknown filter).

        >>> all(order.state == "Completed" for order in api.orders(state="Completed"))
        True
        """
        return self._pages(lambda offset: calls.list_orders(offset, calls.PAGE_SIZE, filters), scenario)

    def query_orders(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        scenario: str | None = None,
    ) -> GraphQLResponse:
        """The carrier's orders query (GraphQL, `getOrders`): `data` and `errors` as answered,
        also when the query failed before running (a 400: `errors` only); any other failure
        raises OmnicartError.

        >>> query = "query($id: String) { getOrders(filter: {orderId: $id}) { orders { id } } }"
        >>> api.query_orders(query, {"id": "26-0"}).data
        {'getOrders': {'orders': []}}
        >>> [error.extensions["code"] for error in api.query_orders("{ getOrders { orders { nope } } }").errors]
        ['GRAPHQL_VALIDATION_FAILED']
        """
        return self.send(calls.query_orders(query, variables, operation_name), scenario)

    def cancel_order(self, order_id: str, reason: str | None = None, *, scenario: str | None = None) -> OrderView:
        """Ask for the order's cancellation (`reason`: the partner's words, kept). Raises
        OmnicartError 404, 409 (an order past cancelling).

        >>> method = {"cartId": api.add_items(cart.id, LINE).id, "storeTermsConditionConsent": True}
        >>> api.payment_methods({"paymentMethods": [method]}).status
        'success'
        >>> api.cancel_order(api.express_submit(cart.id).id, "changed their mind").state
        <State.PENDING_CANCEL: 'PendingCancel'>
        """
        return self.send(calls.cancel_order(order_id, reason), scenario)


class AsyncOrderingCalls(AsyncSends):
    """`OrderingCalls`, awaited."""

    # -- to the order -------------------------------------------------------------------

    async def checkout(
        self, cart_id: str, *, fulfillment_address_id: str | None = None, scenario: str | None = None
    ) -> CheckoutView:
        """`Client.checkout`, awaited."""
        return await self.send(calls.checkout(cart_id, fulfillment_address_id), scenario)

    async def payment_methods(
        self, request: PaymentMethodsRequest | PaymentMethodsDict, *, scenario: str | None = None
    ) -> PaymentMethodsResult:
        """`Client.payment_methods`, awaited."""
        return await self.send(calls.payment_methods(request), scenario)

    async def terms(self, order_id: str, *, scenario: str | None = None) -> TermsView:
        """`Client.terms`, awaited."""
        return await self.send(calls.terms(order_id), scenario)

    async def accept_terms(
        self,
        order_id: str,
        agreements: Sequence[AgreementConsent | AgreementConsentDict],
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> TermsConsentResult:
        """`Client.accept_terms`, awaited."""
        return await self.send(calls.accept_terms(order_id, agreements, if_match), scenario)

    async def update_billing(
        self,
        order_id: str,
        enrollment: Enrollment | EnrollmentDict,
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> BillingResult:
        """`Client.update_billing`, awaited."""
        return await self.send(calls.update_billing(order_id, enrollment, if_match), scenario)

    async def express_submit(
        self,
        cart_id: str,
        submission: Submission | SubmissionDict | None = None,
        *,
        appointment: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> SubmittedOrder:
        """`Client.express_submit`, awaited."""
        return await self.send(calls.express_submit(cart_id, submission, if_match, appointment), scenario)

    # -- orders -------------------------------------------------------------------------

    async def get_order(self, order_id: str, *, scenario: str | None = None) -> OrderView:
        """`Client.get_order`, awaited."""
        return await self.send(calls.get_order(order_id), scenario)

    def orders(self, *, scenario: str | None = None, **filters: str) -> AsyncIterator[OrderView]:
        """`Client.orders`, as an async iterator (`async for`)."""
        return self._pages(lambda offset: calls.list_orders(offset, calls.PAGE_SIZE, filters), scenario)

    async def query_orders(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        scenario: str | None = None,
    ) -> GraphQLResponse:
        """`Client.query_orders`, awaited."""
        return await self.send(calls.query_orders(query, variables, operation_name), scenario)

    async def cancel_order(self, order_id: str, reason: str | None = None, *, scenario: str | None = None) -> OrderView:
        """`Client.cancel_order`, awaited."""
        return await self.send(calls.cancel_order(order_id, reason), scenario)
