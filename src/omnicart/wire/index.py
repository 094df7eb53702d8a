"""The service's front page, `GET /`: where to go next (omnicart's own, no carrier shape)."""

from __future__ import annotations

import msgspec


class Links(msgspec.Struct, frozen=True):
    carts: str  # the carrier's Create Cart, where an integration starts
    docs: str
    openapi: str
    console: str
    health: str
    ready: str


class Index(msgspec.Struct, frozen=True):
    name: str
    version: str
    sandbox: bool
    links: Links
