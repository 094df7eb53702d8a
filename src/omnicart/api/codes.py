"""Every error code omnicart answers, with its status in omnicart's profile, what kind of
failure it is and whose code it is: the table of docs/profiles.md ("Every code"), printed
by `python -m omnicart.api.answers codes`.

Gathered from where the codes are declared: the domain's errors with their statuses
(api/errors.py), the operation table's codes (each operation's input codes, business-rule
rejections, provider and downstream codes), and `EDGE`, the codes the HTTP layer and the
body decoding answer before any use case runs. tests/api/test_codes.py checks that every
code written in the sources is here, so the table cannot leave one out.

Kinds, so that a code alone tells them apart (no code is of two kinds):
- input: the request is wrong (malformed JSON, a bad field, query parameter or header, a
  body over a limit); the carrier's profile answers 400;
- business: the request is well formed and the cart or order refuses it (not ready to
  submit, the order system's OAV rejections, a cart no longer a draft);
- other: nothing found, credentials, rate, availability, a downstream failure, a bug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from omnicart.api.auth import FORBIDDEN, UNAUTHORIZED
from omnicart.api.errors import DOMAIN_STATUS
from omnicart.api.operation import Operation
from omnicart.api.profiles import CARRIER, OMNICART, REJECTION_STATUS, is_rejection
from omnicart.api.ratelimit import RATE_LIMITED
from omnicart.domain import errors as domain
from omnicart.domain.scenarios import REJECTIONS
from omnicart.wire.errors import INVALID_CART_REQUEST

Kind = Literal["input", "business", "other"]
CARRIER_PREFIX = "EXTSALESOPS-"
ANY_REJECTION = "00NN"  # an operation's rejections name the OAV codes as one, OAV-00NN


@dataclass(frozen=True)
class Code:
    code: str
    status: int  # omnicart's
    meaning: str

    @property
    def kind(self) -> Kind:
        if is_rejection(self.status, self.code) or (self.status == 409 and not self.code.startswith("OMNICART-IDEMP")):
            return "business"
        if CARRIER.status(self.status, self.code) == 400:
            return "input"
        return "other"

    @property
    def whose(self) -> str:
        return "the carrier's" if self.code.startswith(CARRIER_PREFIX) else "omnicart's own"


# Answered by the HTTP layer (middleware, routing) and the body decoding, not by a use case.
EDGE: tuple[Code, ...] = (
    Code("OMNICART-REQUEST-0001", 413, "the body is larger than the configured limit"),
    Code("OMNICART-REQUEST-0002", 415, "Content-Type is not application/json"),
    Code("OMNICART-REQUEST-0400-HOST", 400, "the Host header names a host this service does not answer to"),
    Code("OMNICART-REQUEST-0404", 404, "no such path"),
    Code("OMNICART-REQUEST-0405", 405, "the path does not take this method (Allow names those it takes)"),
    Code("OMNICART-REQUEST-0406", 406, "Accept rules out the answer's media type (details.mediaTypes names it)"),
    Code("OMNICART-IDEMPOTENCY-0400", 400, "Idempotency-Key is not 1 to 255 printable ASCII characters"),
    Code("OMNICART-IDEMPOTENCY-0409", 409, "a request with this Idempotency-Key is still being processed"),
    Code("OMNICART-IDEMPOTENCY-0001", 422, "this Idempotency-Key was already used for a different request"),
    Code("OMNICART-SCENARIO-0400", 400, "sandbox mode: a mock-scenario header omnicart does not know"),
    Code(UNAUTHORIZED, 401, "missing, invalid, expired or revoked credentials"),
    Code(FORBIDDEN, 403, "the credential lacks the operation's scope"),
    Code(RATE_LIMITED, 429, "the partner's rate limit is exhausted"),
    Code("OMNICART-METRICS-0401", 401, "/metrics without OMNICART_METRICS_TOKEN"),
    Code("OMNICART-METRICS-0404", 404, "/metrics when metrics are off"),
    Code("OMNICART-OFFERING-0404", 404, "no such product offering in the catalog"),
    Code(
        INVALID_CART_REQUEST,
        400,
        "malformed JSON (details.errors[0]: line, column, offset), a field of the"
        " wrong type or value, or a bad query parameter (details.errors names it)",
    ),
    Code("OMNICART-INTERNAL-0500", 500, "a bug: no details, the request id finds it in the log"),
)

# Domain errors whose code is given when raised (an operation's rejections and downstream
# codes say which), or never answered as an error (terms refusals are answered in the body).
_CODED_WHEN_RAISED = (domain.SubmissionRejected, domain.CartRejected)


# What each domain error means, in a few words (the table's; the classes' docstrings say more).
_MEANINGS: dict[type[domain.DomainError], str] = {
    domain.CartNotFound: "no such cart for this partner",
    domain.ItemNotFound: "no such item in the cart",
    domain.CartNotModifiable: "the cart is no longer a draft",
    domain.DuplicateItemId: "a productOrderItemId already used in the cart",
    domain.PreconditionFailed: "If-Match names a version that is no longer current (details.currentETag)",
    domain.LimitExceeded: "a configured limit is exceeded (details.errors names the field and the limit)",
    domain.StoreUnavailable: "the store is temporarily unavailable; retry after Retry-After seconds",
    domain.OrderNotFound: "no such order for this partner",
    domain.IllegalTransition: "an order state change the state machine does not allow",
    domain.CartNotReady: "express submit of a cart that is not ready to submit (details.validationMessage,"
    " details.configuration)",
    domain.HubNotFound: "no such listener for this partner",
    domain.InvalidHub: "a listener registration omnicart cannot honour",
    domain.CustomerNotFound: "customer/auth: no customer matches the identifiers given",
    domain.InvalidSelection: "a delivery choice the order cannot have",
    domain.ProviderMissing: "no provider is configured for what the request needs",
    domain.DownstreamFailure: "a provider failed, where the operation has no code of the carrier's for it",
    domain.AddressNotUsable: "an address a technician cannot be sent to (unknown, or not fiber-eligible)",
    domain.AppointmentRefused: "express submit cannot book the appointment it names",
    domain.CreditApplicantMissing: "a credit application for a cart without a customer party",
    domain.CreditApplicantUnknown: "a credit application for a customer the directory does not know",
    domain.BundleNotATree: "items rooted in an item that is itself rooted elsewhere (a chain or a cycle of"
    " bundles; details.productOrderItemIds names them)",
    domain.TextNotStorable: "a filter, form field or path id holding NUL (U+0000)",
}


def every_code(operations: Iterable[Operation]) -> list[Code]:
    """Each code once per status, in a stable order: the edge's, the domain's, then the
    operations' own."""
    found: dict[tuple[str, int], Code] = {}

    def add(code: Code) -> None:
        found.setdefault((code.code, code.status), code)

    for code in EDGE:
        add(code)
    for kind, status in DOMAIN_STATUS.items():
        if kind not in _CODED_WHEN_RAISED:
            add(Code(kind.code, status, _MEANINGS[kind]))
    for op in operations:
        if op.body is not None:
            inputs = op.input_codes
            if inputs.missing == inputs.invalid:
                add(Code(inputs.invalid, 400, "any input problem"))
            add(Code(inputs.missing, 400, "a required field is missing"))
            add(Code(inputs.invalid, 400, "an input problem other than a missing field"))
        for rejected, description in op.rejections.items():
            if rejected.endswith(ANY_REJECTION):  # each of the carrier's numbers
                prefix = rejected.removesuffix(ANY_REJECTION)
                for number, reason in REJECTIONS.items():
                    add(Code(prefix + number, REJECTION_STATUS, f"the order system's validation: {reason}"))
            else:
                add(Code(rejected, REJECTION_STATUS, description))
        if op.downstream is not None:
            add(Code(op.downstream, 502, "the provider behind the operation failed or timed out"))
    return sorted(found.values(), key=lambda c: (c.kind != "input", c.kind != "business", c.code, c.status))


def codes_table(operations: Iterable[Operation]) -> str:
    """The Markdown table of docs/profiles.md: every code, its kind and whose it is, and its
    status in both profiles."""
    lines = [
        "| code | kind | whose | omnicart | carrier | meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for code in every_code(operations):
        meaning = code.meaning.replace("\n", " ").replace("|", "\\|")
        lines.append(
            f"| `{code.code}` | {code.kind} | {code.whose} | {OMNICART.status(code.status, code.code)} | "
            f"{CARRIER.status(code.status, code.code)} | {meaning} |"
        )
    return "\n".join(lines) + "\n"
