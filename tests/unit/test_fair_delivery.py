"""Delivery is fair between partners (issue 21): a worker's connection slots are shared so
that one partner holds at most its share, whatever its hubs do (never answer, or answer
200 slowly so their circuit never opens), and a slot that frees goes to the waiting
partner holding the fewest."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from omnicart.webhooks.slots import FairSlots
from tests.unit.test_dispatcher import Outbox, dispatcher


async def holders(slots: FairSlots, partners: list[str]) -> tuple[list[asyncio.Task], asyncio.Event]:
    """A task per entry of `partners` holding a slot of `slots` until the event is set."""
    done = asyncio.Event()

    async def hold(partner: str) -> None:
        async with slots.slot(partner):
            await done.wait()

    tasks = [asyncio.create_task(hold(p)) for p in partners]
    await asyncio.sleep(0)
    return tasks, done


async def test_a_partner_holds_at_most_its_share_and_others_find_slots_free():
    slots = FairSlots(total=4, per_partner=2)
    tasks, done = await holders(slots, ["a"] * 5 + ["b"])
    assert (slots.held("a"), slots.held("b")) == (2, 1)
    done.set()
    await asyncio.gather(*tasks)
    assert (slots.held("a"), slots.held("b")) == (0, 0)


async def test_a_freed_slot_goes_to_the_waiting_partner_holding_the_fewest():
    slots = FairSlots(total=3, per_partner=3)
    first, release_first = await holders(slots, ["a", "a", "a"])  # every slot held by a
    later, release_later = await holders(slots, ["a", "b"])  # a began waiting before b
    release_first.set()
    await asyncio.gather(*first)
    await asyncio.sleep(0)
    assert (slots.held("a"), slots.held("b")) == (1, 1)  # b first (0 held), then a
    release_later.set()
    await asyncio.gather(*later)


async def test_a_waiter_cancelled_gives_its_place_on():
    slots = FairSlots(total=1, per_partner=1)
    held, release = await holders(slots, ["a"])
    waiting, _ = await holders(slots, ["b"])
    waiting[0].cancel()
    await asyncio.gather(*waiting, return_exceptions=True)
    release.set()
    await asyncio.gather(*held)
    assert slots.held("b") == 0
    again, release_again = await holders(slots, ["b"])
    assert slots.held("b") == 1
    release_again.set()
    await asyncio.gather(*again)


@pytest.mark.parametrize("a_hubs", ["never answer", "answer 200 after an hour"])
async def test_partner_a_with_20_stuck_hubs_leaves_partner_b_free_slots(a_hubs):
    """10 slots, A's 20 hubs hold its 5 and no more; B's event goes at once."""
    b_delivered = asyncio.Event()
    in_flight = {"partner-a": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "b.example":
            b_delivered.set()
            return httpx.Response(200)
        in_flight["partner-a"] += 1
        await asyncio.sleep(3600)  # "never" or "after an hour": both hold the slot
        return httpx.Response(200 if a_hubs.startswith("answer") else 504)

    outbox = Outbox()
    for hub in range(20):
        outbox.add(f"hub-a{hub}", f"http://a{hub}.example/", 3, owner="partner-a")
    outbox.add("hub-b", "http://b.example/", 1, owner="partner-b")
    subject = dispatcher(outbox, handler, clock=lambda: datetime.now(UTC), timeout=3600, concurrency=10)
    await subject.run_once()
    await asyncio.wait_for(b_delivered.wait(), 5)
    assert in_flight == {"partner-a": 5}  # half of the 10 slots
    await subject.close()
