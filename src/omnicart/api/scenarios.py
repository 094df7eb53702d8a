"""The sandbox's `mock-scenario` request header (docs/sandbox.md).

In sandbox mode (`settings.sandbox`) the header is parsed here, once per request to an
`/omni-svcs/` path, and the result is what `scenarios_of(request)` gives the handlers,
which pass it to the use cases. Outside sandbox mode the header is ignored entirely: not
parsed, not refused, not acted on.

The edge (api/edge.py) itself does the two scenarios that are about the HTTP exchange rather than
about carts or orders:
- `transient_503`: answers 503 with Retry-After before anything else runs, so nothing is
  changed and no Idempotency-Key is used up;
- `slow_response`: lets the request be processed at once and holds its answer back, as a
  slow carrier would; a client that times out must find out what happened by retrying.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

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


def scenario_answer(scope: Scope) -> Response | None:
    """Puts the request's scenarios in the scope (sandbox mode, an `/omni-svcs/` path, the
    header sent); the answer that settles the request at once (a refused header value,
    `transient_503`), if any. `response_delay(scope)` then says how long to hold the answer."""
    if not scope["path"].startswith(PATHS) or not settings_of(scope).sandbox:
        return None
    raw = next((v for k, v in scope["headers"] if k == HEADER), None)
    if raw is None:
        return None
    try:
        scenarios = parse(raw.decode("latin-1"))
    except ScenarioError as exc:
        return error_response(400, SCENARIO_REFUSED, str(exc), {"scenarios": list(ACCEPTED)})
    scope[SCENARIOS_KEY] = scenarios
    retry_after = scenarios.unavailable_retry_after
    if retry_after is not None:
        return error_response(
            503,
            "OMNICART-STORE-0503",
            "the service is temporarily unavailable (mock-scenario transient_503); retry later",
            headers={"Retry-After": str(retry_after)},
        )
    return None


def response_delay(scope: Scope) -> float:
    """Seconds `slow_response` holds the answer back (0: none)."""
    scenarios: MockScenarios = scope.get(SCENARIOS_KEY, NO_SCENARIOS)
    return scenarios.response_delay or 0.0
