"""An error reason lists the values of a closed set, and only of a closed set: a field
that also takes an open type gets the type's own reason, and no reason ends in what reads
as an empty list (issue 20, point 7)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
import pytest

from omnicart.wire.decoding import convert
from omnicart.wire.errors import ApiError


class Closed(msgspec.Struct):
    kind: Literal["a", "b"] | None = None
    blank: Literal["", "x"] = ""
    open: Annotated[str, msgspec.Meta(pattern="^[a-z]+$")] | Literal[""] = ""


def reason(raw: dict) -> str:
    with pytest.raises(ApiError) as refused:
        convert(raw, Closed)
    [error] = refused.value.details["errors"]
    return error["reason"]


def test_a_closed_set_lists_its_values():
    assert reason({"kind": "c"}) == "Invalid enum value 'c'; accepted values: a, b"


def test_an_empty_string_among_them_is_shown_quoted():
    assert reason({"blank": "y"}) == "Invalid enum value 'y'; accepted values: \"\", x"


def test_a_field_that_takes_an_open_type_too_lists_nothing():
    assert reason({"open": "A1"}) == "Expected `str` matching regex '^[a-z]+$'"
