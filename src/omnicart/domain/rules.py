"""Validating a cart: can this draft be submitted, and if not, why not.

`validate_cart` never removes or changes items: a draft may be invalid while the partner
is still building it; it is only not ready to submit. It returns the carrier's
validation object:

- `status`: "invalid" when any message is an error, else "valid".
- `readyToSubmit`: true when there is no error, at least one item, and every `required`
  configuration step is `complete`.
- `validationMessage[]`: a `text` for people, a `type` ("error", "warning" or "info") and
  `parameter` entries for programs: `code` (a stable `Code`) and, when the message is
  about one item, its `productOrderItemId`.
- `configuration[]`: the steps before the order can be placed, `pending` or `complete`
  (domain/configuration.py says which, when each is required and what completes it).

The rules, by code:

- CART_EMPTY (info): nothing to submit yet.
- CREDIT_RISK_BLOCKS_ORDER: the cart's credit decision is a class the carrier lets no
  order proceed with ("Fraud Risk", "Abusive Risk", "Analyst Review"); a new credit
  application that answers another class clears it.
- TOO_MANY_ITEMS: more than `CartLimits.max_items` items.
- QUANTITY_OUT_OF_RANGE: quantity outside 1..`CartLimits.max_quantity`.
- ROOT_BUNDLE_NOT_FOUND: rootBundleProductOrderItemId names no item of the cart.
- EXISTING_PRODUCT_REQUIRED: noChange/modify/terminate/delete without `product.id` or
  subscriberNumber (for `delete` and `modify`, the text names the carrier's way instead).
- NOT_A_CARRIER_ACTION (warning): TMF622's `modify` or `delete`, which the carrier's pages
  never show: accepted, with what omnicart does with it (domain/vocabulary.py).
- UNSEEN_PARTY_PAIR (warning): a relatedParty whose referredType/role pair the carrier's
  pages do not show; the text names the pairs they do.
- ACTION_REASON_REQUIRED: a `terminate` (or `delete`, the same) without the reason the carrier requires with it
  (its BYOD page: "Memo text required if selected"): an `actionReason` with a `name`
  (the reason code, e.g. "LC") and a `reasonText` (the memo), neither blank.
- UNKNOWN_TO_CUSTOMER: the cart's customer is one the customer directory knows (in the
  sandbox: a test customer of the world, docs/sandbox.md) and the item names a product
  (noChange/terminate `product.id`), a line (`subscriberNumber`) or an account
  (`billingAccount.id`) that is not theirs.
- SWAP_WITHOUT_LINE: a `swap;add` (a device swapped into an existing line, as BYOD) whose
  bundle is no existing line: it must hang (rootBundleProductOrderItemId) under a root
  that keeps a line (`noChange` or `modify`) and names it (`subscriberNumber`). Whether
  that line is the customer's is UNKNOWN_TO_CUSTOMER's, on the root.
- PRODUCT_NOT_ON_LINE: the customer directory knows the customer, and an existing product
  kept or ended (noChange/terminate `product.id`) is theirs but on another line than the
  one its item acts on (its own `subscriberNumber`, else its bundle root's line): a swap
  acts on one line.
- OFFERING_NOT_FOUND: an item that orders something names no catalog offering.
- OFFERING_NOT_SELLABLE: the offering is outside its validFor, or not for this channel
  (`channel.id`) or customer type (the customer party's `CustomerType` extension). Not
  for a device the customer brings (isBYOD "true"): its offering names the model, which
  is not sold (a phone no longer on sale may be brought).
- BYOD_IMEI_MISSING: a device with characteristic isBYOD "true" and no IMEI.
- BYOD_IMEI_INVALID: an IMEI that is not 15 digits with a valid Luhn check digit. It is
  checked wherever it is given, also on a protection item naming the customer's device.
- BOOLEAN_CHARACTERISTIC_INVALID: a characteristic the carrier gives as a boolean in a
  string (`isBYOD`, `eSIM_Enabled`) is neither "true" nor "false" (any case): "yes" would
  otherwise silently mean "not BYOD" and charge the customer for their own phone.
- PROTECTION_WITHOUT_DEVICE: device protection with neither a device in its bundle nor an
  IMEI of the customer's own device.
- MULTIPLE_PLANS_ON_LINE: a second plan (Mobile_Offer) in one bundle; terminated plans do
  not count, and the first plan in cart order is the one kept.
- PRODUCT_OFFERING_TYPE_MISMATCH: the item's productOfferingType contradicts the type of
  the catalog offering it names (a plan's id sent as "Mobile_Device"); the catalog's type
  is what omnicart prices and checks, so the item must say the same (a plan may be called
  "Mobile_Offer" or "Mobile_Plan", the carrier's two names of it).
- UNKNOWN_FIELD (warning): the item holds a field omnicart does not model. It is kept and
  echoed (partners send more than any schema lists), but a misspelling loses what it
  meant (`characteristics` for `characteristic` drops the isBYOD flag), so the message
  names the field (`field` parameter) and suggests the closest known one. The same for a
  top-level field of the Create Cart request (`relatedparty`, `cartItems`), kept and
  echoed on the cart: a cart-wide warning (no productOrderItemId).
- PROTECTION_INELIGIBLE: the carrier found the device of a device protection item
  ineligible for protection. omnicart has no device records to find this in; only the
  sandbox scenario `protection_ineligible` (docs/sandbox.md) asks for it, through
  `validate_cart(..., protection_ineligible=True)`.

Only items that order something ("add", "swap;add", ...) are checked against the catalog;
items that keep or end an existing product are described by the customer's account.

A rule checks one item (with its `ItemFacts`) against what it knows of the cart beyond
that item, the `CartContext`. `validate_cart` is the one place they run, on a cart's items
worked out anew or on the facts `domain/assessment.py` kept of them since the last change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from omnicart.domain import credit
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import (
    DEVICE,
    ENDING_ACTIONS,
    EXISTING_PRODUCT_ACTIONS,
    PLAN,
    PROTECTION,
    Catalog,
    is_byod,
    kind_of,
)
from omnicart.domain.checkout import terms_of
from omnicart.domain.configuration import configuration_steps, ready
from omnicart.domain.context import CartContext, CartLimits, ItemFacts
from omnicart.domain.delivery import PHYSICAL_TYPES
from omnicart.domain.ids import is_valid_imei
from omnicart.domain.messages import (
    Code,
    cart_messages,
    credit_risk,
    message_of,
    party_pairs,
    unknown_cart_fields,
    unknown_item_fields,
)
from omnicart.domain.vocabulary import instead_of, tmf_action_text
from omnicart.domain.world import BROADBAND, Holdings
from omnicart.wire.cart import Validation, ValidationMessage
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.orders import Terms

__all__ = ["DEVICE", "PLAN", "PROTECTION", "CartContext", "CartLimits", "Code", "ItemFacts", "validate_cart"]


# -- the item rules: each returns (code, text) when the item breaks it ------------------

Finding = tuple[Code, str] | None


def _quantity(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if not 1 <= item.quantity <= cart.limits.max_quantity:
        return (
            Code.QUANTITY_OUT_OF_RANGE,
            f"quantity {item.quantity} is not between 1 and {cart.limits.max_quantity}",
        )
    return None


def _root_bundle(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    root = facts.root
    if root is not None and root not in cart.item_ids:
        return (
            Code.ROOT_BUNDLE_NOT_FOUND,
            f"rootBundleProductOrderItemId {root!r} is not an item of this cart",
        )
    return None


def _existing_product(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if item.action not in EXISTING_PRODUCT_ACTIONS:
        return None
    if item.product_id or item.subscriberNumber:
        return None
    return (
        Code.EXISTING_PRODUCT_REQUIRED,
        f"action {item.action!r} needs the existing product: product.id or subscriberNumber" + instead_of(item.action),
    )


def _offering(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if not facts.orders:
        return None
    offering = facts.offering
    if item.offering_id is None:
        return Code.OFFERING_NOT_FOUND, f"action {item.action!r} needs a productOfferingId"
    if offering is None:
        return (
            Code.OFFERING_NOT_FOUND,
            f"productOfferingId {item.productOfferingId!r} is not in the catalog",
        )
    reason = None if facts.byod else cart.unsellable_reason(offering)
    if reason is not None:
        return Code.OFFERING_NOT_SELLABLE, f"{offering.name!r} {reason}"
    return None


def _imei(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if not facts.orders:
        return None
    imei = item.characteristic_value("IMEI")
    if imei is None:
        if is_byod(item):
            return Code.BYOD_IMEI_MISSING, "a BYOD device (isBYOD) needs an IMEI characteristic"
        return None
    if not is_valid_imei(imei):
        return (
            Code.BYOD_IMEI_INVALID,
            f"IMEI {imei!r} is not 15 digits ending in a valid check digit",
        )
    return None


def _protection(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if not facts.protection:
        return None
    if facts.bundle in cart.bundles_with_device or item.characteristic_value("IMEI"):
        return None
    return (
        Code.PROTECTION_WITHOUT_DEVICE,
        "device protection needs a device in its bundle (rootBundleProductOrderItemId) "
        "or the IMEI of the customer's own device",
    )


def _one_plan_per_line(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if facts.role != PLAN:
        return None
    kept = cart.first_plan[facts.bundle]
    if kept != facts.id:
        return Code.MULTIPLE_PLANS_ON_LINE, f"this line already has the plan of item {kept!r}"
    return None


def _protection_eligible(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if not (facts.protection and cart.protection_ineligible):
        return None
    return (
        Code.PROTECTION_INELIGIBLE,
        "the customer's device is not eligible for device protection",
    )


def _type_matches_catalog(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    offering = facts.offering
    if offering is None or not item.productOfferingType or not facts.orders:
        return None
    if kind_of(item.productOfferingType) == kind_of(offering.productOfferingType):
        return None
    return (
        Code.PRODUCT_OFFERING_TYPE_MISMATCH,
        f"productOfferingType {item.productOfferingType!r} contradicts the catalog: "
        f"{item.productOfferingId!r} ({offering.name!r}) is a {offering.productOfferingType!r}",
    )


def _customers_own(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    holdings = cart.holdings
    if holdings is None:
        return None
    whose = f"customer {holdings.customer_id!r}"
    product_id = item.product_id
    if product_id and item.action in EXISTING_PRODUCT_ACTIONS and product_id not in holdings.products:
        return Code.UNKNOWN_TO_CUSTOMER, f"product.id {product_id!r} is not a product of {whose}"
    if item.subscriberNumber and item.subscriberNumber not in holdings.subscriber_numbers:
        return Code.UNKNOWN_TO_CUSTOMER, f"subscriberNumber {item.subscriberNumber!r} is not a line of {whose}"
    account = item.billingAccount.id if item.billingAccount else None
    if account and account not in holdings.billing_accounts:
        return Code.UNKNOWN_TO_CUSTOMER, f"billingAccount.id {account!r} is not an account of {whose}"
    return None


def _action_reason(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if item.action not in ENDING_ACTIONS:
        return None
    reason = item.actionReason or None
    missing = [field for field in ("name", "reasonText") if not (reason and (getattr(reason, field) or "").strip())]
    if not missing:
        return None
    return (
        Code.ACTION_REASON_REQUIRED,
        f"action {item.action!r} needs its actionReason: {' and '.join(missing)} missing "
        '(the reason code, e.g. "LC", and its memo text)',
    )


def _swap_on_a_line(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    if item.action != "swap;add" or (facts.root is not None and facts.root not in cart.item_ids):
        return None  # no swap, or ROOT_BUNDLE_NOT_FOUND says what is wrong
    if facts.bundle in cart.line_of:
        return None
    return (
        Code.SWAP_WITHOUT_LINE,
        "a swap;add acts on an existing line: its rootBundleProductOrderItemId must name the line's "
        "bundle root, an item that keeps the line (noChange, modify) and names its subscriberNumber",
    )


def _product_on_its_line(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    holdings = cart.holdings
    product_id = item.product_id
    if holdings is None or product_id is None or item.action not in EXISTING_PRODUCT_ACTIONS:
        return None
    on = holdings.line_of.get(product_id)
    line = item.subscriberNumber or cart.line_of.get(facts.bundle)
    # Not theirs at all (or the line not theirs): UNKNOWN_TO_CUSTOMER says it.
    if on is None or not line or line == on or line not in holdings.subscriber_numbers:
        return None
    return Code.PRODUCT_NOT_ON_LINE, f"product.id {product_id!r} is on line {on!r}, not on line {line!r}"


_BOOLEANS = frozenset({"true", "false"})
BOOLEAN_CHARACTERISTICS = frozenset({"isBYOD", "eSIM_Enabled"})


def _boolean_characteristics(item: ProductOrderItem, facts: ItemFacts, cart: CartContext) -> Finding:
    for entry in item.characteristic:
        if entry.name in BOOLEAN_CHARACTERISTICS and entry.value.lower() not in _BOOLEANS:
            return (
                Code.BOOLEAN_CHARACTERISTIC_INVALID,
                f'characteristic {entry.name} is {entry.value!r}; it takes "true" or "false"',
            )
    return None


ItemRule = Callable[[ProductOrderItem, ItemFacts, CartContext], Finding]

ITEM_RULES: tuple[ItemRule, ...] = (
    _quantity,
    _root_bundle,
    _existing_product,
    _action_reason,
    _customers_own,
    _swap_on_a_line,
    _product_on_its_line,
    _offering,
    _type_matches_catalog,
    _imei,
    _boolean_characteristics,
    _protection,
    _one_plan_per_line,
    _protection_eligible,
)


# -- the whole cart ---------------------------------------------------------------------


def validate_cart(
    order: Cart,
    catalog: Catalog,
    at: datetime,
    limits: CartLimits = CartLimits(),
    *,
    protection_ineligible: bool = False,
    facts: Sequence[ItemFacts] | None = None,
    holdings: Holdings | None = None,
) -> Validation:
    """The cart's validation object. `facts` holds each item's `ItemFacts`, in cart order,
    when the caller kept them for these very items (domain/assessment.py)."""
    if facts is None:
        facts = [ItemFacts(item, catalog) for item in order.productOrderItem]
    cart = CartContext.of(order, facts, catalog, at, limits, protection_ineligible, holdings)
    messages = cart_messages(len(facts), limits) + credit_risk(order) + party_pairs(order) + unknown_cart_fields(order)
    about = cart.about
    for item in facts:
        seen = about(item)
        if seen != item.seen:
            item.messages = _item_messages(item, cart)
            item.seen = seen
        messages += item.messages
    ordered = [item.ordered for item in facts if item.ordered is not None]
    terms = terms_of(ordered) if facts else []
    needs_credit = credit.needs_decision(kind for kind, _ in ordered)
    installs = any(kind == BROADBAND for kind, _ in ordered)
    shipped = {item.id for item in facts if item.ordered is not None and item.ordered[0] in PHYSICAL_TYPES}
    due_today = any(item.due_today for item in facts)
    return _validation(order, messages, terms, due_today, shipped, needs_credit, installs)


def _item_messages(facts: ItemFacts, cart: CartContext) -> list[ValidationMessage]:
    """Every message about one item, in rule order."""
    item = facts.item
    messages = []
    for rule in ITEM_RULES:
        finding = rule(item, facts, cart)
        if finding is not None:
            messages.append(message_of(*finding, item_id=facts.id))
    messages.extend(unknown_item_fields(item))
    carrier_action = tmf_action_text(item.action)
    if carrier_action is not None:
        messages.append(message_of(Code.NOT_A_CARRIER_ACTION, carrier_action, item_id=facts.id, type="warning"))
    return messages


def _validation(
    order: Cart,
    messages: list[ValidationMessage],
    terms: list[Terms],
    due_today: bool,
    shipped: set[str],
    needs_credit: bool = False,
    installs: bool = False,
) -> Validation:
    """The validation object from every message, the cart's terms, whether something is
    due today, the items it ships, whether it needs a credit decision and whether a
    technician installs something (fiber)."""
    items = order.productOrderItem
    valid = not any(message.type == "error" for message in messages)
    steps = configuration_steps(order, terms, due_today, shipped, needs_credit, installs) if items else []
    return Validation(
        status="valid" if valid else "invalid",
        readyToSubmit=ready(valid, bool(items), steps),
        validationMessage=messages,
        configuration=steps,
    )
