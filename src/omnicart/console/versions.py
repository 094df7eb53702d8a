"""What changed between two versions of a cart, as the cart page's version history shows
it: items added, removed or changed (each changed field before → after), and the cart's
own fields before → after.

Pure: two wire documents in (the snapshots the outbox kept of consecutive versions), a
`VersionDiff` out. Paths name nested fields with dots; a list whose elements each have a
distinct `productOrderItemId`, `id` or `name` is keyed by it (`itemPrice[Monthly]`),
any other list is compared as a bag of its elements (one added, one removed)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

# What every change moves on, so it says nothing about the change.
_BOOKKEEPING = frozenset({"id", "href", "version", "lastUpdate", "creationDate"})
_ITEMS = "productOrderItem"
_KEYS = ("productOrderItemId", "id", "name")


@dataclass(frozen=True)
class Change:
    """One field: its text before and after (None: absent then)."""

    path: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ItemChange:
    """One item added, removed or changed (with its changed fields)."""

    item_id: str
    kind: str  # "added", "removed" or "changed"
    summary: str  # what the item is: its offering type and id, action and quantity
    fields: tuple[Change, ...] = ()


@dataclass(frozen=True)
class VersionDiff:
    items: tuple[ItemChange, ...]
    fields: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        return not self.items and not self.fields


def diff_versions(before: dict[str, Any] | None, after: dict[str, Any]) -> VersionDiff:
    """What `after` changed of `before` (None: the cart was created as `after`)."""
    old_items = _items(before or {})
    new_items = _items(after)
    items = [ItemChange(i, "removed", _summary(old)) for i, old in old_items.items() if i not in new_items]
    for item_id, new in new_items.items():
        old = old_items.get(item_id)
        if old is None:
            items.append(ItemChange(item_id, "added", _summary(new)))
        elif changed := _changes(old, new, frozenset()):
            items.append(ItemChange(item_id, "changed", _summary(new), changed))
    fields = () if before is None else _changes(before, after, _BOOKKEEPING | {_ITEMS})
    return VersionDiff(tuple(items), fields)


def _items(cart: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(item.get("productOrderItemId")): item for item in cart.get(_ITEMS) or []}


def _summary(item: dict[str, Any]) -> str:
    parts = [item.get("productOfferingType"), item.get("productOfferingId"), item.get("action")]
    quantity = item.get("quantity")
    text = " ".join(str(part) for part in parts if part)
    return f"{text} x {quantity}" if isinstance(quantity, int) and quantity > 1 else text


def _changes(before: dict[str, Any], after: dict[str, Any], skipped: frozenset[str]) -> tuple[Change, ...]:
    old = _flatten({k: v for k, v in before.items() if k not in skipped}, "")
    new = _flatten({k: v for k, v in after.items() if k not in skipped}, "")
    paths = list(dict.fromkeys([*old, *new]))
    found = []
    for path in paths:
        was, now = old.get(path, []), new.get(path, [])
        if Counter(was) == Counter(now):
            continue
        if len(was) <= 1 and len(now) <= 1:  # one value: before → after
            found.append(Change(path, was[0] if was else None, now[0] if now else None))
            continue
        gone, came = Counter(was) - Counter(now), Counter(now) - Counter(was)  # a bag: what left, what came
        found += [Change(path, text, None) for text in gone.elements()]
        found += [Change(path, None, text) for text in came.elements()]
    return tuple(found)


def _flatten(value: Any, path: str) -> dict[str, list[str]]:
    """Every leaf of `value` by its path, as text; an unkeyed list's elements all under the
    list's path (a bag)."""
    if isinstance(value, dict):
        found: dict[str, list[str]] = {}
        for key, inner in value.items():
            for leaf, texts in _flatten(inner, f"{path}.{key}" if path else key).items():
                found.setdefault(leaf, []).extend(texts)
        return found
    if isinstance(value, list):
        key = _key_of(value)
        if key is None:
            return {path: [_text(element) for element in value]} if value else {}
        found = {}
        for element in value:
            found.update(_flatten({k: v for k, v in element.items() if k != key}, f"{path}[{element[key]}]"))
        return found
    return {path: [_text(value)]}


def _key_of(elements: list[Any]) -> str | None:
    """The field that tells the list's elements apart, if one does."""
    if not elements or not all(isinstance(element, dict) for element in elements):
        return None
    for key in _KEYS:
        values = [element.get(key) for element in elements]
        if all(isinstance(v, str) for v in values) and len(set(values)) == len(values):
            return key
    return None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "text" in value:  # a validation message
        code = next((p.get("value") for p in value.get("parameter", []) if p.get("name") == "code"), None)
        return " ".join(str(part) for part in (value.get("type"), code, value["text"]) if part)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
