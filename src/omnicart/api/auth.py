"""Who is calling. Until credentials exist every request acts for the sandbox partner."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from omnicart.api.context import PARTNER_KEY

SANDBOX_PARTNER = "sandbox"


class Authentication:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[PARTNER_KEY] = SANDBOX_PARTNER
        await self.app(scope, receive, send)
