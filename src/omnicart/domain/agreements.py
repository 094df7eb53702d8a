"""Agreements: the terms and conditions an order needs (domain/checkout.py, `terms_for`)
as the carrier's direct-fulfilment calls show them, and the customer's consent to them.

`POST /omni-svcs/v1/terms` shows each terms as an agreement `{name, extensions}`: its
name, and as extensions its `id` ("WCA"), `version`, `required` and `text`.
`POST /omni-svcs/v1/order/{orderId}/terms` accepts the agreements it lists, each named by
its `name` or its id (an `id` extension works too); a `version` extension, when sent,
must be the version offered. What it sends is read as a `Consent`:

- an agreement the order is not offered (or not in that version) is **refused**: the
  consent is not recorded at all (error "INVALID_TERMS_EXIST");
- otherwise every agreement named is accepted (recorded in the cart's `agreement[]`, as
  payment-methods' consent is), and each agreement the order needs that is accepted
  neither now nor before is **missing** (error "EXPECTED_TERMS_MISSING"): the `terms`
  configuration step stays pending (domain/configuration.py) until it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from omnicart.domain.payment import agreements as accepted_refs
from omnicart.wire.cart import AgreementRef, NameValue
from omnicart.wire.orders import Terms
from omnicart.wire.terms import Agreement, AgreementConsent, TermsError, TermsErrorCode, TermsErrorEntry


def agreement(terms: Terms) -> Agreement:
    return Agreement(
        name=terms.name,
        extensions=[
            NameValue("id", terms.id),
            NameValue("version", terms.version),
            NameValue("required", "true" if terms.required else "false"),
            NameValue("text", terms.text),
        ],
    )


@dataclass(frozen=True)
class Consent:
    accepted: list[AgreementRef]
    refused: list[TermsErrorEntry]
    missing: list[TermsErrorEntry]

    @property
    def error(self) -> TermsError | None:
        """The carrier's in-body error block, when something is wrong."""
        entries = [*self.refused, *self.missing]
        return TermsError(errorList=entries) if entries else None


def consent(offered: Sequence[Terms], sent: Iterable[AgreementConsent], before: Iterable[AgreementRef]) -> Consent:
    """What the agreements `sent` come to, for an order offered `offered` that had
    `before` accepted already."""
    accepted: dict[str, Terms] = {}
    refused = []
    for named in sent:
        terms = _named(offered, named)
        version = named.extension("version")
        if terms is None:
            refused.append(_entry("INVALID_TERMS_EXIST", named.name, "is not an agreement this order needs"))
        elif version is not None and version != terms.version:
            refused.append(
                _entry(
                    "INVALID_TERMS_EXIST", named.name, f"version {version!r} is not the one offered ({terms.version})"
                )
            )
        else:
            accepted[terms.id] = terms
    done = {ref.id for ref in before}
    if not refused:
        done |= accepted.keys()
    missing = [
        _entry("EXPECTED_TERMS_MISSING", t.name, "must be accepted before the order is submitted")
        for t in offered
        if t.required and t.id not in done
    ]
    return Consent([] if refused else accepted_refs(accepted.values()), refused, missing)


def _named(offered: Sequence[Terms], named: AgreementConsent) -> Terms | None:
    wanted = {named.name, named.extension("id")}
    return next((t for t in offered if t.name in wanted or t.id in wanted), None)


def _entry(code: TermsErrorCode, name: str, reason: str) -> TermsErrorEntry:
    return TermsErrorEntry(action="terms", errorCode=code, errorMessage=f"{name}: {reason}", name=name)
