"""What the sync and async clients share: the error type, credentials and the token they
are exchanged for, the retry policy, and turning an HTTP answer into a struct or an error.
Only the waiting and the sending differ between the two clients."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import msgspec

from omnicart import __version__
from omnicart.client.calls import Call
from omnicart.wire.decoding import decode
from omnicart.wire.errors import ApiError, Error
from omnicart.wire.tmf.common import TmfError
from omnicart.wire.tokens import AccessToken

T = TypeVar("T")

RETRY_STATUSES = frozenset({429, 503})
STILL_RUNNING = "OMNICART-IDEMPOTENCY-0409"  # our own key is still being processed: wait and retry
TOKEN_MARGIN = 60.0  # refresh an access token this many seconds before it expires
USER_AGENT = f"omnicart-python/{__version__}"


class OmnicartError(Exception):
    """Every failure the API answers (and a connection that never worked): omnicart's one
    error body, `code`, `status`, `details` (`status` 0: no answer at all).

    >>> try:
    ...     api.get_cart("no-such-cart")
    ... except OmnicartError as error:
    ...     print(error.status, error.code)
    404 OMNICART-CART-0404
    """

    def __init__(self, code: str, message: str, status: int, details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}


@dataclass(frozen=True)
class Retry:
    """Retries of connection errors, 429 and 503 (and a 409 for our own Idempotency-Key
    still running): at most `attempts` tries in all, waiting Retry-After when the server
    says, else exponential backoff with jitter; never longer than `max_wait` at once."""

    attempts: int = 4
    backoff: float = 0.25
    max_wait: float = 30.0

    def wait(self, attempt: int, response: httpx.Response | None) -> float:
        said = response.headers.get("retry-after") if response is not None else None
        if said is not None:
            try:
                return min(self.max_wait, max(0.0, float(said)))
            except ValueError:
                pass  # an HTTP date: fall back to our own backoff
        return min(self.max_wait, self.backoff * 2.0 ** (attempt - 1) * (0.5 + random.random()))


DEFAULT_RETRY = Retry()


def retryable(call: Call[Any], response: httpx.Response | None, error: Exception | None) -> bool:
    if error is not None:
        # A POST carries an Idempotency-Key and a GET changes nothing: any transport error
        # may be retried. A PATCH or DELETE only when the request surely never left.
        return call.method in {"GET", "POST"} or isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
    assert response is not None
    if response.status_code in RETRY_STATUSES:
        return True
    return response.status_code == 409 and call.method == "POST" and _code(response) == STILL_RUNNING


def _code(response: httpx.Response) -> str | None:
    try:
        return msgspec.json.decode(response.content, type=Error).code
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


class Credentials:
    """An API key sent as is, or OAuth client credentials exchanged at /oauth/token for an
    access token that is kept until shortly before it expires."""

    def __init__(
        self,
        api_key: str | None,
        client_id: str | None,
        client_secret: str | None,
        scope: str | None,
        clock: Any = time.monotonic,
    ) -> None:
        if api_key and (client_id or client_secret):
            raise ValueError("pass api_key, or client_id and client_secret, not both")
        if bool(client_id) != bool(client_secret):
            raise ValueError("client_id and client_secret go together")
        self.api_key = api_key
        self.client = (client_id, client_secret) if client_id and client_secret else None
        self.scope = scope
        self.clock = clock
        self._token: str | None = None
        self._expires = 0.0

    @property
    def oauth(self) -> bool:
        return self.client is not None

    def current(self) -> str | None:
        """The bearer credential to send now; None: a token must be fetched first."""
        if self.api_key:
            return self.api_key
        if self._token is not None and self.clock() < self._expires - TOKEN_MARGIN:
            return self._token
        return None

    def token_request(self) -> dict[str, Any]:
        assert self.client is not None
        form = {"grant_type": "client_credentials", **({"scope": self.scope} if self.scope else {})}
        return {"data": form, "auth": self.client}

    def took(self, response: httpx.Response) -> str:
        if response.status_code != 200:
            raise error_of(response)
        token = msgspec.json.decode(response.content, type=AccessToken)
        self._token, self._expires = token.access_token, self.clock() + token.expires_in
        return token.access_token

    def forget(self) -> None:
        self._token = None


def headers(call: Call[Any], bearer: str | None, scenario: str | None, idempotency_key: str | None) -> dict[str, str]:
    sent = {"Accept": "application/json"}
    if bearer:
        sent["Authorization"] = f"Bearer {bearer}"
    if call.body is not None:
        sent["Content-Type"] = call.content_type
    if call.if_match is not None:
        sent["If-Match"] = call.if_match
    if scenario:
        sent["mock-scenario"] = scenario
    if idempotency_key is not None:
        sent["Idempotency-Key"] = idempotency_key
    return sent


def idempotency_key(call: Call[Any]) -> str | None:
    """One key per logical call, the same on every retry of it: that is what makes them safe."""
    return uuid.uuid4().hex if call.method == "POST" and not call.reads_only else None


def error_of(response: httpx.Response) -> OmnicartError:
    try:
        body = msgspec.json.decode(response.content, type=Error)
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass
    else:
        return OmnicartError(body.code, body.message, response.status_code, body.details)
    try:  # TM Forum's Error (every answer under /tmf-api/): the same code, message and details
        tmf = msgspec.json.decode(response.content, type=TmfError)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return OmnicartError(
            "OMNICART-CLIENT-HTTP", response.text[:200] or response.reason_phrase, response.status_code
        )
    details = tmf.details if isinstance(tmf.details, dict) else {}
    return OmnicartError(tmf.code, tmf.message or tmf.reason, response.status_code, details)


def unreachable(error: Exception) -> OmnicartError:
    return OmnicartError("OMNICART-CLIENT-CONNECTION", f"{type(error).__name__}: {error}", 0)


def answer(call: Call[T], response: httpx.Response) -> T:
    """The answer as the call's struct, or the error it is."""
    if response.status_code >= 400:
        if response.status_code in call.answered_errors and call.answer is not None:
            try:  # strictly: omnicart's error body must not pass for an answer
                return msgspec.json.decode(response.content, type=call.answer)
            except (msgspec.DecodeError, msgspec.ValidationError):
                pass
        raise error_of(response)
    if call.answer is None:
        return None  # type: ignore[return-value]
    try:
        # The server's own decoding: unknown fields land in each Open struct's `extra`.
        return decode(response.content, call.answer, None, answer=True)
    except ApiError as exc:
        raise OmnicartError(
            "OMNICART-CLIENT-DECODE", f"unexpected answer: {exc.message}", response.status_code, exc.details
        ) from None
