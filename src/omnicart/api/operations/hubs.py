"""Event listeners (docs/events.md)."""

from __future__ import annotations

from omnicart.api import (
    hub,
)
from omnicart.api.operation import (
    BAD_BODY,
    BODY_ERRORS,
    IDEMPOTENCY_KEY,
    LOCATION,
    MOCK_SCENARIO,
    NO_LISTENER,
    UNAVAILABLE,
    Answer,
    Body,
    Operation,
)
from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE
from omnicart.wire.hubs import HubCreate, HubView

HUBS: tuple[Operation, ...] = (
    Operation(
        "POST",
        "/omni-svcs/v1/hub",
        hub.register,
        "registerListener",
        "Register a listener: events of the partner's carts and orders are POSTed to `callback`, signed "
        "with the `secret` returned here once",
        scope=CARTS_WRITE,
        body=Body(HubCreate),
        answer=Answer(201, "Registered", HubView, headers=(LOCATION,)),
        errors={**BODY_ERRORS, 400: BAD_BODY + ", or a callback this server may not call", 503: UNAVAILABLE},
        headers=(IDEMPOTENCY_KEY, MOCK_SCENARIO),
        extension=True,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/hub",
        hub.list_hubs,
        "listListeners",
        "The partner's listeners",
        scope=CARTS_READ,
        answer=Answer(200, "Listeners", list[HubView]),
        errors={503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    Operation(
        "GET",
        "/omni-svcs/v1/hub/{id}",
        hub.get_hub,
        "getListener",
        "One listener",
        scope=CARTS_READ,
        answer=Answer(200, "The listener", HubView),
        errors={404: NO_LISTENER, 503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
    Operation(
        "DELETE",
        "/omni-svcs/v1/hub/{id}",
        hub.delete_hub,
        "unregisterListener",
        "Unregister a listener; nothing more is delivered to it",
        scope=CARTS_WRITE,
        answer=Answer(204, "Unregistered"),
        errors={404: NO_LISTENER, 503: UNAVAILABLE},
        headers=(MOCK_SCENARIO,),
        extension=True,
    ),
)
