"""The wire's plain values, shared by its bodies: text that must not be empty, and the
carrier's timestamps (`Timestamp` on the wire; `timestamp()`, the one formatter, and
`moment()`, its reading)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from msgspec import Meta

NonEmpty = Annotated[str, Meta(min_length=1)]
Timestamp = Annotated[str, Meta(extra_json_schema={"format": "date-time", "examples": ["2024-10-05T14:48:00.000Z"]})]


def timestamp(moment: datetime) -> str:
    """The carrier's `2024-10-05T14:48:00.000Z` (UTC, milliseconds)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"


def moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)
