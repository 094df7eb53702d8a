"""Ordering over HTTP: checkout, express submit, and the orders it makes. Translation only:
HTTP in, use case call, HTTP out.

- `POST /omni-svcs/v1/checkout` (carrier, Checkout Configuration v1.0.1,
  `getCheckoutConfigurableOptions`): what the cart needs before submitting (a fiber
  cart's technician slots too); changes nothing.
- `POST /omni-svcs/v1/carts/{cartId}/express-submit` (carrier, Order Submission v1.0.2):
  body optional; answers 200 with exactly the carrier's five fields.
- `POST /omni-svcs/v1/payment-methods` (carrier, payment v1.0.1): registers payment
  methods (and terms consent) for a cart; a cart change, answered with the carrier's
  `{status, paymentMethodId, paymentProfileId}` and the cart's new ETag.
- `GET /omni-svcs/v1/orders`, `GET /omni-svcs/v1/orders/{orderId}`,
  `POST /omni-svcs/v1/orders/{orderId}/cancel`: omnicart extensions.
"""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.carts import cart_answer
from omnicart.api.context import carts_of, orders_of, partner_of, query_of, url_of
from omnicart.api.idempotency import reply_for
from omnicart.api.requests import decode_body
from omnicart.api.responses import JSONResponse, given, page_response, respond
from omnicart.api.scenarios import scenarios_of
from omnicart.domain.order import Order
from omnicart.domain.payment import register
from omnicart.domain.representation import order_document
from omnicart.services.answers import document
from omnicart.store import OrderFilter
from omnicart.wire.errors import invalid_field
from omnicart.wire.orders import CancelRequest, CheckoutRequest, CheckoutView, Submission
from omnicart.wire.payments import PaymentMethodsRequest, PaymentMethodsResult

# -- handlers -------------------------------------------------------------------------------


def order_href(request: Request, order_id: str) -> str:
    return url_of(request, "getOrder", orderId=order_id)


def order_response(request: Request, order: Order) -> Response:
    return Response(order_document(order, order_href(request, order.id)), media_type="application/json")


async def checkout(request: Request) -> Response:
    orders = orders_of(request)
    body = await decode_body(request, CheckoutRequest, orders.carts.limits)
    result = await orders.checkout(
        partner_of(request), body.cartId, scenarios_of(request), fulfillment_address_id=body.fulfillmentAddressId
    )
    cart = result.cart
    return JSONResponse(
        CheckoutView(
            cartId=cart.id,
            version=cart.version,
            state=cart.state,
            validation=cart.validation,
            orderTotalPrice=cart.orderTotalPrice,
            termsAndConditions=result.terms,
            fulfillmentOptions=result.fulfillmentOptions,
            fulfillmentAddressId=body.fulfillmentAddressId,
            appointmentDates=result.appointmentDates,
        )
    )


async def express_submit(request: Request) -> Response:
    orders = orders_of(request)
    submission = await decode_body(request, Submission, orders.carts.limits, optional=True)
    _, answer = await orders.submit(
        partner_of(request),
        request.path_params["cartId"],
        submission,
        scenarios=scenarios_of(request),
        if_match=request.headers.get("if-match"),
        reply=reply_for(request),
    )
    return respond(document(answer))


async def payment_methods(request: Request) -> Response:
    carts = carts_of(request)
    body = await decode_body(request, PaymentMethodsRequest, carts.limits)
    cart_id = body.paymentMethods[0].cartId
    for index, method in enumerate(body.paymentMethods):
        if method.cartId != cart_id:
            raise invalid_field(f"paymentMethods[{index}].cartId", "every payment method must name the same cart")
    refs = register(body.paymentMethods)
    result = msgspec.json.encode(PaymentMethodsResult("success", refs[0].id, refs[0].paymentProfileId or ""))
    answer = cart_answer(request, body=result)
    cart = await carts.register_payment_methods(
        partner_of(request),
        cart_id,
        body.paymentMethods,
        refs,
        if_match=request.headers.get("if-match"),
        reply=reply_for(request, answer),
    )
    return respond(answer.render(cart))


async def list_orders(request: Request) -> Response:
    query = query_of(request)
    wanted = OrderFilter(
        state=given(query.state),
        customer_order_id=given(query.customerOrderId),
        cart_id=given(query.cartId),
        submitted_from=given(query.submittedFrom),
        submitted_to=given(query.submittedTo),
    )
    found, total = await orders_of(request).read_orders(
        partner_of(request), wanted, limit=query.limit, offset=query.offset
    )
    orders_url = url_of(request, "listOrders")  # an order's href is this and its id
    documents = [(order.wire, order.id, f"{orders_url}/{order.id}") for order in found]
    return page_response(request, query.offset, query.limit, documents, total)


async def get_order(request: Request) -> Response:
    order = await orders_of(request).get_order(partner_of(request), request.path_params["orderId"])
    return order_response(request, order)


async def cancel_order(request: Request) -> Response:
    orders = orders_of(request)
    body = await decode_body(request, CancelRequest, orders.carts.limits, optional=True)
    order = await orders.cancel(partner_of(request), request.path_params["orderId"], body.cancellationReason)
    return order_response(request, order)
