"""The direct-fulfilment add-a-line solution (reference §4.2; docs/direct-fulfilment.md)."""

from __future__ import annotations

from typing import Any

from omnicart.api import (
    direct_fulfilment,
    offers,
)
from omnicart.api.operation import (
    BAD_BODY,
    BODY_ERRORS,
    CALL,
    CHANGE,
    ETAG,
    OVER_LIMIT,
    UNAVAILABLE,
    Answer,
    Body,
    InputCodes,
    Operation,
    example,
)
from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE
from omnicart.wire.billing import BillingRequest, BillingResult
from omnicart.wire.catalog import CarrierOffering
from omnicart.wire.errors import INVALID_CART_REQUEST
from omnicart.wire.fulfilment import (
    FulfillmentOptionsRequest,
    FulfillmentOptionsView,
    FulfillmentSelection,
    FulfillmentSelectionResult,
)
from omnicart.wire.offers import OffersSearch
from omnicart.wire.terms import TermsConsent, TermsConsentResult, TermsRequest, TermsView

# The direct-fulfilment solution's input codes (reference §7.2): its offers' and its
# fulfilment options'; the rest of its calls answer Create Cart's.
OFFERS_INPUT = InputCodes("EXTSALESOPS-OFFERS-0003", "EXTSALESOPS-OFFERS-CPOPOFFER-0001")
FULFILMENT_INPUT = InputCodes("EXTSALESOPS-ORDER_CREATE-FULFILLMENT_OPTIONS-0001", INVALID_CART_REQUEST)
NO_DF_ORDER = "No such order for this partner (orderId: its customer order id, or its cart id)"
DF_NOT_DRAFT = "The order was submitted: it is no longer a draft"


def _df_example(name: str, summary: str) -> dict[str, Any]:
    return {"df": {"summary": summary, "value": example(name)}}


DIRECT_FULFILMENT: tuple[Operation, ...] = (
    Operation(
        "POST",
        "/omni-svcs/v1/offers/search",
        offers.search,
        "getProductOfferings",
        "Offers search (carrier DF 1.0.0): the catalog's offerings in the carrier's price model (before tax), "
        "by productOfferingTypeGroup, customerType, deviceType and the customer's own device (BYOD.edModels); "
        "an array, empty when nothing is found",
        scope=CARTS_READ,
        body=Body(OffersSearch, examples=_df_example("offers-search", "The carrier's own example (DF 1.0.0)")),
        answer=Answer(200, "The offerings found", list[CarrierOffering]),
        errors={**BODY_ERRORS, 503: UNAVAILABLE},
        headers=CALL,
        input_codes=OFFERS_INPUT,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/fulfillment-options",
        direct_fulfilment.fulfillment_options,
        "retrieveFulfillmentOptions",
        "Fulfillment options (carrier DF 1.0.0): the delivery options of each physical item of the order "
        "(selectedOptions[].options[]) and its validation, as of now; the order is not changed",
        scope=CARTS_READ,
        body=Body(
            FulfillmentOptionsRequest,
            examples=_df_example("fulfillment-options", "The carrier's own example (DF 1.0.0)"),
        ),
        answer=Answer(200, "The options", FulfillmentOptionsView),
        errors={**BODY_ERRORS, 404: NO_DF_ORDER, 409: DF_NOT_DRAFT, 503: UNAVAILABLE},
        headers=CALL,
        input_codes=FULFILMENT_INPUT,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/order/{orderId}/fulfillment",
        direct_fulfilment.select_fulfillment,
        "patchFulfillment",
        "Fulfillment selection (carrier DF 1.0.0): a delivery method (and store) per physical item, echoed "
        "with status success; its price joins the order's totals (a cart change: version + 1, new ETag)",
        scope=CARTS_WRITE,
        body=Body(
            FulfillmentSelection,
            examples=_df_example(
                "order-fulfillment",
                "The carrier's example (DF 1.0.0), with omnicart's delivery method id and an item id of the "
                "README's walk-through",
            ),
        ),
        answer=Answer(200, "The choices as recorded", FulfillmentSelectionResult, headers=(ETAG,)),
        errors={
            **BODY_ERRORS,
            404: NO_DF_ORDER,
            409: DF_NOT_DRAFT,
            422: OVER_LIMIT + "; or (`OMNICART-FULFILLMENT-0001`) a choice the order cannot have: an item not in "
            "it or with nothing to deliver, an unknown delivery method, a pick-up without a store",
            503: UNAVAILABLE,
        },
        headers=CHANGE,
        input_codes=FULFILMENT_INPUT,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/terms",
        direct_fulfilment.terms,
        "retrieveTerms",
        "Terms (carrier DF 1.0.0): the agreements the order needs now, to accept with "
        "POST /order/{orderId}/terms; the order is not changed",
        scope=CARTS_READ,
        body=Body(TermsRequest, examples=_df_example("terms", "The carrier's own example (DF 1.0.0)")),
        answer=Answer(200, "The agreements", TermsView),
        errors={**BODY_ERRORS, 404: NO_DF_ORDER, 409: DF_NOT_DRAFT, 503: UNAVAILABLE},
        headers=CALL,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/order/{orderId}/terms",
        direct_fulfilment.accept_terms,
        "patchTerms",
        "Terms consent (carrier DF 1.0.0): records the agreements accepted (a cart change: version + 1, new "
        "ETag) and answers the order's validation; an agreement not offered (nothing is recorded) or one "
        "still missing is answered in the body's `error` block, with 200",
        scope=CARTS_WRITE,
        body=Body(
            TermsConsent,
            examples=_df_example("order-terms", "Accepting the Wireless Customer Agreement as /terms offers it"),
        ),
        answer=Answer(
            200, "The order's validation, and `error` when something is wrong", TermsConsentResult, headers=(ETAG,)
        ),
        errors={**BODY_ERRORS, 404: NO_DF_ORDER, 409: DF_NOT_DRAFT, 503: UNAVAILABLE},
        headers=CHANGE,
    ),
    Operation(
        "POST",
        "/omni-svcs/v1/order/{orderId}/billing",
        direct_fulfilment.update_billing,
        "updateBilling",
        "Billing (carrier billing spec 1.0.0, tag sales-operations): AutoPay and paperless enrollment of the "
        "order (a cart change: version + 1, new ETag); the answer is omnicart's own",
        scope=CARTS_WRITE,
        body=Body(BillingRequest, examples=_df_example("order-billing", "The carrier's own example (billing 1.0.0)")),
        answer=Answer(200, "The enrollment recorded and the order's validation", BillingResult, headers=(ETAG,)),
        errors={
            **BODY_ERRORS,
            400: BAD_BODY + ", or an enrollment naming neither autoPay nor paperLess",
            404: NO_DF_ORDER,
            409: DF_NOT_DRAFT,
            503: UNAVAILABLE,
        },
        headers=CHANGE,
    ),
)
