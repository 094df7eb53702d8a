"""Event listeners (TMF630 hubs, docs/events.md) on the wire: `POST /omni-svcs/v1/hub`
registers one (`HubCreate`); every answer about one is a `HubView`."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

# What the service accepts as a callback (domain/callbacks.py checks it, with a reason for each
# refusal): an absolute http(s) URL whose host is a DNS name or an IPv4 address, an optional
# port, no credentials. Outside sandbox mode, internal hosts are refused too.
CALLBACK_SCHEMA = {
    "pattern": r"^https?://[A-Za-z0-9][A-Za-z0-9-]{0,62}(\.[A-Za-z0-9][A-Za-z0-9-]{0,62})*\.?"
    r"(:[1-9][0-9]{0,3})?(/[!-~]*)?$",
}


class HubCreate(msgspec.Struct):
    """`callback`: where events are POSTed. `query`: which, e.g.
    `eventType=ShoppingCartCreateEvent,ProductOrderStateChangeEvent` (empty: all)."""

    callback: Annotated[str, Meta(min_length=1, max_length=2048, extra_json_schema=CALLBACK_SCHEMA)]
    query: Annotated[str, Meta(max_length=1024)] | None = None


class HubView(msgspec.Struct, omit_defaults=True):
    id: str
    href: str
    callback: str
    query: str | None
    createdAt: str
    secret: str | None = None  # only in the answer to the registration
