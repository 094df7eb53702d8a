"""Every answer an operation can give (its success, each documented error, each
business-rule rejection), in omnicart's statuses and, through `Profile.status`, in each
profile: what the OpenAPI document lists and what docs/profiles.md tabulates
(`python -m omnicart.api.answers` prints that table)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import msgspec

from omnicart.api.negotiation import NOT_ACCEPTABLE_ANSWER
from omnicart.api.operation import CART_INPUT, DOWNSTREAM, NO_PROVIDER, Operation
from omnicart.api.operations import OPERATIONS
from omnicart.api.profiles import CARRIER, OMNICART, REJECTION_STATUS
from omnicart.domain.errors import ProviderMissing

# What every operation that requires a scope can answer, before its handler runs (api/auth.py,
# api/ratelimit.py).
GUARDED = {
    401: "Missing, invalid, expired or revoked credentials",
    403: "The credential lacks the scope this operation requires",
    429: "The partner's rate limit is exhausted; retry after Retry-After seconds",
}


def error_sources(op: Operation) -> list[Mapping[int, str]]:
    """What an operation can answer besides success, in omnicart's statuses: its own
    errors first, then what its query, headers and scope add."""
    query = (
        "A query parameter it does not take, or a value out of range"
        if msgspec.structs.fields(op.query)
        else "Any query parameter: it takes none"
    )
    sources: list[Mapping[int, str]] = [op.errors, {400: query}, *(h.answers for h in op.headers)]
    if op.negotiated:
        sources.append(NOT_ACCEPTABLE_ANSWER)
    if op.scope is not None:
        sources.append(GUARDED)
    return sources


@dataclass(frozen=True)
class Outcome:
    status: int  # omnicart's
    description: str
    code: str | None = None


def outcomes(op: Operation) -> list[Outcome]:
    """Every answer an operation gives: its success, each documented error (its own, its
    query's, its headers', its scope's) and each business-rule rejection with its code."""
    found = [Outcome(op.answer.status, "success: " + op.answer.description)]
    if op.answer.partial is not None:
        found.append(Outcome(206, "success: " + op.answer.partial))
    for answers in error_sources(op):
        for status, description in answers.items():
            outcome = Outcome(status, description)
            if outcome not in found:
                found.append(outcome)
    found += [Outcome(REJECTION_STATUS, description, code) for code, description in op.rejections.items()]
    return found + coded(op)


def coded(op: Operation) -> list[Outcome]:
    """The answers whose code is the operation's own: its input errors (when not Create
    Cart's), the provider it needs and the downstream failure."""
    found = []
    if op.body is not None and op.input_codes != CART_INPUT:
        found += [
            Outcome(400, "Required fields missing", op.input_codes.missing),
            Outcome(400, "Input validation failed", op.input_codes.invalid),
        ]
    if op.provider is not None:
        found.append(Outcome(501, NO_PROVIDER, ProviderMissing.code))
    if op.downstream is not None:
        found.append(Outcome(502, DOWNSTREAM, op.downstream))
    return found


def answers_table(operations: Iterable[Operation]) -> str:
    """The Markdown table of docs/profiles.md: every answer, in both profiles."""
    lines = [
        "| operation | answer | code | omnicart | carrier |",
        "| --- | --- | --- | --- | --- |",
    ]
    for op in operations:
        for outcome in outcomes(op):
            text = outcome.description.replace("\n", " ").replace("|", "\\|")
            code = f"`{outcome.code}`" if outcome.code else ""
            lines.append(
                f"| `{op.method} {op.path}` | {text} | {code} | "
                f"{OMNICART.status(outcome.status, outcome.code)} | "
                f"{CARRIER.status(outcome.status, outcome.code)} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    """python -m omnicart.api.answers: print the table of answers; with `codes`, the table of
    codes (api/codes.py)."""
    import sys

    from omnicart.api.codes import codes_table

    if sys.argv[1:] == ["codes"]:
        print(codes_table(OPERATIONS), end="")
    else:
        print(answers_table(OPERATIONS), end="")


if __name__ == "__main__":
    main()
