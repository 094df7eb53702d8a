"""The fiber move / change solution's customers, service qualification and credit (reference §4.3; docs/fiber.md)."""

from __future__ import annotations

from omnicart.api import (
    credit,
    customers,
    qualification,
)
from omnicart.api.operation import (
    BAD_BODY,
    BODY_ERRORS,
    CALL,
    CHANGE,
    ETAG,
    NOT_DRAFT,
    OVER_LIMIT,
    UNAVAILABLE,
    Answer,
    Body,
    InputCodes,
    Operation,
    example,
)
from omnicart.domain.credentials import CARTS_WRITE, CUSTOMERS_READ
from omnicart.wire.credit import CreditApplicationRequest, CreditApplicationResult
from omnicart.wire.customers import CustomerAuthRequest, CustomerAuthResult, CustomerSearchRequest, CustomerSearchResult
from omnicart.wire.qualification import ServiceQualificationRequest, ServiceQualificationResult

FIBER: tuple[Operation, ...] = (
    Operation(
        "POST",
        "/omni-svcs/v1/customers/search",
        customers.search_customers,
        "searchCustomers",
        "Customer search (carrier v1.0.0): a page of the customers with an account of `serviceType`, each "
        "with those accounts, their service addresses, lines and existing products; `pageOffset` is the page "
        "number, from 1. The filters besides `serviceType`, `pageSize` and `pageOffset` are omnicart's own",
        scope=CUSTOMERS_READ,
        body=Body(
            CustomerSearchRequest,
            examples={
                "carrier": {
                    "summary": "The carrier's example (v1.0.0): the first five fiber customers",
                    "value": example("customers-search"),
                },
                "billing-account": {
                    "summary": "omnicart's own filter: the customer of a billing account (a sandbox customer's)",
                    "value": {"serviceType": "FIBER", "billingAccountNumber": "556165899574"},
                },
            },
        ),
        answer=Answer(200, "The page: totalCount, pageInfo, individuals (none: nobody matches)", CustomerSearchResult),
        errors={**BODY_ERRORS, 503: UNAVAILABLE},
        headers=CALL,
        input_codes=customers.CUSTOMER_INPUT,
        provider="customer directory",
        downstream=customers.DIRECTORY_FAILED,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/customer/auth",
        customers.authenticate_customer,
        "authenticateCustomer",
        "Customer authentication (carrier v1.0.2): the customer named by partnerCustomerUUID, "
        "billingAccountNumber or subscriberNumber proves who they are with a passcode, an OTP or the last 4 "
        "digits of their SSN. `status` SUCCESS, or FAILURE (omnicart's word) when a credential is wrong; "
        "nothing is stored",
        scope=CUSTOMERS_READ,
        body=Body(
            CustomerAuthRequest,
            examples={
                "carrier": {
                    "summary": "Every field of the carrier's request, for a sandbox customer",
                    "value": example("customer-auth"),
                },
                "billing-account": {
                    "summary": "A billing account and the last 4 of the SSN (sandbox: 0000 fails)",
                    "value": {"billingAccountNumber": "556165899574", "last4SSN": "1234"},
                },
            },
        ),
        answer=Answer(200, 'Authenticated ({"status": "SUCCESS"}) or not ({"status": "FAILURE"})', CustomerAuthResult),
        errors={
            **BODY_ERRORS,
            404: "No customer matches the identifiers given (sandbox: mock-scenario customer_not_found)",
            503: UNAVAILABLE,
        },
        headers=CALL,
        input_codes=customers.CUSTOMER_INPUT,
        provider="customer directory",
        downstream=customers.DIRECTORY_FAILED,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/service-qualification",
        qualification.qualify_service,
        "checkServiceQualification",
        "Service qualification (carrier v1.0.2): validates the address and answers whether fiber can be had "
        "there and the offers sold there (catalog offerings, ready to add to a cart). An address not found "
        'answers 200 with validationResult "fails"; one without fiber, serviceQualification "unqualified"',
        scope=CUSTOMERS_READ,
        body=Body(
            ServiceQualificationRequest,
            examples={
                "carrier": {
                    "summary": "The carrier's request (v1.0.2) for the address of its example answer (00000NG3XH)",
                    "value": example("service-qualification"),
                }
            },
        ),
        answer=Answer(200, "The address validation, the qualification and the offers", ServiceQualificationResult),
        errors={**BODY_ERRORS, 503: UNAVAILABLE},
        headers=CALL,
        input_codes=qualification.OFFERS_INPUT,
        provider="address validation",
        downstream=qualification.OFFERS_FAILED,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/credit-application",
        credit.credit_application,
        "creditApplication",
        "Credit application (carrier v1.0.2, fiber change order): a real-time credit check of the cart's "
        "customer (its relatedParty with role customer). The decision is recorded on the draft cart as "
        "`creditDecision` (omnicart's own field; a cart change: version + 1, new ETag) and replaces any "
        "earlier one; Fraud Risk, Abusive Risk and Analyst Review keep the cart from being submitted. "
        "`riskAssessment` is omnicart's own shape. Sandbox: the risk class is the sandbox customer's, or "
        "mock-scenario credit_risk;class=…",
        scope=CARTS_WRITE,
        body=Body(
            CreditApplicationRequest,
            examples={
                "reference": {
                    "summary": "The carrier's credit-application body (change order v1.0.2): a re-submission "
                    "naming its application's ids; a first application sends cartId and userInfo only",
                    "value": example("credit-application"),
                }
            },
        ),
        answer=Answer(200, "The credit decision, recorded on the cart", CreditApplicationResult, headers=(ETAG,)),
        errors={
            **BODY_ERRORS,
            400: BAD_BODY + ", or a birthdate that is not in the past",
            404: "No such cart (cartId) for this partner",
            409: NOT_DRAFT,
            422: OVER_LIMIT + "; or the cart has no customer party (`OMNICART-CREDIT-0001`), or its customer "
            "is not known to the customer directory (`OMNICART-CREDIT-0002`)",
            503: UNAVAILABLE,
        },
        headers=CHANGE,
        input_codes=InputCodes(missing="EXTSALESOPS-REVIEW-0002", invalid="EXTSALESOPS-REVIEW-0001"),
        provider="credit bureau",
        downstream="EXTSALESOPS-REVIEW-0003",
    ),
)
