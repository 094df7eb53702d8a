"""Domain failures. Each names what went wrong in the API's own words and carries a
stable code; the HTTP layer decides the status code from the class alone."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "OMNICART-CART-0000"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class CartNotFound(DomainError):
    code = "OMNICART-CART-0404"

    def __init__(self, cart_id: str) -> None:
        super().__init__(f"cart {cart_id!r} was not found")


class ItemNotFound(DomainError):
    code = "OMNICART-ITEM-0404"

    def __init__(self, item_id: str) -> None:
        super().__init__(f"productOrderItem {item_id!r} is not in this cart")


class BundleNotATree(DomainError):
    """Items whose rootBundleProductOrderItemId names an item that is not a bundle root (it
    names a root of its own): a chain or a cycle of bundles (domain/bundles.py). Bad input,
    a 400, naming each such item, its root and where that root is rooted."""

    code = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"

    def __init__(self, wrong: list[tuple[str, str, str]]) -> None:
        errors = [
            {
                "field": "rootBundleProductOrderItemId",
                "reason": f"item {member!r} is rooted in {root!r}, which is not a bundle root "
                f"(it is rooted in {beyond!r}); a bundle's root names no root",
            }
            for member, root, beyond in wrong
        ]
        named = sorted({name for entry in wrong for name in entry})
        super().__init__(
            "invalid request: " + "; ".join(e["reason"] for e in errors),
            {"errors": errors, "productOrderItemIds": named},
        )


class CartNotModifiable(DomainError):
    code = "OMNICART-CART-0409"

    def __init__(self, cart_id: str, state: str) -> None:
        super().__init__(
            f"cart {cart_id!r} is {state} and can no longer be changed",
            {"state": state},
        )


class DuplicateItemId(DomainError):
    code = "OMNICART-ITEM-0409"

    def __init__(self, item_id: str) -> None:
        super().__init__(
            f"productOrderItemId {item_id!r} is already used in this cart",
            {"errors": [{"field": "productOrderItemId", "reason": "must be unique in the cart"}]},
        )


class PreconditionFailed(DomainError):
    code = "OMNICART-CART-0412"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            "the cart has changed since the version named in If-Match",
            {"currentETag": current_etag},
        )
        self.current_etag = current_etag


class LimitExceeded(DomainError):
    code = "OMNICART-LIMIT-0001"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason, {"errors": [{"field": field, "reason": reason}]})


class StoreUnavailable(DomainError):
    """The store cannot be reached or is too busy right now; the client may retry."""

    code = "OMNICART-STORE-0503"
    retry_after_seconds = 1  # what the API and the console tell the client to wait

    def __init__(self, reason: str = "the cart store is temporarily unavailable") -> None:
        super().__init__(reason)


class TextNotStorable(DomainError):
    """A text the request gave outside its body (a filter, a form field, an id in the path)
    holds NUL (U+0000), which PostgreSQL's text can neither hold nor compare: bad input,
    whichever parameter carried it. Found at the store's boundary, the one place every text
    parameter passes (store/postgres.py); a body's strings are refused earlier, while decoding."""

    code = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"

    def __init__(self) -> None:
        reason = "must not contain NUL characters (U+0000)"
        super().__init__(
            f"invalid request: a parameter {reason}", {"errors": [{"field": "parameter", "reason": reason}]}
        )


# -- orders ------------------------------------------------------------------------------


class OrderNotFound(DomainError):
    code = "OMNICART-ORDER-0404"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id!r} was not found")


class IllegalTransition(DomainError):
    """An order state change the state machine does not allow (domain/order.py)."""

    code = "OMNICART-ORDER-0409"

    def __init__(self, order_id: str, current: str, target: str, allowed: list[str]) -> None:
        super().__init__(
            f"order {order_id!r} is {current}; it cannot go from {current} to {target}",
            {"state": current, "requestedState": target, "allowedStates": allowed},
        )


class CartNotReady(DomainError):
    """Express submit of a cart whose validation does not allow it: a business-rule
    rejection, so not the carrier's input code SHOPPING_CART-0002 (a bad request) but
    omnicart's own (the carrier's tables name none for it); `details.validationMessage`
    says why, and `details.configuration` lists the required steps still pending."""

    code = "OMNICART-CART-0001"

    def __init__(
        self, cart_id: str, messages: list[dict[str, Any]], pending: list[dict[str, Any]] | None = None
    ) -> None:
        reasons = [str(m.get("text")) for m in messages]
        reasons += [f"{step['type']} is required and still {step['status']}" for step in pending or ()]
        details: dict[str, Any] = {"validationMessage": messages}
        if pending:
            details["configuration"] = pending
        super().__init__(f"cart {cart_id!r} is not ready to submit: " + "; ".join(reasons), details)


