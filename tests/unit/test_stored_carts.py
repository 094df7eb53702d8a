"""A cart read as stored (`RenderedCart.stored`): its document is the wire document when
the store knows it holds no unknown fields (`plain`); otherwise, or when the store does
not know (a row written before migration 0014), they are put back where they were sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from omnicart.services.answers import RenderedCart
from omnicart.store import CartDocument

AT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
KEPT = b'{"id":"c-1","channel":{"id":"IND","__extra__":{"storeNote":"kept"}},"__extra__":{"note":"n"}}'
SENT = b'{"id":"c-1","channel":{"id":"IND","storeNote":"kept"},"note":"n"}'
PLAIN = b'{"id":"c-1","channel":{"id":"IND"}}'


@pytest.mark.parametrize("plain", [False, None])
def test_unknown_fields_are_put_back_unless_the_store_knows_there_are_none(plain):
    assert RenderedCart.stored(CartDocument("c-1", 3, "Draft", AT, KEPT, plain)).wire == SENT


@pytest.mark.parametrize("plain", [True, None])
def test_a_document_without_unknown_fields_is_sent_as_stored(plain):
    assert RenderedCart.stored(CartDocument("c-1", 3, "Draft", AT, PLAIN, plain)).wire == PLAIN
