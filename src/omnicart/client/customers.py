"""The calls about the customer, `Client`'s and `AsyncClient`'s (composed in
client/sync.py and client/aio.py, whose docstring names what the examples use): finding and
authenticating a customer and qualifying their address for fiber, and a cart's credit
application."""

from __future__ import annotations

from omnicart.client import calls
from omnicart.client.base import AsyncSends, IfMatch, Sends
from omnicart.client.shapes import (
    CreditApplicationDict,
    CustomerAuthDict,
    ServiceQualificationDict,
)
from omnicart.wire.credit import CreditApplicationRequest, CreditApplicationResult
from omnicart.wire.customers import CustomerAuthRequest, CustomerAuthResult, CustomerSearchResult
from omnicart.wire.qualification import ServiceQualificationRequest, ServiceQualificationResult


class CustomerCalls(Sends):
    """Who the customer is and what they may have: fiber customers, service qualification, credit."""

    # -- fiber: customers and service qualification -------------------------------------

    def search_customers(
        self,
        service_type: str = "FIBER",
        *,
        page_size: int | None = None,
        page_offset: int | None = None,
        scenario: str | None = None,
        **filters: str,
    ) -> CustomerSearchResult:
        """One page (`page_offset`, from 1) of the customers with an account of `service_type`;
        `filters` are omnicart's own, by their wire names (`billingAccountNumber=…`, `email=…`).
        Raises OmnicartError 400.

        >>> [(c.givenName, c.familyName) for c in api.search_customers(billingAccountNumber="556165899574").individuals]
        [('Jordan', 'Rivera')]
        """
        return self.send(calls.search_customers(service_type, page_size, page_offset, filters), scenario)

    def authenticate_customer(
        self, request: CustomerAuthRequest | CustomerAuthDict, *, scenario: str | None = None
    ) -> CustomerAuthResult:
        """Check a customer's credential (`{"billingAccountNumber": …, "last4SSN": …}`):
        `status` "SUCCESS" or "FAILURE". Raises OmnicartError 400, 404 (no customer by those
        identifiers).

        >>> api.authenticate_customer({"partnerCustomerUUID": CUSTOMER, "last4SSN": "1234"}).status
        'SUCCESS'
        """
        return self.send(calls.authenticate_customer(request), scenario)

    def qualify_service(
        self, request: ServiceQualificationRequest | ServiceQualificationDict, *, scenario: str | None = None
    ) -> ServiceQualificationResult:
        """The address validated, whether fiber can be had there, and the offers to add to a
        cart. Raises OmnicartError 400, 503 (the address service is down).

        >>> street = {"name": "addressLine1", "value": "208 S Akard St"}
        >>> found = api.qualify_service({"geographicAddress": {"postcode": "75202", "addressCharacteristic": [street]}})
        >>> found.addressValidation.validGeographicAddress.id, found.serviceQualification[0].qualificationResult
        ('00000NG3XH', 'qualified')
        """
        return self.send(calls.qualify_service(request), scenario)

    # -- credit -------------------------------------------------------------------------

    def credit_application(
        self,
        request: CreditApplicationRequest | CreditApplicationDict,
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> CreditApplicationResult:
        """Run a credit application for a cart's customer (`{"cartId": …, "userInfo":
        {"birthdate": …, "legalId": [...]}}`): the decision, also recorded on the cart (its
        `creditDecision`; the cart's version + 1). Raises OmnicartError 400, 404, 412.

        >>> api.credit_application({"cartId": cart.id}).creditRisk
        'LOW'
        >>> api.get_cart(cart.id).creditDecision.creditRisk
        'LOW'
        """
        return self.send(calls.credit_application(request, if_match), scenario)


class AsyncCustomerCalls(AsyncSends):
    """`CustomerCalls`, awaited."""

    # -- fiber: customers and service qualification -------------------------------------

    async def search_customers(
        self,
        service_type: str = "FIBER",
        *,
        page_size: int | None = None,
        page_offset: int | None = None,
        scenario: str | None = None,
        **filters: str,
    ) -> CustomerSearchResult:
        """`Client.search_customers`, awaited."""
        return await self.send(calls.search_customers(service_type, page_size, page_offset, filters), scenario)

    async def authenticate_customer(
        self, request: CustomerAuthRequest | CustomerAuthDict, *, scenario: str | None = None
    ) -> CustomerAuthResult:
        """`Client.authenticate_customer`, awaited."""
        return await self.send(calls.authenticate_customer(request), scenario)

    async def qualify_service(
        self, request: ServiceQualificationRequest | ServiceQualificationDict, *, scenario: str | None = None
    ) -> ServiceQualificationResult:
        """`Client.qualify_service`, awaited."""
        return await self.send(calls.qualify_service(request), scenario)

    # -- credit -------------------------------------------------------------------------

    async def credit_application(
        self,
        request: CreditApplicationRequest | CreditApplicationDict,
        *,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> CreditApplicationResult:
        """`Client.credit_application`, awaited."""
        return await self.send(calls.credit_application(request, if_match), scenario)
