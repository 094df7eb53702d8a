"""A finding (a page of an owner's rows, and how many match in all) as statements built
from the conditions given, not one statement for every combination of them.

One statement with `(CAST($n AS TEXT) IS NULL OR state = $n)` for each optional condition
is what the database prepares once, and it plans it badly either way: PostgreSQL's
generic plan cannot use an index for a condition that may be absent, so after a few
custom plans (planned again on every execution) it reads each match from the table to
test conditions nobody gave; SQLite tests every one of them on every row it counts.
Measured on PostgreSQL, a table of 1.5M orders of which one owner has 150,000: counting
that owner's first 1,001 (the page's bounded total) took 1.5 ms as the generic plan of the
one-for-all statement (it read the table until 1,001 matched), 0.13 ms as `owner = $1`
alone, an index-only scan. Here each set of given conditions has its own statement,
built on first use and kept (a handful are ever used; the drivers' statement caches
prepare each once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from omnicart.store.core import counted_page


@dataclass(frozen=True)
class Found:
    """A finding's statements for the conditions given, and their arguments (the owner
    first, then each given condition's values): what `core.page_and_total` runs."""

    page: str
    count: str
    args: tuple[Any, ...]


class Finding:
    """`columns` of an owner's rows of `table` in `order`, narrowed by optional conditions.

    Each condition is SQL with a `{}` for each of its values (`$1` is the owner); the
    value given for it is None (no such condition), a value, or a tuple of values for a
    condition of several."""

    def __init__(
        self, sql: Callable[[str], str], columns: str, table: str, order: str, conditions: Sequence[str]
    ) -> None:
        self._sql, self._columns, self._table, self._order = sql, columns, table, order
        self._conditions = tuple(conditions)
        self._built: dict[tuple[bool, ...], tuple[str, str]] = {}

    def __call__(self, owner: str, given: Sequence[Any]) -> Found:
        """The statements that find the owner's rows meeting every condition given
        (`given` holds one entry per condition, in their order)."""
        if len(given) != len(self._conditions):
            raise ValueError(f"{len(self._conditions)} conditions, {len(given)} given")
        present = tuple(value is not None for value in given)
        built = self._built.get(present)
        if built is None:
            built = self._built[present] = self._build(present)
        args = [owner]
        for value in given:
            if value is not None:
                args.extend(value if isinstance(value, tuple) else (value,))
        return Found(*built, tuple(args))

    def _build(self, present: tuple[bool, ...]) -> tuple[str, str]:
        where, parameters = ["owner = $1"], 1
        for condition, here in zip(self._conditions, present, strict=True):
            if here:
                holes = condition.count("{}")
                where.append(condition.format(*(f"${parameters + n}" for n in range(1, holes + 1))))
                parameters += holes
        page, count = counted_page(self._columns, self._table, " AND ".join(where), self._order, parameters)
        return self._sql(page), self._sql(count)
