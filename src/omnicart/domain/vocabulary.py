"""The carrier's vocabulary, where a partner may send values its pages do not show:
TMF622's item actions beyond the carrier's, and relatedParty role/referredType pairs.

Such values are accepted (a partner's cart is never refused for them) but flagged by a
`warning` (domain/rules.py: NOT_A_CARRIER_ACTION, UNSEEN_PARTY_PAIR) naming what the
carrier shows instead, so that a partner does not code against a value only omnicart
understands (docs/decisions.md, "Item actions" and "Related parties").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from omnicart.wire.cart import RelatedParty

# (referredType, role) of every relatedParty the carrier's pages show (reference §3.1, §5.2).
SEEN_PARTY_PAIRS: tuple[tuple[str, str], ...] = (
    ("individual", "owner"),
    ("dealerLocation", "partner"),
    ("customer", "customer"),
)
_SEEN = frozenset(SEEN_PARTY_PAIRS)
SEEN_PAIRS_TEXT = ", ".join(f"{referred}/{role}" for referred, role in SEEN_PARTY_PAIRS)

# TMF622's actions the carrier's pages never show, and what they mean in omnicart.
TMF_ACTIONS: dict[str, str] = {
    "delete": "ends the existing product exactly as 'terminate', the carrier's action for it, does",
    "modify": (
        "changes the existing product's characteristics without charging it again; the carrier's pages "
        "keep a product with 'noChange' and change it by the items of its bundle ('swap;add', 'terminate')"
    ),
}


def tmf_action_text(action: str) -> str | None:
    """The warning's text for an action of TMF622's the carrier does not show, else None."""
    meaning = TMF_ACTIONS.get(action)
    if meaning is None:
        return None
    return f"action {action!r} is TMF622's, not the carrier's: omnicart accepts it and it {meaning}"


# What a partner means by `delete` or `modify` of nothing the customer has, in the carrier's words.
_INSTEAD = {
    "delete": " (the carrier ends an existing product with 'terminate'; an item of this cart leaves it by "
    "DELETE /omni-svcs/v1/carts/{cartId}/items/{itemId})",
    "modify": " (a product the customer does not have yet is ordered with 'add')",
}


def instead_of(action: str) -> str:
    """For a TMF622 action given nothing to act on, the carrier's way to say what was meant."""
    return _INSTEAD.get(action, "")


def unseen_party_pairs(parties: Sequence[RelatedParty]) -> Iterator[tuple[int, RelatedParty]]:
    """(index, party) of every party whose referredType/role pair the carrier does not show."""
    for index, party in enumerate(parties):
        if (party.referredType, party.role) not in _SEEN:
            yield index, party


def unseen_party_text(index: int, party: RelatedParty) -> str:
    return (
        f"relatedParty[{index}] is referredType {party.referredType!r} with role {party.role!r}, a pair the "
        f"carrier's pages do not show; it is kept, but the carrier may refuse it (seen: {SEEN_PAIRS_TEXT})"
    )
