"""The validation's messages: the codes, the making of a message, and the messages about
the cart as a whole and about fields omnicart does not model (the item rules are in
domain/rules.py, which puts them all together)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from omnicart.domain import credit
from omnicart.domain.cart import Cart
from omnicart.domain.context import CartLimits
from omnicart.domain.vocabulary import unseen_party_pairs, unseen_party_text
from omnicart.wire.cart import CartCreate, CreditDecision, MessageType, NameValue, ValidationMessage
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.open import did_you_mean


class Code(StrEnum):
    CART_EMPTY = "CART_EMPTY"
    TOO_MANY_ITEMS = "TOO_MANY_ITEMS"
    QUANTITY_OUT_OF_RANGE = "QUANTITY_OUT_OF_RANGE"
    ROOT_BUNDLE_NOT_FOUND = "ROOT_BUNDLE_NOT_FOUND"
    EXISTING_PRODUCT_REQUIRED = "EXISTING_PRODUCT_REQUIRED"
    OFFERING_NOT_FOUND = "OFFERING_NOT_FOUND"
    OFFERING_NOT_SELLABLE = "OFFERING_NOT_SELLABLE"
    BYOD_IMEI_MISSING = "BYOD_IMEI_MISSING"
    BYOD_IMEI_INVALID = "BYOD_IMEI_INVALID"
    PROTECTION_WITHOUT_DEVICE = "PROTECTION_WITHOUT_DEVICE"
    MULTIPLE_PLANS_ON_LINE = "MULTIPLE_PLANS_ON_LINE"
    PROTECTION_INELIGIBLE = "PROTECTION_INELIGIBLE"
    PRODUCT_OFFERING_TYPE_MISMATCH = "PRODUCT_OFFERING_TYPE_MISMATCH"
    UNKNOWN_TO_CUSTOMER = "UNKNOWN_TO_CUSTOMER"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    CREDIT_RISK_BLOCKS_ORDER = "CREDIT_RISK_BLOCKS_ORDER"
    ACTION_REASON_REQUIRED = "ACTION_REASON_REQUIRED"
    SWAP_WITHOUT_LINE = "SWAP_WITHOUT_LINE"
    PRODUCT_NOT_ON_LINE = "PRODUCT_NOT_ON_LINE"
    BOOLEAN_CHARACTERISTIC_INVALID = "BOOLEAN_CHARACTERISTIC_INVALID"
    NOT_A_CARRIER_ACTION = "NOT_A_CARRIER_ACTION"
    UNSEEN_PARTY_PAIR = "UNSEEN_PARTY_PAIR"


def cart_messages(count: int, limits: CartLimits) -> list[ValidationMessage]:
    """The messages about the cart as a whole, which come before those of its items."""
    messages: list[ValidationMessage] = []
    if not count:
        messages.append(message_of(Code.CART_EMPTY, "the cart has no items yet", type="info"))
    if count > limits.max_items:
        messages.append(
            message_of(
                Code.TOO_MANY_ITEMS,
                f"the cart holds {count} items; at most {limits.max_items} can be ordered",
            )
        )
    return messages


def credit_risk(order: Cart) -> list[ValidationMessage]:
    """The cart-wide rule of its credit decision: a class that blocks the order."""
    decision = order.creditDecision
    if not isinstance(decision, CreditDecision) or not credit.blocks_order(decision.creditRisk):
        return []
    return [
        message_of(
            Code.CREDIT_RISK_BLOCKS_ORDER,
            f"the customer's credit risk class is {decision.creditRisk!r}: the carrier lets no order proceed "
            "at this class (a new credit application may answer another)",
            extra=[NameValue("creditRisk", decision.creditRisk)],
        )
    ]


def party_pairs(order: Cart) -> list[ValidationMessage]:
    """A warning per party of a referredType/role pair the carrier's pages do not show."""
    return [
        message_of(
            Code.UNSEEN_PARTY_PAIR,
            unseen_party_text(index, party),
            type="warning",
            extra=[NameValue("field", f"relatedParty[{index}]")],
        )
        for index, party in unseen_party_pairs(order.relatedParty)
    ]


ITEM_FIELDS: tuple[str, ...] = tuple(name for name in ProductOrderItem.__struct_encode_fields__ if name != "__extra__")


def unknown_item_fields(item: ProductOrderItem) -> list[ValidationMessage]:
    """A warning per field of the item omnicart does not model, with the closest known one."""
    if not item.extra:
        return []
    return [_unknown_field(name, "item field", ITEM_FIELDS, item.productOrderItemId) for name in item.extra]


CART_FIELDS: tuple[str, ...] = tuple(name for name in CartCreate.__struct_encode_fields__ if name != "__extra__")


def unknown_cart_fields(order: Cart) -> list[ValidationMessage]:
    """A warning per top-level field of the Create Cart request omnicart does not model:
    kept and echoed as items' are, and named with the closest request field."""
    if not order.extra:
        return []
    return [_unknown_field(name, "field", CART_FIELDS) for name in order.extra]


def _unknown_field(name: str, what: str, known: Sequence[str], item_id: str | None = None) -> ValidationMessage:
    close = did_you_mean(name, known)
    hint = f"; did you mean `{close}`?" if close else ""
    return message_of(
        Code.UNKNOWN_FIELD,
        f"unknown {what} `{name}` is kept but not used{hint}",
        item_id=item_id,
        type="warning",
        extra=[NameValue("field", name), *([NameValue("didYouMean", close)] if close else [])],
    )


def message_of(
    code: Code,
    text: str,
    *,
    item_id: str | None = None,
    type: MessageType = "error",
    extra: list[NameValue] | None = None,
) -> ValidationMessage:
    parameter = [NameValue("code", code.value)]
    if item_id is not None:
        parameter.append(NameValue("productOrderItemId", item_id))
    parameter.extend(extra or ())
    return ValidationMessage(text=text, type=type, parameter=parameter)
