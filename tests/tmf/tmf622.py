"""TMF622 Product Ordering v4 for the tests: JSON Schemas of its answers, written by hand
from TM Forum's TMF622 v4.0.0 specification (its `ProductOrder`, `ProductOrderItem`,
`OrderPrice`, `RelatedParty`, and `CancelProductOrder` definitions; `additionalProperties`
left open, as TMF's polymorphism allows), and what the CTK checks of every productOrder.

`required` is the specification's, and for the ProductOrder also what the CTK
(`tmforum-rand/CTK-TMF622-ProductOrdering`) requires of every instance.
"""

from __future__ import annotations

from typing import Any

import jsonschema

BASE = "/tmf-api/productOrderingManagement/v4"
ORDERS = f"{BASE}/productOrder"
CANCELLATIONS = f"{BASE}/cancelProductOrder"

DATE_TIME = {"type": "string", "format": "date-time"}
TEXT = {"type": "string"}
POLYMORPHIC = {"@type": TEXT, "@baseType": TEXT, "@schemaLocation": TEXT}
STATES = [
    "acknowledged",
    "rejected",
    "pending",
    "held",
    "inProgress",
    "cancelled",
    "completed",
    "failed",
    "partial",
    "assessingCancellation",
    "pendingCancellation",
]
MONEY = {"type": "object", "properties": {"unit": TEXT, "value": {"type": "number"}}}
PRICE = {
    "type": "object",
    "properties": {
        "dutyFreeAmount": MONEY,
        "taxIncludedAmount": MONEY,
        "taxRate": {"type": "number"},
        "percentage": {"type": "number"},
        **POLYMORPHIC,
    },
}
ORDER_PRICE = {
    "type": "object",
    "properties": {
        "name": TEXT,
        "description": TEXT,
        "priceType": TEXT,
        "recurringChargePeriod": TEXT,
        "unitOfMeasure": TEXT,
        "price": PRICE,
        "priceAlteration": {"type": "array"},
        **POLYMORPHIC,
    },
}
REF = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": TEXT, "href": TEXT, "name": TEXT, "@referredType": TEXT},
}
RELATED_PARTY = {
    "type": "object",
    "required": ["id", "@referredType"],
    "properties": {"id": TEXT, "href": TEXT, "name": TEXT, "role": TEXT, "@referredType": TEXT, **POLYMORPHIC},
}
RELATED_CHANNEL = {
    "type": "object",
    "properties": {"id": TEXT, "href": TEXT, "name": TEXT, "role": TEXT, "@referredType": TEXT},
}
ORDER_ITEM = {
    "type": "object",
    "required": ["id", "action"],
    "properties": {
        "id": TEXT,
        "action": {"enum": ["add", "modify", "delete", "noChange"]},
        "quantity": {"type": "integer"},
        "state": {"enum": STATES},
        "productOffering": REF,
        "itemPrice": {"type": "array", "items": ORDER_PRICE},
        "itemTotalPrice": {"type": "array", "items": ORDER_PRICE},
        **POLYMORPHIC,
    },
}
NOTE = {"type": "object", "properties": {"id": TEXT, "author": TEXT, "date": DATE_TIME, "text": TEXT, **POLYMORPHIC}}
PRODUCT_ORDER = {
    "type": "object",
    "required": ["id", "href", "orderDate", "state", "productOrderItem", "relatedParty"],
    "properties": {
        "id": TEXT,
        "href": {"type": "string", "pattern": "^https?://"},
        "cancellationDate": DATE_TIME,
        "cancellationReason": TEXT,
        "category": TEXT,
        "completionDate": DATE_TIME,
        "description": TEXT,
        "expectedCompletionDate": DATE_TIME,
        "externalId": TEXT,
        "notificationContact": TEXT,
        "orderDate": DATE_TIME,
        "priority": TEXT,
        "requestedCompletionDate": DATE_TIME,
        "requestedStartDate": DATE_TIME,
        "state": {"enum": STATES},
        "agreement": {"type": "array", "items": REF},
        "channel": {"type": "array", "items": RELATED_CHANNEL},
        "note": {"type": "array", "items": NOTE},
        "orderTotalPrice": {"type": "array", "items": ORDER_PRICE},
        "productOrderItem": {"type": "array", "minItems": 1, "items": ORDER_ITEM},
        "relatedParty": {"type": "array", "items": RELATED_PARTY},
        **POLYMORPHIC,
    },
}
CANCEL_PRODUCT_ORDER = {
    "type": "object",
    "required": ["id", "href", "productOrder", "state"],
    "properties": {
        "id": TEXT,
        "href": {"type": "string", "pattern": "^https?://"},
        "cancellationReason": TEXT,
        "effectiveCancellationDate": DATE_TIME,
        "requestedCancellationDate": DATE_TIME,
        "creationDate": DATE_TIME,
        "productOrder": REF,
        "state": {"enum": ["acknowledged", "rejected", "inProgress", "cancelled", "done", "terminatedWithError"]},
        **POLYMORPHIC,
    },
}
_CHECKER = jsonschema.Draft7Validator.FORMAT_CHECKER


def conforms(document: Any, schema: dict[str, Any]) -> None:
    """Raise with every violation if `document` does not follow `schema`."""
    errors = sorted(jsonschema.Draft7Validator(schema, format_checker=_CHECKER).iter_errors(document), key=str)
    assert not errors, [f"{list(error.absolute_path)}: {error.message}" for error in errors]


PRODUCT_ORDERS = {"type": "array", "items": PRODUCT_ORDER}
CANCEL_PRODUCT_ORDERS = {"type": "array", "items": CANCEL_PRODUCT_ORDER}
