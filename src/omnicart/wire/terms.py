"""Terms on the wire: the carrier's direct-fulfilment add-a-line calls for the agreements
an order needs (DF 1.0.0, reference §4.2 and §7.2).

- `POST /omni-svcs/v1/terms` (`retreiveterms`): `TermsRequest` in, `TermsView` out: the
  agreements to accept, each `{name, extensions: [{name, value}]}`.
- `POST /omni-svcs/v1/order/{orderId}/terms` (`patchterms`): `TermsConsent` in,
  `TermsConsentResult` out: the order's validation and, when something is wrong, the
  carrier's in-body `error` block `{errorCode, errorDescription, errorList[]}`.

What accepting does to the cart is the domain's (domain/agreements.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.cart import Extension, NameValue, Validation
from omnicart.wire.fulfilment import OrderId
from omnicart.wire.open import Open
from omnicart.wire.values import NonEmpty


class TermsRequest(msgspec.Struct, forbid_unknown_fields=True):
    """The order (its customer order id; its cart id works too)."""

    orderId: OrderId


class Agreement(msgspec.Struct, frozen=True):
    """An agreement the customer must accept: its `name`, and as `extensions` its `id`
    (e.g. "WCA", what express submit's `terms` names), `version`, `required` ("true")
    and `text`."""

    name: str
    extensions: list[NameValue]


class TermsView(msgspec.Struct):
    agreements: list[Agreement]


class AgreementConsent(Open):
    """An agreement the customer accepts, named as `/terms` named it (its `name`, or its
    id such as "WCA"); a `version` extension, when sent, must be the version offered."""

    name: NonEmpty
    extensions: Annotated[list[Extension], Meta(max_length=20)] | UnsetType = UNSET

    def extension(self, name: str) -> str | None:
        return next((e.value for e in self.extensions or () if e.name == name), None)


class TermsConsent(msgspec.Struct, forbid_unknown_fields=True):
    """`POST /omni-svcs/v1/order/{orderId}/terms`: the agreements accepted."""

    agreements: Annotated[list[AgreementConsent], Meta(min_length=1, max_length=20)]


TermsErrorCode = Literal["INVALID_TERMS_EXIST", "EXPECTED_TERMS_MISSING"]


class TermsErrorEntry(msgspec.Struct, frozen=True):
    """One thing wrong with the consent (omnicart's entry fields: the reference shows only
    `action`): `errorCode` "INVALID_TERMS_EXIST" (an agreement not offered for this order,
    or not in the version offered: nothing is recorded) or "EXPECTED_TERMS_MISSING" (an
    agreement the order needs is still not accepted), after the carrier's older submit
    codes; `name`: the agreement."""

    action: Literal["terms"]
    errorCode: TermsErrorCode
    errorMessage: str
    name: str


class TermsError(msgspec.Struct, frozen=True, kw_only=True):
    """The carrier's in-body error block (reference §7.2)."""

    errorCode: Literal["400-INVALID-REQUEST"] = "400-INVALID-REQUEST"
    errorDescription: Literal["Validation Failure"] = "Validation Failure"
    errorList: list[TermsErrorEntry]


class TermsConsentResult(msgspec.Struct, omit_defaults=True):
    """The order's validation after the consent, and `error` when something is wrong."""

    validation: Validation
    error: TermsError | UnsetType = UNSET
