"""The one wall clock of the service."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Now, at the millisecond precision of the carrier's timestamps: a time that is
    stored and read back compares equal to the one that was used."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
