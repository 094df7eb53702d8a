"""TMF630's shapes shared by every TM Forum API omnicart speaks: the polymorphism fields,
the time period, and the Error body.

TMF630 names polymorphic fields with an `@` (`@type`: the class of the instance,
`@baseType`: its super-class, `@schemaLocation`: a URI of the JSON schema extending it);
they are struct fields here with their wire names.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

ERROR_TYPE = "Error"


class Entity(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A TMF resource or sub-resource: its polymorphism fields, each optional."""

    type: str | UnsetType = msgspec.field(default=UNSET, name="@type")
    baseType: str | UnsetType = msgspec.field(default=UNSET, name="@baseType")
    schemaLocation: str | UnsetType = msgspec.field(default=UNSET, name="@schemaLocation")


class TimePeriod(msgspec.Struct, kw_only=True, omit_defaults=True):
    """TMF's period of time: from `startDateTime` to `endDateTime`, each optional."""

    startDateTime: str | UnsetType = UNSET
    endDateTime: str | UnsetType = UNSET


class TmfError(Entity, kw_only=True):
    """TMF630's error body (TMF663/TMF622 v4 `Error`): `code` (omnicart's code, the same as
    the carrier paths answer), `reason` (the status's reason phrase), `message` (what went
    wrong, for people), `status` (the HTTP status sent, as text), `referenceError` (a URI
    documenting it; omnicart sends none). `details` is omnicart's own: the same
    `{errors: [{field, reason}]}` as the carrier paths' body, naming each bad field."""

    code: str
    reason: str
    message: str | UnsetType = UNSET
    status: str | UnsetType = UNSET
    referenceError: str | UnsetType = UNSET
    details: dict[str, Any] | UnsetType = UNSET


def tmf_error(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> TmfError:
    """The TMF Error for omnicart's error (status, code, message, details)."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    return TmfError(
        type=ERROR_TYPE,
        code=code,
        reason=reason,
        message=message,
        status=str(status),
        details=details or UNSET,
    )
