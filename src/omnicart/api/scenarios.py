"""The sandbox's `mock-scenario` request header (docs/sandbox.md).

In sandbox mode (`settings.sandbox`) the header is parsed here, once per request to an
`/omni-svcs/` path, and the result is what `scenarios_of(request)` gives the handlers,
which pass it to the use cases. Outside sandbox mode the header is ignored entirely: not
parsed, not refused, not acted on.

This middleware itself does the two scenarios that are about the HTTP exchange rather than
about carts or orders:
- `transient_503`: answers 503 with Retry-After before anything else runs, so nothing is
  changed and no Idempotency-Key is used up;
- `slow_response`: lets the request be processed at once and holds its answer back, as a
  slow carrier would; a client that times out must find out what happened by retrying.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omnicart.api.errors import error_response
from omnicart.domain.scenarios import (
    ACCEPTED,
    NO_SCENARIOS,
    MockScenarios,
    ScenarioError,
    parse,
)
from omnicart.runtime import settings_of

SCENARIOS_KEY = "omnicart.scenarios"
SCENARIO_REFUSED = "OMNICART-SCENARIO-0400"  # a value omnicart does not know
HEADER = b"mock-scenario"
PATHS = "/omni-svcs/"


def scenarios_of(request: Request) -> MockScenarios:
    scenarios: MockScenarios = request.scope.get(SCENARIOS_KEY, NO_SCENARIOS)
    return scenarios


class MockScenario:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = None
        if scope["type"] == "http" and scope["path"].startswith(PATHS) and settings_of(scope).sandbox:
            raw = next((v for k, v in scope["headers"] if k == HEADER), None)
        if raw is None:
            await self.app(scope, receive, send)
            return
        try:
            scenarios = parse(raw.decode("latin-1"))
        except ScenarioError as exc:
            await error_response(400, SCENARIO_REFUSED, str(exc), {"scenarios": list(ACCEPTED)})(scope, receive, send)
            return
        scope[SCENARIOS_KEY] = scenarios

        retry_after = scenarios.unavailable_retry_after
        if retry_after is not None:
            await error_response(
                503,
                "OMNICART-STORE-0503",
                "the service is temporarily unavailable (mock-scenario transient_503); retry later",
                headers={"Retry-After": str(retry_after)},
            )(scope, receive, send)
            return

        delay = scenarios.response_delay
        if not delay:
            await self.app(scope, receive, send)
            return

        async def send_late(message: Message) -> None:
            if message["type"] == "http.response.start":
                await asyncio.sleep(delay)
            await send(message)

        await self.app(scope, receive, send_late)
