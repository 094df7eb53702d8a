"""`Client.credit_application` / `AsyncClient.credit_application` against a live `omnicart
serve` whose providers are the sandbox world, on each store: the answer decoded into the
server's own struct, the decision read back on the cart, If-Match, and the errors."""

from __future__ import annotations

import asyncio

import pytest

from omnicart.client import AsyncClient, Client, OmnicartError
from omnicart.wire.cart import CreditDecision, ProductOrderView
from omnicart.wire.credit import CreditApplicationRequest, CreditApplicationResult, RiskAssessment
from tests.credentials import KEY
from tests.credit_world import JORDAN, STRANGER, TAYLOR, application, cart_request

# The server tests/kit/conftest.py starts for this module runs with:
SERVER_ENV = {"OMNICART_FULFILMENT": "off", "OMNICART_PROVIDERS": "sandbox"}


def new_cart(api: Client, customer_id: str = JORDAN) -> ProductOrderView:
    request = cart_request(customer_id)
    return api.create_cart(request["channel"], request["relatedParty"], request["items"])


def test_the_answer_and_the_carts_decision_as_the_servers_structs(api):
    cart = new_cart(api)
    result = api.credit_application(application(cart.id), if_match=cart.version)
    assert isinstance(result, CreditApplicationResult) and isinstance(result.riskAssessment, RiskAssessment)
    assert (result.creditRisk, result.riskAssessment.blocksOrder, result.eidVerifierCode) == ("LOW", False, False)
    read = api.get_cart(cart.id)
    assert read.version == cart.version + 1
    assert read.creditDecision == CreditDecision(
        creditRisk="LOW",
        unifiedCreditTransactionId=result.unifiedCreditTransactionId,
        casApplicationId=result.casApplicationId,
        unifiedPolicyTransactionId=result.unifiedPolicyTransactionId,
        decisionDate=result.riskAssessment.decisionDate,
    )
    # A fiber cart's appointment step is completed by express submit (test_client_appointments.py).
    assert [c.type for c in read.validation.configuration] == ["terms", "payment", "credit", "appointment"]


def test_the_request_may_be_the_wire_struct(api):
    cart = new_cart(api, TAYLOR)
    request = CreditApplicationRequest(cartId=cart.id, unifiedCreditTransactionId="U35456657879")
    result = api.credit_application(request)
    assert (result.creditRisk, result.unifiedCreditTransactionId) == ("Fraud Risk", "U35456657879")
    assert result.riskAssessment.blocksOrder is True


def test_errors_carry_the_carriers_codes(api):
    cart = new_cart(api)
    with pytest.raises(OmnicartError) as stale:
        api.credit_application(application(cart.id), if_match=7)
    assert (stale.value.status, stale.value.details["currentETag"]) == (412, f'"{cart.version}"')
    with pytest.raises(OmnicartError) as missing:
        api.credit_application({"userInfo": {"birthdate": "1959-01-01"}})
    assert (missing.value.status, missing.value.code) == (400, "EXTSALESOPS-REVIEW-0002")
    with pytest.raises(OmnicartError) as unknown:
        api.credit_application(application(new_cart(api, STRANGER).id))
    assert (unknown.value.status, unknown.value.code) == (422, "OMNICART-CREDIT-0002")


def test_async_client(server):
    async def run() -> None:
        async with AsyncClient(server.url, api_key=KEY) as api:
            request = cart_request(JORDAN)
            cart = await api.create_cart(request["channel"], request["relatedParty"], request["items"])
            result = await api.credit_application(application(cart.id), if_match=f'"{cart.version}"')
            assert result.creditRisk == "LOW"
            assert (await api.get_cart(cart.id)).creditDecision.creditRisk == "LOW"

    asyncio.run(run())
