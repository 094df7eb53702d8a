"""What the decoding tells the partner besides the decoded body: the fields it did not use
(unknown ones, with the closest known name; the service's own, ignored) and those it read
under another name (a struct's `ALIASES`). Nothing a partner sends disappears without a
word: the API sends these as `Warning` headers (api/requests.py, docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from omnicart.wire.errors import invalid_field
from omnicart.wire.open import did_you_mean


@dataclass(frozen=True)
class Notice:
    """Something the decoding did with a field that the partner should hear of: an unknown
    field at the top of the body (kept where the body's object keeps unknown fields, else
    dropped), one dropped deeper down, or a field read under another name (`ALIASES`)."""

    field: str  # its path
    text: str


def read_aliases(raw: dict[str, Any], aliases: Mapping[str, str], notices: list[Notice] | None) -> None:
    """A top-level field sent under another name the struct reads as its own
    (`ALIASES`: name -> field), noted; both names at once is a 400."""
    for alias, name in aliases.items():
        if alias not in raw:
            continue
        if name in raw:
            raise invalid_field(alias, f"send it once, as `{name}` (`{alias}` is the answer's name for it), not both")
        raw[name] = raw.pop(alias)
        if notices is not None:
            notices.append(
                Notice(
                    alias,
                    f"`{alias}` was read as `{name}`: the request's field is `{name}` (`{alias}` is the answer's)",
                )
            )


def note_unknown(
    notices: list[Notice],
    unknown: list[str],
    known: frozenset[str],
    keeps_unknown: bool,
    read_only: frozenset[str],
    path: str,
) -> None:
    """Each unknown field of one object, noted: at the top always, deeper down when it is
    dropped (the object keeps no unknown fields, or the service owns the field)."""
    for name in unknown:
        dropped = name in read_only or not keeps_unknown
        if path and not dropped:
            continue
        where = f"{path}.{name}" if path else name
        if name in read_only:
            text = f"`{where}` is the service's and was ignored"
        else:
            close = did_you_mean(name, sorted(known))
            hint = f"; did you mean `{close}`?" if close else ""
            text = f"unknown field `{where}` was {'ignored' if dropped else 'kept but not used'}{hint}"
        notices.append(Notice(where, text))
