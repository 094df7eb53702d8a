"""What start-up does for the latency of every request after it (BENCHMARKS.md, "p99"):
what start-up made is frozen out of the collector's way, and full collections, a pause
for every request in flight, are ten times rarer than Python's default."""

from __future__ import annotations

import gc


def test_start_up_freezes_what_it_made_and_makes_full_collections_rare(client):
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == 100
