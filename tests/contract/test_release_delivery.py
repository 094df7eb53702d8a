"""A delivery handed back unattempted (its hub's circuit is open, webhooks/delivery.py),
on every database: due again when told, and its claim cost it no attempt."""

from __future__ import annotations

from datetime import timedelta

from tests.contract.test_event_store import AT, claim, happened, registered

LATER = AT + timedelta(minutes=5)


async def test_a_released_delivery_is_due_again_at_its_time_with_the_same_attempt(store):
    hub = await registered(store)
    event = await happened(store)
    await store.fan_out(100)
    [first] = await claim(store, AT)
    assert first.attempt == 1
    await store.release_delivery(event.eventId, hub.id, LATER)
    assert await claim(store, LATER - timedelta(seconds=1)) == []  # not before its time
    [again] = await claim(store, LATER)
    assert (again.event_id, again.hub_id, again.attempt) == (event.eventId, hub.id, 1)


async def test_releasing_a_delivered_delivery_changes_nothing(store):
    hub = await registered(store)
    event = await happened(store)
    await store.fan_out(100)
    await claim(store, AT)
    await store.delivered(event.eventId, hub.id, AT)
    await store.release_delivery(event.eventId, hub.id, LATER)
    assert await claim(store, LATER + timedelta(days=30)) == []
