"""JSON merge patch (RFC 7396), on parsed JSON: what every PATCH of omnicart applies (an
item's on the carrier paths, a whole ShoppingCart's on TMF663's)."""

from __future__ import annotations

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """`target` with `patch` merged in: an object merges member by member, `null` removes
    a member, anything else (arrays too) replaces what was there. `target` is not changed."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
