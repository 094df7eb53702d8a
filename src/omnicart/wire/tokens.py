"""`POST /oauth/token` on the wire: OAuth2 client credentials (RFC 6749 §4.4) in, a
short-lived bearer token out, and the RFC's error fields beside omnicart's own."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.errors import Error


class TokenRequest(msgspec.Struct):
    # UNSET, not None: a form field is absent or a string, never null.
    grant_type: Literal["client_credentials"]
    scope: Annotated[str, Meta(description="space-separated subset of the key's scopes")] | UnsetType = UNSET
    client_id: str | UnsetType = UNSET
    client_secret: str | UnsetType = UNSET


class AccessToken(msgspec.Struct):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str


class TokenError(Error):
    """RFC 6749 §5.2's two fields next to omnicart's four. Optional only because a query
    string is refused before this endpoint's code runs, in omnicart's format alone."""

    error: str | UnsetType = UNSET
    error_description: str | UnsetType = UNSET
