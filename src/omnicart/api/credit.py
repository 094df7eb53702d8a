"""Credit applications over HTTP: the carrier's `POST /omni-svcs/v1/credit-application`
(fiber change order, v1.0.2). Translation only: the body in, the use case
(services/credit.py), and its answer out with the cart's new ETag, as payment methods
answer.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.carts import cart_answer
from omnicart.api.context import carts_of, credit_of, partner_of
from omnicart.api.idempotency import reply_for
from omnicart.api.requests import decode_body
from omnicart.api.responses import respond
from omnicart.api.scenarios import scenarios_of
from omnicart.wire.credit import CreditApplicationRequest
from omnicart.wire.errors import invalid_field


async def credit_application(request: Request) -> Response:
    carts = carts_of(request)
    body = await decode_body(request, CreditApplicationRequest, carts.limits)
    birthdate = body.userInfo.birthdate if body.userInfo else None
    if birthdate and birthdate >= carts.clock().date():
        raise invalid_field("userInfo.birthdate", "must be in the past")
    answer = cart_answer(request)
    result, cart = await credit_of(request).apply(
        partner_of(request),
        body,
        scenarios=scenarios_of(request),
        if_match=request.headers.get("if-match"),
        reply=reply_for(request, answer),
    )
    return respond(answer.render(cart, result))