class SubmissionRejected(DomainError):
    """The order system refused the order (in omnicart: the sandbox scenario
    `submit_rejected`), with one of the carrier's own rejection codes."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"the order was rejected: {reason}", {"reason": reason})
        self.code = code


class CartRejected(DomainError):
    """The order system's validation refused a cart change (Create Cart, Add Items) with one
    of the carrier's EXTSALESOPS-CART_CREATE-OAV-… codes (in omnicart: the sandbox scenario
    `cart_rejected`). Nothing is written."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"the cart was rejected by the order validation: {reason}", {"reason": reason})
        self.code = code


class HubNotFound(DomainError):
    code = "OMNICART-HUB-0404"

    def __init__(self, hub_id: str) -> None:
        super().__init__(f"hub {hub_id!r} was not found")


class InvalidHub(DomainError):
    """A listener registration omnicart cannot honour."""

    code = "OMNICART-HUB-0400"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid hub: {field}: {reason}", {"errors": [{"field": field, "reason": reason}]})


# -- customers --------------------------------------------------------------------------


class CustomerNotFound(DomainError):
    """customer/auth: no customer matches the identifiers given (omnicart's own code: the
    carrier's pages show only the success)."""

    code = "OMNICART-CUSTOMER-0404"

    def __init__(self) -> None:
        super().__init__("no customer matches the identifiers given")


# -- direct fulfilment -------------------------------------------------------------------


class InvalidSelection(DomainError):
    """A delivery method chosen for an item that cannot have it (domain/delivery.py): the
    item is not in the order or has nothing to deliver, the method is unknown, a pick-up
    names no store. Nothing is recorded."""

    code = "OMNICART-FULFILLMENT-0001"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(
            f"invalid fulfilment choice: {field}: {reason}", {"errors": [{"field": field, "reason": reason}]}
        )


class TermsRefused(DomainError):
    """A terms consent naming agreements the order is not offered (domain/agreements.py):
    nothing is recorded. The direct-fulfilment terms call answers it in its body (200 with
    the carrier's `error` block, `entries` its `errorList`), not as an error."""

    code = "OMNICART-TERMS-0422"

    def __init__(self, entries: list[Any]) -> None:
        super().__init__("an agreement named is not one this order needs", {"errorList": entries})
        self.entries = entries


# -- providers (address validation, customer directory, credit bureau, scheduling) --------


class ProviderMissing(DomainError):
    """No provider is configured for what the request needs (production mode without one):
    omnicart answers that it cannot, rather than make data up (docs/providers.md)."""

    code = "OMNICART-PROVIDER-0501"

    def __init__(self, capability: str) -> None:
        super().__init__(
            f"no {capability} provider is configured: set OMNICART_PROVIDERS (docs/providers.md)",
            {"provider": capability},
        )


class DownstreamFailure(DomainError):
    """A provider behind the request failed or did not answer in time. `code` is the
    carrier's code for the downstream system of the operation (its error tables); the HTTP
    layer fills it in from the operation when the provider did not know it."""

    code = "OMNICART-PROVIDER-0001"

    def __init__(self, capability: str, reason: str, code: str | None = None) -> None:
        super().__init__(f"the {capability} service failed: {reason}", {"provider": capability})
        if code is not None:
            self.code = code


# -- technician appointments (domain/appointments.py) --------------------------------------


class AddressNotUsable(DomainError):
    """An address a fiber cart's checkout would offer technician slots at, which the
    address provider does not know or where fiber cannot be installed. `field` is where
    the request or the cart names it. A 400 in the checkout's input code."""

    code = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid request: {field}: {reason}", {"errors": [{"field": field, "reason": reason}]})


class AppointmentRefused(DomainError):
    """Express submit cannot book the appointment it names: the slot is full, unknown, past
    or not offered (sandbox: mock-scenario no_appointment_slots), or the cart orders nothing
    a technician installs. Nothing is written: the cart stays a draft (omnicart's code)."""

    code = "OMNICART-APPOINTMENT-0409"

    def __init__(self, slot_id: str, reason: str) -> None:
        super().__init__(
            f"the appointment {slot_id!r} cannot be booked: {reason}", {"appointment": slot_id, "reason": reason}
        )


# -- credit applications (domain/credit.py) -----------------------------------------------


class CreditApplicantMissing(DomainError):
    """A credit application for a cart without a customer party: nobody to assess. The
    request is well formed, the cart is not fit for it (422; the carrier's profile: 400)."""

    code = "OMNICART-CREDIT-0001"

    def __init__(self, cart_id: str) -> None:
        super().__init__(
            f"cart {cart_id!r} has no customer party (a relatedParty with role 'customer'): "
            "a credit application assesses the cart's customer",
            {"errors": [{"field": "relatedParty", "reason": "no party with role 'customer'"}]},
        )


class CreditApplicantUnknown(DomainError):
    """A credit application for a cart whose customer the customer directory does not
    know (in the sandbox: not a customer of the sandbox world)."""

    code = "OMNICART-CREDIT-0002"

    def __init__(self, customer_id: str) -> None:
        super().__init__(
            f"the cart's customer {customer_id!r} is not known to the customer directory",
            {"customerId": customer_id},
        )
